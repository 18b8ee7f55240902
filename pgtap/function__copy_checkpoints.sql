-- pgTAP tests for the function__copy_checkpoints change: the internal copy behind
-- copy_thread and fork_thread. The source thread: a -> b -> c and b -> d in the root
-- namespace, s in 'sub:1'; pending writes on a, c, d and s; channel x changes at every
-- checkpoint, the msgpack channel m only at a and d; one stored value nobody references.
BEGIN;
SELECT plan(37);

-- Structure ------------------------------------------------------------------
SELECT has_function('langgraph', '_copy_checkpoints', ARRAY['text', 'text', 'text', 'text[]'], '_copy_checkpoints(text, text, text, text[]) exists');
SELECT function_returns('langgraph', '_copy_checkpoints', ARRAY['text', 'text', 'text', 'text[]'], 'bigint', '_copy_checkpoints returns bigint');
SELECT volatility_is('langgraph', '_copy_checkpoints', ARRAY['text', 'text', 'text', 'text[]'], 'volatile', '_copy_checkpoints is VOLATILE');
SELECT isnt_definer('langgraph', '_copy_checkpoints', ARRAY['text', 'text', 'text', 'text[]'], '_copy_checkpoints is not SECURITY DEFINER');
SELECT ok((SELECT 'search_path=langgraph, pg_temp' = ANY (proconfig) FROM pg_proc WHERE oid = 'langgraph._copy_checkpoints(text, text, text, text[])'::regprocedure),
          '_copy_checkpoints pins search_path');
SELECT function_privs_are('langgraph', '_copy_checkpoints', ARRAY['text', 'text', 'text', 'text[]'], 'public', ARRAY[]::text[],
                          'PUBLIC cannot call _copy_checkpoints');
SELECT function_privs_are('langgraph', '_copy_checkpoints', ARRAY['text', 'text', 'text', 'text[]'], 'langgraph_client', ARRAY[]::text[],
                          'the client role cannot call _copy_checkpoints');
SELECT function_privs_are('langgraph', '_copy_checkpoints', ARRAY['text', 'text', 'text', 'text[]'], 'langgraph_reader', ARRAY[]::text[],
                          'the reader role cannot call _copy_checkpoints');

-- The source thread ----------------------------------------------------------
DO $$
BEGIN
    PERFORM langgraph.put_checkpoint('pgtap4-copy-src', '', '1f0-a', NULL, '{"channel_versions": {"x": "1", "m": "1"}}', '{"step": -1, "source": "input"}',
                                     ARRAY['x', 'm'], ARRAY['json', 'msgpack'], ARRAY['{"v": 1}'::jsonb, NULL], ARRAY[NULL, '\x01'::bytea]);
    PERFORM langgraph.put_checkpoint('pgtap4-copy-src', '', '1f0-b', '1f0-a', '{"channel_versions": {"x": "2", "m": "1"}}', '{"step": 0, "source": "loop"}',
                                     ARRAY['x'], ARRAY['json'], ARRAY['{"v": 2}'::jsonb], ARRAY[NULL::bytea]);
    PERFORM langgraph.put_checkpoint('pgtap4-copy-src', '', '1f0-c', '1f0-b', '{"channel_versions": {"x": "3", "m": "1"}}', '{"step": 1, "source": "loop"}',
                                     ARRAY['x'], ARRAY['json'], ARRAY['{"v": 3}'::jsonb], ARRAY[NULL::bytea]);
    PERFORM langgraph.put_checkpoint('pgtap4-copy-src', '', '1f0-d', '1f0-b', '{"channel_versions": {"x": "4", "m": "2"}}', '{"step": 1, "source": "update"}',
                                     ARRAY['x', 'm'], ARRAY['json', 'msgpack'], ARRAY['{"v": 4}'::jsonb, NULL], ARRAY[NULL, '\x02'::bytea]);
    PERFORM langgraph.put_checkpoint('pgtap4-copy-src', 'sub:1', '1f0-s', NULL, '{"channel_versions": {"y": "1"}}', '{"step": -1, "source": "input"}',
                                     ARRAY['y'], ARRAY['json'], ARRAY['1'::jsonb], ARRAY[NULL::bytea]);
    PERFORM langgraph.put_writes('pgtap4-copy-src', '', '1f0-a', 'task-1', ARRAY['x'], ARRAY['json'], ARRAY['10'::jsonb], ARRAY[NULL::bytea], 'path-1');
    PERFORM langgraph.put_writes('pgtap4-copy-src', '', '1f0-c', 'task-2', ARRAY['x', 'm'], ARRAY['json', 'msgpack'], ARRAY['30'::jsonb, NULL], ARRAY[NULL, '\x03'::bytea]);
    PERFORM langgraph.put_writes('pgtap4-copy-src', '', '1f0-d', 'task-3', ARRAY['x'], ARRAY['json'], ARRAY['40'::jsonb], ARRAY[NULL::bytea]);
    PERFORM langgraph.put_writes('pgtap4-copy-src', 'sub:1', '1f0-s', 'task-4', ARRAY['y'], ARRAY['json'], ARRAY['2'::jsonb], ARRAY[NULL::bytea]);
END
$$;
-- Distinct, explicit creation times, so copies can be seen to keep them.
UPDATE langgraph.checkpoints SET created_at = timestamptz '2026-01-01 00:00:00+00' + ascii(right(checkpoint_id, 1)) * interval '1 minute'
WHERE thread_id = 'pgtap4-copy-src';
UPDATE langgraph.checkpoint_writes SET created_at = timestamptz '2026-01-02 00:00:00+00' + idx * interval '1 second'
WHERE thread_id = 'pgtap4-copy-src';
-- A stored value no checkpoint references (left over from an interrupted run).
INSERT INTO langgraph.checkpoint_blobs (thread_id, checkpoint_ns, channel, version, type, value)
VALUES ('pgtap4-copy-src', '', 'x', '99', 'json', '"unreferenced"');
CREATE TEMP TABLE pgtap4_copy_source AS
SELECT (SELECT count(*) FROM langgraph.checkpoints WHERE thread_id = 'pgtap4-copy-src') AS checkpoints,
       (SELECT count(*) FROM langgraph.checkpoint_blobs WHERE thread_id = 'pgtap4-copy-src') AS blobs,
       (SELECT count(*) FROM langgraph.checkpoint_writes WHERE thread_id = 'pgtap4-copy-src') AS writes;

-- Behaviour: everything (NULL namespace, NULL ids) ---------------------------
SELECT is(langgraph._copy_checkpoints('pgtap4-copy-src', 'pgtap4-copy-all', NULL, NULL), 5::bigint,
          'copying everything returns the number of checkpoints copied, all namespaces');
SELECT is((SELECT count(*) FROM langgraph.threads WHERE thread_id = 'pgtap4-copy-all'), 1::bigint, 'the target thread row is created');
SELECT results_eq($$SELECT checkpoint_ns, checkpoint_id, parent_checkpoint_id, checkpoint, metadata, created_at
                    FROM langgraph.checkpoints WHERE thread_id = 'pgtap4-copy-all' ORDER BY checkpoint_ns, checkpoint_id$$,
                  $$SELECT checkpoint_ns, checkpoint_id, parent_checkpoint_id, checkpoint, metadata, created_at
                    FROM langgraph.checkpoints WHERE thread_id = 'pgtap4-copy-src' ORDER BY checkpoint_ns, checkpoint_id$$,
                  'checkpoints keep ids, parents, documents, metadata and created_at');
SELECT results_eq($$SELECT checkpoint_ns, channel, version, type, value, blob, base_version, delta_depth
                    FROM langgraph.checkpoint_blobs WHERE thread_id = 'pgtap4-copy-all' ORDER BY 1, 2, 3$$,
                  $$SELECT checkpoint_ns, channel, version, type, value, blob, base_version, delta_depth
                    FROM langgraph.checkpoint_blobs WHERE thread_id = 'pgtap4-copy-src' AND version <> '99' ORDER BY 1, 2, 3$$,
                  'every referenced value comes along, JSON and bytes alike');
SELECT is((SELECT count(*) FROM langgraph.checkpoint_blobs WHERE thread_id = 'pgtap4-copy-all' AND version = '99'), 0::bigint,
          'a value no copied checkpoint references is left behind');
SELECT results_eq($$SELECT checkpoint_ns, checkpoint_id, task_id, idx, channel, type, value, blob, task_path, created_at
                    FROM langgraph.checkpoint_writes WHERE thread_id = 'pgtap4-copy-all' ORDER BY 1, 2, 3, 4$$,
                  $$SELECT checkpoint_ns, checkpoint_id, task_id, idx, channel, type, value, blob, task_path, created_at
                    FROM langgraph.checkpoint_writes WHERE thread_id = 'pgtap4-copy-src' ORDER BY 1, 2, 3, 4$$,
                  'pending writes come along with their task path and created_at');
SELECT is(langgraph._copy_checkpoints('pgtap4-copy-src', 'pgtap4-copy-all', NULL, NULL), 0::bigint,
          'copying again copies nothing: rows the target has are kept');
SELECT is((SELECT ROW((SELECT count(*) FROM langgraph.checkpoints WHERE thread_id = 'pgtap4-copy-all'),
                      (SELECT count(*) FROM langgraph.checkpoint_blobs WHERE thread_id = 'pgtap4-copy-all'),
                      (SELECT count(*) FROM langgraph.checkpoint_writes WHERE thread_id = 'pgtap4-copy-all'))::text),
          ROW(5, 7, 5)::text, 'the second copy added no row (5 checkpoints, 7 values, 5 writes)');
SELECT is((SELECT ROW(checkpoints, blobs, writes)::text FROM pgtap4_copy_source),
          (SELECT ROW((SELECT count(*) FROM langgraph.checkpoints WHERE thread_id = 'pgtap4-copy-src'),
                      (SELECT count(*) FROM langgraph.checkpoint_blobs WHERE thread_id = 'pgtap4-copy-src'),
                      (SELECT count(*) FROM langgraph.checkpoint_writes WHERE thread_id = 'pgtap4-copy-src'))::text),
          'the source is unchanged');
SELECT is((SELECT checkpoint_id FROM langgraph.get_checkpoint('pgtap4-copy-all')), '1f0-d', 'the copy''s latest is the source''s latest');

-- Behaviour: a namespace and an id subset ------------------------------------
SELECT is(langgraph._copy_checkpoints('pgtap4-copy-src', 'pgtap4-copy-some', '', ARRAY['1f0-a', '1f0-c']), 2::bigint,
          'a subset of ids in one namespace: 2 copied');
SELECT results_eq($$SELECT checkpoint_id COLLATE "default", parent_checkpoint_id COLLATE "default" FROM langgraph.checkpoints WHERE thread_id = 'pgtap4-copy-some' ORDER BY 1$$,
                  $$VALUES ('1f0-a', NULL), ('1f0-c', '1f0-b')$$,
                  'only the listed checkpoints are copied, parent ids as they were');
SELECT results_eq($$SELECT channel COLLATE "default", version COLLATE "default" FROM langgraph.checkpoint_blobs WHERE thread_id = 'pgtap4-copy-some' ORDER BY 1, 2$$,
                  $$VALUES ('m', '1'), ('x', '1'), ('x', '3')$$,
                  'only the values a and c reference: x at 1 and 3, m at 1 (shared, stored once)');
SELECT results_eq($$SELECT checkpoint_id COLLATE "default", task_id COLLATE "default", idx FROM langgraph.checkpoint_writes WHERE thread_id = 'pgtap4-copy-some' ORDER BY 1, 2, 3$$,
                  $$VALUES ('1f0-a', 'task-1', 0), ('1f0-c', 'task-2', 0), ('1f0-c', 'task-2', 1)$$,
                  'only the writes of a and c');
SELECT is(langgraph._copy_checkpoints('pgtap4-copy-src', 'pgtap4-copy-ns', 'sub:1', NULL), 1::bigint,
          'a namespace with NULL ids: all of that namespace');
SELECT results_eq($$SELECT checkpoint_ns COLLATE "default", checkpoint_id COLLATE "default" FROM langgraph.checkpoints WHERE thread_id = 'pgtap4-copy-ns'$$,
                  $$VALUES ('sub:1', '1f0-s')$$, 'nothing of the root namespace');
SELECT is((SELECT count(*) FROM langgraph.checkpoint_blobs WHERE thread_id = 'pgtap4-copy-ns' AND checkpoint_ns = 'sub:1'), 1::bigint,
          'the namespace''s value comes along');
SELECT is((SELECT count(*) FROM langgraph.checkpoint_writes WHERE thread_id = 'pgtap4-copy-ns' AND checkpoint_ns = 'sub:1'), 1::bigint,
          'the namespace''s write comes along');
SELECT is(langgraph._copy_checkpoints('pgtap4-copy-src', 'pgtap4-copy-none', '', ARRAY['1f0-missing']), 0::bigint,
          'ids that do not exist copy nothing');
SELECT is(langgraph._copy_checkpoints('pgtap4-copy-nowhere', 'pgtap4-copy-none', NULL, NULL), 0::bigint,
          'a source that does not exist copies nothing');

-- Behaviour: the target's own rows win --------------------------------------
SELECT lives_ok($$SELECT langgraph.put_checkpoint('pgtap4-copy-mine', '', '1f0-a', NULL, '{"channel_versions": {"x": "1"}}', '{"mine": true}',
                      ARRAY['x'], ARRAY['json'], ARRAY['"mine"'::jsonb], ARRAY[NULL::bytea])$$,
                'the target already has its own a and its own x at version 1');
SELECT is(langgraph._copy_checkpoints('pgtap4-copy-src', 'pgtap4-copy-mine', '', NULL), 3::bigint,
          'the copy skips the existing a: 3 copied');
SELECT is((SELECT metadata FROM langgraph.checkpoints WHERE thread_id = 'pgtap4-copy-mine' AND checkpoint_id = '1f0-a'), '{"mine": true}'::jsonb,
          'the target''s checkpoint is not overwritten');
SELECT is((SELECT value FROM langgraph.checkpoint_blobs WHERE thread_id = 'pgtap4-copy-mine' AND channel = 'x' AND version = '1'), '"mine"'::jsonb,
          'the target''s value is not overwritten');

-- Compression: a delta-encoded value must arrive whole (or with its base) --------
SELECT lives_ok($$SELECT langgraph.set_compression(true, 'pgtap4-copy-delta')$$, 'compression is turned on for one source thread');
DO $$
BEGIN
    PERFORM langgraph.put_checkpoint('pgtap4-copy-delta', '', '1f0-a', NULL, '{"channel_versions": {"messages": "1"}}', '{}',
                                     ARRAY['messages'], ARRAY['json'], ARRAY['["m1"]'::jsonb], ARRAY[NULL::bytea]);
    PERFORM langgraph.put_checkpoint('pgtap4-copy-delta', '', '1f0-b', '1f0-a', '{"channel_versions": {"messages": "2"}}', '{}',
                                     ARRAY['messages'], ARRAY['json'], ARRAY['["m1", "m2"]'::jsonb], ARRAY[NULL::bytea]);
END
$$;
SELECT is((SELECT base_version FROM langgraph.checkpoint_blobs WHERE thread_id = 'pgtap4-copy-delta' AND version = '2'), '1',
          'the source stores version 2 as a delta on version 1');
SELECT is(langgraph._copy_checkpoints('pgtap4-copy-delta', 'pgtap4-copy-delta-copy', NULL, NULL), 2::bigint, 'the thread is copied');
SELECT is(langgraph._blob_value('pgtap4-copy-delta-copy', '', 'messages', '2'), '["m1", "m2"]'::jsonb,
          'the copy reads the whole value at version 2, as the source does');

-- Chains of appended tails keep their lengths, so the copy takes tails too.
SELECT langgraph.put_checkpoint_v2('pgtap4-copy-tails', '', '1f0-a', NULL, '{"channel_versions": {"l": "1"}}', '{}',
                                   ARRAY['l'], ARRAY['json'], ARRAY['[1]'::jsonb], ARRAY[NULL::bytea]);
SELECT langgraph.put_checkpoint_v2('pgtap4-copy-tails', '', '1f0-b', '1f0-a', '{"channel_versions": {"l": "2"}}', '{}',
                                   ARRAY['l'], ARRAY['json'], ARRAY['[2]'::jsonb], ARRAY[NULL::bytea], ARRAY['1']);
SELECT langgraph._copy_checkpoints('pgtap4-copy-tails', 'pgtap4-copy-tails-b', NULL, NULL);
SELECT is((SELECT array_agg(ROW(version, base_version, delta_depth)::text ORDER BY version) FROM langgraph.checkpoint_blobs
           WHERE thread_id = 'pgtap4-copy-tails-b'),
          ARRAY[ROW('1', NULL::text, 0::smallint)::text, ROW('2', '1', 1::smallint)::text],
          'a copied chain keeps base_version and delta_depth');

SELECT * FROM finish();
ROLLBACK;
