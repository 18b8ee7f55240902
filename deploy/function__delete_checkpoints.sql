-- Deploy langgraph_checkpoint:function__delete_checkpoints to pg
-- requires: table_checkpoints
-- requires: table_checkpoint_blobs
-- requires: table_checkpoint_writes
-- requires: column_checkpoint_blobs_base_version
-- requires: table_removed_checkpoints
-- requires: column_threads_removed_through

BEGIN;

-- Shared by delete_for_runs, prune_checkpoints and retention: removes checkpoints with
-- their pending writes and every value no remaining checkpoint of the namespace
-- references, and turns checkpoints whose parent went into roots, so no row is left
-- pointing at nothing. Callers lock the thread row first (FOR UPDATE), which keeps a
-- concurrent put from referencing a value while it is judged unreferenced.
-- Reworked after v1.0.0: a removal is recorded (removed_checkpoints, and the thread's
-- removed_through raised), so a run still writing to a removed checkpoint is refused
-- (LG008) instead of leaving writes no checkpoint owns.
CREATE OR REPLACE FUNCTION :"schema"._delete_checkpoints(p_thread_id text, p_checkpoint_ns text, p_checkpoint_ids text[])
RETURNS bigint
LANGUAGE plpgsql VOLATILE
SET search_path = :"schema", pg_temp
AS $$
DECLARE
    v_deleted bigint;
    v_removed text[];
BEGIN
    WITH gone AS (
        DELETE FROM checkpoints
        WHERE thread_id = p_thread_id AND checkpoint_ns = p_checkpoint_ns AND checkpoint_id = ANY (p_checkpoint_ids)
        RETURNING checkpoint_id
    )
    SELECT count(*), array_agg(gone.checkpoint_id ORDER BY gone.checkpoint_id) INTO v_deleted, v_removed
    FROM gone;
    IF v_deleted = 0 THEN
        RETURN 0;
    END IF;

    INSERT INTO removed_checkpoints (thread_id, checkpoint_ns, first_id, last_id, checkpoint_ids)
    VALUES (p_thread_id, p_checkpoint_ns, v_removed[1], v_removed[v_deleted], v_removed);
    UPDATE threads AS t SET removed_through = v_removed[v_deleted]
    WHERE t.thread_id = p_thread_id
      AND (t.removed_through IS NULL OR t.removed_through < v_removed[v_deleted]);

    DELETE FROM checkpoint_writes
    WHERE thread_id = p_thread_id AND checkpoint_ns = p_checkpoint_ns AND checkpoint_id = ANY (p_checkpoint_ids);

    UPDATE checkpoints SET parent_checkpoint_id = NULL
    WHERE thread_id = p_thread_id AND checkpoint_ns = p_checkpoint_ns
      AND parent_checkpoint_id = ANY (p_checkpoint_ids);

    -- One pass over the namespace's checkpoints builds the set of referenced
    -- versions, plus the bases that delta-encoded values among them extend (see
    -- column_checkpoint_blobs_base_version); the anti-join is hashed.
    DELETE FROM checkpoint_blobs AS b
    WHERE b.thread_id = p_thread_id AND b.checkpoint_ns = p_checkpoint_ns
      AND (b.channel, b.version) NOT IN (
          WITH RECURSIVE live (channel, version) AS (
              SELECT v.key COLLATE "C", v.value COLLATE "C"
              FROM checkpoints AS c
              CROSS JOIN jsonb_each_text(c.checkpoint -> 'channel_versions') AS v
              WHERE c.thread_id = p_thread_id AND c.checkpoint_ns = p_checkpoint_ns
            UNION
              SELECT d.channel, d.base_version
              FROM live
              JOIN checkpoint_blobs AS d
                ON d.thread_id = p_thread_id AND d.checkpoint_ns = p_checkpoint_ns
               AND d.channel = live.channel AND d.version = live.version
              WHERE d.base_version IS NOT NULL)
          SELECT live.channel, live.version FROM live);
    RETURN v_deleted;
END
$$;

REVOKE ALL ON FUNCTION :"schema"._delete_checkpoints(text, text, text[]) FROM PUBLIC;

COMMENT ON FUNCTION :"schema"._delete_checkpoints(text, text, text[]) IS
  'Internal. Deletes the listed checkpoints of one namespace with their writes and the values nothing else references; orphaned children become roots. Records the ids deleted in removed_checkpoints and raises threads.removed_through, so late writes and saves for them get LG008. Returns the number of checkpoints deleted. Callers must hold the thread row lock. Its walk over the values still referenced (with their delta bases) is bounded by the namespace''s values: UNION drops rows already seen.';

COMMIT;
