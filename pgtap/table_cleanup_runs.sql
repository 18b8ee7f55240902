-- pgTAP tests for the table_cleanup_runs change: one row per retention run.
BEGIN;
SELECT plan(9);

SELECT has_table('langgraph', 'cleanup_runs', 'table cleanup_runs exists');
SELECT columns_are('langgraph', 'cleanup_runs',
    ARRAY['run_id', 'procedure', 'parameters', 'started_at', 'finished_at', 'batches',
          'checkpoints_removed', 'threads_removed', 'threads_skipped', 'tombstones_purged'],
    'cleanup_runs has exactly its columns');
SELECT col_is_pk('langgraph', 'cleanup_runs', 'run_id', 'run_id is the primary key');
SELECT col_type_is('langgraph', 'cleanup_runs', 'run_id', 'bigint', 'run_id is bigint');
SELECT col_is_null('langgraph', 'cleanup_runs', 'finished_at', 'finished_at is NULL while a run is going');
SELECT table_privs_are('langgraph', 'cleanup_runs', 'langgraph_client', ARRAY[]::text[], 'the client role has no privileges on cleanup_runs');
SELECT table_privs_are('langgraph', 'cleanup_runs', 'public', ARRAY[]::text[], 'PUBLIC has no privileges on cleanup_runs');
SELECT throws_ok($$INSERT INTO langgraph.cleanup_runs (procedure) VALUES ('vacuum')$$, '23514', NULL,
                 'only the retention procedures record runs');
INSERT INTO langgraph.cleanup_runs (procedure) VALUES ('cleanup_old_checkpoints');
SELECT is((SELECT (batches, checkpoints_removed, threads_removed, threads_skipped, tombstones_purged)::text
           FROM langgraph.cleanup_runs ORDER BY run_id DESC LIMIT 1), '(0,0,0,0,0)', 'counters start at zero');

SELECT * FROM finish();
ROLLBACK;
