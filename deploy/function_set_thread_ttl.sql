-- Deploy langgraph_checkpoint:function_set_thread_ttl to pg
-- requires: column_thread_settings_retention
-- requires: function__validation
\set client_role :schema '_client'

BEGIN;

-- A thread's own time to live. The retention procedures apply it in place of their
-- parameters (see column_thread_settings_retention), so one deployment can keep a
-- support chat for a year and a scratch thread for an hour with one scheduled job.
CREATE FUNCTION :"schema".set_thread_ttl(
    p_thread_id       text,
    p_ttl             interval,
    p_refresh_on_read boolean DEFAULT false
)
RETURNS timestamptz
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = :"schema", pg_temp
AS $$
DECLARE
    v_expires_at timestamptz;
BEGIN
    PERFORM _check_id(p_thread_id, 'thread_id');
    IF p_ttl <= interval '0' THEN
        RAISE EXCEPTION 'a thread''s ttl must be positive, got %', p_ttl
            USING ERRCODE = 'LG003',
                  HINT = 'Pass an interval such as ''7 days'', or NULL to follow the retention procedures'' parameters.';
    END IF;
    IF p_refresh_on_read IS NULL THEN
        RAISE EXCEPTION 'refresh_on_read must be true or false'
            USING ERRCODE = 'LG003',
                  HINT = 'true: a read recorded with touch_thread restarts the idle clock; false: only saves do.';
    END IF;
    -- A setting may come before the thread's first checkpoint, as set_compression allows.
    INSERT INTO threads (thread_id) VALUES (p_thread_id) ON CONFLICT (thread_id) DO NOTHING;
    INSERT INTO thread_settings AS s (thread_id, ttl, refresh_on_read)
    VALUES (p_thread_id, p_ttl, p_refresh_on_read)
    ON CONFLICT (thread_id) DO UPDATE SET ttl = EXCLUDED.ttl, refresh_on_read = EXCLUDED.refresh_on_read;

    SELECT _thread_last_active(t.updated_at, s.refresh_on_read, s.read_at) + s.ttl INTO v_expires_at
    FROM threads AS t JOIN thread_settings AS s USING (thread_id)
    WHERE t.thread_id = p_thread_id AND NOT s.pinned;
    RETURN v_expires_at;
END
$$;

REVOKE ALL ON FUNCTION :"schema".set_thread_ttl(text, interval, boolean) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION :"schema".set_thread_ttl(text, interval, boolean) TO :"client_role";

COMMENT ON FUNCTION :"schema".set_thread_ttl(text, interval, boolean) IS
$c$Gives a thread its own time to live, replacing the global policy for it: expire_idle_threads
deletes it once it has been inactive for p_ttl (whatever its idle parameter), and
cleanup_old_checkpoints removes its checkpoints older than p_ttl (whatever retention_days).
Parameters: p_thread_id, p_ttl (a positive interval; NULL removes the thread's TTL),
p_refresh_on_read (default false; true: reads recorded with touch_thread restart the clock,
not only saves). Creates the thread's row if it has none yet. Returns when the thread now
expires (last activity + p_ttl), NULL without a TTL or when pinned. Raises LG001 (empty or
over-long thread id), LG003 (p_ttl not positive, NULL p_refresh_on_read).$c$;

COMMIT;
