-- pgTAP tests for the function__cleanup_checkpoints_batch change: one bounded batch of
-- retention by age and keep-last. Ages are explicit timestamps (now() is frozen here);
-- skipping threads that writers hold needs two sessions and is tested in pytest.
-- A batch visits every thread after its cursor, so the thread ids here start with '~',
-- which sorts after letters and digits: the batches meet no one else's threads.
BEGIN;
SELECT plan(30);

-- A linear history of p_n checkpoints, created a day apart from p_start, each with a
-- pending write and a new version of channel "c"; ids sort in creation order.
CREATE FUNCTION pg_temp.history(p_thread text, p_ns text, p_n integer, p_start timestamptz) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    FOR i IN 1..p_n LOOP
        PERFORM langgraph.put_checkpoint(p_thread, p_ns, format('cp-%s', lpad(i::text, 3, '0')),
            CASE WHEN i > 1 THEN format('cp-%s', lpad((i - 1)::text, 3, '0')) END,
            jsonb_build_object('channel_versions', jsonb_build_object('c', i::text, 'k', '1')), '{}',
            ARRAY['c', 'k'], ARRAY['json', 'json'], ARRAY[to_jsonb(i), '"constant"'::jsonb], ARRAY[NULL::bytea, NULL]);
        PERFORM langgraph.put_writes(p_thread, p_ns, format('cp-%s', lpad(i::text, 3, '0')), 'task',
            ARRAY['c'], ARRAY['json'], ARRAY[to_jsonb(i)], ARRAY[NULL::bytea]);
    END LOOP;
    UPDATE langgraph.checkpoints
    SET created_at = p_start + (substr(checkpoint_id, 4)::int - 1) * interval '1 day'
    WHERE thread_id = p_thread AND checkpoint_ns = p_ns;
END
$$;

CREATE FUNCTION pg_temp.ids(p_thread text, p_ns text DEFAULT '') RETURNS text[] LANGUAGE sql AS $$
    SELECT coalesce(array_agg(checkpoint_id ORDER BY checkpoint_id), '{}') FROM langgraph.checkpoints
    WHERE thread_id = p_thread AND checkpoint_ns = p_ns
$$;

-- Structure ------------------------------------------------------------------
SELECT has_function('langgraph', '_cleanup_checkpoints_batch',
    ARRAY['bigint', 'timestamp with time zone', 'integer', 'text', 'integer'], '_cleanup_checkpoints_batch exists');
SELECT function_returns('langgraph', '_cleanup_checkpoints_batch',
    ARRAY['bigint', 'timestamp with time zone', 'integer', 'text', 'integer'], 'setof record', 'it returns one row');
SELECT is_definer('langgraph', '_cleanup_checkpoints_batch',
    ARRAY['bigint', 'timestamp with time zone', 'integer', 'text', 'integer'], 'it is SECURITY DEFINER');
SELECT volatility_is('langgraph', '_cleanup_checkpoints_batch',
    ARRAY['bigint', 'timestamp with time zone', 'integer', 'text', 'integer'], 'volatile', 'it is VOLATILE');
SELECT function_privs_are('langgraph', '_cleanup_checkpoints_batch',
    ARRAY['bigint', 'timestamp with time zone', 'integer', 'text', 'integer'], 'langgraph_client', ARRAY['EXECUTE'],
    'the client role can call it (cleanup_old_checkpoints runs as the caller)');
SELECT function_privs_are('langgraph', '_cleanup_checkpoints_batch',
    ARRAY['bigint', 'timestamp with time zone', 'integer', 'text', 'integer'], 'langgraph_reader', ARRAY[]::text[],
    'the reader role cannot');

-- Age with keep_last 1 -----------------------------------------------------------
-- Thread a: ten checkpoints in January 2000. Thread b: two then, one in 2030.
SELECT pg_temp.history('~pgtap-ccb-a', '', 10, '2000-01-01 00:00:00+00');
SELECT pg_temp.history('~pgtap-ccb-b', '', 3, '2000-01-01 00:00:00+00');
UPDATE langgraph.checkpoints SET created_at = '2030-01-01 00:00:00+00' WHERE thread_id = '~pgtap-ccb-b' AND checkpoint_id = 'cp-003';
SELECT langgraph._cleanup_run_begin('cleanup_old_checkpoints', '{}') AS run_id \gset

SELECT results_eq(
    $$SELECT next_after, removed, skipped, done FROM langgraph._cleanup_checkpoints_batch(
          currval(pg_get_serial_sequence('langgraph.cleanup_runs', 'run_id')), '2000-01-06 00:00:00+00', 1, '~pgtap-ccb-', 1000)$$,
    $$VALUES ('~pgtap-ccb-b'::text, 7::bigint, 0, true)$$,
    'a batch removes what is older than the cutoff and reports the cursor, counts and done');
SELECT is(pg_temp.ids('~pgtap-ccb-a'), ARRAY['cp-006', 'cp-007', 'cp-008', 'cp-009', 'cp-010'],
          'thread a keeps the checkpoints created after the cutoff');
SELECT is(pg_temp.ids('~pgtap-ccb-b'), ARRAY['cp-003'], 'thread b loses both old checkpoints');
SELECT is((SELECT parent_checkpoint_id FROM langgraph.checkpoints WHERE thread_id = '~pgtap-ccb-a' AND checkpoint_id = 'cp-006'),
          NULL, 'the oldest kept checkpoint becomes a root');
SELECT is((SELECT array_agg(checkpoint_id ORDER BY checkpoint_id) FROM langgraph.checkpoint_writes WHERE thread_id = '~pgtap-ccb-a'),
          ARRAY['cp-006', 'cp-007', 'cp-008', 'cp-009', 'cp-010'], 'pending writes go with their checkpoints');
SELECT is((SELECT array_agg(channel || '@' || version ORDER BY channel, version::int) FROM langgraph.checkpoint_blobs WHERE thread_id = '~pgtap-ccb-a'),
          ARRAY['c@6', 'c@7', 'c@8', 'c@9', 'c@10', 'k@1'],
          'values nothing references go; a value still referenced stays, however old its first checkpoint');
SELECT is((SELECT (batches, checkpoints_removed)::text FROM langgraph.cleanup_runs WHERE run_id = :run_id), '(1,7)',
          'the batch adds its counts to the run');

-- keep_last wins over age: everything is old, the latest three stay.
SELECT results_eq(
    $$SELECT removed, done FROM langgraph._cleanup_checkpoints_batch(1, '2100-01-01 00:00:00+00', 3, '~pgtap-ccb-', 1000)$$,
    $$VALUES (2::bigint, true)$$, 'keep_last 3 removes the older ones of thread a');
SELECT is(pg_temp.ids('~pgtap-ccb-a'), ARRAY['cp-008', 'cp-009', 'cp-010'], 'the latest three stay, whatever their age');
SELECT is(pg_temp.ids('~pgtap-ccb-b'), ARRAY['cp-003'], 'a thread with fewer checkpoints keeps them all');

-- Namespaces are kept separately -------------------------------------------------
SELECT pg_temp.history('~pgtap-ccb-c', '', 3, '2000-01-01 00:00:00+00');
SELECT pg_temp.history('~pgtap-ccb-c', 'sub:1', 3, '2000-01-01 00:00:00+00');
SELECT langgraph._cleanup_checkpoints_batch(1, '2100-01-01 00:00:00+00', 1, '~pgtap-ccb-b', 1000);
SELECT is(pg_temp.ids('~pgtap-ccb-c') || pg_temp.ids('~pgtap-ccb-c', 'sub:1'), ARRAY['cp-003', 'cp-003'],
          'each namespace keeps its latest checkpoint');

-- DeltaChannel: the ancestors back to the stored seed stay ------------------------
-- Channel d is a delta channel stored only at cp-002; cp-003..cp-006 reference
-- versions with no stored value, so cp-006 is rebuilt from cp-002 plus the writes of
-- cp-002..cp-005.
SELECT pg_temp.history('~pgtap-ccb-d', '', 6, '2000-01-01 00:00:00+00');
UPDATE langgraph.checkpoints
SET checkpoint = jsonb_set(checkpoint, '{channel_versions,d}', to_jsonb(substr(checkpoint_id, 4)::int::text)),
    metadata = CASE checkpoint_id WHEN 'cp-006' THEN '{"counters_since_delta_snapshot": {"d": 4}}'::jsonb ELSE metadata END
WHERE thread_id = '~pgtap-ccb-d';
INSERT INTO langgraph.checkpoint_blobs (thread_id, channel, version, type, value)
VALUES ('~pgtap-ccb-d', 'd', '2', 'json', '["seed"]');
SELECT langgraph._cleanup_checkpoints_batch(1, '2100-01-01 00:00:00+00', 1, '~pgtap-ccb-c', 1000);
SELECT is(pg_temp.ids('~pgtap-ccb-d'), ARRAY['cp-002', 'cp-003', 'cp-004', 'cp-005', 'cp-006'],
          'the DeltaChannel chain of the kept checkpoint survives; only cp-001 goes');
SELECT ok(EXISTS (SELECT FROM langgraph.checkpoint_blobs WHERE thread_id = '~pgtap-ccb-d' AND channel = 'd' AND version = '2'),
          'the seed value survives');
SELECT is((SELECT count(*) FROM langgraph.checkpoint_writes WHERE thread_id = '~pgtap-ccb-d'), 5::bigint,
          'the writes the chain replays survive');

-- The budget: a thread with more to delete than batch_size is resumed -------------
SELECT pg_temp.history('~pgtap-ccb-e', '', 10, '2000-01-01 00:00:00+00');
SELECT results_eq(
    $$SELECT next_after, removed, done FROM langgraph._cleanup_checkpoints_batch(1, '2100-01-01 00:00:00+00', 1, '~pgtap-ccb-d', 4)$$,
    $$VALUES ('~pgtap-ccb-d'::text, 4::bigint, false)$$,
    'a batch stops at batch_size checkpoints and does not move past the unfinished thread');
SELECT is(pg_temp.ids('~pgtap-ccb-e'), ARRAY['cp-005', 'cp-006', 'cp-007', 'cp-008', 'cp-009', 'cp-010'],
          'oldest first');
SELECT results_eq(
    $$SELECT removed FROM langgraph._cleanup_checkpoints_batch(1, '2100-01-01 00:00:00+00', 1, '~pgtap-ccb-d', 5)$$,
    $$VALUES (5::bigint)$$, 'the next batch resumes the thread');
SELECT is(pg_temp.ids('~pgtap-ccb-e'), ARRAY['cp-010'], 'until only the latest is left');

-- No cutoff: keep the last N only -------------------------------------------------
SELECT pg_temp.history('~pgtap-ccb-f', '', 6, now());
SELECT results_eq(
    $$SELECT removed, done FROM langgraph._cleanup_checkpoints_batch(1, NULL, 2, '~pgtap-ccb-e', 4)$$,
    $$VALUES (4::bigint, false)$$, 'with a NULL cutoff age does not matter');
SELECT is(pg_temp.ids('~pgtap-ccb-f'), ARRAY['cp-005', 'cp-006'], 'the last two of a fresh thread are all that stay');

-- Per-thread retention (thread_settings) -----------------------------------------
-- g: old and pinned; h: days old, with its own ttl of 2 days, where the cutoff alone
-- (2000) would remove nothing; i: old, with a ttl of a century, where the cutoff
-- alone would remove all but the latest.
SELECT pg_temp.history('~pgtap-ccb-g', '', 4, '2000-01-01 00:00:00+00');
SELECT langgraph.pin_thread('~pgtap-ccb-g');
SELECT pg_temp.history('~pgtap-ccb-h', '', 5, now() - interval '5 days');
SELECT langgraph.set_thread_ttl('~pgtap-ccb-h', interval '2 days');
SELECT pg_temp.history('~pgtap-ccb-i', '', 3, '2000-01-01 00:00:00+00');
SELECT langgraph.set_thread_ttl('~pgtap-ccb-i', interval '100 years');
SELECT results_eq(
    $$SELECT removed, done FROM langgraph._cleanup_checkpoints_batch(1, '2000-01-01 00:00:00+00', 1, '~pgtap-ccb-f', 1000)$$,
    $$VALUES (3::bigint, true)$$, 'a thread''s own ttl replaces the cutoff');
SELECT is(pg_temp.ids('~pgtap-ccb-h'), ARRAY['cp-004', 'cp-005'], 'the checkpoints older than the thread''s ttl went');
SELECT is(pg_temp.ids('~pgtap-ccb-g'), ARRAY['cp-001', 'cp-002', 'cp-003', 'cp-004'], 'a pinned thread keeps everything');
SELECT langgraph._cleanup_checkpoints_batch(1, '2100-01-01 00:00:00+00', 1, '~pgtap-ccb-f', 1000);
SELECT is(pg_temp.ids('~pgtap-ccb-i'), ARRAY['cp-001', 'cp-002', 'cp-003'],
          'a long ttl keeps old checkpoints that the cutoff would remove');

SELECT * FROM finish();
ROLLBACK;
