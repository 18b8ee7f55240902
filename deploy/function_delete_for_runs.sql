-- Deploy langgraph_checkpoint:function_delete_for_runs to pg
-- requires: function__delete_checkpoints
-- requires: function__validation
\set client_role :schema '_client'

BEGIN;

CREATE FUNCTION :"schema".delete_for_runs(p_run_ids text[])
RETURNS bigint
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = :"schema", pg_temp
AS $$
DECLARE
    v_deleted bigint := 0;
    v_group record;
BEGIN
    IF p_run_ids IS NULL OR array_position(p_run_ids, NULL) IS NOT NULL THEN
        RAISE EXCEPTION 'run_ids must be an array of run ids without NULLs'
            USING ERRCODE = 'LG003',
                  HINT = 'Pass ARRAY[''<run id>''] or ''{}''.';
    END IF;
    IF cardinality(p_run_ids) = 0 THEN
        RETURN 0;
    END IF;

    -- Lock the threads involved in one order, so two overlapping calls cannot deadlock.
    PERFORM FROM threads AS t
    WHERE t.thread_id IN (
        SELECT c.thread_id FROM checkpoints AS c
        JOIN unnest(p_run_ids) AS r (run_id) ON c.metadata @> jsonb_build_object('run_id', r.run_id))
    ORDER BY t.thread_id
    FOR UPDATE;

    FOR v_group IN
        SELECT c.thread_id, c.checkpoint_ns, array_agg(c.checkpoint_id) AS ids
        FROM checkpoints AS c
        JOIN unnest(p_run_ids) AS r (run_id) ON c.metadata @> jsonb_build_object('run_id', r.run_id)
        GROUP BY c.thread_id, c.checkpoint_ns
        ORDER BY c.thread_id, c.checkpoint_ns
    LOOP
        v_deleted := v_deleted + _delete_checkpoints(v_group.thread_id, v_group.checkpoint_ns, v_group.ids);
    END LOOP;
    RETURN v_deleted;
END
$$;

REVOKE ALL ON FUNCTION :"schema".delete_for_runs(text[]) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION :"schema".delete_for_runs(text[]) TO :"client_role";

COMMENT ON FUNCTION :"schema".delete_for_runs(text[]) IS
$c$Deletes every checkpoint whose metadata run_id is in p_run_ids, in any thread, with its pending
writes and the values no remaining checkpoint uses. A checkpoint whose parent is deleted becomes
a root. Returns the number of checkpoints deleted. Deleting a run that a live thread's
DeltaChannel history depends on loses that history (see docs/operations.md).
Parameter: p_run_ids. Raises LG003 (NULL array or NULL element).$c$;

COMMIT;
