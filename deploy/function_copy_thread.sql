-- Deploy langgraph_checkpoint:function_copy_thread to pg
-- requires: function__copy_checkpoints
-- requires: function__validation
\set client_role :schema '_client'

BEGIN;

CREATE FUNCTION :"schema".copy_thread(p_source_thread_id text, p_target_thread_id text)
RETURNS bigint
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = :"schema", pg_temp
AS $$
DECLARE
    v_copied bigint;
BEGIN
    PERFORM _check_id(p_source_thread_id, 'source_thread_id');
    PERFORM _check_id(p_target_thread_id, 'target_thread_id');
    IF p_source_thread_id = p_target_thread_id THEN
        RAISE EXCEPTION 'cannot copy thread % onto itself', p_source_thread_id
            USING ERRCODE = 'LG003',
                  HINT = 'Pass a different target_thread_id.';
    END IF;
    -- Share-lock the source so it cannot be deleted halfway through the copy.
    PERFORM FROM threads WHERE thread_id = p_source_thread_id FOR SHARE;
    IF NOT FOUND THEN
        RETURN 0;
    END IF;

    -- The whole history is copied, every namespace and every ancestor, so lineage
    -- and DeltaChannel chains work in the copy as in the source.
    v_copied := _copy_checkpoints(p_source_thread_id, p_target_thread_id, NULL, NULL);
    RETURN v_copied;
END
$$;

REVOKE ALL ON FUNCTION :"schema".copy_thread(text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION :"schema".copy_thread(text, text) TO :"client_role";

COMMENT ON FUNCTION :"schema".copy_thread(text, text) IS
$c$Copies every checkpoint of a thread (all namespaces, full lineage), its channel values and
pending writes into another thread, keeping ids, metadata and created_at. Rows the target
already has are left as they are. Returns the number of checkpoints copied (0 when the source
does not exist).
Parameters: p_source_thread_id, p_target_thread_id.
Raises LG001 (empty or over-long id), LG003 (source and target are the same).$c$;

COMMIT;
