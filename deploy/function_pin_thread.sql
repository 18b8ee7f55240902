-- Deploy langgraph_checkpoint:function_pin_thread to pg
-- requires: column_thread_settings_retention
-- requires: function__validation
\set client_role :schema '_client'

BEGIN;

-- A pin exempts a thread from retention (a conversation a user starred, a thread under
-- investigation) without changing the policy for everyone else.
CREATE FUNCTION :"schema".pin_thread(p_thread_id text, p_pinned boolean DEFAULT true)
RETURNS boolean
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = :"schema", pg_temp
AS $$
BEGIN
    PERFORM _check_id(p_thread_id, 'thread_id');
    IF p_pinned IS NULL THEN
        RAISE EXCEPTION 'pinned must be true or false'
            USING ERRCODE = 'LG003',
                  HINT = 'pin_thread(id) pins a thread, pin_thread(id, false) unpins it.';
    END IF;
    INSERT INTO threads (thread_id) VALUES (p_thread_id) ON CONFLICT (thread_id) DO NOTHING;
    INSERT INTO thread_settings AS s (thread_id, pinned) VALUES (p_thread_id, p_pinned)
    ON CONFLICT (thread_id) DO UPDATE SET pinned = EXCLUDED.pinned;
    RETURN p_pinned;
END
$$;

REVOKE ALL ON FUNCTION :"schema".pin_thread(text, boolean) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION :"schema".pin_thread(text, boolean) TO :"client_role";

COMMENT ON FUNCTION :"schema".pin_thread(text, boolean) IS
$c$Pins or unpins a thread. Retention leaves a pinned thread alone: expire_idle_threads does not
delete it and cleanup_old_checkpoints keeps all its checkpoints, whatever their TTL; delete_thread
and prune_checkpoints still work on it. Parameters: p_thread_id, p_pinned (default true; false
unpins). Creates the thread's row if it has none yet. Returns p_pinned. Raises LG001 (empty or
over-long thread id), LG003 (NULL p_pinned).$c$;

COMMIT;
