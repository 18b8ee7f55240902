-- Deploy langgraph_checkpoint:function_load_checkpoint to pg
-- requires: function_get_checkpoint
-- requires: function__to_document
\set reader_role :schema '_reader'

BEGIN;

CREATE FUNCTION :"schema".load_checkpoint(
    p_thread_id     text,
    p_checkpoint_id text DEFAULT NULL,
    p_checkpoint_ns text DEFAULT ''
)
RETURNS jsonb
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = :"schema", pg_temp
AS $$
DECLARE
    v_document jsonb;
BEGIN
    SELECT _to_document(t) INTO v_document
    FROM get_checkpoint(p_thread_id, p_checkpoint_ns, p_checkpoint_id) AS t;
    IF v_document IS NULL AND p_checkpoint_id IS NOT NULL THEN
        RAISE EXCEPTION 'checkpoint % not found in thread % (namespace %)', p_checkpoint_id, p_thread_id, quote_literal(p_checkpoint_ns)
            USING ERRCODE = 'LG004',
                  HINT = 'list_checkpoints(p_thread_id => ...) shows the ids that exist.';
    END IF;
    RETURN v_document;
END
$$;

REVOKE ALL ON FUNCTION :"schema".load_checkpoint(text, text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION :"schema".load_checkpoint(text, text, text) TO :"reader_role";

COMMENT ON FUNCTION :"schema".load_checkpoint(text, text, text) IS
$c$JSONB API for services: returns one checkpoint as a document with keys thread_id, checkpoint_ns,
checkpoint_id, parent_checkpoint_id, created_at, metadata, checkpoint, state (channel -> value)
and pending_writes (array of {task_id, channel, value, task_path}). Values that are not JSON
appear as {"$type": ..., "$base64": ...}.
Parameters: p_thread_id, p_checkpoint_id (default NULL: the latest), p_checkpoint_ns (default '').
Returns NULL when the thread has no checkpoint.
Raises LG001 (empty or over-long id), LG004 (p_checkpoint_id given and not found).$c$;

COMMIT;
