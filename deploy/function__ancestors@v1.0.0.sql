-- Deploy langgraph_checkpoint:function__ancestors to pg
-- requires: table_checkpoints
-- requires: function__validation

BEGIN;

-- The parent-chain walk: one primary-key lookup per step, so its cost is the depth
-- walked, never the size of the thread. Depth 0 is the start checkpoint itself.
CREATE FUNCTION :"schema"._ancestors(
    p_thread_id     text,
    p_checkpoint_ns text,
    p_checkpoint_id text,
    p_max_depth     integer DEFAULT NULL
)
RETURNS TABLE (depth integer, checkpoint_id text, parent_checkpoint_id text, metadata jsonb, created_at timestamptz)
LANGUAGE plpgsql STABLE
SET search_path = :"schema", pg_temp
SET plan_cache_mode = force_generic_plan
AS $$
#variable_conflict use_column
BEGIN
    -- PL/pgSQL so the plan is made once per session; it is the same for every call.
    RETURN QUERY
    WITH RECURSIVE chain AS (
        SELECT 0 AS depth, c.checkpoint_id, c.parent_checkpoint_id, c.metadata, c.created_at
        FROM checkpoints AS c
        WHERE c.thread_id = p_thread_id AND c.checkpoint_ns = p_checkpoint_ns
          AND c.checkpoint_id = p_checkpoint_id
      UNION ALL
        SELECT chain.depth + 1, p.checkpoint_id, p.parent_checkpoint_id, p.metadata, p.created_at
        FROM chain
        JOIN checkpoints AS p
          ON p.thread_id = p_thread_id AND p.checkpoint_ns = p_checkpoint_ns
         AND p.checkpoint_id = chain.parent_checkpoint_id
        WHERE p_max_depth IS NULL OR chain.depth < p_max_depth
    )
    SELECT chain.depth, chain.checkpoint_id::text, chain.parent_checkpoint_id::text, chain.metadata, chain.created_at
    FROM chain;
END
$$;

-- Resolves "NULL means the latest" and raises LG004 for an id that does not exist,
-- for every lineage function.
CREATE FUNCTION :"schema"._resolve_checkpoint(p_thread_id text, p_checkpoint_ns text, p_checkpoint_id text)
RETURNS text
LANGUAGE plpgsql STABLE
SET search_path = :"schema", pg_temp
AS $$
DECLARE
    v_id text;
BEGIN
    PERFORM _check_id(p_thread_id, 'thread_id');
    PERFORM _check_ns(p_checkpoint_ns);
    IF p_checkpoint_id IS NOT NULL THEN
        PERFORM _check_id(p_checkpoint_id, 'checkpoint_id');
    END IF;
    SELECT c.checkpoint_id INTO v_id
    FROM checkpoints AS c
    WHERE c.thread_id = p_thread_id AND c.checkpoint_ns = p_checkpoint_ns
      AND (p_checkpoint_id IS NULL OR c.checkpoint_id = p_checkpoint_id)
    ORDER BY c.checkpoint_id DESC
    LIMIT 1;
    IF v_id IS NULL THEN
        RAISE EXCEPTION 'checkpoint % not found in thread % (namespace %)',
                coalesce(p_checkpoint_id, '(latest)'), p_thread_id, quote_literal(p_checkpoint_ns)
            USING ERRCODE = 'LG004',
                  HINT = 'list_checkpoints(p_thread_id => ...) shows the ids that exist.';
    END IF;
    RETURN v_id;
END
$$;

REVOKE ALL ON FUNCTION :"schema"._ancestors(text, text, text, integer) FROM PUBLIC;
REVOKE ALL ON FUNCTION :"schema"._resolve_checkpoint(text, text, text) FROM PUBLIC;

COMMENT ON FUNCTION :"schema"._ancestors(text, text, text, integer) IS
  'Internal. The checkpoint and its ancestors up the parent chain (depth 0 = the checkpoint), at most p_max_depth steps up.';
COMMENT ON FUNCTION :"schema"._resolve_checkpoint(text, text, text) IS
  'Internal. Returns p_checkpoint_id if it exists (or the latest id when NULL); raises LG001/LG004.';

COMMIT;
