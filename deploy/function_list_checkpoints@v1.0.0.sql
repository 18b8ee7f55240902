-- Deploy langgraph_checkpoint:function_list_checkpoints to pg
-- requires: view_checkpoint_tuples
-- requires: function__validation
\set reader_role :schema '_reader'

BEGIN;

CREATE FUNCTION :"schema".list_checkpoints(
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
AS $$
DECLARE
    v_where text[] := '{}';
BEGIN
    IF p_thread_id IS NOT NULL THEN
        IF p_thread_id IS NULL OR p_thread_id = '' OR length(p_thread_id) > 1024 THEN
            PERFORM _check_id(p_thread_id, 'thread_id');
        END IF;
        v_where := array_append(v_where, 't.thread_id = $1');
    END IF;
    IF p_checkpoint_ns IS NOT NULL THEN
        IF p_checkpoint_ns IS NULL OR length(p_checkpoint_ns) > 1024 THEN
            PERFORM _check_ns(p_checkpoint_ns);
        END IF;
        v_where := array_append(v_where, 't.checkpoint_ns = $2');
    END IF;
    IF p_checkpoint_id IS NOT NULL THEN
        IF p_checkpoint_id IS NULL OR p_checkpoint_id = '' OR length(p_checkpoint_id) > 1024 THEN
            PERFORM _check_id(p_checkpoint_id, 'checkpoint_id');
        END IF;
        v_where := array_append(v_where, 't.checkpoint_id = $3');
    END IF;
    IF p_filter IS NOT NULL THEN
        PERFORM _check_object(p_filter, 'filter');
        v_where := array_append(v_where, 't.metadata @> $4');
    END IF;
    IF p_before IS NOT NULL THEN
        IF p_before IS NULL OR p_before = '' OR length(p_before) > 1024 THEN
            PERFORM _check_id(p_before, 'before');
        END IF;
        v_where := array_append(v_where, 't.checkpoint_id < $5');
    END IF;
    PERFORM _check_limit(p_limit);

    -- What LangGraph asks for almost always: one thread and namespace, newest first,
    -- maybe a page before a cursor. Static queries, so their plans are cached.
    IF p_thread_id IS NOT NULL AND p_checkpoint_ns IS NOT NULL AND p_checkpoint_id IS NULL AND p_filter IS NULL THEN
        IF p_before IS NULL THEN
            RETURN QUERY
                SELECT * FROM checkpoint_tuples AS t
                WHERE t.thread_id = p_thread_id AND t.checkpoint_ns = p_checkpoint_ns
                ORDER BY t.checkpoint_id DESC
                LIMIT p_limit;
        ELSE
            RETURN QUERY
                SELECT * FROM checkpoint_tuples AS t
                WHERE t.thread_id = p_thread_id AND t.checkpoint_ns = p_checkpoint_ns
                  AND t.checkpoint_id < p_before
                ORDER BY t.checkpoint_id DESC
                LIMIT p_limit;
        END IF;
        RETURN;
    END IF;

    -- Any other combination: only the predicates in use are planned, so each combination gets the index
    -- that fits it instead of one generic plan full of "$n IS NULL OR ..." branches.
    RETURN QUERY EXECUTE format(
        'SELECT * FROM checkpoint_tuples AS t %s ORDER BY t.checkpoint_id DESC, t.thread_id, t.checkpoint_ns LIMIT $6',
        CASE WHEN cardinality(v_where) > 0 THEN 'WHERE ' || array_to_string(v_where, ' AND ') ELSE '' END)
    USING p_thread_id, p_checkpoint_ns, p_checkpoint_id, p_filter, p_before, p_limit;
END
$$;

REVOKE ALL ON FUNCTION :"schema".list_checkpoints(text, text, text, jsonb, text, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION :"schema".list_checkpoints(text, text, text, jsonb, text, integer) TO :"reader_role";

COMMENT ON FUNCTION :"schema".list_checkpoints(text, text, text, jsonb, text, integer) IS
$c$Returns checkpoints newest first (by checkpoint id) as rows of checkpoint_tuples.
Parameters, all optional (NULL = no condition): p_thread_id (NULL: across all threads),
p_checkpoint_ns, p_checkpoint_id, p_filter (metadata must contain this JSON object),
p_before (only ids lower than this one), p_limit (at most this many rows).
Raises LG001 (empty or over-long id), LG002 (p_filter not an object), LG003 (negative p_limit).$c$;

COMMIT;
