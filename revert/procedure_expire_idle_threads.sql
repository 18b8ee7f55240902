-- Revert langgraph_checkpoint:procedure_expire_idle_threads from pg: the v1.0.0 COMMENT.

BEGIN;

COMMENT ON PROCEDURE :"schema".expire_idle_threads(interval, integer, integer, bigint, bigint) IS
$c$Whole-thread TTL, in batches with a COMMIT after each: CALL langgraph.expire_idle_threads('90 days').
Parameters: idle (threads whose last checkpoint was saved longer ago than this, by
threads.updated_at, are deleted whole and tombstoned like delete_thread does), batch_size
(default 100 threads per transaction), tombstone_days (default 30: tombstones and cleanup_runs
rows older than this are purged; NULL keeps them). Threads a writer holds are skipped, not
waited for. Returns removed (threads deleted) and skipped (threads skipped) and records the run
in cleanup_runs. Must be called outside a transaction block (autocommit; pg_cron does).
Raises LG003 (NULL or negative idle, batch_size below 1, negative tombstone_days).$c$;

COMMIT;
