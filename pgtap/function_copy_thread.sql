-- pgTAP tests for the function_copy_thread change: copy a thread's whole history.
BEGIN;
SELECT plan(28);

-- Structure ------------------------------------------------------------------
SELECT has_function('langgraph', 'copy_thread', ARRAY['text', 'text'], 'copy_thread(text, text) exists');
SELECT function_returns('langgraph', 'copy_thread', ARRAY['text', 'text'], 'bigint', 'copy_thread returns bigint');
SELECT function_lang_is('langgraph', 'copy_thread', ARRAY['text', 'text'], 'plpgsql', 'copy_thread is written in plpgsql');
SELECT volatility_is('langgraph', 'copy_thread', ARRAY['text', 'text'], 'volatile', 'copy_thread is VOLATILE');
SELECT is_definer('langgraph', 'copy_thread', ARRAY['text', 'text'], 'copy_thread is SECURITY DEFINER');
SELECT ok((SELECT 'search_path=langgraph, pg_temp' = ANY (proconfig) FROM pg_proc WHERE oid = 'langgraph.copy_thread(text, text)'::regprocedure),
          'copy_thread pins search_path to its schema and pg_temp');
SELECT function_privs_are('langgraph', 'copy_thread', ARRAY['text', 'text'], 'public', ARRAY[]::text[], 'PUBLIC cannot call copy_thread');
SELECT function_privs_are('langgraph', 'copy_thread', ARRAY['text', 'text'], 'langgraph_reader', ARRAY[]::text[], 'the reader role cannot call copy_thread');
SELECT function_privs_are('langgraph', 'copy_thread', ARRAY['text', 'text'], 'langgraph_client', ARRAY['EXECUTE'], 'the client role may call copy_thread');
SELECT ok(has_function_privilege('langgraph_client', 'langgraph.copy_thread(text, text)', 'execute'),
          'has_function_privilege agrees: the client role may call copy_thread');
SELECT ok(obj_description('langgraph.copy_thread(text, text)'::regprocedure, 'pg_proc') ~ 'Raises', 'the comment on copy_thread names what it raises');

-- Behaviour ------------------------------------------------------------------
SELECT langgraph.put_checkpoint('pgtap-copy-thread-src', '', 'cp-0001', NULL, '{"channel_versions": {"a": "1"}}', '{"step": -1}',
    ARRAY['a'], ARRAY['json'], ARRAY['"a1"'::jsonb], ARRAY[NULL::bytea]);
SELECT langgraph.put_checkpoint('pgtap-copy-thread-src', '', 'cp-0002', 'cp-0001', '{"channel_versions": {"a": "1", "b": "1"}}', '{"step": 0}',
    ARRAY['b'], ARRAY['msgpack'], ARRAY[NULL::jsonb], ARRAY['\x0b'::bytea]);
SELECT langgraph.put_checkpoint('pgtap-copy-thread-src', 'child:1', 'cp-0003', NULL, '{"channel_versions": {"c": "1"}}', '{"step": 0}',
    ARRAY['c'], ARRAY['json'], ARRAY['"c1"'::jsonb], ARRAY[NULL::bytea]);
SELECT langgraph.put_writes('pgtap-copy-thread-src', '', 'cp-0002', 'task-a', ARRAY['a', '__interrupt__'], ARRAY['json', 'json'],
    ARRAY['"w"'::jsonb, '"i"'], ARRAY[NULL::bytea, NULL], 'p');
CREATE TEMP TABLE pgtap_copy_src AS
SELECT (SELECT count(*) FROM langgraph.checkpoints WHERE thread_id = 'pgtap-copy-thread-src') AS checkpoints,
       (SELECT count(*) FROM langgraph.checkpoint_blobs WHERE thread_id = 'pgtap-copy-thread-src') AS blobs,
       (SELECT count(*) FROM langgraph.checkpoint_writes WHERE thread_id = 'pgtap-copy-thread-src') AS writes;

SELECT is(langgraph.copy_thread('pgtap-copy-thread-src', 'pgtap-copy-thread-dst'), 3::bigint, 'returns the number of checkpoints copied');
SELECT set_eq($$SELECT checkpoint_ns::text, checkpoint_id::text, parent_checkpoint_id::text, checkpoint, metadata, created_at
                FROM langgraph.checkpoints WHERE thread_id = 'pgtap-copy-thread-dst'$$,
              $$SELECT checkpoint_ns::text, checkpoint_id::text, parent_checkpoint_id::text, checkpoint, metadata, created_at
                FROM langgraph.checkpoints WHERE thread_id = 'pgtap-copy-thread-src'$$,
              'every checkpoint of every namespace is copied with its id, parent, document, metadata and created_at');
SELECT set_eq($$SELECT checkpoint_ns::text, channel::text, version::text, type, value, blob FROM langgraph.checkpoint_blobs WHERE thread_id = 'pgtap-copy-thread-dst'$$,
              $$SELECT checkpoint_ns::text, channel::text, version::text, type, value, blob FROM langgraph.checkpoint_blobs WHERE thread_id = 'pgtap-copy-thread-src'$$,
              'every value is copied');
SELECT set_eq($$SELECT checkpoint_ns::text, checkpoint_id::text, task_id::text, idx, channel::text, type, value, blob, task_path::text
                FROM langgraph.checkpoint_writes WHERE thread_id = 'pgtap-copy-thread-dst'$$,
              $$SELECT checkpoint_ns::text, checkpoint_id::text, task_id::text, idx, channel::text, type, value, blob, task_path::text
                FROM langgraph.checkpoint_writes WHERE thread_id = 'pgtap-copy-thread-src'$$,
              'every pending write is copied');
SELECT is((SELECT ROW(checkpoint_id, channel_values, channel_blobs, write_task_ids)::text FROM langgraph.get_checkpoint('pgtap-copy-thread-dst')),
          ROW('cp-0002', ARRAY['"a1"'::jsonb, NULL], ARRAY[NULL, '\x0b'::bytea], ARRAY['task-a', 'task-a'])::text,
          'the copy reads like the source through get_checkpoint');
SELECT is((SELECT ROW(checkpoints, blobs, writes)::text FROM pgtap_copy_src),
          ROW((SELECT count(*) FROM langgraph.checkpoints WHERE thread_id = 'pgtap-copy-thread-src'),
              (SELECT count(*) FROM langgraph.checkpoint_blobs WHERE thread_id = 'pgtap-copy-thread-src'),
              (SELECT count(*) FROM langgraph.checkpoint_writes WHERE thread_id = 'pgtap-copy-thread-src'))::text,
          'the source is unchanged');
SELECT is(langgraph.copy_thread('pgtap-copy-thread-src', 'pgtap-copy-thread-dst'), 0::bigint, 'copying again copies nothing new');
SELECT is((SELECT count(*) FROM langgraph.checkpoints WHERE thread_id = 'pgtap-copy-thread-dst'), 3::bigint, 'and duplicates nothing');
SELECT is(langgraph.copy_thread('pgtap-copy-thread-unknown', 'pgtap-copy-thread-dst-2'), 0::bigint, 'an unknown source copies nothing');
SELECT is((SELECT count(*) FROM langgraph.threads WHERE thread_id = 'pgtap-copy-thread-dst-2'), 0::bigint,
          'and does not create the target thread');

-- Errors ---------------------------------------------------------------------
SELECT throws_ok($$SELECT langgraph.copy_thread('pgtap-copy-thread-src', 'pgtap-copy-thread-src')$$, 'LG003', NULL,
                 'LG003: source and target are the same');
SELECT throws_ok($$SELECT langgraph.copy_thread(NULL, 'pgtap-copy-thread-dst-3')$$, 'LG001', NULL, 'LG001: NULL source');
SELECT throws_ok($$SELECT langgraph.copy_thread('', 'pgtap-copy-thread-dst-3')$$, 'LG001', NULL, 'LG001: empty source');
SELECT throws_ok($$SELECT langgraph.copy_thread('pgtap-copy-thread-src', '')$$, 'LG001', NULL, 'LG001: empty target');
SELECT throws_ok($$SELECT langgraph.copy_thread('pgtap-copy-thread-src', repeat('t', 1025))$$, 'LG001', NULL, 'LG001: target over 1024 characters');
SELECT is((SELECT count(*) FROM langgraph.threads WHERE thread_id = 'pgtap-copy-thread-dst-3'), 0::bigint, 'the rejected calls created nothing');

-- Privileges, as a reader login ------------------------------------------------
CREATE ROLE pgtap_copy_thread_ro LOGIN;
GRANT langgraph_reader TO pgtap_copy_thread_ro;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA pg_temp TO pgtap_copy_thread_ro;
GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA pg_temp TO pgtap_copy_thread_ro;
SET ROLE pgtap_copy_thread_ro;
SELECT throws_ok($$SELECT langgraph.copy_thread('pgtap-copy-thread-src', 'pgtap-copy-thread-dst-4')$$, '42501', NULL, 'a reader login cannot call copy_thread');
RESET ROLE;

SELECT * FROM finish();
ROLLBACK;
