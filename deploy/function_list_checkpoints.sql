-- Deploy langgraph_checkpoint:function_list_checkpoints to pg
-- requires: table_checkpoints
-- requires: view_checkpoint_tuples
-- requires: function__validation
-- requires: function__id_checks
-- requires: function__checkpoint_page
\set reader_role :schema '_reader'

BEGIN;

-- Reworked after v1.0.0: the page of keys first, then rows for those keys only; jit off.
CREATE OR REPLACE FUNCTION :"schema".list_checkpoints(
    p_thread_id     text    DEFAULT NULL,
    p_checkpoint_ns text    DEFAULT NULL,
    p_checkpoint_id text    DEFAULT NULL,
    p_filter        jsonb   DEFAULT NULL,
    p_before        text    DEFAULT NULL,
    p_limit         integer DEFAULT NULL
)
RETURNS SETOF :"schema".checkpoint_tuples
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = :"schema", pg_temp
-- Every call runs the same plan shape; planning it again per call would cost more
-- than the call itself.
SET plan_cache_mode = force_generic_plan
-- The planner costs every checkpoint_tuples row as a jsonb_each_text of 100 channels
-- (its default estimate), one value probe each: about 900 per row. A page of keys it
-- expects to be 100 rows long is then near jit_above_cost (100,000), a longer one far
-- past it, and compiling the plan with LLVM took 170 ms for a query that runs in 2 ms.
-- Nothing an API read runs is worth compiling.
SET jit = off
AS $$
DECLARE
    v_page record;
BEGIN
    -- First the page of keys, from checkpoints alone and through an index (see
    -- _checkpoint_page); the values and writes of a checkpoint_tuples row are built below
    -- only for the rows returned.
    SELECT * INTO v_page
    FROM _checkpoint_page(p_thread_id, p_checkpoint_ns, p_checkpoint_id, p_filter, p_before, p_limit);

    -- One row per key, in the keys' order (WITH ORDINALITY is known to be sorted, so
    -- this adds no sort). Each is a lateral probe of the primary key that LIMIT 1 keeps
    -- from being flattened into a join building rows off the page. The probe asks for
    -- the newest checkpoint at or before the key, then keeps it only if it is the key:
    -- with "checkpoint_id = key" the planner sees (thread_id, checkpoint_ns) as good as
    -- unique, and may probe checkpoints_parent_idx on those two columns instead, reading
    -- the namespace's every checkpoint (it did, measured); only the primary key gives
    -- "ORDER BY checkpoint_id DESC" without a sort, so this plan always wins.
    RETURN QUERY
        SELECT t.*
        FROM unnest(v_page.thread_ids, v_page.checkpoint_nss, v_page.checkpoint_ids) WITH ORDINALITY
             AS k (thread_id, checkpoint_ns, checkpoint_id, ord)
        CROSS JOIN LATERAL (
            SELECT * FROM checkpoint_tuples AS t
            WHERE t.thread_id = k.thread_id AND t.checkpoint_ns = k.checkpoint_ns
              AND t.checkpoint_id <= k.checkpoint_id
            ORDER BY t.checkpoint_id DESC
            LIMIT 1) AS t
        WHERE t.checkpoint_id = k.checkpoint_id
        ORDER BY k.ord;
END
$$;

REVOKE ALL ON FUNCTION :"schema".list_checkpoints(text, text, text, jsonb, text, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION :"schema".list_checkpoints(text, text, text, jsonb, text, integer) TO :"reader_role";

COMMENT ON FUNCTION :"schema".list_checkpoints(text, text, text, jsonb, text, integer) IS
$c$Returns checkpoints newest first (by checkpoint id, then thread id and namespace) as rows of
checkpoint_tuples. Selects the page of keys through an index first and builds rows only for it:
a thread costs its namespaces plus the page, a filter across threads the GIN index's matches;
across all threads without a filter it scans checkpoints once.
Parameters, all optional (NULL = no condition): p_thread_id (NULL: across all threads),
p_checkpoint_ns, p_checkpoint_id, p_filter (a JSON object: each of its top-level keys must equal
the metadata's value for it, a missing key counting as null),
p_before (only ids lower than this one), p_limit (at most this many rows).
Raises LG001 (empty or over-long id), LG002 (p_filter not an object), LG003 (negative p_limit).$c$;

COMMIT;
