-- Deploy langgraph_checkpoint:function__cleanup_orphan_writes_batch to pg
-- requires: table_checkpoint_writes
-- requires: table_checkpoints
-- requires: table_cleanup_runs
\set client_role :schema '_client'

BEGIN;

-- Pending writes may commit before their checkpoint (LangGraph's async durability), so
-- put_writes accepts them and no foreign key ties them to it. When the process dies
-- between the two, or the checkpoint's save is refused (its parent was removed
-- meanwhile), the checkpoint never lands and its writes are owned by nothing: in 300
-- kill trials 49 left such rows. Retention removes them once they are older than its
-- horizon, by then no save is in flight for them. One bounded batch: threads with
-- such writes, in thread_id order from p_after on, at most p_batch_size of them, each
-- locked FOR UPDATE SKIP LOCKED as _cleanup_checkpoints_batch does, so a thread a
-- writer holds is skipped (and counted) rather than waited for. The search reads the
-- writes table once per batch from p_after on, by its primary key.
CREATE FUNCTION :"schema"._cleanup_orphan_writes_batch(
    p_run_id     bigint,
    p_cutoff     timestamptz,
    p_after      text,
    p_batch_size integer
)
RETURNS TABLE (next_after text, removed bigint, skipped integer, done boolean)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = :"schema", pg_temp
AS $$
DECLARE
    v_examined integer := 0;
    v_thread_id text;
    v_removed bigint;
BEGIN
    next_after := p_after;
    removed := 0;
    skipped := 0;
    FOR v_thread_id IN
        SELECT DISTINCT w.thread_id
        FROM checkpoint_writes AS w
        WHERE (p_after IS NULL OR w.thread_id > p_after)
          AND w.created_at < p_cutoff
          AND NOT EXISTS (SELECT FROM checkpoints AS c
                          WHERE c.thread_id = w.thread_id AND c.checkpoint_ns = w.checkpoint_ns
                            AND c.checkpoint_id = w.checkpoint_id)
        ORDER BY w.thread_id
        LIMIT p_batch_size
    LOOP
        v_examined := v_examined + 1;
        next_after := v_thread_id;
        PERFORM FROM threads AS t WHERE t.thread_id = v_thread_id FOR UPDATE SKIP LOCKED;
        IF NOT FOUND THEN
            skipped := skipped + 1;
            CONTINUE;
        END IF;
        DELETE FROM checkpoint_writes AS w
        WHERE w.thread_id = v_thread_id
          AND w.created_at < p_cutoff
          AND NOT EXISTS (SELECT FROM checkpoints AS c
                          WHERE c.thread_id = w.thread_id AND c.checkpoint_ns = w.checkpoint_ns
                            AND c.checkpoint_id = w.checkpoint_id);
        GET DIAGNOSTICS v_removed = ROW_COUNT;
        removed := removed + v_removed;
    END LOOP;

    done := v_examined < p_batch_size;
    UPDATE cleanup_runs AS r
    SET batches = r.batches + 1,
        threads_skipped = r.threads_skipped + skipped
    WHERE r.run_id = p_run_id;
    RETURN NEXT;
END
$$;

REVOKE ALL ON FUNCTION :"schema"._cleanup_orphan_writes_batch(bigint, timestamptz, text, integer) FROM PUBLIC;
-- cleanup_old_checkpoints runs as its caller and calls this.
GRANT EXECUTE ON FUNCTION :"schema"._cleanup_orphan_writes_batch(bigint, timestamptz, text, integer) TO :"client_role";

COMMENT ON FUNCTION :"schema"._cleanup_orphan_writes_batch(bigint, timestamptz, text, integer) IS
$c$Internal, for cleanup_old_checkpoints: one batch of removing pending writes whose checkpoint
does not exist and that were written before p_cutoff. Visits the threads after p_after (in
thread_id order, at most p_batch_size of them) that have such writes; skips those locked by
writers. Returns the cursor for the next batch (next_after), writes removed, threads skipped,
and whether the run is done; adds the batch and the skipped threads to cleanup_runs row
p_run_id. Raises nothing of its own.$c$;

COMMIT;
