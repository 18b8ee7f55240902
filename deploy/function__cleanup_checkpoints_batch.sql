-- Deploy langgraph_checkpoint:function__cleanup_checkpoints_batch to pg
-- requires: function__cleanup_checkpoints_batch@v1.0.0
-- requires: column_thread_settings_retention
\set client_role :schema '_client'

BEGIN;

-- One bounded transaction's worth of cleanup_old_checkpoints. Threads are visited in
-- thread_id order from p_after on; each is locked FOR UPDATE SKIP LOCKED, so a thread a
-- writer holds is skipped (and counted) instead of waited for, and a writer waits at
-- most for the rest of this batch. Per namespace the latest p_keep_last checkpoints
-- stay, with the ancestors their DeltaChannels are rebuilt from (as prune_checkpoints
-- keeps them); of the rest, those created before p_cutoff (all of them when p_cutoff
-- is NULL) go, oldest first, at most p_batch_size per batch. A thread cut short by
-- that budget is not passed: next_after stops before it, so the next batch resumes it.
-- Reworked for per-thread retention (thread_settings): a pinned thread is not visited,
-- and a thread with its own ttl loses the checkpoints older than that ttl instead of
-- those before p_cutoff (keep_last and DeltaChannel ancestors still stay).
CREATE OR REPLACE FUNCTION :"schema"._cleanup_checkpoints_batch(
    p_run_id     bigint,
    p_cutoff     timestamptz,
    p_keep_last  integer,
    p_after      text,
    p_batch_size integer
)
RETURNS TABLE (next_after text, removed bigint, skipped integer, done boolean)
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = :"schema", pg_temp
AS $$
DECLARE
    v_budget integer := p_batch_size;
    v_examined integer := 0;
    v_cut boolean := false;
    v_thread_id text;
    v_ns text;
    v_keep text[];
    v_doomed text[];
    v_thread_cutoff timestamptz;
    v_pinned boolean;
BEGIN
    next_after := p_after;
    removed := 0;
    skipped := 0;
    FOR v_thread_id IN
        SELECT t.thread_id
        FROM threads AS t
        LEFT JOIN thread_settings AS s ON s.thread_id = t.thread_id
        WHERE (p_after IS NULL OR t.thread_id > p_after)
          AND s.pinned IS NOT TRUE
          AND EXISTS (SELECT FROM checkpoints AS c
                      WHERE c.thread_id = t.thread_id
                        AND (coalesce(now() - s.ttl, p_cutoff) IS NULL OR c.created_at < coalesce(now() - s.ttl, p_cutoff)))
        ORDER BY t.thread_id
        LIMIT p_batch_size
    LOOP
        v_examined := v_examined + 1;
        PERFORM FROM threads AS t WHERE t.thread_id = v_thread_id FOR UPDATE SKIP LOCKED;
        IF NOT FOUND THEN
            skipped := skipped + 1;
            next_after := v_thread_id;
            CONTINUE;
        END IF;
        -- Read again under the lock: a pin or a TTL set since the scan counts.
        SELECT CASE WHEN s.ttl IS NULL THEN p_cutoff ELSE now() - s.ttl END, coalesce(s.pinned, false)
        INTO v_thread_cutoff, v_pinned
        FROM (SELECT) AS one LEFT JOIN thread_settings AS s ON s.thread_id = v_thread_id;
        IF v_pinned THEN
            next_after := v_thread_id;
            CONTINUE;
        END IF;

        FOR v_ns IN
            SELECT DISTINCT c.checkpoint_ns FROM checkpoints AS c WHERE c.thread_id = v_thread_id
        LOOP
            WITH latest AS MATERIALIZED (
                SELECT c.checkpoint_id, c.parent_checkpoint_id,
                       ARRAY(SELECT jsonb_object_keys(
                                 CASE WHEN jsonb_typeof(c.metadata -> 'counters_since_delta_snapshot') = 'object'
                                      THEN c.metadata -> 'counters_since_delta_snapshot' ELSE '{}' END)) AS delta_channels
                FROM checkpoints AS c
                WHERE c.thread_id = v_thread_id AND c.checkpoint_ns = v_ns
                ORDER BY c.checkpoint_id DESC
                LIMIT p_keep_last
            )
            SELECT array_agg(k.checkpoint_id) INTO v_keep
            FROM (
                SELECT l.checkpoint_id FROM latest AS l
                UNION
                SELECT d.checkpoint_id
                FROM latest AS l
                CROSS JOIN LATERAL _delta_chain(v_thread_id, v_ns, l.parent_checkpoint_id, l.delta_channels) AS d
            ) AS k;

            v_doomed := ARRAY(
                SELECT c.checkpoint_id
                FROM checkpoints AS c
                WHERE c.thread_id = v_thread_id AND c.checkpoint_ns = v_ns
                  AND (v_thread_cutoff IS NULL OR c.created_at < v_thread_cutoff)
                  AND c.checkpoint_id <> ALL (coalesce(v_keep, '{}'))
                ORDER BY c.checkpoint_id
                LIMIT v_budget);
            CONTINUE WHEN cardinality(v_doomed) = 0;

            removed := removed + _delete_checkpoints(v_thread_id, v_ns, v_doomed);
            v_budget := v_budget - cardinality(v_doomed);
            IF v_budget <= 0 THEN
                v_cut := true;
                EXIT;
            END IF;
        END LOOP;
        EXIT WHEN v_cut;
        next_after := v_thread_id;
    END LOOP;

    done := NOT v_cut AND v_examined < p_batch_size;
    UPDATE cleanup_runs AS r
    SET batches = r.batches + 1,
        checkpoints_removed = r.checkpoints_removed + removed,
        threads_skipped = r.threads_skipped + skipped
    WHERE r.run_id = p_run_id;
    RETURN NEXT;
END
$$;


COMMENT ON FUNCTION :"schema"._cleanup_checkpoints_batch(bigint, timestamptz, integer, text, integer) IS
$c$Internal, for cleanup_old_checkpoints: one batch. Visits threads after p_after (in thread_id
order, at most p_batch_size of them) that are not pinned and have checkpoints created before
their cutoff: now() minus the thread's own ttl when it has one (thread_settings), else p_cutoff
(any, when NULL); skips those locked by writers; in each namespace keeps the latest p_keep_last
checkpoints and their DeltaChannel ancestors and deletes up to p_batch_size of the others that
are older than the cutoff, with their writes and orphaned values. Returns the cursor for the next batch
(next_after), checkpoints removed, threads skipped, and whether the run is done; adds the counts
to cleanup_runs row p_run_id. Raises nothing of its own.$c$;

COMMIT;
