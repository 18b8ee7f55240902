-- pgTAP tests for the table_threads change: one row per thread, the parent of every
-- other table through ON DELETE CASCADE.
BEGIN;
SELECT plan(21);

-- Structure ------------------------------------------------------------------
SELECT has_table('langgraph', 'threads', 'table threads exists');
SELECT columns_are('langgraph', 'threads', ARRAY['thread_id', 'created_at', 'updated_at', 'removed_through'], 'threads has exactly its columns');
SELECT col_type_is('langgraph', 'threads', 'thread_id', 'text', 'threads.thread_id is text');
SELECT col_type_is('langgraph', 'threads', 'created_at', 'timestamp with time zone', 'threads.created_at is timestamptz');
SELECT col_type_is('langgraph', 'threads', 'updated_at', 'timestamp with time zone', 'threads.updated_at is timestamptz');
SELECT col_not_null('langgraph', 'threads', 'thread_id', 'threads.thread_id is NOT NULL');
SELECT col_not_null('langgraph', 'threads', 'created_at', 'threads.created_at is NOT NULL');
SELECT col_not_null('langgraph', 'threads', 'updated_at', 'threads.updated_at is NOT NULL');
SELECT col_is_pk('langgraph', 'threads', 'thread_id', 'thread_id is the primary key');
SELECT col_default_is('langgraph', 'threads', 'created_at', 'now()', 'created_at defaults to now()');
SELECT col_default_is('langgraph', 'threads', 'updated_at', 'now()', 'updated_at defaults to now()');
SELECT is((SELECT collname::text FROM pg_attribute a JOIN pg_collation c ON c.oid = a.attcollation
           WHERE a.attrelid = 'langgraph.threads'::regclass AND a.attname = 'thread_id'), 'C',
          'thread_id compares byte-wise (COLLATE "C")');
SELECT hasnt_index('langgraph', 'threads', 'threads_updated_at_idx', 'updated_at is deliberately not indexed');
SELECT table_privs_are('langgraph', 'threads', 'public', ARRAY[]::text[], 'PUBLIC has no privileges on threads');
SELECT table_privs_are('langgraph', 'threads', 'langgraph_client', ARRAY[]::text[], 'the client role has no privileges on threads');
SELECT table_privs_are('langgraph', 'threads', 'langgraph_reader', ARRAY[]::text[], 'the reader role has no privileges on threads');

-- Behaviour ------------------------------------------------------------------
INSERT INTO langgraph.threads (thread_id) VALUES ('pgtap-table-threads-1'), ('pgtap-table-threads-2');
SELECT is((SELECT created_at = now() AND updated_at = now() FROM langgraph.threads WHERE thread_id = 'pgtap-table-threads-1'),
          true, 'created_at and updated_at default to the transaction time');
SELECT throws_ok($$INSERT INTO langgraph.threads (thread_id) VALUES ('pgtap-table-threads-1')$$, '23505', NULL,
                 'a thread id is stored once');
SELECT throws_ok($$INSERT INTO langgraph.threads (thread_id) VALUES (NULL)$$, '23502', NULL,
                 'a NULL thread id is rejected');

-- Deleting the thread row deletes everything that belongs to the thread.
INSERT INTO langgraph.checkpoints (thread_id, checkpoint_id, checkpoint)
VALUES ('pgtap-table-threads-1', 'cp-0001', '{"channel_versions": {"a": "1"}}'),
       ('pgtap-table-threads-2', 'cp-0001', '{"channel_versions": {"a": "1"}}');
INSERT INTO langgraph.checkpoint_blobs (thread_id, channel, version, type, value)
VALUES ('pgtap-table-threads-1', 'a', '1', 'json', '1'), ('pgtap-table-threads-2', 'a', '1', 'json', '1');
INSERT INTO langgraph.checkpoint_writes (thread_id, checkpoint_id, task_id, idx, channel, type, value)
VALUES ('pgtap-table-threads-1', 'cp-0001', 't', 0, 'a', 'json', '2'), ('pgtap-table-threads-2', 'cp-0001', 't', 0, 'a', 'json', '2');
DELETE FROM langgraph.threads WHERE thread_id = 'pgtap-table-threads-1';
SELECT is((SELECT (SELECT count(*) FROM langgraph.checkpoints WHERE thread_id = 'pgtap-table-threads-1')
                + (SELECT count(*) FROM langgraph.checkpoint_blobs WHERE thread_id = 'pgtap-table-threads-1')
                + (SELECT count(*) FROM langgraph.checkpoint_writes WHERE thread_id = 'pgtap-table-threads-1')),
          0::bigint, 'deleting a thread row cascades to its checkpoints, values and writes');
SELECT is((SELECT (SELECT count(*) FROM langgraph.checkpoints WHERE thread_id = 'pgtap-table-threads-2')
                + (SELECT count(*) FROM langgraph.checkpoint_blobs WHERE thread_id = 'pgtap-table-threads-2')
                + (SELECT count(*) FROM langgraph.checkpoint_writes WHERE thread_id = 'pgtap-table-threads-2')),
          3::bigint, 'the other thread keeps its rows');

SELECT * FROM finish();
ROLLBACK;
