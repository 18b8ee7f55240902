-- pgTAP tests for the view_checkpoint_tuples change: one row per checkpoint with its
-- channel values and pending writes as parallel arrays.
BEGIN;
SELECT plan(20);

-- Structure ------------------------------------------------------------------
SELECT has_view('langgraph', 'checkpoint_tuples', 'view checkpoint_tuples exists');
SELECT columns_are('langgraph', 'checkpoint_tuples',
    ARRAY['thread_id', 'checkpoint_ns', 'checkpoint_id', 'parent_checkpoint_id', 'checkpoint', 'metadata', 'created_at',
          'channel_names', 'channel_types', 'channel_values', 'channel_blobs',
          'write_task_ids', 'write_channels', 'write_types', 'write_values', 'write_blobs', 'write_task_paths'],
    'checkpoint_tuples has exactly its columns');
SELECT col_type_is('langgraph', 'checkpoint_tuples', 'channel_names', 'text[]', 'channel_names is text[]');
SELECT col_type_is('langgraph', 'checkpoint_tuples', 'channel_types', 'text[]', 'channel_types is text[]');
SELECT col_type_is('langgraph', 'checkpoint_tuples', 'channel_values', 'jsonb[]', 'channel_values is jsonb[]');
SELECT col_type_is('langgraph', 'checkpoint_tuples', 'channel_blobs', 'bytea[]', 'channel_blobs is bytea[]');
SELECT col_type_is('langgraph', 'checkpoint_tuples', 'write_task_ids', 'text[]', 'write_task_ids is text[]');
SELECT col_type_is('langgraph', 'checkpoint_tuples', 'write_values', 'jsonb[]', 'write_values is jsonb[]');
SELECT col_type_is('langgraph', 'checkpoint_tuples', 'write_blobs', 'bytea[]', 'write_blobs is bytea[]');
SELECT col_type_is('langgraph', 'checkpoint_tuples', 'write_task_paths', 'text[]', 'write_task_paths is text[]');
SELECT table_privs_are('langgraph', 'checkpoint_tuples', 'public', ARRAY[]::text[], 'PUBLIC has no privileges on the view');
SELECT table_privs_are('langgraph', 'checkpoint_tuples', 'langgraph_client', ARRAY[]::text[], 'the client role has no privileges on the view');
SELECT table_privs_are('langgraph', 'checkpoint_tuples', 'langgraph_reader', ARRAY[]::text[], 'the reader role has no privileges on the view');

-- Behaviour ------------------------------------------------------------------
INSERT INTO langgraph.threads (thread_id) VALUES ('pgtap-view-tuples-1');
INSERT INTO langgraph.checkpoints (thread_id, checkpoint_id, parent_checkpoint_id, checkpoint, metadata) VALUES
    ('pgtap-view-tuples-1', 'cp-0001', NULL, '{"channel_versions": {"b": "1", "a": "1", "e": "1"}}', '{"step": 0}'),
    ('pgtap-view-tuples-1', 'cp-0002', 'cp-0001', '{}', '{"step": 1}');
INSERT INTO langgraph.checkpoint_blobs (thread_id, channel, version, type, value, blob) VALUES
    ('pgtap-view-tuples-1', 'b', '1', 'msgpack', NULL, '\x0102'),
    ('pgtap-view-tuples-1', 'a', '1', 'json', '{"x": 1}', NULL),
    ('pgtap-view-tuples-1', 'e', '1', 'empty', NULL, NULL),
    ('pgtap-view-tuples-1', 'a', '2', 'json', '"not referenced"', NULL);
-- Inserted out of order on purpose: the view orders by (task_path, task_id, idx).
INSERT INTO langgraph.checkpoint_writes (thread_id, checkpoint_id, task_id, idx, channel, type, value, blob, task_path) VALUES
    ('pgtap-view-tuples-1', 'cp-0001', 't2', 1, 'a', 'json', '"t2-1"', NULL, 'p1'),
    ('pgtap-view-tuples-1', 'cp-0001', 't2', 0, 'a', 'json', '"t2-0"', NULL, 'p1'),
    ('pgtap-view-tuples-1', 'cp-0001', 't1', 0, 'b', 'msgpack', NULL, '\xff', 'p1'),
    ('pgtap-view-tuples-1', 'cp-0001', 't9', 0, 'a', 'json', '"t9-0"', NULL, 'p0'),
    ('pgtap-view-tuples-1', 'cp-0002', 't1', 0, 'a', 'json', '"other checkpoint"', NULL, '');

SELECT is((SELECT count(*) FROM langgraph.checkpoint_tuples WHERE thread_id = 'pgtap-view-tuples-1'), 2::bigint,
          'one row per checkpoint');
SELECT is((SELECT ROW(channel_names, channel_types, channel_values, channel_blobs)::text FROM langgraph.checkpoint_tuples
           WHERE thread_id = 'pgtap-view-tuples-1' AND checkpoint_id = 'cp-0001'),
          ROW(ARRAY['a', 'b'], ARRAY['json', 'msgpack'], ARRAY['{"x": 1}'::jsonb, NULL], ARRAY[NULL, '\x0102'::bytea])::text,
          'channel arrays: the versions in channel_versions, sorted by channel, empty values left out');
SELECT is((SELECT write_task_ids FROM langgraph.checkpoint_tuples WHERE thread_id = 'pgtap-view-tuples-1' AND checkpoint_id = 'cp-0001'),
          ARRAY['t9', 't1', 't2', 't2'], 'writes are ordered by (task_path, task_id, idx)');
SELECT is((SELECT ROW(write_channels, write_types, write_values, write_blobs, write_task_paths)::text FROM langgraph.checkpoint_tuples
           WHERE thread_id = 'pgtap-view-tuples-1' AND checkpoint_id = 'cp-0001'),
          ROW(ARRAY['a', 'b', 'a', 'a'], ARRAY['json', 'msgpack', 'json', 'json'],
              ARRAY['"t9-0"'::jsonb, NULL, '"t2-0"', '"t2-1"'], ARRAY[NULL, '\xff'::bytea, NULL, NULL],
              ARRAY['p0', 'p1', 'p1', 'p1'])::text,
          'the write arrays are parallel to write_task_ids');
SELECT is((SELECT ROW(channel_names, channel_values, write_task_ids)::text FROM langgraph.checkpoint_tuples
           WHERE thread_id = 'pgtap-view-tuples-1' AND checkpoint_id = 'cp-0002'),
          ROW('{}'::text[], '{}'::jsonb[], ARRAY['t1'])::text,
          'a checkpoint without channel_versions has empty value arrays, not NULL, and only its own writes');
SELECT is((SELECT ROW(parent_checkpoint_id, metadata, checkpoint)::text FROM langgraph.checkpoint_tuples
           WHERE thread_id = 'pgtap-view-tuples-1' AND checkpoint_id = 'cp-0002'),
          ROW('cp-0001', '{"step": 1}'::jsonb, '{}'::jsonb)::text, 'the checkpoint columns pass through');
DELETE FROM langgraph.checkpoint_writes WHERE thread_id = 'pgtap-view-tuples-1' AND checkpoint_id = 'cp-0002';
SELECT is((SELECT ROW(write_task_ids, write_values, write_blobs)::text FROM langgraph.checkpoint_tuples
           WHERE thread_id = 'pgtap-view-tuples-1' AND checkpoint_id = 'cp-0002'),
          ROW('{}'::text[], '{}'::jsonb[], '{}'::bytea[])::text, 'no pending writes give empty arrays, not NULL');

SELECT * FROM finish();
ROLLBACK;
