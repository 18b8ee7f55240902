-- Deploy langgraph_checkpoint:function_set_compression to pg
-- requires: table_settings
-- requires: table_thread_settings
-- requires: function__validation
\set client_role :schema '_client'
\set reader_role :schema '_reader'

BEGIN;

-- Whether writes to a thread store append-only arrays as deltas: the thread's own
-- setting, else the global one. put_checkpoint asks this once per call.
CREATE FUNCTION :"schema"._compression_enabled(p_thread_id text)
RETURNS boolean
LANGUAGE plpgsql STABLE
SET search_path = :"schema", pg_temp
AS $$
BEGIN
    -- PL/pgSQL, not SQL: it runs for every JSON array a save stores, and a SQL
    -- function with a SET clause would be planned again on each of those calls.
    RETURN coalesce((SELECT t.compression FROM thread_settings AS t WHERE t.thread_id = p_thread_id),
                    (SELECT s.compression FROM settings AS s WHERE s.singleton),
                    false);
END
$$;

CREATE FUNCTION :"schema".set_compression(p_enabled boolean, p_thread_id text DEFAULT NULL)
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
        DELETE FROM thread_settings WHERE thread_id = p_thread_id;
    ELSE
        -- A setting may come before the thread's first checkpoint.
        INSERT INTO threads (thread_id) VALUES (p_thread_id) ON CONFLICT (thread_id) DO NOTHING;
        INSERT INTO thread_settings AS t (thread_id, compression) VALUES (p_thread_id, p_enabled)
        ON CONFLICT (thread_id) DO UPDATE SET compression = EXCLUDED.compression;
    END IF;
    RETURN _compression_enabled(p_thread_id);
END
$$;

REVOKE ALL ON FUNCTION :"schema"._compression_enabled(text) FROM PUBLIC;
REVOKE ALL ON FUNCTION :"schema".set_compression(boolean, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION :"schema".set_compression(boolean, text) TO :"client_role";

COMMENT ON FUNCTION :"schema"._compression_enabled(text) IS
  'Internal. Whether compression is on for the thread: its thread_settings row, else the global settings row.';
COMMENT ON FUNCTION :"schema".set_compression(boolean, text) IS
$c$Turns storage compression on or off, globally or for one thread, and returns the setting now in
force for that scope. With compression on, a channel value that is a JSON array extending the
parent checkpoint's value (a chat's messages) is stored as the appended elements only; loads
are unchanged and SQL still reads whole values (_blob_value). It applies to values written
from then on; stored values stay as they are and read the same either way.
Parameters: p_enabled (true/false; NULL with a thread removes the thread's own setting),
p_thread_id (default NULL: the global setting that threads without their own follow).
Raises LG001 (empty or over-long thread id), LG003 (NULL p_enabled without a thread).$c$;

COMMIT;
