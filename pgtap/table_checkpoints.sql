-- pgTAP tests for the table_checkpoints change: checkpoints with lineage and metadata.
BEGIN;
SELECT plan(38);

-- Structure ------------------------------------------------------------------
SELECT has_table('langgraph', 'checkpoints', 'table checkpoints exists');
SELECT columns_are('langgraph', 'checkpoints',
    ARRAY['thread_id', 'checkpoint_ns', 'checkpoint_id', 'parent_checkpoint_id', 'checkpoint', 'metadata', 'created_at'],
    'checkpoints has exactly its columns');
SELECT col_type_is('langgraph', 'checkpoints', 'thread_id', 'text', 'checkpoints.thread_id is text');
SELECT col_type_is('langgraph', 'checkpoints', 'checkpoint_ns', 'text', 'checkpoints.checkpoint_ns is text');
SELECT col_type_is('langgraph', 'checkpoints', 'checkpoint_id', 'text', 'checkpoints.checkpoint_id is text');
SELECT col_type_is('langgraph', 'checkpoints', 'parent_checkpoint_id', 'text', 'checkpoints.parent_checkpoint_id is text');
SELECT col_type_is('langgraph', 'checkpoints', 'checkpoint', 'jsonb', 'checkpoints.checkpoint is jsonb');
SELECT col_type_is('langgraph', 'checkpoints', 'metadata', 'jsonb', 'checkpoints.metadata is jsonb');
SELECT col_type_is('langgraph', 'checkpoints', 'created_at', 'timestamp with time zone', 'checkpoints.created_at is timestamptz');
SELECT col_not_null('langgraph', 'checkpoints', 'thread_id', 'thread_id is NOT NULL');
SELECT col_not_null('langgraph', 'checkpoints', 'checkpoint_ns', 'checkpoint_ns is NOT NULL');
SELECT col_not_null('langgraph', 'checkpoints', 'checkpoint_id', 'checkpoint_id is NOT NULL');
SELECT col_is_null('langgraph', 'checkpoints', 'parent_checkpoint_id', 'parent_checkpoint_id is nullable (roots)');
SELECT col_not_null('langgraph', 'checkpoints', 'checkpoint', 'checkpoint is NOT NULL');
SELECT col_not_null('langgraph', 'checkpoints', 'metadata', 'metadata is NOT NULL');
SELECT col_not_null('langgraph', 'checkpoints', 'created_at', 'created_at is NOT NULL');
SELECT col_default_is('langgraph', 'checkpoints', 'checkpoint_ns', '', 'checkpoint_ns defaults to the root namespace');
SELECT col_default_is('langgraph', 'checkpoints', 'metadata', '{}', 'metadata defaults to an empty object');
SELECT col_is_pk('langgraph', 'checkpoints', ARRAY['thread_id', 'checkpoint_ns', 'checkpoint_id'],
                 'the primary key is (thread_id, checkpoint_ns, checkpoint_id)');
-- checkpoints_parent_idx, created here, is replaced by index_checkpoints_children.
SELECT has_index('langgraph', 'checkpoints', 'checkpoints_children_idx', ARRAY['thread_id', 'checkpoint_ns', 'parent_checkpoint_id'],
                 'children are found through checkpoints_children_idx (index_checkpoints_children)');
SELECT has_index('langgraph', 'checkpoints', 'checkpoints_created_at_brin', ARRAY['created_at'], 'created_at has an index');
SELECT index_is_type('langgraph', 'checkpoints', 'checkpoints_created_at_brin', 'brin', 'the created_at index is BRIN');
SELECT has_index('langgraph', 'checkpoints', 'checkpoints_metadata_gin', ARRAY['metadata'], 'metadata has an index');
SELECT index_is_type('langgraph', 'checkpoints', 'checkpoints_metadata_gin', 'gin', 'the metadata index is GIN');
SELECT fk_ok('langgraph', 'checkpoints', 'thread_id', 'langgraph', 'threads', 'thread_id', 'checkpoints.thread_id references threads');
SELECT is((SELECT confdeltype::text FROM pg_constraint WHERE conname = 'checkpoints_thread_fkey'
           AND conrelid = 'langgraph.checkpoints'::regclass), 'c', 'the thread foreign key cascades on delete');
SELECT is((SELECT array_agg(c.collname::text ORDER BY a.attname) FROM pg_attribute a JOIN pg_collation c ON c.oid = a.attcollation
           WHERE a.attrelid = 'langgraph.checkpoints'::regclass
             AND a.attname IN ('thread_id', 'checkpoint_ns', 'checkpoint_id', 'parent_checkpoint_id')),
          ARRAY['C', 'C', 'C', 'C'], 'the id columns compare byte-wise (COLLATE "C")');
SELECT table_privs_are('langgraph', 'checkpoints', 'public', ARRAY[]::text[], 'PUBLIC has no privileges on checkpoints');
SELECT table_privs_are('langgraph', 'checkpoints', 'langgraph_client', ARRAY[]::text[], 'the client role has no privileges on checkpoints');
SELECT table_privs_are('langgraph', 'checkpoints', 'langgraph_reader', ARRAY[]::text[], 'the reader role has no privileges on checkpoints');

-- Behaviour ------------------------------------------------------------------
INSERT INTO langgraph.threads (thread_id) VALUES ('pgtap-table-checkpoints-1');
SELECT lives_ok($$INSERT INTO langgraph.checkpoints (thread_id, checkpoint_id, checkpoint)
                  VALUES ('pgtap-table-checkpoints-1', 'cp-0001', '{}')$$, 'a minimal checkpoint row is accepted');
SELECT is((SELECT ROW(checkpoint_ns, metadata, created_at = now())::text FROM langgraph.checkpoints
           WHERE thread_id = 'pgtap-table-checkpoints-1' AND checkpoint_id = 'cp-0001'),
          ROW('', '{}'::jsonb, true)::text, 'defaults: root namespace, empty metadata, created now');
SELECT throws_ok($$INSERT INTO langgraph.checkpoints (thread_id, checkpoint_id, checkpoint)
                   VALUES ('pgtap-table-checkpoints-1', 'cp-0002', '[]')$$, '23514', NULL,
                 'a checkpoint document that is not an object is rejected');
SELECT throws_ok($$INSERT INTO langgraph.checkpoints (thread_id, checkpoint_id, checkpoint, metadata)
                   VALUES ('pgtap-table-checkpoints-1', 'cp-0002', '{}', '"x"')$$, '23514', NULL,
                 'metadata that is not an object is rejected');
SELECT throws_ok($$INSERT INTO langgraph.checkpoints (thread_id, checkpoint_id, checkpoint)
                   VALUES ('pgtap-table-checkpoints-no-thread', 'cp-0001', '{}')$$, '23503', NULL,
                 'a checkpoint needs its thread row');
SELECT throws_ok($$INSERT INTO langgraph.checkpoints (thread_id, checkpoint_id, checkpoint)
                   VALUES ('pgtap-table-checkpoints-1', 'cp-0001', '{}')$$, '23505', NULL,
                 'a checkpoint id is unique within a thread and namespace');
SELECT lives_ok($$INSERT INTO langgraph.checkpoints (thread_id, checkpoint_ns, checkpoint_id, checkpoint)
                  VALUES ('pgtap-table-checkpoints-1', 'sub', 'cp-0001', '{}')$$,
                'the same checkpoint id may exist in another namespace');
-- Byte-wise order: upper case before lower case, whatever the database collation.
INSERT INTO langgraph.checkpoints (thread_id, checkpoint_id, checkpoint)
VALUES ('pgtap-table-checkpoints-1', 'B', '{}'), ('pgtap-table-checkpoints-1', 'a', '{}');
SELECT is((SELECT array_agg(checkpoint_id::text ORDER BY checkpoint_id) FROM langgraph.checkpoints
           WHERE thread_id = 'pgtap-table-checkpoints-1' AND checkpoint_ns = ''),
          ARRAY['B', 'a', 'cp-0001'], 'checkpoint ids sort byte-wise');

SELECT * FROM finish();
ROLLBACK;
