-- Deploy langgraph_checkpoint:function_get_checkpoint to pg
-- requires: view_checkpoint_tuples
-- requires: function__validation
\set reader_role :schema '_reader'

BEGIN;

CREATE FUNCTION :"schema".get_checkpoint(
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
ROWS 1
AS $$
BEGIN
    -- The checkers raise the error; calling them only when a test fails keeps a
    -- valid call free of their cost (each call is a query of its own).
    IF p_thread_id IS NULL OR p_thread_id = '' OR length(p_thread_id) > 1024 THEN
        PERFORM _check_id(p_thread_id, 'thread_id');
    END IF;
    IF p_checkpoint_ns IS NULL OR length(p_checkpoint_ns) > 1024 THEN
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
        IF p_checkpoint_id IS NULL OR p_checkpoint_id = '' OR length(p_checkpoint_id) > 1024 THEN
            PERFORM _check_id(p_checkpoint_id, 'checkpoint_id');
        END IF;
        RETURN QUERY
            SELECT * FROM checkpoint_tuples AS t
            WHERE t.thread_id = p_thread_id AND t.checkpoint_ns = p_checkpoint_ns
              AND t.checkpoint_id = p_checkpoint_id;
    END IF;
END
$$;

REVOKE ALL ON FUNCTION :"schema".get_checkpoint(text, text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION :"schema".get_checkpoint(text, text, text) TO :"reader_role";

COMMENT ON FUNCTION :"schema".get_checkpoint(text, text, text) IS
$c$Returns one checkpoint with its channel values, pending writes and parent id, as one row of
checkpoint_tuples, or no row if there is none.
Parameters: p_thread_id, p_checkpoint_ns (default '', the root graph), p_checkpoint_id (default
NULL: the latest checkpoint of the thread and namespace). Costs the same on a thread of any length.
Raises LG001 (empty or over-long id).$c$;

COMMIT;
