-- Deploy langgraph_checkpoint:function__ancestors to pg
-- requires: table_checkpoints
-- requires: function__validation

BEGIN;

-- The parent-chain walk: one primary-key lookup per step, so its cost is the depth
-- walked, never the size of the thread. Depth 0 is the start checkpoint itself.
-- Reworked after v1.0.0: the walk ends even on a parent chain that loops. Saves refuse
-- a checkpoint that would be its own ancestor (put_checkpoint_v2, _save_checkpoints),
-- so a loop can only come from editing the table by hand; the walk must end anyway,
-- and cheaply, because lineage() on a long thread walks thousands of links. A CYCLE
-- clause (or any visited-path array) costs O(depth) per step: 5.8 s for a 10,000-link
-- chain against 12 ms unguarded. This one is Brent's cycle finding instead, O(1) per
-- step: each row carries a mark, the id seen at the last depth that is a power of two;
-- a step that reaches the mark has gone round a loop of (depth - mark depth) links and
-- ends the walk. Such a walk has listed some checkpoints twice before it noticed; the
-- final query keeps each checkpoint once, at its first depth. Bound: every checkpoint
-- of the namespace at most once (and p_max_depth), and on a loop at most about four
-- times the number of distinct checkpoints reached are visited.
CREATE OR REPLACE FUNCTION :"schema"._ancestors(
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
        SELECT 0 AS depth, c.checkpoint_id, c.parent_checkpoint_id, c.metadata, c.created_at,
               c.checkpoint_id AS mark, 0 AS mark_depth, NULL::integer AS loop_length
        FROM checkpoints AS c
        WHERE c.thread_id = p_thread_id AND c.checkpoint_ns = p_checkpoint_ns
          AND c.checkpoint_id = p_checkpoint_id
      UNION ALL
        SELECT chain.depth + 1, p.checkpoint_id, p.parent_checkpoint_id, p.metadata, p.created_at,
               -- depth + 1 is a power of two: the mark moves here.
               CASE WHEN (chain.depth + 1) & chain.depth = 0 THEN p.checkpoint_id ELSE chain.mark END,
               CASE WHEN (chain.depth + 1) & chain.depth = 0 THEN chain.depth + 1 ELSE chain.mark_depth END,
               CASE WHEN p.checkpoint_id = chain.mark THEN chain.depth + 1 - chain.mark_depth END
        FROM chain
        JOIN checkpoints AS p
          ON p.thread_id = p_thread_id AND p.checkpoint_ns = p_checkpoint_ns
         AND p.checkpoint_id = chain.parent_checkpoint_id
        WHERE chain.loop_length IS NULL
          AND (p_max_depth IS NULL OR chain.depth < p_max_depth)
    )
    SELECT chain.depth, chain.checkpoint_id::text, chain.parent_checkpoint_id::text, chain.metadata, chain.created_at
    FROM chain
    WHERE chain.loop_length IS NULL
      -- Only a walk that went round a loop computes this (an InitPlan run on first use):
      -- the loop starts at the first depth whose checkpoint comes back loop_length later.
      AND (NOT EXISTS (SELECT FROM chain AS l WHERE l.loop_length IS NOT NULL)
           OR chain.depth < (SELECT min(a.depth) + min(l.loop_length)
                             FROM chain AS l
                             CROSS JOIN chain AS a
                             JOIN chain AS b ON b.depth = a.depth + l.loop_length AND b.checkpoint_id = a.checkpoint_id
                             WHERE l.loop_length IS NOT NULL));
END
$$;

-- Resolves "NULL means the latest" and raises LG004 for an id that does not exist,
-- for every lineage function.
CREATE OR REPLACE FUNCTION :"schema"._resolve_checkpoint(p_thread_id text, p_checkpoint_ns text, p_checkpoint_id text)
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
  'Internal. The checkpoint and its ancestors up the parent chain (depth 0 = the checkpoint), at most p_max_depth steps up, each checkpoint once. Bound: the checkpoints of the namespace; a loop in the chain (only possible through a hand edit: saves refuse one) ends the walk where it closes.';
COMMENT ON FUNCTION :"schema"._resolve_checkpoint(text, text, text) IS
  'Internal. Returns p_checkpoint_id if it exists (or the latest id when NULL); raises LG001/LG004.';

COMMIT;
