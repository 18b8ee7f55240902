-- Deploy langgraph_checkpoint:function_delete_checkpoint to pg
-- requires: function__delete_checkpoints
-- requires: function__validation
\set client_role :schema '_client'

BEGIN;

CREATE FUNCTION :"schema".delete_checkpoint(
    p_thread_id     text,
    p_checkpoint_id text,
    p_checkpoint_ns text DEFAULT ''
)
RETURNS void
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = :"schema", pg_temp
AS $$
DECLARE
    v_parent_id text;
BEGIN
    PERFORM _check_id(p_thread_id, 'thread_id');
    PERFORM _check_id(p_checkpoint_id, 'checkpoint_id');
    PERFORM _check_ns(p_checkpoint_ns);

    -- Serialise with saves of the same thread.
    PERFORM FROM threads WHERE thread_id = p_thread_id FOR UPDATE;

    SELECT c.parent_checkpoint_id INTO v_parent_id
    FROM checkpoints AS c
    WHERE c.thread_id = p_thread_id AND c.checkpoint_ns = p_checkpoint_ns AND c.checkpoint_id = p_checkpoint_id;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'checkpoint % not found in thread % (namespace %)', p_checkpoint_id, p_thread_id, quote_literal(p_checkpoint_ns)
            USING ERRCODE = 'LG004',
                  HINT = 'list_checkpoints(p_thread_id => ...) shows the ids that exist.';
    END IF;

    -- Children now hang off the deleted checkpoint's parent, so lineage stays connected.
    UPDATE checkpoints SET parent_checkpoint_id = v_parent_id
    WHERE thread_id = p_thread_id AND checkpoint_ns = p_checkpoint_ns AND parent_checkpoint_id = p_checkpoint_id;

    -- The checkpoint, its writes and the values nothing else references (delta
    -- bases that remaining values extend included) go the way every deletion does.
    PERFORM _delete_checkpoints(p_thread_id, p_checkpoint_ns, ARRAY[p_checkpoint_id]);
END
$$;

REVOKE ALL ON FUNCTION :"schema".delete_checkpoint(text, text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION :"schema".delete_checkpoint(text, text, text) TO :"client_role";

COMMENT ON FUNCTION :"schema".delete_checkpoint(text, text, text) IS
$c$JSONB API for services: deletes one checkpoint, its pending writes and the channel values no
other checkpoint uses. Its children are re-parented to its parent.
Parameters: p_thread_id, p_checkpoint_id, p_checkpoint_ns (default '').
Raises LG001 (empty or over-long id), LG004 (no such checkpoint).$c$;

COMMIT;
