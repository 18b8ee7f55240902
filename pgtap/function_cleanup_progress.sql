-- pgTAP tests for the function_cleanup_progress change: runs in progress and their
-- committed counters, for a display in another session.
BEGIN;
SELECT plan(9);

SELECT has_function('langgraph', 'cleanup_progress', ARRAY[]::text[], 'cleanup_progress() exists');
SELECT function_returns('langgraph', 'cleanup_progress', ARRAY[]::text[], 'setof record', 'it returns a set of rows');
SELECT is_definer('langgraph', 'cleanup_progress', ARRAY[]::text[], 'it is SECURITY DEFINER');
SELECT volatility_is('langgraph', 'cleanup_progress', ARRAY[]::text[], 'stable', 'it is STABLE');
SELECT function_privs_are('langgraph', 'cleanup_progress', ARRAY[]::text[], 'langgraph_reader', ARRAY['EXECUTE'],
    'the reader role can call it');
SELECT function_privs_are('langgraph', 'cleanup_progress', ARRAY[]::text[], 'public', ARRAY[]::text[], 'PUBLIC cannot');

-- A run going (no finished_at) after two batches, and a finished one.
SELECT langgraph._cleanup_run_begin('cleanup_old_checkpoints', '{"retention_days": 7}') AS going \gset
UPDATE langgraph.cleanup_runs SET batches = 2, checkpoints_removed = 1500, threads_skipped = 1 WHERE run_id = :going;
SELECT langgraph._cleanup_run_begin('expire_idle_threads', '{}') AS done \gset
SELECT langgraph._cleanup_run_finish(:done, NULL);

SELECT results_eq(
    format('SELECT run_id, procedure, batches, checkpoints_removed, threads_removed, threads_skipped
            FROM langgraph.cleanup_progress() WHERE run_id IN (%s, %s)', :going, :done),
    format('VALUES (%s::bigint, ''cleanup_old_checkpoints''::text, 2, 1500::bigint, 0::bigint, 1::bigint)', :going),
    'a run not finished is listed with its counters; a finished one is not'
);
SELECT is((SELECT parameters FROM langgraph.cleanup_progress() WHERE run_id = :going), '{"retention_days": 7}'::jsonb,
          'with the parameters it was called with');
SELECT is((SELECT array_agg(run_id) FROM langgraph.cleanup_progress()),
          (SELECT array_agg(run_id ORDER BY run_id DESC) FROM langgraph.cleanup_runs WHERE finished_at IS NULL),
          'newest first');

SELECT * FROM finish();
ROLLBACK;
