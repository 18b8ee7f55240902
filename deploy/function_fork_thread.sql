-- Deploy langgraph_checkpoint:function_fork_thread to pg
-- requires: function__copy_checkpoints
-- requires: function__ancestors
\set client_role :schema '_client'

BEGIN;

CREATE FUNCTION :"schema".fork_thread(
    p_source_thread_id text,
    p_checkpoint_id    text,
    p_target_thread_id text,
    p_checkpoint_ns    text DEFAULT ''
)
RETURNS bigint
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = :"schema", pg_temp
AS $$
DECLARE
    v_start text;
BEGIN
    PERFORM _check_id(p_target_thread_id, 'target_thread_id');
    IF p_source_thread_id = p_target_thread_id THEN
        RAISE EXCEPTION 'cannot fork thread % into itself', p_source_thread_id
            USING ERRCODE = 'LG003',
                  HINT = 'Fork into a new thread id; to branch inside a thread, save a checkpoint whose parent is the old one.';
    END IF;
    PERFORM FROM threads WHERE thread_id = p_source_thread_id FOR SHARE;
    v_start := _resolve_checkpoint(p_source_thread_id, p_checkpoint_ns, p_checkpoint_id);
    IF EXISTS (SELECT FROM checkpoints WHERE thread_id = p_target_thread_id) THEN
        RAISE EXCEPTION 'target thread % already has checkpoints', p_target_thread_id
            USING ERRCODE = 'LG003',
                  HINT = 'Fork into a thread id that is not in use, or delete_thread() it first.';
    END IF;
    -- The path from the root to the checkpoint: the fork's history is exactly what
    -- led to it, and the checkpoint is the fork's latest.
    RETURN _copy_checkpoints(
        p_source_thread_id, p_target_thread_id, p_checkpoint_ns,
        ARRAY(SELECT a.checkpoint_id FROM _ancestors(p_source_thread_id, p_checkpoint_ns, v_start) AS a));
END
$$;

REVOKE ALL ON FUNCTION :"schema".fork_thread(text, text, text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION :"schema".fork_thread(text, text, text, text) TO :"client_role";

COMMENT ON FUNCTION :"schema".fork_thread(text, text, text, text) IS
$c$Forks a thread at a checkpoint into a new thread: copies the checkpoint and its ancestors (the
path from the root), with their metadata, pending writes and channel values, keeping their ids.
The checkpoint becomes the new thread's latest, so running the graph on the new thread resumes
from it. Only the given namespace is copied (use copy_thread for a whole thread with subgraphs).
Returns the number of checkpoints copied.
Parameters: p_source_thread_id, p_checkpoint_id (NULL: the latest), p_target_thread_id,
p_checkpoint_ns (default '').
Raises LG001 (empty or over-long id), LG003 (target is the source or already has checkpoints),
LG004 (no such checkpoint).$c$;

COMMIT;
