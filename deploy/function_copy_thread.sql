-- Deploy langgraph_checkpoint:function_copy_thread to pg
-- requires: table_checkpoints
-- requires: table_checkpoint_blobs
-- requires: table_checkpoint_writes
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

    INSERT INTO threads (thread_id) VALUES (p_target_thread_id)
    ON CONFLICT (thread_id) DO UPDATE SET updated_at = now();

    -- The whole history is copied, every namespace and every ancestor, so lineage
    -- and DeltaChannel chains work in the copy as in the source.
    INSERT INTO checkpoint_blobs (thread_id, checkpoint_ns, channel, version, type, value, blob)
    SELECT p_target_thread_id, b.checkpoint_ns, b.channel, b.version, b.type, b.value, b.blob
    FROM checkpoint_blobs AS b WHERE b.thread_id = p_source_thread_id
    ON CONFLICT (thread_id, checkpoint_ns, channel, version) DO NOTHING;

    INSERT INTO checkpoints (thread_id, checkpoint_ns, checkpoint_id, parent_checkpoint_id, checkpoint, metadata, created_at)
    SELECT p_target_thread_id, c.checkpoint_ns, c.checkpoint_id, c.parent_checkpoint_id, c.checkpoint, c.metadata, c.created_at
    FROM checkpoints AS c WHERE c.thread_id = p_source_thread_id
    ON CONFLICT (thread_id, checkpoint_ns, checkpoint_id) DO NOTHING;
    GET DIAGNOSTICS v_copied = ROW_COUNT;

    INSERT INTO checkpoint_writes (thread_id, checkpoint_ns, checkpoint_id, task_id, idx, channel, type, value, blob, task_path, created_at)
    SELECT p_target_thread_id, w.checkpoint_ns, w.checkpoint_id, w.task_id, w.idx, w.channel, w.type, w.value, w.blob, w.task_path, w.created_at
    FROM checkpoint_writes AS w WHERE w.thread_id = p_source_thread_id
    ON CONFLICT (thread_id, checkpoint_ns, checkpoint_id, task_id, idx) DO NOTHING;

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
