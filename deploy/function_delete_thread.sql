-- Deploy langgraph_checkpoint:function_delete_thread to pg
-- requires: table_threads
-- requires: function__validation
-- requires: table_deleted_threads
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
    -- Wait for writers of the thread to finish (put_writes holds FOR KEY SHARE), and
    -- keep new ones out until the tombstone commits with the deletion.
    PERFORM FROM threads WHERE thread_id = p_thread_id FOR UPDATE;
    WITH gone AS (
        DELETE FROM checkpoints WHERE thread_id = p_thread_id RETURNING 1
    )
    SELECT count(*) INTO v_deleted FROM gone;
    -- The thread row's foreign keys cascade to its values and pending writes.
    DELETE FROM threads WHERE thread_id = p_thread_id;
    -- Tombstone even an unknown id: a run may have writes in flight for a thread whose
    -- first checkpoint has not committed yet. clock_timestamp(), not now(): ids minted
    -- while this transaction ran belong to the deleted thread too.
    INSERT INTO deleted_threads AS d (thread_id, deleted_at) VALUES (p_thread_id, clock_timestamp())
    ON CONFLICT (thread_id) DO UPDATE SET deleted_at = EXCLUDED.deleted_at;
    RETURN v_deleted;
END
$$;

REVOKE ALL ON FUNCTION :"schema".delete_thread(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION :"schema".delete_thread(text) TO :"client_role";

COMMENT ON FUNCTION :"schema".delete_thread(text) IS
$c$Deletes a thread: every checkpoint in every namespace, its channel values and pending writes.
Parameter: p_thread_id. Returns the number of checkpoints deleted (0 for an unknown thread).
Leaves a tombstone in deleted_threads (refreshed if there is one): late put_writes for the
deleted checkpoints fail with LG008; a new put with no parent starts the thread afresh.
Raises LG001 (empty or over-long id).$c$;

COMMIT;
