-- Deploy langgraph_checkpoint:function_delete_thread to pg
-- requires: table_threads
-- requires: function__validation
\set client_role :schema '_client'

BEGIN;

CREATE FUNCTION :"schema".delete_thread(p_thread_id text)
RETURNS bigint
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = :"schema", pg_temp
AS $$
DECLARE
    v_deleted bigint;
BEGIN
    PERFORM _check_id(p_thread_id, 'thread_id');
    WITH gone AS (
        DELETE FROM checkpoints WHERE thread_id = p_thread_id RETURNING 1
    )
    SELECT count(*) INTO v_deleted FROM gone;
    -- The thread row's foreign keys cascade to its values and pending writes.
    DELETE FROM threads WHERE thread_id = p_thread_id;
    RETURN v_deleted;
END
$$;

REVOKE ALL ON FUNCTION :"schema".delete_thread(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION :"schema".delete_thread(text) TO :"client_role";

COMMENT ON FUNCTION :"schema".delete_thread(text) IS
$c$Deletes a thread: every checkpoint in every namespace, its channel values and pending writes.
Parameter: p_thread_id. Returns the number of checkpoints deleted (0 for an unknown thread).
Raises LG001 (empty or over-long id).$c$;

COMMIT;
