-- Deploy langgraph_checkpoint:function_find_branch_point to pg
-- requires: function__ancestors
\set reader_role :schema '_reader'

BEGIN;

CREATE FUNCTION :"schema".find_branch_point(
    p_thread_id       text,
    p_checkpoint_id_a text,
    p_checkpoint_id_b text,
    p_checkpoint_ns   text DEFAULT ''
)
RETURNS text
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = :"schema", pg_temp
AS $$
DECLARE
    v_a text;
    v_b text;
    v_common text;
BEGIN
    PERFORM _check_id(p_checkpoint_id_a, 'checkpoint_id_a');
    PERFORM _check_id(p_checkpoint_id_b, 'checkpoint_id_b');
    v_a := _resolve_checkpoint(p_thread_id, p_checkpoint_ns, p_checkpoint_id_a);
    v_b := _resolve_checkpoint(p_thread_id, p_checkpoint_ns, p_checkpoint_id_b);
    SELECT a.checkpoint_id INTO v_common
    FROM _ancestors(p_thread_id, p_checkpoint_ns, v_a) AS a
    JOIN _ancestors(p_thread_id, p_checkpoint_ns, v_b) AS b ON b.checkpoint_id = a.checkpoint_id
    ORDER BY a.depth
    LIMIT 1;
    RETURN v_common;
END
$$;

REVOKE ALL ON FUNCTION :"schema".find_branch_point(text, text, text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION :"schema".find_branch_point(text, text, text, text) TO :"reader_role";

COMMENT ON FUNCTION :"schema".find_branch_point(text, text, text, text) IS
$c$Returns the nearest common ancestor of two checkpoints of a thread (the checkpoint where their
branches split; one of them if it descends from the other), or NULL when they share none.
Parameters: p_thread_id, p_checkpoint_id_a, p_checkpoint_id_b, p_checkpoint_ns (default '').
Raises LG001 (empty or over-long id), LG004 (either checkpoint not found).$c$;

COMMIT;
