-- pgTAP tests for the function_delete_thread change: delete a thread and everything in it.
BEGIN;
SELECT plan(28);

-- Structure ------------------------------------------------------------------
SELECT has_function('langgraph', 'delete_thread', ARRAY['text'], 'delete_thread(text) exists');
SELECT function_returns('langgraph', 'delete_thread', ARRAY['text'], 'bigint', 'delete_thread returns bigint');
SELECT function_lang_is('langgraph', 'delete_thread', ARRAY['text'], 'plpgsql', 'delete_thread is written in plpgsql');
SELECT volatility_is('langgraph', 'delete_thread', ARRAY['text'], 'volatile', 'delete_thread is VOLATILE');
SELECT is_definer('langgraph', 'delete_thread', ARRAY['text'], 'delete_thread is SECURITY DEFINER');
SELECT ok((SELECT 'search_path=langgraph, pg_temp' = ANY (proconfig) FROM pg_proc WHERE oid = 'langgraph.delete_thread(text)'::regprocedure),
          'delete_thread pins search_path to its schema and pg_temp');
SELECT function_privs_are('langgraph', 'delete_thread', ARRAY['text'], 'public', ARRAY[]::text[], 'PUBLIC cannot call delete_thread');
SELECT function_privs_are('langgraph', 'delete_thread', ARRAY['text'], 'langgraph_reader', ARRAY[]::text[], 'the reader role cannot call delete_thread');
SELECT function_privs_are('langgraph', 'delete_thread', ARRAY['text'], 'langgraph_client', ARRAY['EXECUTE'], 'the client role may call delete_thread');
SELECT ok(has_function_privilege('langgraph_client', 'langgraph.delete_thread(text)', 'execute'),
          'has_function_privilege agrees: the client role may call delete_thread');
SELECT ok(obj_description('langgraph.delete_thread(text)'::regprocedure, 'pg_proc') ~ 'Raises', 'the comment on delete_thread names what it raises');

-- Behaviour ------------------------------------------------------------------
SELECT langgraph.put_checkpoint('pgtap-delete-thread-1', '', 'cp-0001', NULL, '{"channel_versions": {"a": "1"}}', '{}',
    ARRAY['a'], ARRAY['json'], ARRAY['1'::jsonb], ARRAY[NULL::bytea]);
SELECT langgraph.put_checkpoint('pgtap-delete-thread-1', '', 'cp-0002', 'cp-0001', '{"channel_versions": {"a": "2"}}', '{}',
    ARRAY['a'], ARRAY['msgpack'], ARRAY[NULL::jsonb], ARRAY['\x02'::bytea]);
SELECT langgraph.put_checkpoint('pgtap-delete-thread-1', 'child:1', 'cp-0003', NULL, '{"channel_versions": {"b": "1"}}', '{}',
    ARRAY['b'], ARRAY['json'], ARRAY['1'::jsonb], ARRAY[NULL::bytea]);
SELECT langgraph.put_writes('pgtap-delete-thread-1', '', 'cp-0002', 'task-a', ARRAY['a'], ARRAY['json'], ARRAY['3'::jsonb], ARRAY[NULL::bytea]);
SELECT langgraph.put_writes('pgtap-delete-thread-1', 'child:1', 'cp-0003', 'task-a', ARRAY['b'], ARRAY['json'], ARRAY['2'::jsonb], ARRAY[NULL::bytea]);
SELECT langgraph.put_checkpoint('pgtap-delete-thread-2', '', 'cp-0001', NULL, '{"channel_versions": {"a": "1"}}', '{}',
    ARRAY['a'], ARRAY['json'], ARRAY['1'::jsonb], ARRAY[NULL::bytea]);
SELECT langgraph.put_writes('pgtap-delete-thread-2', '', 'cp-0001', 'task-a', ARRAY['a'], ARRAY['json'], ARRAY['3'::jsonb], ARRAY[NULL::bytea]);

SELECT is(langgraph.delete_thread('pgtap-delete-thread-1'), 3::bigint, 'delete_thread returns the number of checkpoints deleted');
SELECT is((SELECT count(*) FROM langgraph.checkpoints WHERE thread_id = 'pgtap-delete-thread-1'), 0::bigint,
          'every checkpoint of the thread, in every namespace, is gone');
SELECT is((SELECT count(*) FROM langgraph.checkpoint_blobs WHERE thread_id = 'pgtap-delete-thread-1'), 0::bigint,
          'every value of the thread is gone');
SELECT is((SELECT count(*) FROM langgraph.checkpoint_writes WHERE thread_id = 'pgtap-delete-thread-1'), 0::bigint,
          'every pending write of the thread is gone');
SELECT is((SELECT count(*) FROM langgraph.threads WHERE thread_id = 'pgtap-delete-thread-1'), 0::bigint, 'the thread row is gone');
SELECT is((SELECT ROW((SELECT count(*) FROM langgraph.checkpoints WHERE thread_id = 'pgtap-delete-thread-2'),
                      (SELECT count(*) FROM langgraph.checkpoint_blobs WHERE thread_id = 'pgtap-delete-thread-2'),
                      (SELECT count(*) FROM langgraph.checkpoint_writes WHERE thread_id = 'pgtap-delete-thread-2'),
                      (SELECT count(*) FROM langgraph.threads WHERE thread_id = 'pgtap-delete-thread-2'))::text),
          ROW(1, 1, 1, 1)::text, 'another thread keeps all its rows');
SELECT is((SELECT count(*) FROM langgraph.deleted_threads WHERE thread_id = 'pgtap-delete-thread-1'), 1::bigint,
          'the deletion leaves a tombstone');
SELECT is(langgraph.delete_thread('pgtap-delete-thread-1'), 0::bigint, 'deleting it again deletes nothing');
SELECT is(langgraph.delete_thread('pgtap-delete-thread-unknown'), 0::bigint, 'an unknown thread: 0');
-- A thread that has writes but no checkpoint yet (async durability).
SELECT langgraph.put_writes('pgtap-delete-thread-3', '', 'cp-0001', 'task-a', ARRAY['a'], ARRAY['json'], ARRAY['1'::jsonb], ARRAY[NULL::bytea]);
SELECT is(langgraph.delete_thread('pgtap-delete-thread-3'), 0::bigint, 'a thread with writes only: 0 checkpoints deleted');
SELECT is((SELECT count(*) FROM langgraph.checkpoint_writes WHERE thread_id = 'pgtap-delete-thread-3'), 0::bigint,
          'but its writes are gone');
SELECT lives_ok($$SELECT langgraph.put_checkpoint('pgtap-delete-thread-1', '', 'cp-0001', NULL, '{}')$$,
                'a deleted thread can start again with a root checkpoint');

-- Errors ---------------------------------------------------------------------
SELECT throws_ok($$SELECT langgraph.delete_thread(NULL)$$, 'LG001', NULL, 'LG001: NULL thread_id');
SELECT throws_ok($$SELECT langgraph.delete_thread('')$$, 'LG001', NULL, 'LG001: empty thread_id');
SELECT throws_ok($$SELECT langgraph.delete_thread(repeat('t', 1025))$$, 'LG001', NULL, 'LG001: thread_id over 1024 characters');
SELECT is((SELECT count(*) FROM langgraph.checkpoints WHERE thread_id = 'pgtap-delete-thread-2'), 1::bigint,
          'the rejected calls deleted nothing');

-- Privileges, as a reader login ------------------------------------------------
CREATE ROLE pgtap_delete_thread_ro LOGIN;
GRANT langgraph_reader TO pgtap_delete_thread_ro;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA pg_temp TO pgtap_delete_thread_ro;
GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA pg_temp TO pgtap_delete_thread_ro;
SET ROLE pgtap_delete_thread_ro;
SELECT throws_ok($$SELECT langgraph.delete_thread('pgtap-delete-thread-2')$$, '42501', NULL, 'a reader login cannot call delete_thread');
RESET ROLE;

SELECT * FROM finish();
ROLLBACK;
