-- Deploy langgraph_checkpoint:function_get_checkpoint to pg
-- requires: view_checkpoint_tuples
-- requires: function__validation
-- requires: function__id_checks
\set reader_role :schema '_reader'

BEGIN;

-- Reworked after v1.0.0: the lookup by id always probes the primary key; jit off.
CREATE OR REPLACE FUNCTION :"schema".get_checkpoint(
    p_thread_id     text,
    p_checkpoint_ns text DEFAULT '',
    p_checkpoint_id text DEFAULT NULL
)
RETURNS SETOF :"schema".checkpoint_tuples
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = :"schema", pg_temp
-- Every call runs the same plan shape; planning it again per call would cost more
-- than the call itself.
SET plan_cache_mode = force_generic_plan
-- Each query below reads one checkpoint: a primary-key probe, then its channel values and
-- writes (the lateral subqueries of checkpoint_tuples) for that row alone. The planner
-- costs those at about 900, from jsonb_each_text's default estimate of 100 channels, far
-- below jit_above_cost; but an API read is never worth compiling, whatever the settings
-- of the session that calls it.
SET jit = off
ROWS 1
AS $$
BEGIN
    -- The checkers raise the error; calling them only when a test fails keeps a
    -- valid call free of their cost (each call is a query of its own).
    IF _bad_id(p_thread_id) THEN
        PERFORM _check_id(p_thread_id, 'thread_id');
    END IF;
    IF _bad_ns(p_checkpoint_ns) THEN
        PERFORM _check_ns(p_checkpoint_ns);
    END IF;
    IF p_checkpoint_id IS NULL THEN
        -- Backward scan of the primary key: the newest checkpoint is the first entry.
        RETURN QUERY
            SELECT * FROM checkpoint_tuples AS t
            WHERE t.thread_id = p_thread_id AND t.checkpoint_ns = p_checkpoint_ns
            ORDER BY t.checkpoint_id DESC
            LIMIT 1;
    ELSE
        IF _bad_id(p_checkpoint_id) THEN
            PERFORM _check_id(p_checkpoint_id, 'checkpoint_id');
        END IF;
        -- The newest checkpoint at or before the id, kept only if it is that id. Asked
        -- for "checkpoint_id = p_checkpoint_id", the generic plan may take
        -- checkpoints_parent_idx for (thread_id, checkpoint_ns), which it believes as good
        -- as unique, and read every checkpoint of the namespace (v1.0.0 did, on a
        -- database with many namespaces); only the primary key gives this order without
        -- a sort, so the probe stays one backward step of it.
        RETURN QUERY
            SELECT * FROM (
                SELECT * FROM checkpoint_tuples AS t
                WHERE t.thread_id = p_thread_id AND t.checkpoint_ns = p_checkpoint_ns
                  AND t.checkpoint_id <= p_checkpoint_id
                ORDER BY t.checkpoint_id DESC
                LIMIT 1) AS t
            WHERE t.checkpoint_id = p_checkpoint_id;
    END IF;
END
$$;

REVOKE ALL ON FUNCTION :"schema".get_checkpoint(text, text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION :"schema".get_checkpoint(text, text, text) TO :"reader_role";

COMMENT ON FUNCTION :"schema".get_checkpoint(text, text, text) IS
$c$Returns one checkpoint with its channel values, pending writes and parent id, as one row of
checkpoint_tuples, or no row if there is none.
Parameters: p_thread_id, p_checkpoint_ns (default '', the root graph), p_checkpoint_id (default
NULL: the latest checkpoint of the thread and namespace). Costs the same on a thread of any length:
it builds the values and writes of the returned checkpoint only.
Raises LG001 (empty or over-long id).$c$;

COMMIT;
