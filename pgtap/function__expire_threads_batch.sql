-- pgTAP tests for the function__expire_threads_batch change: one bounded batch of
-- whole-thread TTL. Thread ids start with '~' so that batches, which visit every thread
-- after their cursor, meet no one else's threads.
BEGIN;
SELECT plan(17);

CREATE FUNCTION pg_temp.thread(p_thread text, p_updated_at timestamptz) RETURNS void LANGUAGE sql AS $$
    SELECT langgraph.put_checkpoint(p_thread, '', 'cp-001', NULL, '{"channel_versions": {"c": "1"}}', '{}',
        ARRAY['c'], ARRAY['json'], ARRAY['1'::jsonb], ARRAY[NULL::bytea]);
    SELECT langgraph.put_writes(p_thread, '', 'cp-001', 'task', ARRAY['c'], ARRAY['json'], ARRAY['2'::jsonb], ARRAY[NULL::bytea]);
    UPDATE langgraph.threads SET updated_at = p_updated_at WHERE thread_id = p_thread;
$$;

SELECT has_function('langgraph', '_expire_threads_batch',
    ARRAY['bigint', 'timestamp with time zone', 'text', 'integer'], '_expire_threads_batch exists');
SELECT function_returns('langgraph', '_expire_threads_batch',
    ARRAY['bigint', 'timestamp with time zone', 'text', 'integer'], 'setof record', 'it returns one row');
SELECT is_definer('langgraph', '_expire_threads_batch',
    ARRAY['bigint', 'timestamp with time zone', 'text', 'integer'], 'it is SECURITY DEFINER');
SELECT function_privs_are('langgraph', '_expire_threads_batch',
    ARRAY['bigint', 'timestamp with time zone', 'text', 'integer'], 'langgraph_client', ARRAY['EXECUTE'],
    'the client role can call it (expire_idle_threads runs as the caller)');
SELECT function_privs_are('langgraph', '_expire_threads_batch',
    ARRAY['bigint', 'timestamp with time zone', 'text', 'integer'], 'langgraph_reader', ARRAY[]::text[],
    'the reader role cannot');

SELECT pg_temp.thread('~pgtap-etb-a', '2000-01-01 00:00:00+00');
SELECT pg_temp.thread('~pgtap-etb-b', '2030-01-01 00:00:00+00');
SELECT pg_temp.thread('~pgtap-etb-c', '2000-01-02 00:00:00+00');
SELECT pg_temp.thread('~pgtap-etb-d', '2000-01-03 00:00:00+00');
SELECT langgraph._cleanup_run_begin('expire_idle_threads', '{}') AS run_id \gset

SELECT results_eq(
    format($$SELECT next_after, threads_removed, checkpoints_removed, skipped, done
             FROM langgraph._expire_threads_batch(%s, '2001-01-01 00:00:00+00', '~pgtap-etb-', 2)$$, :run_id),
    $$VALUES ('~pgtap-etb-c'::text, 2, 2::bigint, 0, false)$$,
    'a batch deletes up to batch_size idle threads and says more may follow');
SELECT is((SELECT array_agg(thread_id ORDER BY thread_id) FROM langgraph.threads WHERE thread_id LIKE '~pgtap-etb-%'),
          ARRAY['~pgtap-etb-b', '~pgtap-etb-d'], 'the idle threads it reached are gone, the live one stays');
SELECT is((SELECT count(*) FROM langgraph.checkpoint_writes WHERE thread_id IN ('~pgtap-etb-a', '~pgtap-etb-c')), 0::bigint,
          'their pending writes are gone');
SELECT is((SELECT array_agg(thread_id ORDER BY thread_id) FROM langgraph.deleted_threads WHERE thread_id LIKE '~pgtap-etb-%'),
          ARRAY['~pgtap-etb-a', '~pgtap-etb-c'], 'expired threads are tombstoned');
SELECT results_eq(
    format($$SELECT next_after, threads_removed, done
             FROM langgraph._expire_threads_batch(%s, '2001-01-01 00:00:00+00', '~pgtap-etb-c', 2)$$, :run_id),
    $$VALUES ('~pgtap-etb-d'::text, 1, true)$$, 'the next batch continues from the cursor and finishes');
SELECT is((SELECT (batches, threads_removed, checkpoints_removed)::text FROM langgraph.cleanup_runs WHERE run_id = :run_id),
          '(2,3,3)', 'the batches add their counts to the run');
SELECT throws_ok($$SELECT langgraph.put_writes('~pgtap-etb-a', '', 'cp-001', 'task', ARRAY['c'], ARRAY['json'], ARRAY['3'::jsonb], ARRAY[NULL::bytea])$$,
                 'LG008', NULL, 'a late write for an expired thread is refused');

-- Per-thread retention (thread_settings). e: idle for decades but pinned; f: saved two
-- hours ago, with its own ttl of one hour; g: idle for decades with a ttl of a
-- century; h: saved decades ago, ttl one hour, refreshed on read, read just now.
SELECT pg_temp.thread('~pgtap-etb-e', '2000-01-01 00:00:00+00');
SELECT langgraph.pin_thread('~pgtap-etb-e');
SELECT pg_temp.thread('~pgtap-etb-f', now() - interval '2 hours');
SELECT langgraph.set_thread_ttl('~pgtap-etb-f', interval '1 hour');
SELECT pg_temp.thread('~pgtap-etb-g', '2000-01-01 00:00:00+00');
SELECT langgraph.set_thread_ttl('~pgtap-etb-g', interval '100 years');
SELECT pg_temp.thread('~pgtap-etb-h', '2000-01-01 00:00:00+00');
SELECT langgraph.set_thread_ttl('~pgtap-etb-h', interval '1 hour', p_refresh_on_read => true);
SELECT langgraph.touch_thread('~pgtap-etb-h');
SELECT results_eq(
    format($$SELECT threads_removed, done FROM langgraph._expire_threads_batch(%s, '2001-01-01 00:00:00+00', '~pgtap-etb-d', 10)$$, :run_id),
    $$VALUES (1, true)$$, 'one thread of four expires');
SELECT is((SELECT array_agg(thread_id ORDER BY thread_id) FROM langgraph.threads WHERE thread_id > '~pgtap-etb-d' AND thread_id LIKE '~pgtap-etb-%'),
          ARRAY['~pgtap-etb-e', '~pgtap-etb-g', '~pgtap-etb-h'],
          'the thread whose own ttl ran out went, though the global idle limit spares it');
SELECT ok(EXISTS (SELECT FROM langgraph.deleted_threads WHERE thread_id = '~pgtap-etb-f'), 'it is tombstoned like the others');
SELECT is(langgraph.pin_thread('~pgtap-etb-e', false), false, 'unpinned...');
SELECT results_eq(
    format($$SELECT threads_removed FROM langgraph._expire_threads_batch(%s, '2001-01-01 00:00:00+00', '~pgtap-etb-d', 10)$$, :run_id),
    $$VALUES (1)$$, '... the old thread expires with the next batch');

SELECT * FROM finish();
ROLLBACK;
