-- Deploy langgraph_checkpoint:function__delete_checkpoints to pg
-- requires: table_checkpoints
-- requires: table_checkpoint_blobs
-- requires: table_checkpoint_writes
-- requires: column_checkpoint_blobs_base_version

BEGIN;

-- Shared by delete_for_runs, prune_checkpoints and retention: removes checkpoints with
-- their pending writes and every value no remaining checkpoint of the namespace
-- references, and turns checkpoints whose parent went into roots, so no row is left
-- pointing at nothing. Callers lock the thread row first (FOR UPDATE), which keeps a
-- concurrent put from referencing a value while it is judged unreferenced.
CREATE FUNCTION :"schema"._delete_checkpoints(p_thread_id text, p_checkpoint_ns text, p_checkpoint_ids text[])
RETURNS bigint
LANGUAGE plpgsql VOLATILE
SET search_path = :"schema", pg_temp
AS $$
DECLARE
    v_deleted bigint;
BEGIN
    DELETE FROM checkpoints
    WHERE thread_id = p_thread_id AND checkpoint_ns = p_checkpoint_ns AND checkpoint_id = ANY (p_checkpoint_ids);
    GET DIAGNOSTICS v_deleted = ROW_COUNT;
    IF v_deleted = 0 THEN
        RETURN 0;
    END IF;

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
  'Internal. Deletes the listed checkpoints of one namespace with their writes and the values nothing else references; orphaned children become roots. Returns the number of checkpoints deleted. Callers must hold the thread row lock.';

COMMIT;
