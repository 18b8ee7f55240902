-- Deploy langgraph_checkpoint:procedure_cleanup_old_checkpoints to pg
-- requires: procedure_cleanup_old_checkpoints@v1.0.0
-- requires: function__cleanup_checkpoints_batch

BEGIN;

-- The procedure is unchanged; its batches now honour per-thread retention
-- (function__cleanup_checkpoints_batch), and its COMMENT says so.
COMMENT ON PROCEDURE :"schema".cleanup_old_checkpoints(integer, integer, integer, integer, bigint, bigint) IS
$c$Retention by age, in batches with a COMMIT after each: CALL langgraph.cleanup_old_checkpoints(30).
Parameters: retention_days (checkpoints created more than this many days ago go; NULL: no age
limit, keep only the last keep_last; a thread with its own TTL (set_thread_ttl) loses those older
than that TTL instead, and a pinned thread (pin_thread) is left alone), batch_size (default 1000: checkpoints deleted and threads
visited per transaction), keep_last (default 1: per thread and namespace the latest keep_last
checkpoints stay whatever their age, with the ancestors their DeltaChannels need), tombstone_days
(default 30: tombstones and cleanup_runs rows older than this are purged; NULL keeps them).
Pending writes and values go with their checkpoints. Threads a writer holds are skipped, not
waited for. Returns removed (checkpoints deleted) and skipped (threads skipped) and records the
run in cleanup_runs. Must be called outside a transaction block (autocommit; pg_cron does).
Raises LG003 (negative retention_days or tombstone_days, batch_size or keep_last below 1).$c$;

COMMIT;
