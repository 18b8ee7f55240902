-- Revert langgraph_checkpoint:function_get_ancestors from pg: the v1.0.0 body
-- requires: function__ancestors
\set reader_role :schema '_reader'

BEGIN;

CREATE OR REPLACE FUNCTION :"schema".get_ancestors(
    p_thread_id     text,
    p_checkpoint_ns text    DEFAULT '',
    p_checkpoint_id text    DEFAULT NULL,
    p_max_depth     integer DEFAULT NULL
)
RETURNS TABLE (depth integer, checkpoint_id text, parent_checkpoint_id text, metadata jsonb, created_at timestamptz)
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = :"schema", pg_temp
-- Every call runs the same plan shape; planning it again per call would cost more
-- than the call itself.
SET plan_cache_mode = force_generic_plan
AS $$
DECLARE
    v_start text;
BEGIN
    PERFORM _check_limit(p_max_depth);
    v_start := _resolve_checkpoint(p_thread_id, p_checkpoint_ns, p_checkpoint_id);
    RETURN QUERY
        SELECT * FROM _ancestors(p_thread_id, p_checkpoint_ns, v_start, p_max_depth) AS a
        ORDER BY a.depth;
END
$$;

REVOKE ALL ON FUNCTION :"schema".get_ancestors(text, text, text, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION :"schema".get_ancestors(text, text, text, integer) TO :"reader_role";

COMMENT ON FUNCTION :"schema".get_ancestors(text, text, text, integer) IS
$c$Returns a checkpoint (depth 0) and its ancestors, nearest first, up to the root or p_max_depth
steps: depth, checkpoint_id, parent_checkpoint_id, metadata, created_at. One recursive,
index-driven query: its cost is the depth walked.
Parameters: p_thread_id, p_checkpoint_ns (default ''), p_checkpoint_id (default NULL: the latest),
p_max_depth (default NULL: to the root).
Raises LG001 (empty or over-long id), LG003 (negative p_max_depth), LG004 (no such checkpoint).$c$;

COMMIT;
