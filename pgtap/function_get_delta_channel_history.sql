-- pgTAP tests for the function_get_delta_channel_history change: DeltaChannel history in one round trip.
BEGIN;
SELECT plan(29);

-- Structure ------------------------------------------------------------------
SELECT has_function('langgraph', 'get_delta_channel_history', ARRAY['text', 'text', 'text', 'text[]'], 'get_delta_channel_history(text, text, text, text[]) exists');
SELECT function_returns('langgraph', 'get_delta_channel_history', ARRAY['text', 'text', 'text', 'text[]'], 'setof record', 'get_delta_channel_history returns setof record');
SELECT function_lang_is('langgraph', 'get_delta_channel_history', ARRAY['text', 'text', 'text', 'text[]'], 'plpgsql', 'get_delta_channel_history is written in plpgsql');
SELECT volatility_is('langgraph', 'get_delta_channel_history', ARRAY['text', 'text', 'text', 'text[]'], 'stable', 'get_delta_channel_history is STABLE');
SELECT is_definer('langgraph', 'get_delta_channel_history', ARRAY['text', 'text', 'text', 'text[]'], 'get_delta_channel_history is SECURITY DEFINER');
SELECT ok((SELECT 'search_path=langgraph, pg_temp' = ANY (proconfig) FROM pg_proc WHERE oid = 'langgraph.get_delta_channel_history(text, text, text, text[])'::regprocedure),
          'get_delta_channel_history pins search_path to its schema and pg_temp');
SELECT function_privs_are('langgraph', 'get_delta_channel_history', ARRAY['text', 'text', 'text', 'text[]'], 'public', ARRAY[]::text[], 'PUBLIC cannot call get_delta_channel_history');
SELECT function_privs_are('langgraph', 'get_delta_channel_history', ARRAY['text', 'text', 'text', 'text[]'], 'langgraph_reader', ARRAY['EXECUTE'], 'the reader role may call get_delta_channel_history');
SELECT function_privs_are('langgraph', 'get_delta_channel_history', ARRAY['text', 'text', 'text', 'text[]'], 'langgraph_client', ARRAY['EXECUTE'], 'the client role may call get_delta_channel_history');
SELECT ok(has_function_privilege('langgraph_client', 'langgraph.get_delta_channel_history(text, text, text, text[])', 'execute'),
          'has_function_privilege agrees: the client role may call get_delta_channel_history');
SELECT ok(obj_description('langgraph.get_delta_channel_history(text, text, text, text[])'::regprocedure, 'pg_proc') ~ 'Raises', 'the comment on get_delta_channel_history names what it raises');

-- Behaviour ------------------------------------------------------------------
-- cp-0001 (root) stores m; cp-0002 and cp-0003 do not (DeltaChannel: value rebuilt from
-- the seed plus writes). Writes at each checkpoint produced the next one.
SELECT langgraph.put_checkpoint('pgtap-delta-history-1', '', 'cp-0001', NULL, '{"channel_versions": {"m": "1", "o": "1"}}', '{}',
    ARRAY['m', 'o'], ARRAY['json', 'empty'], ARRAY['["seed"]'::jsonb, NULL], ARRAY[NULL::bytea, NULL]);
SELECT langgraph.put_checkpoint('pgtap-delta-history-1', '', 'cp-0002', 'cp-0001', '{"channel_versions": {"m": "2", "o": "1"}}', '{}');
SELECT langgraph.put_checkpoint('pgtap-delta-history-1', '', 'cp-0003', 'cp-0002', '{"channel_versions": {"m": "3", "o": "1"}}', '{}');
SELECT langgraph.put_writes('pgtap-delta-history-1', '', 'cp-0001', 'task-1', ARRAY['m', 'other'], ARRAY['json', 'json'],
    ARRAY['"w1"'::jsonb, '"x"'], ARRAY[NULL::bytea, NULL]);
SELECT langgraph.put_writes('pgtap-delta-history-1', '', 'cp-0002', 'task-b', ARRAY['m'], ARRAY['json'], ARRAY['"w2b"'::jsonb], ARRAY[NULL::bytea], 'p');
SELECT langgraph.put_writes('pgtap-delta-history-1', '', 'cp-0002', 'task-a', ARRAY['m', 'm'], ARRAY['json', 'msgpack'],
    ARRAY['"w2a0"'::jsonb, NULL], ARRAY[NULL, '\x0201'::bytea], 'p');
SELECT langgraph.put_writes('pgtap-delta-history-1', '', 'cp-0003', 'task-1', ARRAY['m'], ARRAY['json'], ARRAY['"own"'::jsonb], ARRAY[NULL::bytea]);

SELECT is((SELECT ROW(channel, has_seed, seed_type, seed_value, seed_blob)::text
           FROM langgraph.get_delta_channel_history('pgtap-delta-history-1', '', 'cp-0003', ARRAY['m'])),
          ROW('m', true, 'json', '["seed"]'::jsonb, NULL::bytea)::text, 'the seed is the value at the nearest ancestor that stores one');
SELECT is((SELECT ROW(write_task_ids, write_types, write_values, write_blobs)::text
           FROM langgraph.get_delta_channel_history('pgtap-delta-history-1', '', 'cp-0003', ARRAY['m'])),
          ROW(ARRAY['task-1', 'task-a', 'task-a', 'task-b'], ARRAY['json', 'json', 'msgpack', 'json'],
              ARRAY['"w1"'::jsonb, '"w2a0"', NULL, '"w2b"'], ARRAY[NULL, NULL, '\x0201'::bytea, NULL])::text,
          'writes oldest checkpoint first, (task_path, task_id, idx) within one; the target''s own writes and other channels excluded');
SELECT is((SELECT write_task_ids FROM langgraph.get_delta_channel_history('pgtap-delta-history-1', '', NULL, ARRAY['m'])),
          ARRAY['task-1', 'task-a', 'task-a', 'task-b'], 'a NULL id means the latest checkpoint');
SELECT is((SELECT ROW(has_seed, seed_value, write_values)::text FROM langgraph.get_delta_channel_history('pgtap-delta-history-1', '', 'cp-0002', ARRAY['m'])),
          ROW(true, '["seed"]'::jsonb, ARRAY['"w1"'::jsonb])::text, 'at cp-0002: the parent is the seed and its writes count');
SELECT is((SELECT ROW(has_seed, seed_type, seed_value, write_task_ids)::text FROM langgraph.get_delta_channel_history('pgtap-delta-history-1', '', 'cp-0001', ARRAY['m'])),
          ROW(false, NULL::text, NULL::jsonb, '{}'::text[])::text, 'at the root: has_seed false and no writes');
SELECT is((SELECT ROW(has_seed, write_values)::text FROM langgraph.get_delta_channel_history('pgtap-delta-history-1', '', 'cp-0003', ARRAY['o'])),
          ROW(false, '{}'::jsonb[])::text, 'an empty marker is not a seed: the walk reaches the root with has_seed false');
SELECT is((SELECT ROW(has_seed, write_values)::text FROM langgraph.get_delta_channel_history('pgtap-delta-history-1', '', 'cp-0003', ARRAY['other'])),
          ROW(false, ARRAY['"x"'::jsonb])::text, 'a channel never stored: every write along the chain, no seed');
SELECT is(ARRAY(SELECT channel FROM langgraph.get_delta_channel_history('pgtap-delta-history-1', '', 'cp-0003', ARRAY['other', 'm', 'zz'])),
          ARRAY['other', 'm', 'zz'], 'one row per requested channel, in the order given');
SELECT is_empty($$SELECT * FROM langgraph.get_delta_channel_history('pgtap-delta-history-1', '', 'cp-0003', '{}')$$, 'no channels: no rows');
SELECT is((SELECT has_seed FROM langgraph.get_delta_channel_history('pgtap-delta-history-unknown', '', NULL, ARRAY['m'])), false,
          'an unknown thread: a row without seed');
-- A serializer seed two steps up.
SELECT langgraph.put_checkpoint('pgtap-delta-history-2', '', 'cp-0001', NULL, '{"channel_versions": {"m": "1"}}', '{}',
    ARRAY['m'], ARRAY['msgpack'], ARRAY[NULL::jsonb], ARRAY['\x90'::bytea]);
SELECT langgraph.put_checkpoint('pgtap-delta-history-2', '', 'cp-0002', 'cp-0001', '{"channel_versions": {"m": "2"}}', '{}');
SELECT langgraph.put_checkpoint('pgtap-delta-history-2', '', 'cp-0003', 'cp-0002', '{"channel_versions": {"m": "3"}}', '{}');
SELECT is((SELECT ROW(has_seed, seed_type, seed_value, seed_blob)::text FROM langgraph.get_delta_channel_history('pgtap-delta-history-2', '', 'cp-0003', ARRAY['m'])),
          ROW(true, 'msgpack', NULL::jsonb, '\x90'::bytea)::text, 'a serializer seed comes back as bytes');

-- Errors ---------------------------------------------------------------------
SELECT throws_ok($$SELECT * FROM langgraph.get_delta_channel_history('pgtap-delta-history-1', '', NULL, NULL)$$, 'LG003', NULL,
                 'LG003: NULL channels');
SELECT throws_ok($$SELECT * FROM langgraph.get_delta_channel_history('pgtap-delta-history-1', '', NULL, ARRAY['m', NULL])$$, 'LG003', NULL,
                 'LG003: a NULL channel name');
SELECT throws_ok($$SELECT * FROM langgraph.get_delta_channel_history(NULL, '', NULL, ARRAY['m'])$$, 'LG001', NULL, 'LG001: NULL thread_id');
SELECT throws_ok($$SELECT * FROM langgraph.get_delta_channel_history('', '', NULL, ARRAY['m'])$$, 'LG001', NULL, 'LG001: empty thread_id');
SELECT throws_ok($$SELECT * FROM langgraph.get_delta_channel_history('pgtap-delta-history-1', NULL, NULL, ARRAY['m'])$$, 'LG001', NULL,
                 'LG001: NULL namespace');
SELECT throws_ok($$SELECT * FROM langgraph.get_delta_channel_history('pgtap-delta-history-1', '', '', ARRAY['m'])$$, 'LG001', NULL,
                 'LG001: empty checkpoint_id');

-- Privileges, as a reader login ------------------------------------------------
CREATE ROLE pgtap_delta_history_ro LOGIN;
GRANT langgraph_reader TO pgtap_delta_history_ro;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA pg_temp TO pgtap_delta_history_ro;
GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA pg_temp TO pgtap_delta_history_ro;
SET ROLE pgtap_delta_history_ro;
SELECT is((SELECT has_seed FROM langgraph.get_delta_channel_history('pgtap-delta-history-1', '', 'cp-0003', ARRAY['m'])), true,
          'a reader login can call get_delta_channel_history');
RESET ROLE;

SELECT * FROM finish();
ROLLBACK;
