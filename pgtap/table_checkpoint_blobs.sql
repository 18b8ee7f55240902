-- pgTAP tests for the table_checkpoint_blobs change: channel values, once per
-- (thread, namespace, channel, version).
BEGIN;
SELECT plan(34);

-- Structure ------------------------------------------------------------------
SELECT has_table('langgraph', 'checkpoint_blobs', 'table checkpoint_blobs exists');
SELECT columns_are('langgraph', 'checkpoint_blobs',
    -- base_version and delta_depth are added by the later changes column_checkpoint_blobs_base_version
    -- and column_checkpoint_blobs_delta_depth.
    ARRAY['thread_id', 'checkpoint_ns', 'channel', 'version', 'type', 'value', 'blob', 'base_version', 'delta_depth'],
    'checkpoint_blobs has exactly its columns');
SELECT col_type_is('langgraph', 'checkpoint_blobs', 'thread_id', 'text', 'thread_id is text');
SELECT col_type_is('langgraph', 'checkpoint_blobs', 'checkpoint_ns', 'text', 'checkpoint_ns is text');
SELECT col_type_is('langgraph', 'checkpoint_blobs', 'channel', 'text', 'channel is text');
SELECT col_type_is('langgraph', 'checkpoint_blobs', 'version', 'text', 'version is text');
SELECT col_type_is('langgraph', 'checkpoint_blobs', 'type', 'text', 'type is text');
SELECT col_type_is('langgraph', 'checkpoint_blobs', 'value', 'jsonb', 'value is jsonb');
SELECT col_type_is('langgraph', 'checkpoint_blobs', 'blob', 'bytea', 'blob is bytea');
SELECT col_not_null('langgraph', 'checkpoint_blobs', 'thread_id', 'thread_id is NOT NULL');
SELECT col_not_null('langgraph', 'checkpoint_blobs', 'checkpoint_ns', 'checkpoint_ns is NOT NULL');
SELECT col_not_null('langgraph', 'checkpoint_blobs', 'channel', 'channel is NOT NULL');
SELECT col_not_null('langgraph', 'checkpoint_blobs', 'version', 'version is NOT NULL');
SELECT col_not_null('langgraph', 'checkpoint_blobs', 'type', 'type is NOT NULL');
SELECT col_is_null('langgraph', 'checkpoint_blobs', 'value', 'value is nullable');
SELECT col_is_null('langgraph', 'checkpoint_blobs', 'blob', 'blob is nullable');
SELECT col_default_is('langgraph', 'checkpoint_blobs', 'checkpoint_ns', '', 'checkpoint_ns defaults to the root namespace');
SELECT col_is_pk('langgraph', 'checkpoint_blobs', ARRAY['thread_id', 'checkpoint_ns', 'channel', 'version'],
                 'the primary key is (thread_id, checkpoint_ns, channel, version)');
SELECT fk_ok('langgraph', 'checkpoint_blobs', 'thread_id', 'langgraph', 'threads', 'thread_id', 'checkpoint_blobs.thread_id references threads');
SELECT is((SELECT confdeltype::text FROM pg_constraint WHERE conname = 'checkpoint_blobs_thread_fkey'
           AND conrelid = 'langgraph.checkpoint_blobs'::regclass), 'c', 'the thread foreign key cascades on delete');
SELECT has_check('langgraph', 'checkpoint_blobs', 'checkpoint_blobs has a check constraint on its payload');
SELECT table_privs_are('langgraph', 'checkpoint_blobs', 'public', ARRAY[]::text[], 'PUBLIC has no privileges on checkpoint_blobs');
SELECT table_privs_are('langgraph', 'checkpoint_blobs', 'langgraph_client', ARRAY[]::text[], 'the client role has no privileges on checkpoint_blobs');
SELECT table_privs_are('langgraph', 'checkpoint_blobs', 'langgraph_reader', ARRAY[]::text[], 'the reader role has no privileges on checkpoint_blobs');

-- Behaviour: the payload constraint ------------------------------------------
INSERT INTO langgraph.threads (thread_id) VALUES ('pgtap-table-blobs-1');
SELECT lives_ok($$INSERT INTO langgraph.checkpoint_blobs (thread_id, channel, version, type, value)
                  VALUES ('pgtap-table-blobs-1', 'a', '1', 'json', '{"x": 1}')$$, 'type json with a value is accepted');
SELECT lives_ok($$INSERT INTO langgraph.checkpoint_blobs (thread_id, channel, version, type)
                  VALUES ('pgtap-table-blobs-1', 'b', '1', 'empty')$$, 'type empty with nothing is accepted (and not kept: checkpoint_blobs_skip_empty)');
SELECT lives_ok($$INSERT INTO langgraph.checkpoint_blobs (thread_id, channel, version, type, blob)
                  VALUES ('pgtap-table-blobs-1', 'c', '1', 'msgpack', '\x0102')$$, 'a serializer type with bytes is accepted');
SELECT throws_ok($$INSERT INTO langgraph.checkpoint_blobs (thread_id, channel, version, type)
                   VALUES ('pgtap-table-blobs-1', 'd', '1', 'json')$$, '23514', NULL, 'type json without a value is rejected');
SELECT throws_ok($$INSERT INTO langgraph.checkpoint_blobs (thread_id, channel, version, type, value, blob)
                   VALUES ('pgtap-table-blobs-1', 'd', '1', 'json', '1', '\x01')$$, '23514', NULL, 'type json with bytes as well is rejected');
SELECT throws_ok($$INSERT INTO langgraph.checkpoint_blobs (thread_id, channel, version, type, value)
                   VALUES ('pgtap-table-blobs-1', 'd', '1', 'empty', '1')$$, '23514', NULL, 'type empty with a value is rejected');
SELECT throws_ok($$INSERT INTO langgraph.checkpoint_blobs (thread_id, channel, version, type, value)
                   VALUES ('pgtap-table-blobs-1', 'd', '1', 'msgpack', '1')$$, '23514', NULL, 'a serializer type without bytes is rejected');
SELECT throws_ok($$INSERT INTO langgraph.checkpoint_blobs (thread_id, channel, version, type, value)
                   VALUES ('pgtap-table-blobs-1', 'a', '1', 'json', '2')$$, '23505', NULL, 'a (channel, version) is stored once');
SELECT throws_ok($$INSERT INTO langgraph.checkpoint_blobs (thread_id, channel, version, type, value)
                   VALUES ('pgtap-table-blobs-no-thread', 'a', '1', 'json', '2')$$, '23503', NULL, 'a value needs its thread row');
SELECT is((SELECT count(*) FROM langgraph.checkpoint_blobs WHERE thread_id = 'pgtap-table-blobs-1'), 2::bigint,
          'only the two well-formed values were stored');

SELECT * FROM finish();
ROLLBACK;
