-- pgTAP tests for the trigger_checkpoint_blobs_skip_empty change: an empty channel stores
-- no row, whichever path writes it, and reads the same as the marker did.
BEGIN;
SELECT plan(16);

-- Structure ------------------------------------------------------------------
SELECT has_trigger('langgraph', 'checkpoint_blobs', 'checkpoint_blobs_skip_empty', 'the trigger exists');
SELECT trigger_is('langgraph', 'checkpoint_blobs', 'checkpoint_blobs_skip_empty', 'langgraph', '_checkpoint_blobs_skip_empty',
                  'it calls _checkpoint_blobs_skip_empty');
SELECT is((SELECT ROW(tgtype & 2 <> 0, tgtype & 1 <> 0, tgtype & 4 <> 0, tgtype & 16 <> 0)::text FROM pg_trigger
           WHERE tgrelid = 'langgraph.checkpoint_blobs'::regclass AND tgname = 'checkpoint_blobs_skip_empty'),
          ROW(true, true, true, false)::text, 'it runs BEFORE INSERT, FOR EACH ROW, and not on UPDATE');
SELECT ok((SELECT pg_get_triggerdef(oid) ~ $$WHEN \(\(\(new.type = 'empty'::text\) AND \(new.value IS NULL\) AND \(new.blob IS NULL\)\)\)$$
           FROM pg_trigger WHERE tgrelid = 'langgraph.checkpoint_blobs'::regclass AND tgname = 'checkpoint_blobs_skip_empty'),
          'its WHEN clause admits only well-formed empty markers');
SELECT function_privs_are('langgraph', '_checkpoint_blobs_skip_empty', ARRAY[]::text[], 'langgraph_client', ARRAY[]::text[],
                          '_checkpoint_blobs_skip_empty is internal');

-- Behaviour ------------------------------------------------------------------
-- Each writer: put_checkpoint_v2, put_checkpoint (and through it _save_checkpoints), a direct INSERT.
SELECT langgraph.put_checkpoint_v2('pgtap-skip-empty', '', 'cp-0001', NULL,
    '{"id": "cp-0001", "channel_versions": {"a": "1", "e": "1", "f": "1"}}', '{}',
    ARRAY['a', 'e', 'f'], ARRAY['json', 'empty', 'json'], ARRAY['[1]'::jsonb, NULL, 'null'], ARRAY[NULL::bytea, NULL, NULL]);
SELECT is((SELECT array_agg(channel ORDER BY channel) FROM langgraph.checkpoint_blobs WHERE thread_id = 'pgtap-skip-empty'),
          ARRAY['a', 'f'], 'put_checkpoint_v2 stores the values, not the empty marker (a JSON null is a value)');
SELECT langgraph.put_checkpoint('pgtap-skip-empty', '', 'cp-0002', 'cp-0001',
    '{"id": "cp-0002", "channel_versions": {"a": "2", "e": "2", "f": "1"}}', '{}',
    ARRAY['a', 'e'], ARRAY['msgpack', 'empty'], ARRAY[NULL::jsonb, NULL], ARRAY['\x01'::bytea, NULL]);
SELECT is((SELECT count(*)::int FROM langgraph.checkpoint_blobs WHERE thread_id = 'pgtap-skip-empty' AND channel = 'e'), 0,
          'put_checkpoint stores no empty marker either');
SELECT langgraph.batch_save_checkpoints(ARRAY['pgtap-skip-empty'], ARRAY[''], ARRAY['cp-0003'], ARRAY['cp-0002'],
    ARRAY['{"id": "cp-0003", "channel_versions": {"a": "2", "e": "3", "f": "1"}}'::jsonb], ARRAY['{}'::jsonb],
    ARRAY[1], ARRAY['e'], ARRAY['empty'], ARRAY[NULL::jsonb], ARRAY[NULL::bytea]);
SELECT is((SELECT count(*)::int FROM langgraph.checkpoint_blobs WHERE thread_id = 'pgtap-skip-empty' AND channel = 'e'), 0,
          'nor batch_save_checkpoints');
SELECT is((SELECT count(*)::int FROM langgraph.checkpoints WHERE thread_id = 'pgtap-skip-empty'), 3,
          'every checkpoint is saved');
INSERT INTO langgraph.checkpoint_blobs (thread_id, channel, version, type) VALUES ('pgtap-skip-empty', 'g', '1', 'empty');
SELECT is((SELECT count(*)::int FROM langgraph.checkpoint_blobs WHERE thread_id = 'pgtap-skip-empty' AND channel = 'g'), 0,
          'a direct INSERT of the marker stores nothing');
SELECT throws_ok($$INSERT INTO langgraph.checkpoint_blobs (thread_id, channel, version, type, value)
                   VALUES ('pgtap-skip-empty', 'g', '2', 'empty', '1')$$, '23514', NULL,
                 'a malformed marker (type empty with a value) still meets the CHECK constraint');

-- Reads: a channel without a row is left out, as the marker was.
SELECT is((SELECT channel_names FROM langgraph.checkpoint_tuples WHERE thread_id = 'pgtap-skip-empty' AND checkpoint_id = 'cp-0001'),
          ARRAY['a', 'f'], 'checkpoint_tuples leaves the empty channel out');
SELECT is((SELECT piece_channels FROM langgraph.get_checkpoint_v2('pgtap-skip-empty', '', 'cp-0001')),
          ARRAY['a', 'f'], 'get_checkpoint_v2 too');
SELECT is((langgraph.load_checkpoint('pgtap-skip-empty', 'cp-0001') -> 'state'),
          '{"a": [1], "f": null}'::jsonb, 'and load_checkpoint');
SELECT is(langgraph._stores_value('pgtap-skip-empty', '', 'e', '1'), false, 'no value is stored for it');

-- Rows stored as markers before the trigger read the same.
ALTER TABLE langgraph.checkpoint_blobs DISABLE TRIGGER checkpoint_blobs_skip_empty;
INSERT INTO langgraph.checkpoint_blobs (thread_id, channel, version, type) VALUES ('pgtap-skip-empty', 'e', '1', 'empty');
ALTER TABLE langgraph.checkpoint_blobs ENABLE TRIGGER checkpoint_blobs_skip_empty;
SELECT is((SELECT piece_channels FROM langgraph.get_checkpoint_v2('pgtap-skip-empty', '', 'cp-0001')),
          ARRAY['a', 'f'], 'a stored marker reads as no row does');

SELECT * FROM finish();
ROLLBACK;
