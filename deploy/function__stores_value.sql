-- Deploy langgraph_checkpoint:function__stores_value to pg
-- requires: table_checkpoint_blobs

BEGIN;

CREATE FUNCTION :"schema"._stores_value(p_thread_id text, p_checkpoint_ns text, p_channel text, p_version text)
RETURNS boolean
LANGUAGE plpgsql STABLE
SET search_path = :"schema", pg_temp
AS $$
BEGIN
    -- PL/pgSQL rather than SQL: its plan is cached for the session, where a SQL
    -- function's would be made again on every call of a recursive walk.
    RETURN p_version IS NOT NULL AND EXISTS (
        SELECT FROM checkpoint_blobs AS b
        WHERE b.thread_id = p_thread_id AND b.checkpoint_ns = p_checkpoint_ns
          AND b.channel = p_channel AND b.version = p_version AND b.type <> 'empty');
END
$$;

REVOKE ALL ON FUNCTION :"schema"._stores_value(text, text, text, text) FROM PUBLIC;

COMMENT ON FUNCTION :"schema"._stores_value(text, text, text, text) IS
  'Internal. True when a value (not the empty marker) is stored for the channel at that version.';

COMMIT;
