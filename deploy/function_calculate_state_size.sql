-- Deploy langgraph_checkpoint:function_calculate_state_size to pg
-- requires: function__blob_value
-- requires: table_checkpoint_writes
-- requires: function__validation
\set reader_role :schema '_reader'

BEGIN;

-- raw_bytes: the state as text (JSON text of documents and values, bytes of blobs),
-- what a client receives. stored_bytes: what its own rows take on disk after TOAST
-- compression (pg_column_size); a delta-encoded value counts its delta only, since
-- the rest is stored once for the earlier checkpoints that share it.
CREATE FUNCTION :"schema".calculate_state_size(
    p_thread_id     text,
    p_checkpoint_id text DEFAULT NULL,
    p_checkpoint_ns text DEFAULT ''
)
RETURNS TABLE (raw_bytes bigint, stored_bytes bigint)
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = :"schema", pg_temp
AS $$
DECLARE
    v_checkpoint record;
BEGIN
    PERFORM _check_id(p_thread_id, 'thread_id');
    PERFORM _check_ns(p_checkpoint_ns);
    IF p_checkpoint_id IS NOT NULL THEN
        PERFORM _check_id(p_checkpoint_id, 'checkpoint_id');
    END IF;

    SELECT c.checkpoint_id, c.checkpoint, c.metadata INTO v_checkpoint
    FROM checkpoints AS c
    WHERE c.thread_id = p_thread_id AND c.checkpoint_ns = p_checkpoint_ns
      AND (p_checkpoint_id IS NULL OR c.checkpoint_id = p_checkpoint_id)
    ORDER BY c.checkpoint_id DESC
    LIMIT 1;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'no checkpoint % in thread % namespace %',
                coalesce(p_checkpoint_id, '(latest)'), p_thread_id, quote_literal(p_checkpoint_ns)
            USING ERRCODE = 'LG004',
                  HINT = 'Check the thread id, namespace and checkpoint id; list_checkpoints shows what exists.';
    END IF;

    RETURN QUERY
    WITH parts (raw, stored) AS (
        SELECT octet_length(v_checkpoint.checkpoint::text) + octet_length(v_checkpoint.metadata::text),
               pg_column_size(v_checkpoint.checkpoint) + pg_column_size(v_checkpoint.metadata)
      UNION ALL
        SELECT CASE WHEN b.type = 'json'
                    THEN octet_length(_blob_value(p_thread_id, p_checkpoint_ns, b.channel, b.version)::text)
                    ELSE coalesce(octet_length(b.blob), 0) END,
               coalesce(pg_column_size(b.value), 0) + coalesce(pg_column_size(b.blob), 0)
        FROM jsonb_each_text(v_checkpoint.checkpoint -> 'channel_versions') AS v (channel, version)
        JOIN checkpoint_blobs AS b
          ON b.thread_id = p_thread_id AND b.checkpoint_ns = p_checkpoint_ns
         AND b.channel = v.channel AND b.version = v.version
      UNION ALL
        SELECT coalesce(octet_length(w.value::text), 0) + coalesce(octet_length(w.blob), 0),
               coalesce(pg_column_size(w.value), 0) + coalesce(pg_column_size(w.blob), 0)
        FROM checkpoint_writes AS w
        WHERE w.thread_id = p_thread_id AND w.checkpoint_ns = p_checkpoint_ns
          AND w.checkpoint_id = v_checkpoint.checkpoint_id
    )
    SELECT sum(parts.raw)::bigint, sum(parts.stored)::bigint FROM parts;
END
$$;

REVOKE ALL ON FUNCTION :"schema".calculate_state_size(text, text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION :"schema".calculate_state_size(text, text, text) TO :"reader_role";

COMMENT ON FUNCTION :"schema".calculate_state_size(text, text, text) IS
$c$Reports the size of one checkpoint's state: its document and metadata, its channel values and
its pending writes. Returns one row (raw_bytes: as JSON text and blob bytes, what a client
loads; stored_bytes: what those rows take on disk after compression, a delta-encoded value
counting only its delta). Parameters: p_thread_id, p_checkpoint_id (default NULL: the latest),
p_checkpoint_ns (default ''). Raises LG001 (empty or over-long id), LG004 (no such checkpoint).$c$;

COMMIT;
