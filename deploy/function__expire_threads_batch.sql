-- Deploy langgraph_checkpoint:function__expire_threads_batch to pg
-- requires: function__expire_threads_batch@v1.0.0
-- requires: column_thread_settings_retention
\set client_role :schema '_client'

BEGIN;

-- One bounded transaction's worth of expire_idle_threads. threads.updated_at is not
-- indexed (put_checkpoint updates it on every save), so the batches walk the primary
-- key from p_after on instead of scanning the table once per batch.
-- Reworked for per-thread retention (thread_settings): a pinned thread never expires; a
-- thread with its own ttl expires when it has been inactive that long, instead of
-- p_idle_before; a thread that refreshes on read is active when read (read_at).
CREATE OR REPLACE FUNCTION :"schema"._expire_threads_batch(
    p_run_id      bigint,
    p_idle_before timestamptz,
    p_after       text,
    p_batch_size  integer
)
RETURNS TABLE (next_after text, threads_removed integer, checkpoints_removed bigint, skipped integer, done boolean)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = :"schema", pg_temp
AS $$
DECLARE
    v_examined integer := 0;
    v_thread_id text;
    v_updated_at timestamptz;
BEGIN
    next_after := p_after;
    threads_removed := 0;
    checkpoints_removed := 0;
    skipped := 0;
    FOR v_thread_id IN
        SELECT t.thread_id
        FROM threads AS t
        LEFT JOIN thread_settings AS s ON s.thread_id = t.thread_id
        WHERE (p_after IS NULL OR t.thread_id > p_after)
          AND s.pinned IS NOT TRUE
          AND _thread_last_active(t.updated_at, s.refresh_on_read, s.read_at) < coalesce(now() - s.ttl, p_idle_before)
        ORDER BY t.thread_id
        LIMIT p_batch_size
    LOOP
        v_examined := v_examined + 1;
        next_after := v_thread_id;
        -- A writer holding the thread is using it: skip, do not wait. A save that
        -- committed since the scan makes the thread live again.
        SELECT t.updated_at INTO v_updated_at
        FROM threads AS t WHERE t.thread_id = v_thread_id FOR UPDATE SKIP LOCKED;
        IF NOT FOUND THEN
            skipped := skipped + 1;
            CONTINUE;
        END IF;
        -- Settings (a pin, a read) committed since the scan count too.
        CONTINUE WHEN NOT EXISTS (
            SELECT FROM (SELECT v_updated_at AS updated_at) AS t
            LEFT JOIN thread_settings AS s ON s.thread_id = v_thread_id
            WHERE s.pinned IS NOT TRUE
              AND _thread_last_active(t.updated_at, s.refresh_on_read, s.read_at) < coalesce(now() - s.ttl, p_idle_before));
        -- delete_thread also leaves the tombstone that keeps late writes out.
        checkpoints_removed := checkpoints_removed + delete_thread(v_thread_id);
        threads_removed := threads_removed + 1;
    END LOOP;

    done := v_examined < p_batch_size;
    UPDATE cleanup_runs AS r
    SET batches = r.batches + 1,
        checkpoints_removed = r.checkpoints_removed + _expire_threads_batch.checkpoints_removed,
        threads_removed = r.threads_removed + _expire_threads_batch.threads_removed,
        threads_skipped = r.threads_skipped + skipped
    WHERE r.run_id = p_run_id;
    RETURN NEXT;
END
$$;


COMMENT ON FUNCTION :"schema"._expire_threads_batch(bigint, timestamptz, text, integer) IS
$c$Internal, for expire_idle_threads: one batch. Visits up to p_batch_size threads after p_after (in
thread_id order) that are not pinned and whose last activity (updated_at, or read_at when the
thread refreshes on read) is before p_idle_before, or before now() minus the thread's own ttl
when it has one (thread_settings); skips those a writer holds, and
deletes the others whole through delete_thread (which tombstones them). Returns the cursor for
the next batch (next_after), threads and checkpoints removed, threads skipped, and whether the
run is done; adds the counts to cleanup_runs row p_run_id. Raises nothing of its own.$c$;

COMMIT;
