-- Deploy langgraph_checkpoint:procedure_cleanup_old_checkpoints to pg
-- requires: function__cleanup_checkpoints_batch
-- requires: function__cleanup_run
-- requires: function__cleanup_orphan_writes_batch
\set client_role :schema '_client'

BEGIN;

-- Reworked after v1.0.0: day counts past the timestamp range raise LG003 up front, not
-- 22008 (timestamp out of range) after batches were committed.

-- A procedure, so that it can COMMIT between batches: locks are held for one batch
-- and dead rows become reclaimable as it goes. PostgreSQL allows no transaction
-- control in a SECURITY DEFINER procedure or in one with a SET clause, so this one
-- runs as its caller with no pinned search_path: every name in it is qualified with
-- the schema (substituted for @schema@ below), and all data access happens in the
-- SECURITY DEFINER batch functions.
-- Reworked after v1.0.0: after the checkpoints, the pending writes whose checkpoint
-- never landed (see _cleanup_orphan_writes_batch) go too, in batches of their own,
-- once older than the cutoff and at least an hour old, whatever retention_days says:
-- a write may precede its checkpoint by the time a save takes, never by an hour.
SELECT replace($ddl$
CREATE OR REPLACE PROCEDURE @schema@.cleanup_old_checkpoints(
    retention_days integer,
    batch_size     integer DEFAULT 1000,
    keep_last      integer DEFAULT 1,
    tombstone_days integer DEFAULT 30,
    INOUT removed  bigint  DEFAULT NULL,
    INOUT skipped  bigint  DEFAULT NULL
)
LANGUAGE plpgsql
AS $body$
DECLARE
    v_run_id bigint;
    v_cutoff timestamptz;
    v_after text;
    v_batch record;
    v_orphans bigint := 0::bigint;
BEGIN
    -- now() minus more days than this leaves the timestamp range (4713 BC).
    IF retention_days < 0 OR retention_days > 1000000 THEN
        RAISE EXCEPTION 'retention_days must be between 0 and 1000000, got %', retention_days
            USING ERRCODE = 'LG003',
                  HINT = 'Pass the age in days beyond which checkpoints go, or NULL to keep only the last keep_last.';
    END IF;
    IF batch_size IS NULL OR batch_size < 1 THEN
        RAISE EXCEPTION 'batch_size must be at least 1, got %', coalesce(batch_size::text, 'NULL')
            USING ERRCODE = 'LG003',
                  HINT = 'About 1000 checkpoints per transaction keeps locks short.';
    END IF;
    IF keep_last IS NULL OR keep_last < 1 THEN
        RAISE EXCEPTION 'keep_last must be at least 1, got %', coalesce(keep_last::text, 'NULL')
            USING ERRCODE = 'LG003',
                  HINT = 'The latest checkpoint is what a thread resumes from; to remove whole threads use expire_idle_threads.';
    END IF;
    IF tombstone_days < 0 OR tombstone_days > 1000000 THEN
        RAISE EXCEPTION 'tombstone_days must be between 0 and 1000000, got %', tombstone_days
            USING ERRCODE = 'LG003',
                  HINT = 'Pass NULL to keep tombstones and run history forever.';
    END IF;

    v_cutoff := now() - make_interval(days => retention_days);
    v_run_id := @schema@._cleanup_run_begin('cleanup_old_checkpoints', jsonb_build_object(
        'retention_days', retention_days, 'batch_size', batch_size, 'keep_last', keep_last,
        'tombstone_days', tombstone_days, 'cutoff', v_cutoff));
    COMMIT;

    removed := 0;
    skipped := 0;
    LOOP
        SELECT * INTO v_batch
        FROM @schema@._cleanup_checkpoints_batch(v_run_id, v_cutoff, keep_last, v_after, batch_size);
        COMMIT;
        removed := removed + v_batch.removed;
        skipped := skipped + v_batch.skipped;
        v_after := v_batch.next_after;
        EXIT WHEN v_batch.done;
    END LOOP;

    v_after := NULL;
    LOOP
        SELECT * INTO v_batch
        FROM @schema@._cleanup_orphan_writes_batch(
            v_run_id, least(coalesce(v_cutoff, now()), now() - interval '1 hour'), v_after, batch_size);
        COMMIT;
        v_orphans := v_orphans + v_batch.removed;
        skipped := skipped + v_batch.skipped;
        v_after := v_batch.next_after;
        EXIT WHEN v_batch.done;
    END LOOP;

    PERFORM @schema@._cleanup_run_finish(v_run_id, now() - make_interval(days => tombstone_days));
    COMMIT;
    RAISE NOTICE 'cleanup_old_checkpoints: removed % checkpoints and % orphaned writes, skipped % busy threads (run %)',
        removed, v_orphans, skipped, v_run_id;
END
$body$
$ddl$, '@schema@', quote_ident(:'schema'))
\gexec

REVOKE ALL ON PROCEDURE :"schema".cleanup_old_checkpoints(integer, integer, integer, integer, bigint, bigint) FROM PUBLIC;
GRANT EXECUTE ON PROCEDURE :"schema".cleanup_old_checkpoints(integer, integer, integer, integer, bigint, bigint) TO :"client_role";

COMMENT ON PROCEDURE :"schema".cleanup_old_checkpoints(integer, integer, integer, integer, bigint, bigint) IS
$c$Retention by age, in batches with a COMMIT after each: CALL langgraph.cleanup_old_checkpoints(30).
Parameters: retention_days (checkpoints created more than this many days ago go; NULL: no age
limit, keep only the last keep_last), batch_size (default 1000: checkpoints deleted and threads
visited per transaction), keep_last (default 1: per thread and namespace the latest keep_last
checkpoints stay whatever their age, with the ancestors their DeltaChannels need), tombstone_days
(default 30: tombstones and cleanup_runs rows older than this are purged; NULL keeps them).
Pending writes and values go with their checkpoints; pending writes whose checkpoint never
landed go once they are older than the cutoff and at least an hour old. Threads a writer holds
are skipped, not waited for. Returns removed (checkpoints deleted) and skipped (threads skipped) and records the
run in cleanup_runs. Must be called outside a transaction block (autocommit; pg_cron does).
Raises LG003 (retention_days or tombstone_days negative or over 1000000, batch_size or keep_last
below 1).$c$;

COMMIT;
