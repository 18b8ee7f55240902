-- Deploy langgraph_checkpoint:procedure_expire_idle_threads to pg
-- requires: function__expire_threads_batch
-- requires: function__cleanup_run
\set client_role :schema '_client'

BEGIN;

-- Reworked after v1.0.0: an idle interval or day count past the timestamp range raises
-- LG003 up front, not 22008 (timestamp out of range) after batches were committed.

-- Whole-thread TTL. Like cleanup_old_checkpoints it COMMITs between batches, so it
-- runs as its caller, with every name qualified (@schema@ below).
SELECT replace($ddl$
CREATE OR REPLACE PROCEDURE @schema@.expire_idle_threads(
    idle           interval,
    batch_size     integer DEFAULT 100,
    tombstone_days integer DEFAULT 30,
    INOUT removed  bigint  DEFAULT NULL,
    INOUT skipped  bigint  DEFAULT NULL
)
LANGUAGE plpgsql
AS $body$
DECLARE
    v_run_id bigint;
    v_idle_before timestamptz;
    v_after text;
    v_checkpoints bigint := 0;
    v_batch record;
BEGIN
    -- now() minus more than this leaves the timestamp range (4713 BC).
    IF idle IS NULL OR idle < interval '0' OR idle > interval '1000000 days' THEN
        RAISE EXCEPTION 'idle must be an interval between 0 and 1000000 days, got %', coalesce(idle::text, 'NULL')
            USING ERRCODE = 'LG003',
                  HINT = 'For example interval ''90 days'': threads with no checkpoint saved for that long go.';
    END IF;
    IF batch_size IS NULL OR batch_size < 1 THEN
        RAISE EXCEPTION 'batch_size must be at least 1, got %', coalesce(batch_size::text, 'NULL')
            USING ERRCODE = 'LG003',
                  HINT = 'About 100 threads per transaction keeps locks short.';
    END IF;
    IF tombstone_days < 0 OR tombstone_days > 1000000 THEN
        RAISE EXCEPTION 'tombstone_days must be between 0 and 1000000, got %', tombstone_days
            USING ERRCODE = 'LG003',
                  HINT = 'Pass NULL to keep tombstones and run history forever.';
    END IF;

    v_idle_before := now() - idle;
    v_run_id := @schema@._cleanup_run_begin('expire_idle_threads', jsonb_build_object(
        'idle', idle, 'batch_size', batch_size, 'tombstone_days', tombstone_days,
        'idle_before', v_idle_before));
    COMMIT;

    removed := 0;
    skipped := 0;
    LOOP
        SELECT * INTO v_batch
        FROM @schema@._expire_threads_batch(v_run_id, v_idle_before, v_after, batch_size);
        COMMIT;
        removed := removed + v_batch.threads_removed;
        skipped := skipped + v_batch.skipped;
        v_checkpoints := v_checkpoints + v_batch.checkpoints_removed;
        v_after := v_batch.next_after;
        EXIT WHEN v_batch.done;
    END LOOP;

    PERFORM @schema@._cleanup_run_finish(v_run_id, now() - make_interval(days => tombstone_days));
    COMMIT;
    RAISE NOTICE 'expire_idle_threads: removed % threads (% checkpoints), skipped % busy threads (run %)',
        removed, v_checkpoints, skipped, v_run_id;
END
$body$
$ddl$, '@schema@', quote_ident(:'schema'))
\gexec

REVOKE ALL ON PROCEDURE :"schema".expire_idle_threads(interval, integer, integer, bigint, bigint) FROM PUBLIC;
GRANT EXECUTE ON PROCEDURE :"schema".expire_idle_threads(interval, integer, integer, bigint, bigint) TO :"client_role";

COMMENT ON PROCEDURE :"schema".expire_idle_threads(interval, integer, integer, bigint, bigint) IS
$c$Whole-thread TTL, in batches with a COMMIT after each: CALL langgraph.expire_idle_threads('90 days').
Parameters: idle (threads whose last checkpoint was saved longer ago than this, by
threads.updated_at, are deleted whole and tombstoned like delete_thread does), batch_size
(default 100 threads per transaction), tombstone_days (default 30: tombstones and cleanup_runs
rows older than this are purged; NULL keeps them). Threads a writer holds are skipped, not
waited for. Returns removed (threads deleted) and skipped (threads skipped) and records the run
in cleanup_runs. Must be called outside a transaction block (autocommit; pg_cron does).
Raises LG003 (idle NULL, negative or over 1000000 days, batch_size below 1, tombstone_days
negative or over 1000000).$c$;

COMMIT;
