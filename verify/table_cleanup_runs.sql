-- Verify langgraph_checkpoint:table_cleanup_runs on pg

BEGIN;

SELECT run_id, procedure, parameters, started_at, finished_at, batches,
       checkpoints_removed, threads_removed, threads_skipped, tombstones_purged
FROM :"schema".cleanup_runs WHERE false;

ROLLBACK;
