-- Deploy langgraph_checkpoint:function_touch_thread to pg
-- requires: column_thread_settings_retention
-- requires: function__validation
\set client_role :schema '_client'

BEGIN;

-- Reads (get_checkpoint, list_checkpoints, ...) are STABLE and run on the reader role,
-- on standbys too, so they record nothing; a client that wants reads to keep a thread
-- alive says so with this call (the Python savers' touch_thread). Only threads set to
-- refresh on read are written, and at most once a second, so calling it after every
-- read costs one primary-key probe for the other threads.
CREATE FUNCTION :"schema".touch_thread(p_thread_id text)
RETURNS boolean
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = :"schema", pg_temp
AS $$
BEGIN
    PERFORM _check_id(p_thread_id, 'thread_id');
    UPDATE thread_settings AS s SET read_at = now()
    WHERE s.thread_id = p_thread_id AND s.refresh_on_read
      AND (s.read_at IS NULL OR s.read_at < now() - interval '1 second');
    IF FOUND THEN
        RETURN true;
    END IF;
    RETURN EXISTS (SELECT FROM thread_settings AS s WHERE s.thread_id = p_thread_id AND s.refresh_on_read);
END
$$;

REVOKE ALL ON FUNCTION :"schema".touch_thread(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION :"schema".touch_thread(text) TO :"client_role";

COMMENT ON FUNCTION :"schema".touch_thread(text) IS
$c$Records a read of a thread: for a thread set to refresh on read (set_thread_ttl(...,
p_refresh_on_read => true)) its idle clock restarts now, for the TTL and for expire_idle_threads;
for any other thread nothing is written. Parameters: p_thread_id. Returns true when the thread
refreshes on read (its read time is now, to the second), false otherwise. Raises LG001 (empty or
over-long thread id).$c$;

COMMIT;
