-- Deploy langgraph_checkpoint:function__copy_checkpoints to pg
-- requires: table_checkpoints
-- requires: table_checkpoint_blobs
-- requires: table_checkpoint_writes
-- requires: column_checkpoint_blobs_base_version
-- requires: column_checkpoint_blobs_delta_depth

BEGIN;

-- The copy machinery behind copy_thread (everything) and fork_thread (one path):
-- checkpoints keep their ids, parents, metadata and created_at; their pending writes
-- and the values they reference come along. Rows the target has are kept.
-- p_checkpoint_ns/p_checkpoint_ids NULL means all namespaces/checkpoints.
CREATE OR REPLACE FUNCTION :"schema"._copy_checkpoints(
    p_source_thread_id text,
    p_target_thread_id text,
    p_checkpoint_ns    text,
    p_checkpoint_ids   text[]
)
RETURNS bigint
LANGUAGE plpgsql VOLATILE
SET search_path = :"schema", pg_temp
AS $$
DECLARE
    v_copied bigint;
BEGIN
    INSERT INTO threads (thread_id) VALUES (p_target_thread_id)
    ON CONFLICT (thread_id) DO UPDATE SET updated_at = now();

    -- One statement: the set to copy is read once and feeds all three inserts.
    WITH copy_set AS (
        SELECT c.checkpoint_ns, c.checkpoint_id, c.parent_checkpoint_id, c.checkpoint, c.metadata, c.created_at
        FROM checkpoints AS c
        WHERE c.thread_id = p_source_thread_id
          AND (p_checkpoint_ns IS NULL OR c.checkpoint_ns = p_checkpoint_ns)
          AND (p_checkpoint_ids IS NULL OR c.checkpoint_id = ANY (p_checkpoint_ids))
    ), wanted_values (checkpoint_ns, channel, version) AS (
        -- The values the copied checkpoints reference, and the bases a delta-encoded
        -- one extends (its whole chain), so the copy reads the same values.
        WITH RECURSIVE chain (checkpoint_ns, channel, version) AS (
            SELECT s.checkpoint_ns, v.key COLLATE "C", v.value COLLATE "C"
            FROM copy_set AS s
            CROSS JOIN jsonb_each_text(s.checkpoint -> 'channel_versions') AS v
          UNION
            SELECT d.checkpoint_ns, d.channel, d.base_version
            FROM chain
            JOIN checkpoint_blobs AS d
              ON d.thread_id = p_source_thread_id AND d.checkpoint_ns = chain.checkpoint_ns
             AND d.channel = chain.channel AND d.version = chain.version
            WHERE d.base_version IS NOT NULL)
        SELECT * FROM chain
    ), copied_values AS (
        -- The delta trigger leaves rows that carry a base_version as they are, and the
        -- foreign key to the base is checked at the end of the statement. Chains keep
        -- their lengths (delta_depth), so a copied thread takes appended tails too.
        INSERT INTO checkpoint_blobs (thread_id, checkpoint_ns, channel, version, type, value, blob, base_version, delta_depth)
        SELECT p_target_thread_id, b.checkpoint_ns, b.channel, b.version, b.type, b.value, b.blob, b.base_version, b.delta_depth
        FROM checkpoint_blobs AS b
        WHERE b.thread_id = p_source_thread_id
          AND (b.checkpoint_ns, b.channel, b.version) IN (SELECT * FROM wanted_values)
        ON CONFLICT (thread_id, checkpoint_ns, channel, version) DO NOTHING
    ), copied_writes AS (
        INSERT INTO checkpoint_writes (thread_id, checkpoint_ns, checkpoint_id, task_id, idx, channel, type, value, blob, task_path, created_at)
        SELECT p_target_thread_id, w.checkpoint_ns, w.checkpoint_id, w.task_id, w.idx, w.channel, w.type, w.value, w.blob, w.task_path, w.created_at
        FROM checkpoint_writes AS w
        JOIN copy_set AS s ON s.checkpoint_ns = w.checkpoint_ns AND s.checkpoint_id = w.checkpoint_id
        WHERE w.thread_id = p_source_thread_id
        ON CONFLICT (thread_id, checkpoint_ns, checkpoint_id, task_id, idx) DO NOTHING
    ), copied AS (
        INSERT INTO checkpoints (thread_id, checkpoint_ns, checkpoint_id, parent_checkpoint_id, checkpoint, metadata, created_at)
        SELECT p_target_thread_id, s.checkpoint_ns, s.checkpoint_id, s.parent_checkpoint_id, s.checkpoint, s.metadata, s.created_at
        FROM copy_set AS s
        ON CONFLICT (thread_id, checkpoint_ns, checkpoint_id) DO NOTHING
        RETURNING 1
    )
    SELECT count(*) INTO v_copied FROM copied;
    RETURN v_copied;
END
$$;

REVOKE ALL ON FUNCTION :"schema"._copy_checkpoints(text, text, text, text[]) FROM PUBLIC;

COMMENT ON FUNCTION :"schema"._copy_checkpoints(text, text, text, text[]) IS
  'Internal. Copies checkpoints of one thread (a namespace and id subset, or all when NULL) with their writes and referenced values into another thread; returns the number of checkpoints copied. Callers lock the source thread row. Its walk over the values the copies reference (with the bases of delta-encoded ones) is bounded by the source namespace''s values: UNION drops rows already seen, so even a looped base chain ends.';

COMMIT;
