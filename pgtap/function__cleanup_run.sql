-- pgTAP tests for the function__cleanup_run change: opening and closing a retention run.
BEGIN;
SELECT plan(14);

SELECT has_function('langgraph', '_cleanup_run_begin', ARRAY['text', 'jsonb'], '_cleanup_run_begin exists');
SELECT has_function('langgraph', '_cleanup_run_finish', ARRAY['bigint', 'timestamp with time zone'], '_cleanup_run_finish exists');
SELECT function_returns('langgraph', '_cleanup_run_begin', ARRAY['text', 'jsonb'], 'bigint', '_cleanup_run_begin returns the run id');
SELECT function_returns('langgraph', '_cleanup_run_finish', ARRAY['bigint', 'timestamp with time zone'], 'bigint', '_cleanup_run_finish returns the tombstones purged');
SELECT is_definer('langgraph', '_cleanup_run_begin', ARRAY['text', 'jsonb'], '_cleanup_run_begin is SECURITY DEFINER');
SELECT is_definer('langgraph', '_cleanup_run_finish', ARRAY['bigint', 'timestamp with time zone'], '_cleanup_run_finish is SECURITY DEFINER');
SELECT function_privs_are('langgraph', '_cleanup_run_begin', ARRAY['text', 'jsonb'], 'langgraph_client', ARRAY['EXECUTE'],
                          'the client role can open a run (the procedures run as the caller)');
SELECT function_privs_are('langgraph', '_cleanup_run_finish', ARRAY['bigint', 'timestamp with time zone'], 'langgraph_reader', ARRAY[]::text[],
                          'the reader role cannot close a run');

SELECT langgraph._cleanup_run_begin('expire_idle_threads', '{"idle": "1 day"}') AS run_id \gset
SELECT is((SELECT (procedure, parameters ->> 'idle', finished_at IS NULL)::text FROM langgraph.cleanup_runs WHERE run_id = :run_id),
          '(expire_idle_threads,"1 day",t)', 'a run starts open, with its parameters');

INSERT INTO langgraph.deleted_threads (thread_id, deleted_at) VALUES
    ('pgtap-cleanup-run-old', '2000-01-01 00:00:00+00'), ('pgtap-cleanup-run-new', '2000-03-01 00:00:00+00');
INSERT INTO langgraph.cleanup_runs (procedure, started_at) VALUES ('cleanup_old_checkpoints', '2000-01-01 00:00:00+00');
SELECT is(langgraph._cleanup_run_finish(:run_id, '2000-02-01 00:00:00+00'), 1::bigint,
          'closing purges the tombstones older than the horizon');
SELECT is((SELECT array_agg(thread_id) FROM langgraph.deleted_threads WHERE thread_id LIKE 'pgtap-cleanup-run-%'),
          ARRAY['pgtap-cleanup-run-new'], '... and keeps the newer ones');
SELECT ok(NOT EXISTS (SELECT FROM langgraph.cleanup_runs WHERE started_at = '2000-01-01 00:00:00+00'),
          '... and purges the rows of old runs');
SELECT is((SELECT (finished_at IS NOT NULL, tombstones_purged)::text FROM langgraph.cleanup_runs WHERE run_id = :run_id),
          '(t,1)', 'the run is closed with its count');
SELECT is(langgraph._cleanup_run_finish(:run_id, NULL), 0::bigint, 'a NULL horizon purges nothing');

SELECT * FROM finish();
ROLLBACK;
