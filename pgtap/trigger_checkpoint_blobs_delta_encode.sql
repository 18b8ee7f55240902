-- pgTAP tests for compression's storage: column_checkpoint_blobs_base_version,
-- function__blob_value, function__delta_encode and trigger_checkpoint_blobs_delta_encode.
BEGIN;
SELECT plan(24);

CREATE FUNCTION pg_temp.put(p_thread text, p_step integer, p_value jsonb) RETURNS text LANGUAGE sql AS $$
    SELECT langgraph.put_checkpoint(p_thread, '', format('cp-%s', lpad(p_step::text, 4, '0')), NULL,
        jsonb_build_object('channel_versions', jsonb_build_object('m', lpad(p_step::text, 4, '0'))), '{}',
        ARRAY['m'], ARRAY['json'], ARRAY[p_value], ARRAY[NULL::bytea])
$$;
-- The client's save: step p_step extends step p_base (NULL: a whole value).
CREATE FUNCTION pg_temp.put_v2(p_thread text, p_step integer, p_value jsonb, p_base integer DEFAULT NULL)
RETURNS text LANGUAGE sql AS $$
    SELECT langgraph.put_checkpoint_v2(p_thread, '', format('cp-%s', lpad(p_step::text, 4, '0')),
        format('cp-%s', lpad((p_step - 1)::text, 4, '0')),
        jsonb_build_object('channel_versions', jsonb_build_object('m', lpad(p_step::text, 4, '0'))), '{}',
        ARRAY['m'], ARRAY['json'], ARRAY[p_value], ARRAY[NULL::bytea],
        CASE WHEN p_base IS NOT NULL THEN ARRAY[lpad(p_base::text, 4, '0')] END)
$$;
CREATE FUNCTION pg_temp.stored(p_thread text, p_step integer) RETURNS text LANGUAGE sql AS $$
    SELECT format('%s @ %s', value, coalesce(base_version, '-')) FROM langgraph.checkpoint_blobs
    WHERE thread_id = p_thread AND channel = 'm' AND version = lpad(p_step::text, 4, '0')
$$;

CREATE FUNCTION pg_temp.stored_depth(p_thread text, p_step integer) RETURNS text LANGUAGE sql AS $$
    SELECT format('%s depth %s', pg_temp.stored(p_thread, p_step), delta_depth) FROM langgraph.checkpoint_blobs
    WHERE thread_id = p_thread AND channel = 'm' AND version = lpad(p_step::text, 4, '0')
$$;

SELECT has_column('langgraph', 'checkpoint_blobs', 'base_version', 'checkpoint_blobs has base_version');
SELECT col_is_null('langgraph', 'checkpoint_blobs', 'base_version', 'base_version is NULL for a whole value');
SELECT has_trigger('langgraph', 'checkpoint_blobs', 'checkpoint_blobs_delta_encode', 'the encoding trigger exists');
SELECT function_privs_are('langgraph', '_blob_value', ARRAY['text', 'text', 'text', 'text'], 'langgraph_client', ARRAY[]::text[], '_blob_value is internal');

-- Compression off: values are stored whole.
SELECT langgraph.set_compression(false);
SELECT pg_temp.put('pgtap-delta-off', 1, '[1]'), pg_temp.put('pgtap-delta-off', 2, '[1, 2]');
SELECT is(pg_temp.stored('pgtap-delta-off', 2), '[1, 2] @ -', 'with compression off a value is stored whole');

-- Compression on for one thread.
SELECT langgraph.set_compression(true, 'pgtap-delta-on');
SELECT pg_temp.put('pgtap-delta-on', 1, '[{"m": 1}]');
SELECT pg_temp.put('pgtap-delta-on', 2, '[{"m": 1}, {"m": 2}]');
SELECT pg_temp.put('pgtap-delta-on', 3, '[{"m": 1}, {"m": 2}, {"m": 3}, {"m": 4}]');
SELECT is(pg_temp.stored('pgtap-delta-on', 1), '[{"m": 1}] @ -', 'the first value is stored whole');
SELECT is(pg_temp.stored('pgtap-delta-on', 2), '[{"m": 2}] @ 0001', 'an appended array is stored as its new elements');
SELECT is(pg_temp.stored('pgtap-delta-on', 3), '[{"m": 3}, {"m": 4}] @ 0002', 'deltas chain');
SELECT is(langgraph._blob_value('pgtap-delta-on', '', 'm', '0003'), '[{"m": 1}, {"m": 2}, {"m": 3}, {"m": 4}]'::jsonb,
          '_blob_value rebuilds the whole value');
SELECT pg_temp.put('pgtap-delta-on', 4, '[{"m": 1}, {"m": 2, "edited": true}, {"m": 3}, {"m": 4}, {"m": 5}]');
SELECT is(pg_temp.stored('pgtap-delta-on', 4), '[{"m": 1}, {"m": 2, "edited": true}, {"m": 3}, {"m": 4}, {"m": 5}] @ -',
          'a value that rewrites an earlier element is stored whole');
SELECT is((SELECT array_agg(delta_depth ORDER BY version) FROM langgraph.checkpoint_blobs WHERE thread_id = 'pgtap-delta-on'),
          ARRAY[0, 1, 2, 0]::smallint[], 'the trigger records each chain length in delta_depth (a whole array: 0)');
SELECT lives_ok($$SELECT langgraph.put_checkpoint_v2('pgtap-delta-on', '', 'cp-0004b', NULL,
                      '{"channel_versions": {"m": "0003b"}}', '{}', ARRAY['m'], ARRAY['json'], ARRAY['[{"m": 9}]'::jsonb],
                      ARRAY[NULL::bytea], ARRAY['0003'])$$,
                'so a client may send a tail on top of what the trigger encoded');
SELECT pg_temp.put('pgtap-delta-on', 5, '{"not": "an array"}');
SELECT is(pg_temp.stored('pgtap-delta-on', 5), '{"not": "an array"} @ -', 'a non-array is stored whole');

-- Who calls the function: only rows that leave their chain length open.
SELECT matches(pg_get_triggerdef((SELECT oid FROM pg_trigger WHERE tgname = 'checkpoint_blobs_delta_encode')),
               'delta_depth IS NULL', 'the trigger fires only for rows without a delta_depth');
SELECT langgraph.set_compression(false);
SELECT pg_temp.put('pgtap-depth-off', 1, '[1]');
SELECT is((SELECT delta_depth FROM langgraph.checkpoint_blobs WHERE thread_id = 'pgtap-depth-off'), 0::smallint,
          'with compression off a whole array saved by put_checkpoint gets delta_depth 0');
SELECT lives_ok($$SELECT pg_temp.put_v2('pgtap-depth-off', 2, '[2]', 1)$$,
                'so a tail may extend it: no LG009, no resend of the whole value');
SELECT is(langgraph._blob_value('pgtap-depth-off', '', 'm', '0002'), '[1, 2]'::jsonb, 'and it reads back whole');
SELECT pg_temp.put_v2('pgtap-depth-off', 3, '[1, 2, 3]');
SELECT is(pg_temp.stored_depth('pgtap-depth-off', 3), '[1, 2, 3] @ - depth 0',
          'put_checkpoint_v2 stores a whole array whole, with delta_depth 0 (compression off)');
SELECT langgraph.set_compression(true, 'pgtap-depth-on');
SELECT pg_temp.put('pgtap-depth-on', 1, '[1]'), pg_temp.put_v2('pgtap-depth-on', 2, '[1, 2]');
SELECT is(pg_temp.stored_depth('pgtap-depth-on', 2), '[2] @ 0001 depth 1',
          'with compression on, a whole array from put_checkpoint_v2 is still encoded by the trigger');

-- Chains stay short.
SELECT langgraph.set_compression(true, 'pgtap-delta-long');
SELECT count(pg_temp.put('pgtap-delta-long', i, (SELECT jsonb_agg(j) FROM generate_series(1, i) AS j))) FROM generate_series(1, 40) AS i;
SELECT is((SELECT count(*)::int FROM langgraph.checkpoint_blobs WHERE thread_id = 'pgtap-delta-long' AND base_version IS NULL), 2,
          'a whole value is stored again after 32 links');
SELECT is(langgraph._blob_value('pgtap-delta-long', '', 'm', '0040'), (SELECT jsonb_agg(j) FROM generate_series(1, 40) AS j),
          'and every version still reads back whole');
SELECT is((SELECT count(*)::int FROM generate_series(1, 40) AS i
           WHERE langgraph._blob_value('pgtap-delta-long', '', 'm', lpad(i::text, 4, '0')) <> (SELECT jsonb_agg(j) FROM generate_series(1, i) AS j)),
          0, 'all forty versions round-trip');

-- A base that a kept value extends cannot silently disappear.
SELECT throws_ok($$DELETE FROM langgraph.checkpoint_blobs WHERE thread_id = 'pgtap-delta-on' AND version = '0001'$$,
                 '23503', NULL, 'deleting a base that a value extends is refused');
DELETE FROM langgraph.threads WHERE thread_id = 'pgtap-delta-on';
SELECT is((SELECT count(*)::int FROM langgraph.checkpoint_blobs WHERE thread_id = 'pgtap-delta-on'), 0,
          'deleting the thread deletes bases and deltas together');

SELECT * FROM finish();
ROLLBACK;
