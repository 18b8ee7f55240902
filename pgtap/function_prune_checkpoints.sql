-- pgTAP tests for the function_prune_checkpoints change: prune threads: keep_latest or delete.
BEGIN;
SELECT plan(34);

-- Structure ------------------------------------------------------------------
SELECT has_function('langgraph', 'prune_checkpoints', ARRAY['text[]', 'text'], 'prune_checkpoints(text[], text) exists');
SELECT function_returns('langgraph', 'prune_checkpoints', ARRAY['text[]', 'text'], 'bigint', 'prune_checkpoints returns bigint');
SELECT function_lang_is('langgraph', 'prune_checkpoints', ARRAY['text[]', 'text'], 'plpgsql', 'prune_checkpoints is written in plpgsql');
SELECT volatility_is('langgraph', 'prune_checkpoints', ARRAY['text[]', 'text'], 'volatile', 'prune_checkpoints is VOLATILE');
SELECT is_definer('langgraph', 'prune_checkpoints', ARRAY['text[]', 'text'], 'prune_checkpoints is SECURITY DEFINER');
SELECT ok((SELECT 'search_path=langgraph, pg_temp' = ANY (proconfig) FROM pg_proc WHERE oid = 'langgraph.prune_checkpoints(text[], text)'::regprocedure),
          'prune_checkpoints pins search_path to its schema and pg_temp');
SELECT function_privs_are('langgraph', 'prune_checkpoints', ARRAY['text[]', 'text'], 'public', ARRAY[]::text[], 'PUBLIC cannot call prune_checkpoints');
SELECT function_privs_are('langgraph', 'prune_checkpoints', ARRAY['text[]', 'text'], 'langgraph_reader', ARRAY[]::text[], 'the reader role cannot call prune_checkpoints');
SELECT function_privs_are('langgraph', 'prune_checkpoints', ARRAY['text[]', 'text'], 'langgraph_client', ARRAY['EXECUTE'], 'the client role may call prune_checkpoints');
SELECT ok(has_function_privilege('langgraph_client', 'langgraph.prune_checkpoints(text[], text)', 'execute'),
          'has_function_privilege agrees: the client role may call prune_checkpoints');
SELECT ok(obj_description('langgraph.prune_checkpoints(text[], text)'::regprocedure, 'pg_proc') ~ 'Raises', 'the comment on prune_checkpoints names what it raises');

-- Behaviour: keep_latest -----------------------------------------------------------
SELECT langgraph.put_checkpoint('pgtap-prune-1', '', 'cp-0001', NULL, '{"channel_versions": {"a": "1", "b": "1"}}', '{}',
    ARRAY['a', 'b'], ARRAY['json', 'json'], ARRAY['"a1"'::jsonb, '"b1"'], ARRAY[NULL::bytea, NULL]);
SELECT langgraph.put_checkpoint('pgtap-prune-1', '', 'cp-0002', 'cp-0001', '{"channel_versions": {"a": "1", "b": "2"}}', '{}',
    ARRAY['b'], ARRAY['json'], ARRAY['"b2"'::jsonb], ARRAY[NULL::bytea]);
SELECT langgraph.put_checkpoint('pgtap-prune-1', '', 'cp-0003', 'cp-0002', '{"channel_versions": {"a": "1", "b": "3"}}', '{}',
    ARRAY['b'], ARRAY['json'], ARRAY['"b3"'::jsonb], ARRAY[NULL::bytea]);
SELECT langgraph.put_checkpoint('pgtap-prune-1', 'child:1', 'cp-0004', NULL, '{}', '{}');
SELECT langgraph.put_checkpoint('pgtap-prune-1', 'child:1', 'cp-0005', 'cp-0004', '{}', '{}');
SELECT langgraph.put_writes('pgtap-prune-1', '', 'cp-0002', 'task-a', ARRAY['b'], ARRAY['json'], ARRAY['"w2"'::jsonb], ARRAY[NULL::bytea]);
SELECT langgraph.put_writes('pgtap-prune-1', '', 'cp-0003', 'task-a', ARRAY['b'], ARRAY['json'], ARRAY['"w3"'::jsonb], ARRAY[NULL::bytea]);
SELECT langgraph.put_checkpoint('pgtap-prune-other', '', 'cp-0001', NULL, '{}', '{}');
SELECT langgraph.put_checkpoint('pgtap-prune-other', '', 'cp-0002', 'cp-0001', '{}', '{}');

SELECT is(langgraph.prune_checkpoints(ARRAY['pgtap-prune-1']), 3::bigint, 'keep_latest (the default) returns the number deleted');
SELECT is(ARRAY(SELECT checkpoint_ns || '/' || checkpoint_id FROM langgraph.checkpoints WHERE thread_id = 'pgtap-prune-1' ORDER BY 1),
          ARRAY['/cp-0003', 'child:1/cp-0005'], 'the latest checkpoint of each namespace is kept');
SELECT is((SELECT array_agg(parent_checkpoint_id) FROM langgraph.checkpoints WHERE thread_id = 'pgtap-prune-1'), ARRAY[NULL, NULL]::text[],
          'a kept checkpoint whose parent went becomes a root');
SELECT is(ARRAY(SELECT checkpoint_id::text FROM langgraph.checkpoint_writes WHERE thread_id = 'pgtap-prune-1'), ARRAY['cp-0003'],
          'the writes of the kept checkpoint are kept, the others gone');
SELECT is(ARRAY(SELECT channel || '@' || version FROM langgraph.checkpoint_blobs WHERE thread_id = 'pgtap-prune-1' ORDER BY 1),
          ARRAY['a@1', 'b@3'], 'values the kept checkpoint references are kept, the rest gone');
SELECT is((SELECT channel_values FROM langgraph.get_checkpoint('pgtap-prune-1')), ARRAY['"a1"'::jsonb, '"b3"'], 'the kept checkpoint reads all its values');
SELECT is((SELECT count(*) FROM langgraph.checkpoints WHERE thread_id = 'pgtap-prune-other'), 2::bigint, 'a thread not listed is untouched');
SELECT is(langgraph.prune_checkpoints(ARRAY['pgtap-prune-1', 'pgtap-prune-1'], 'keep_latest'), 0::bigint,
          'pruning again (a thread listed twice) deletes nothing');

-- Behaviour: DeltaChannel-aware keep -----------------------------------------------
-- cp-0001 stores ch; cp-0002 stores it again (a snapshot); cp-0003..cp-0005 do not.
-- The latest, cp-0005, says ch is rebuilt from writes since a snapshot.
SELECT langgraph.put_checkpoint('pgtap-prune-2', '', 'cp-0001', NULL, '{"channel_versions": {"ch": "1"}}', '{}',
    ARRAY['ch'], ARRAY['json'], ARRAY['["old"]'::jsonb], ARRAY[NULL::bytea]);
SELECT langgraph.put_checkpoint('pgtap-prune-2', '', 'cp-0002', 'cp-0001', '{"channel_versions": {"ch": "2"}}', '{}',
    ARRAY['ch'], ARRAY['json'], ARRAY['["snapshot"]'::jsonb], ARRAY[NULL::bytea]);
SELECT langgraph.put_checkpoint('pgtap-prune-2', '', 'cp-0003', 'cp-0002', '{"channel_versions": {"ch": "3"}}', '{}');
SELECT langgraph.put_checkpoint('pgtap-prune-2', '', 'cp-0004', 'cp-0003', '{"channel_versions": {"ch": "4"}}', '{}');
SELECT langgraph.put_checkpoint('pgtap-prune-2', '', 'cp-0005', 'cp-0004', '{"channel_versions": {"ch": "5"}}',
    '{"counters_since_delta_snapshot": {"ch": [2, 2]}}');
SELECT langgraph.put_writes('pgtap-prune-2', '', 'cp-0002', 'task-a', ARRAY['ch'], ARRAY['json'], ARRAY['"w2"'::jsonb], ARRAY[NULL::bytea]);
SELECT langgraph.put_writes('pgtap-prune-2', '', 'cp-0003', 'task-a', ARRAY['ch'], ARRAY['json'], ARRAY['"w3"'::jsonb], ARRAY[NULL::bytea]);
SELECT langgraph.put_writes('pgtap-prune-2', '', 'cp-0004', 'task-a', ARRAY['ch'], ARRAY['json'], ARRAY['"w4"'::jsonb], ARRAY[NULL::bytea]);
SELECT langgraph.put_writes('pgtap-prune-2', '', 'cp-0001', 'task-a', ARRAY['ch'], ARRAY['json'], ARRAY['"w1"'::jsonb], ARRAY[NULL::bytea]);

SELECT is(langgraph.prune_checkpoints(ARRAY['pgtap-prune-2']), 1::bigint, 'only the checkpoint before the delta seed is deleted');
SELECT is(ARRAY(SELECT checkpoint_id::text FROM langgraph.checkpoints WHERE thread_id = 'pgtap-prune-2' ORDER BY 1),
          ARRAY['cp-0002', 'cp-0003', 'cp-0004', 'cp-0005'], 'the latest keeps its ancestors back to the one storing ch');
SELECT is(ARRAY(SELECT checkpoint_id::text FROM langgraph.checkpoint_writes WHERE thread_id = 'pgtap-prune-2' ORDER BY 1),
          ARRAY['cp-0002', 'cp-0003', 'cp-0004'], 'and their writes');
SELECT is((SELECT ROW(has_seed, seed_value, write_values)::text FROM langgraph.get_delta_channel_history('pgtap-prune-2', '', NULL, ARRAY['ch'])),
          ROW(true, '["snapshot"]'::jsonb, ARRAY['"w2"'::jsonb, '"w3"', '"w4"'])::text,
          'the delta history of the latest checkpoint is intact after the prune');

-- Behaviour: delete ------------------------------------------------------------------
SELECT is(langgraph.prune_checkpoints(ARRAY['pgtap-prune-1', 'pgtap-prune-unknown'], 'delete'), 2::bigint,
          'delete returns the number of checkpoints deleted');
SELECT is((SELECT (SELECT count(*) FROM langgraph.threads WHERE thread_id = 'pgtap-prune-1')
                + (SELECT count(*) FROM langgraph.checkpoints WHERE thread_id = 'pgtap-prune-1')
                + (SELECT count(*) FROM langgraph.checkpoint_blobs WHERE thread_id = 'pgtap-prune-1')
                + (SELECT count(*) FROM langgraph.checkpoint_writes WHERE thread_id = 'pgtap-prune-1')),
          0::bigint, 'delete removes the whole thread');
SELECT is(langgraph.prune_checkpoints('{}'), 0::bigint, 'an empty list prunes nothing');

-- Errors ---------------------------------------------------------------------
SELECT throws_ok($$SELECT langgraph.prune_checkpoints(ARRAY['pgtap-prune-other'], 'keep_none')$$, 'LG003', NULL, 'LG003: unknown strategy');
SELECT throws_ok($$SELECT langgraph.prune_checkpoints(ARRAY['pgtap-prune-other'], NULL)$$, 'LG003', NULL, 'LG003: NULL strategy');
SELECT throws_ok($$SELECT langgraph.prune_checkpoints(NULL)$$, 'LG003', NULL, 'LG003: NULL array');
SELECT throws_ok($$SELECT langgraph.prune_checkpoints(ARRAY['pgtap-prune-other', ''])$$, 'LG001', NULL, 'LG001: an empty thread id');
SELECT throws_ok($$SELECT langgraph.prune_checkpoints(ARRAY['pgtap-prune-other', NULL])$$, 'LG001', NULL, 'LG001: a NULL thread id');
SELECT throws_ok($$SELECT langgraph.prune_checkpoints(ARRAY[repeat('t', 1025)], 'delete')$$, 'LG001', NULL, 'LG001: a thread id over 1024 characters');
SELECT is((SELECT count(*) FROM langgraph.checkpoints WHERE thread_id = 'pgtap-prune-other'), 2::bigint, 'the rejected calls pruned nothing');

-- Privileges, as a reader login ------------------------------------------------
CREATE ROLE pgtap_prune_ro LOGIN;
GRANT langgraph_reader TO pgtap_prune_ro;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA pg_temp TO pgtap_prune_ro;
GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA pg_temp TO pgtap_prune_ro;
SET ROLE pgtap_prune_ro;
SELECT throws_ok($$SELECT langgraph.prune_checkpoints(ARRAY['pgtap-prune-other'])$$, '42501', NULL, 'a reader login cannot call prune_checkpoints');
RESET ROLE;

SELECT * FROM finish();
ROLLBACK;
