-- pgTAP tests for the table_checkpoint_writes change: pending writes per task.
BEGIN;
SELECT plan(40);

-- Structure ------------------------------------------------------------------
SELECT has_table('langgraph', 'checkpoint_writes', 'table checkpoint_writes exists');
SELECT columns_are('langgraph', 'checkpoint_writes',
    ARRAY['thread_id', 'checkpoint_ns', 'checkpoint_id', 'task_id', 'idx', 'channel', 'type', 'value', 'blob', 'task_path', 'created_at'],
    'checkpoint_writes has exactly its columns');
SELECT col_type_is('langgraph', 'checkpoint_writes', 'thread_id', 'text', 'thread_id is text');
SELECT col_type_is('langgraph', 'checkpoint_writes', 'checkpoint_ns', 'text', 'checkpoint_ns is text');
SELECT col_type_is('langgraph', 'checkpoint_writes', 'checkpoint_id', 'text', 'checkpoint_id is text');
SELECT col_type_is('langgraph', 'checkpoint_writes', 'task_id', 'text', 'task_id is text');
SELECT col_type_is('langgraph', 'checkpoint_writes', 'idx', 'integer', 'idx is integer');
SELECT col_type_is('langgraph', 'checkpoint_writes', 'channel', 'text', 'channel is text');
SELECT col_type_is('langgraph', 'checkpoint_writes', 'type', 'text', 'type is text');
SELECT col_type_is('langgraph', 'checkpoint_writes', 'value', 'jsonb', 'value is jsonb');
SELECT col_type_is('langgraph', 'checkpoint_writes', 'blob', 'bytea', 'blob is bytea');
SELECT col_type_is('langgraph', 'checkpoint_writes', 'task_path', 'text', 'task_path is text');
SELECT col_type_is('langgraph', 'checkpoint_writes', 'created_at', 'timestamp with time zone', 'created_at is timestamptz');
SELECT col_not_null('langgraph', 'checkpoint_writes', 'thread_id', 'thread_id is NOT NULL');
SELECT col_not_null('langgraph', 'checkpoint_writes', 'checkpoint_ns', 'checkpoint_ns is NOT NULL');
SELECT col_not_null('langgraph', 'checkpoint_writes', 'checkpoint_id', 'checkpoint_id is NOT NULL');
SELECT col_not_null('langgraph', 'checkpoint_writes', 'task_id', 'task_id is NOT NULL');
SELECT col_not_null('langgraph', 'checkpoint_writes', 'idx', 'idx is NOT NULL');
SELECT col_not_null('langgraph', 'checkpoint_writes', 'channel', 'channel is NOT NULL');
SELECT col_not_null('langgraph', 'checkpoint_writes', 'type', 'type is NOT NULL');
SELECT col_not_null('langgraph', 'checkpoint_writes', 'task_path', 'task_path is NOT NULL');
SELECT col_not_null('langgraph', 'checkpoint_writes', 'created_at', 'created_at is NOT NULL');
SELECT col_default_is('langgraph', 'checkpoint_writes', 'task_path', '', 'task_path defaults to the empty path');
SELECT col_default_is('langgraph', 'checkpoint_writes', 'created_at', 'now()', 'created_at defaults to now()');
SELECT col_is_pk('langgraph', 'checkpoint_writes', ARRAY['thread_id', 'checkpoint_ns', 'checkpoint_id', 'task_id', 'idx'],
                 'the primary key is (thread_id, checkpoint_ns, checkpoint_id, task_id, idx)');
SELECT fk_ok('langgraph', 'checkpoint_writes', 'thread_id', 'langgraph', 'threads', 'thread_id', 'checkpoint_writes.thread_id references threads');
SELECT is((SELECT count(*) FROM pg_constraint WHERE conrelid = 'langgraph.checkpoint_writes'::regclass AND contype = 'f'),
          1::bigint, 'the only foreign key is to threads: writes may arrive before their checkpoint');
SELECT is((SELECT confdeltype::text FROM pg_constraint WHERE conname = 'checkpoint_writes_thread_fkey'
           AND conrelid = 'langgraph.checkpoint_writes'::regclass), 'c', 'the thread foreign key cascades on delete');
SELECT has_check('langgraph', 'checkpoint_writes', 'checkpoint_writes has a check constraint on its payload');
SELECT table_privs_are('langgraph', 'checkpoint_writes', 'public', ARRAY[]::text[], 'PUBLIC has no privileges on checkpoint_writes');
SELECT table_privs_are('langgraph', 'checkpoint_writes', 'langgraph_client', ARRAY[]::text[], 'the client role has no privileges on checkpoint_writes');
SELECT table_privs_are('langgraph', 'checkpoint_writes', 'langgraph_reader', ARRAY[]::text[], 'the reader role has no privileges on checkpoint_writes');

-- Behaviour ------------------------------------------------------------------
INSERT INTO langgraph.threads (thread_id) VALUES ('pgtap-table-writes-1');
SELECT lives_ok($$INSERT INTO langgraph.checkpoint_writes (thread_id, checkpoint_id, task_id, idx, channel, type, value)
                  VALUES ('pgtap-table-writes-1', 'cp-without-row', 't1', 0, 'a', 'json', '1')$$,
                'a write is accepted for a checkpoint that does not exist (yet)');
SELECT is((SELECT ROW(checkpoint_ns, task_path, created_at = now())::text FROM langgraph.checkpoint_writes
           WHERE thread_id = 'pgtap-table-writes-1' AND task_id = 't1'),
          ROW('', '', true)::text, 'defaults: root namespace, empty task path, created now');
SELECT lives_ok($$INSERT INTO langgraph.checkpoint_writes (thread_id, checkpoint_id, task_id, idx, channel, type, blob)
                  VALUES ('pgtap-table-writes-1', 'cp-without-row', 't1', -1, '__error__', 'msgpack', '\x01')$$,
                'a special write with a negative idx and bytes is accepted');
SELECT throws_ok($$INSERT INTO langgraph.checkpoint_writes (thread_id, checkpoint_id, task_id, idx, channel, type)
                   VALUES ('pgtap-table-writes-1', 'cp-without-row', 't1', 1, 'a', 'json')$$, '23514', NULL,
                 'type json without a value is rejected');
SELECT throws_ok($$INSERT INTO langgraph.checkpoint_writes (thread_id, checkpoint_id, task_id, idx, channel, type, value)
                   VALUES ('pgtap-table-writes-1', 'cp-without-row', 't1', 1, 'a', 'msgpack', '1')$$, '23514', NULL,
                 'a serializer type without bytes is rejected');
SELECT throws_ok($$INSERT INTO langgraph.checkpoint_writes (thread_id, checkpoint_id, task_id, idx, channel, type, value)
                   VALUES ('pgtap-table-writes-1', 'cp-without-row', 't1', 0, 'b', 'json', '1')$$, '23505', NULL,
                 'a (task_id, idx) slot is stored once per checkpoint');
SELECT throws_ok($$INSERT INTO langgraph.checkpoint_writes (thread_id, checkpoint_id, task_id, idx, channel, type, value)
                   VALUES ('pgtap-table-writes-no-thread', 'cp', 't1', 0, 'b', 'json', '1')$$, '23503', NULL,
                 'a write needs its thread row');
SELECT is((SELECT count(*) FROM langgraph.checkpoint_writes WHERE thread_id = 'pgtap-table-writes-1'), 2::bigint,
          'only the two well-formed rows were stored');

SELECT * FROM finish();
ROLLBACK;
