-- Deploy langgraph_checkpoint:function__delta_encode to pg
-- requires: function__blob_value

BEGIN;

-- How put_checkpoint stores a JSON value when compression is on. If the value is an
-- array that starts with the whole value stored at p_base_version (the parent
-- checkpoint's version of the channel), only the appended elements are stored, with
-- base_version pointing at it. Otherwise, and every c_max_chain links so that reading
-- stays cheap, the whole value is stored. Values are compared, not trusted: anything
-- that is not a pure append (add_messages replacing a message by id, a trimmed
-- history) is stored whole.
CREATE OR REPLACE FUNCTION :"schema"._delta_encode(
    p_thread_id     text,
    p_checkpoint_ns text,
    p_channel       text,
    p_base_version  text,
    p_value         jsonb,
    OUT value        jsonb,
    OUT base_version text
)
LANGUAGE plpgsql STABLE
SET search_path = :"schema", pg_temp
AS $$
DECLARE
    c_max_chain CONSTANT integer := 32;
    v_depth integer;
    v_base jsonb;
    v_base_length integer;
BEGIN
    value := p_value;
    base_version := NULL;
    IF p_base_version IS NULL OR jsonb_typeof(p_value) IS DISTINCT FROM 'array' THEN
        RETURN;
    END IF;

    -- Length of the base's chain: a new link must not make it longer than the limit.
    WITH RECURSIVE chain AS (
        SELECT b.base_version, 0 AS depth
        FROM checkpoint_blobs AS b
        WHERE b.thread_id = p_thread_id AND b.checkpoint_ns = p_checkpoint_ns
          AND b.channel = p_channel AND b.version = p_base_version AND b.type = 'json'
      UNION ALL
        SELECT b.base_version, chain.depth + 1
        FROM chain
        JOIN checkpoint_blobs AS b
          ON b.thread_id = p_thread_id AND b.checkpoint_ns = p_checkpoint_ns
         AND b.channel = p_channel AND b.version = chain.base_version
        -- Bound: past the limit the answer is the same, and a loop cannot run away.
        WHERE chain.depth < c_max_chain
    )
    SELECT max(depth) INTO v_depth FROM chain;
    IF v_depth IS NULL OR v_depth + 1 >= c_max_chain THEN
        RETURN;
    END IF;

    v_base := _blob_value(p_thread_id, p_checkpoint_ns, p_channel, p_base_version);
    IF jsonb_typeof(v_base) IS DISTINCT FROM 'array' THEN
        RETURN;
    END IF;
    v_base_length := jsonb_array_length(v_base);
    IF v_base_length = 0 OR jsonb_array_length(p_value) <= v_base_length THEN
        RETURN;
    END IF;
    IF jsonb_path_query_array(p_value, format('$[0 to %s]', v_base_length - 1)::jsonpath) = v_base THEN
        value := jsonb_path_query_array(p_value, format('$[%s to last]', v_base_length)::jsonpath);
        base_version := p_base_version;
    END IF;
END
$$;

REVOKE ALL ON FUNCTION :"schema"._delta_encode(text, text, text, text, jsonb) FROM PUBLIC;

COMMENT ON FUNCTION :"schema"._delta_encode(text, text, text, text, jsonb) IS
  'Internal, for put_checkpoint with compression on. Returns (value, base_version) to store for channel p_channel: the appended elements and p_base_version when p_value extends the array stored at p_base_version (chains at most 32 long), else p_value and NULL.';

COMMIT;
