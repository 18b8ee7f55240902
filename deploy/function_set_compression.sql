-- Deploy langgraph_checkpoint:function_set_compression to pg
-- requires: function_set_compression@v1.0.0
-- requires: column_thread_settings_retention

BEGIN;

-- A thread_settings row now also holds the thread's retention settings (ttl, pin), so
-- clearing a thread's compression override clears that column, not the row.
CREATE OR REPLACE FUNCTION :"schema".set_compression(p_enabled boolean, p_thread_id text DEFAULT NULL)
RETURNS boolean
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = :"schema", pg_temp
AS $$
BEGIN
    IF p_thread_id IS NULL THEN
        IF p_enabled IS NULL THEN
            RAISE EXCEPTION 'the global compression setting must be true or false'
                USING ERRCODE = 'LG003',
                      HINT = 'NULL is only for a thread: it removes the thread''s own setting.';
        END IF;
        UPDATE settings SET compression = p_enabled, updated_at = now() WHERE singleton;
        RETURN p_enabled;
    END IF;

    PERFORM _check_id(p_thread_id, 'thread_id');
    IF p_enabled IS NULL THEN
        -- Only the compression override goes: the row may hold retention settings.
        UPDATE thread_settings SET compression = NULL WHERE thread_id = p_thread_id;
    ELSE
        -- A setting may come before the thread's first checkpoint.
        INSERT INTO threads (thread_id) VALUES (p_thread_id) ON CONFLICT (thread_id) DO NOTHING;
        INSERT INTO thread_settings AS t (thread_id, compression) VALUES (p_thread_id, p_enabled)
        ON CONFLICT (thread_id) DO UPDATE SET compression = EXCLUDED.compression;
    END IF;
    RETURN _compression_enabled(p_thread_id);
END
$$;

COMMENT ON FUNCTION :"schema".set_compression(boolean, text) IS
$c$Turns storage compression on or off, globally or for one thread, and returns the setting now in
force for that scope. With compression on, a channel value that is a JSON array extending the
parent checkpoint's value (a chat's messages) is stored as the appended elements only; loads
are unchanged and SQL still reads whole values (_blob_value). It applies to values written
from then on; stored values stay as they are and read the same either way.
Parameters: p_enabled (true/false; NULL with a thread removes the thread's own compression setting, keeping
its retention settings),
p_thread_id (default NULL: the global setting that threads without their own follow).
Raises LG001 (empty or over-long thread id), LG003 (NULL p_enabled without a thread).$c$;

COMMIT;
