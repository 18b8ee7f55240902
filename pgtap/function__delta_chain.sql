-- pgTAP tests for the function__delta_chain change: the ancestor walk behind DeltaChannel.
BEGIN;
SELECT plan(17);

-- Structure ------------------------------------------------------------------
SELECT has_function('langgraph', '_delta_chain', ARRAY['text', 'text', 'text', 'text[]'], '_delta_chain(text, text, text, text[]) exists');
SELECT function_returns('langgraph', '_delta_chain', ARRAY['text', 'text', 'text', 'text[]'], 'setof record', '_delta_chain returns setof record');
SELECT function_lang_is('langgraph', '_delta_chain', ARRAY['text', 'text', 'text', 'text[]'], 'plpgsql', '_delta_chain is written in plpgsql');
SELECT volatility_is('langgraph', '_delta_chain', ARRAY['text', 'text', 'text', 'text[]'], 'stable', '_delta_chain is STABLE');
SELECT isnt_definer('langgraph', '_delta_chain', ARRAY['text', 'text', 'text', 'text[]'], '_delta_chain is not SECURITY DEFINER (internal, runs as its caller)');
SELECT function_privs_are('langgraph', '_delta_chain', ARRAY['text', 'text', 'text', 'text[]'], 'public', ARRAY[]::text[], 'PUBLIC cannot call _delta_chain');
SELECT function_privs_are('langgraph', '_delta_chain', ARRAY['text', 'text', 'text', 'text[]'], 'langgraph_client', ARRAY[]::text[], 'the client role cannot call _delta_chain');
SELECT function_privs_are('langgraph', '_delta_chain', ARRAY['text', 'text', 'text', 'text[]'], 'langgraph_reader', ARRAY[]::text[], 'the reader role cannot call _delta_chain');

-- Behaviour ------------------------------------------------------------------
-- cp-0001 stores a and b; cp-0002 stores b; cp-0003 and cp-0004 store neither.
SELECT langgraph.put_checkpoint('pgtap-delta-chain-1', '', 'cp-0001', NULL, '{"channel_versions": {"a": "1", "b": "1"}}', '{}',
    ARRAY['a', 'b'], ARRAY['json', 'json'], ARRAY['"a1"'::jsonb, '"b1"'], ARRAY[NULL::bytea, NULL]);
SELECT langgraph.put_checkpoint('pgtap-delta-chain-1', '', 'cp-0002', 'cp-0001', '{"channel_versions": {"a": "2", "b": "2"}}', '{}',
    ARRAY['a', 'b'], ARRAY['empty', 'json'], ARRAY[NULL::jsonb, '"b2"'], ARRAY[NULL::bytea, NULL]);
SELECT langgraph.put_checkpoint('pgtap-delta-chain-1', '', 'cp-0003', 'cp-0002', '{"channel_versions": {"a": "3", "b": "3"}}', '{}');
SELECT langgraph.put_checkpoint('pgtap-delta-chain-1', '', 'cp-0004', 'cp-0003', '{"channel_versions": {"a": "4", "b": "4"}}', '{}');
SELECT langgraph.put_checkpoint('pgtap-delta-chain-1', '', 'cp-0005', 'cp-0004', '{"channel_versions": {"a": "5", "b": "5"}}', '{}');

SELECT is((SELECT array_agg(ROW(checkpoint_id, depth, needed, seeded)::text ORDER BY depth)
           FROM langgraph._delta_chain('pgtap-delta-chain-1', '', 'cp-0004', ARRAY['a'])),
          ARRAY[ROW('cp-0004', 1, ARRAY['a'], '{}'::text[])::text,
                ROW('cp-0003', 2, ARRAY['a'], '{}'::text[])::text,
                ROW('cp-0002', 3, ARRAY['a'], '{}'::text[])::text,
                ROW('cp-0001', 4, ARRAY['a'], ARRAY['a'])::text],
          'the walk goes up to the nearest checkpoint storing a value; an empty marker does not stop it');
SELECT is((SELECT array_agg(ROW(checkpoint_id, needed, seeded)::text ORDER BY depth)
           FROM langgraph._delta_chain('pgtap-delta-chain-1', '', 'cp-0004', ARRAY['b', 'a'])),
          ARRAY[ROW('cp-0004', ARRAY['b', 'a'], '{}'::text[])::text,
                ROW('cp-0003', ARRAY['b', 'a'], '{}'::text[])::text,
                ROW('cp-0002', ARRAY['b', 'a'], ARRAY['b'])::text,
                ROW('cp-0001', ARRAY['a'], ARRAY['a'])::text],
          'a channel seeded earlier drops out of needed; the walk goes on for the others');
SELECT is((SELECT array_agg(checkpoint_id::text ORDER BY depth) FROM langgraph._delta_chain('pgtap-delta-chain-1', '', 'cp-0002', ARRAY['b'])),
          ARRAY['cp-0002'], 'a start that stores the value is its own seed: one row');
SELECT is((SELECT versions FROM langgraph._delta_chain('pgtap-delta-chain-1', '', 'cp-0003', ARRAY['b']) WHERE depth = 1),
          '{"a": "3", "b": "3"}'::jsonb, 'each row carries the checkpoint''s channel_versions');
SELECT is((SELECT array_agg(ROW(checkpoint_id, seeded)::text ORDER BY depth) FROM langgraph._delta_chain('pgtap-delta-chain-1', '', 'cp-0005', ARRAY['never'])),
          ARRAY[ROW('cp-0005', '{}'::text[])::text, ROW('cp-0004', '{}'::text[])::text, ROW('cp-0003', '{}'::text[])::text,
                ROW('cp-0002', '{}'::text[])::text, ROW('cp-0001', '{}'::text[])::text],
          'a channel never stored walks to the root');
SELECT is_empty($$SELECT * FROM langgraph._delta_chain('pgtap-delta-chain-1', '', 'cp-0004', '{}')$$, 'no channels: no rows');
SELECT is_empty($$SELECT * FROM langgraph._delta_chain('pgtap-delta-chain-1', '', 'cp-unknown', ARRAY['a'])$$, 'an unknown start: no rows');
SELECT is_empty($$SELECT * FROM langgraph._delta_chain('pgtap-delta-chain-1', '', NULL, ARRAY['a'])$$, 'a NULL start (a root''s parent): no rows');
SELECT is_empty($$SELECT * FROM langgraph._delta_chain('pgtap-delta-chain-1', 'child:1', 'cp-0004', ARRAY['a'])$$, 'another namespace: no rows');

SELECT * FROM finish();
ROLLBACK;
