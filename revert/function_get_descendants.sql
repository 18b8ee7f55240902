-- Revert langgraph_checkpoint:function_get_descendants from pg: the v1.0.0 body
-- requires: function__ancestors
\set reader_role :schema '_reader'

BEGIN;

CREATE OR REPLACE FUNCTION :"schema".get_descendants(
    p_thread_id     text,
    p_checkpoint_ns text,
    p_checkpoint_id text,
    p_max_depth     integer DEFAULT NULL
)
RETURNS TABLE (depth integer, checkpoint_id text, parent_checkpoint_id text, metadata jsonb, created_at timestamptz)
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = :"schema", pg_temp
AS $$
DECLARE
    v_start text;
BEGIN
    PERFORM _check_limit(p_max_depth);
    IF p_checkpoint_id IS NULL THEN
        PERFORM _check_id(p_checkpoint_id, 'checkpoint_id');
    END IF;
    v_start := _resolve_checkpoint(p_thread_id, p_checkpoint_ns, p_checkpoint_id);
    -- Walks down through checkpoints_parent_idx, one index probe per checkpoint found.
    RETURN QUERY
        WITH RECURSIVE tree AS (
            SELECT 0 AS depth, c.checkpoint_id, c.parent_checkpoint_id, c.metadata, c.created_at
            FROM checkpoints AS c
            WHERE c.thread_id = p_thread_id AND c.checkpoint_ns = p_checkpoint_ns
              AND c.checkpoint_id = v_start
          UNION ALL
            SELECT tree.depth + 1, k.checkpoint_id, k.parent_checkpoint_id, k.metadata, k.created_at
            FROM tree
            JOIN checkpoints AS k
              ON k.thread_id = p_thread_id AND k.checkpoint_ns = p_checkpoint_ns
             AND k.parent_checkpoint_id = tree.checkpoint_id
            WHERE p_max_depth IS NULL OR tree.depth < p_max_depth
        )
        SELECT tree.depth, tree.checkpoint_id::text, tree.parent_checkpoint_id::text, tree.metadata, tree.created_at
        FROM tree
        ORDER BY tree.depth, tree.checkpoint_id;
END
$$;

REVOKE ALL ON FUNCTION :"schema".get_descendants(text, text, text, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION :"schema".get_descendants(text, text, text, integer) TO :"reader_role";

COMMENT ON FUNCTION :"schema".get_descendants(text, text, text, integer) IS
$c$Returns a checkpoint (depth 0) and every checkpoint descended from it, on all branches, by depth
then id: depth, checkpoint_id, parent_checkpoint_id, metadata, created_at.
Parameters: p_thread_id, p_checkpoint_ns, p_checkpoint_id, p_max_depth (default NULL: all).
Raises LG001 (empty, NULL or over-long id), LG003 (negative p_max_depth), LG004 (no such checkpoint).$c$;

COMMIT;
