-- Deploy langgraph_checkpoint:function__delta_chain to pg
-- requires: table_checkpoints
-- requires: table_checkpoint_blobs
-- requires: function__stores_value

BEGIN;

-- The ancestor walk behind DeltaChannel: from p_start_id up the parent chain, one
-- primary-key lookup per step, until every channel in p_channels has met a checkpoint
-- that stores a value for it (its seed). "needed" lists the channels still looking
-- when the walk reached a checkpoint (so that checkpoint's writes to them count);
-- "seeded" lists those that found their seed there.
CREATE FUNCTION :"schema"._delta_chain(
    p_thread_id     text,
    p_checkpoint_ns text,
    p_start_id      text,
    p_channels      text[]
)
RETURNS TABLE (checkpoint_id text, depth integer, versions jsonb, needed text[], seeded text[])
LANGUAGE plpgsql STABLE
SET search_path = :"schema", pg_temp
SET plan_cache_mode = force_generic_plan
AS $$
#variable_conflict use_column
BEGIN
    -- PL/pgSQL so the plan is made once per session; it is the same for every call.
    RETURN QUERY
    WITH RECURSIVE chain AS (
        SELECT c.checkpoint_id, c.parent_checkpoint_id, 1 AS depth,
               c.checkpoint -> 'channel_versions' AS versions,
               p_channels AS needed
        FROM checkpoints AS c
        WHERE c.thread_id = p_thread_id AND c.checkpoint_ns = p_checkpoint_ns
          AND c.checkpoint_id = p_start_id AND cardinality(p_channels) > 0
      UNION ALL
        SELECT p.checkpoint_id, p.parent_checkpoint_id, chain.depth + 1,
               p.checkpoint -> 'channel_versions',
               ARRAY(SELECT ch FROM unnest(chain.needed) AS ch
                     WHERE NOT _stores_value(p_thread_id, p_checkpoint_ns, ch, chain.versions ->> ch))
        FROM chain
        JOIN checkpoints AS p
          ON p.thread_id = p_thread_id AND p.checkpoint_ns = p_checkpoint_ns
         AND p.checkpoint_id = chain.parent_checkpoint_id
        WHERE EXISTS (SELECT FROM unnest(chain.needed) AS ch
                      WHERE NOT _stores_value(p_thread_id, p_checkpoint_ns, ch, chain.versions ->> ch))
    )
    SELECT chain.checkpoint_id::text, chain.depth, chain.versions, chain.needed,
           ARRAY(SELECT ch FROM unnest(chain.needed) AS ch
                 WHERE _stores_value(p_thread_id, p_checkpoint_ns, ch, chain.versions ->> ch))
    FROM chain;
END
$$;

REVOKE ALL ON FUNCTION :"schema"._delta_chain(text, text, text, text[]) FROM PUBLIC;

COMMENT ON FUNCTION :"schema"._delta_chain(text, text, text, text[]) IS
  'Internal. Walks the parent chain from p_start_id until each channel in p_channels has found a stored value; one row per checkpoint visited, with the channels still needed there and those seeded there.';

COMMIT;
