-- Deploy langgraph_checkpoint:function__blob_value to pg
-- requires: column_checkpoint_blobs_base_version

BEGIN;

-- The whole JSON value of a channel at a version: the stored value itself, or for a
-- delta-encoded one the elements of its base chain in order. A chain is at most
-- _delta_encode's limit long, one primary-key lookup per link.
CREATE FUNCTION :"schema"._blob_value(p_thread_id text, p_checkpoint_ns text, p_channel text, p_version text)
RETURNS jsonb
LANGUAGE sql STABLE PARALLEL SAFE
SET search_path = :"schema", pg_temp
AS $$
    WITH RECURSIVE chain AS (
        SELECT b.value, b.base_version, 0 AS depth
        FROM checkpoint_blobs AS b
        WHERE b.thread_id = p_thread_id AND b.checkpoint_ns = p_checkpoint_ns
          AND b.channel = p_channel AND b.version = p_version
      UNION ALL
        SELECT b.value, b.base_version, chain.depth + 1
        FROM chain
        JOIN checkpoint_blobs AS b
          ON b.thread_id = p_thread_id AND b.checkpoint_ns = p_checkpoint_ns
         AND b.channel = p_channel AND b.version = chain.base_version
    )
    SELECT CASE
        WHEN (SELECT max(depth) FROM chain) = 0 THEN (SELECT value FROM chain)
        ELSE (SELECT jsonb_agg(e.elem ORDER BY chain.depth DESC, e.ord)
              FROM chain CROSS JOIN LATERAL jsonb_array_elements(chain.value) WITH ORDINALITY AS e (elem, ord))
    END
$$;

REVOKE ALL ON FUNCTION :"schema"._blob_value(text, text, text, text) FROM PUBLIC;

COMMENT ON FUNCTION :"schema"._blob_value(text, text, text, text) IS
  'Internal. The whole JSONB value of a channel at a version, rebuilding a delta-encoded value (base_version) from its chain. NULL when there is no such row or it holds no JSON value.';

COMMIT;
