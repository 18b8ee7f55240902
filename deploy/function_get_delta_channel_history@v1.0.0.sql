-- Deploy langgraph_checkpoint:function_get_delta_channel_history to pg
-- requires: function__delta_chain
-- requires: table_checkpoint_writes
-- requires: function__validation
-- requires: function__blob_value
\set reader_role :schema '_reader'

BEGIN;

CREATE FUNCTION :"schema".get_delta_channel_history(
    p_thread_id     text,
    p_checkpoint_ns text,
    p_checkpoint_id text,
    p_channels      text[]
)
RETURNS TABLE (
    channel        text,
    has_seed       boolean,
    seed_type      text,
    seed_value     jsonb,
    seed_blob      bytea,
    write_task_ids text[],
    write_types    text[],
    write_values   jsonb[],
    write_blobs    bytea[]
)
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = :"schema", pg_temp
-- Every call runs the same plan shape; planning it again per call would cost more
-- than the call itself.
SET plan_cache_mode = force_generic_plan
AS $$
DECLARE
    v_parent_id text;
BEGIN
    IF p_thread_id IS NULL OR p_thread_id = '' OR length(p_thread_id) > 1024 THEN
        PERFORM _check_id(p_thread_id, 'thread_id');
    END IF;
    IF p_checkpoint_ns IS NULL OR length(p_checkpoint_ns) > 1024 THEN
        PERFORM _check_ns(p_checkpoint_ns);
    END IF;
    IF p_checkpoint_id IS NOT NULL THEN
        IF p_checkpoint_id IS NULL OR p_checkpoint_id = '' OR length(p_checkpoint_id) > 1024 THEN
            PERFORM _check_id(p_checkpoint_id, 'checkpoint_id');
        END IF;
    END IF;
    IF p_channels IS NULL OR array_position(p_channels, NULL) IS NOT NULL THEN
        RAISE EXCEPTION 'channels must be an array of channel names without NULLs'
            USING ERRCODE = 'LG003',
                  HINT = 'Pass ARRAY[''messages''] or ''{}''.';
    END IF;

    -- Writes stored at the target itself are pending for its next superstep, so the
    -- walk starts at its parent.
    SELECT c.parent_checkpoint_id INTO v_parent_id
    FROM checkpoints AS c
    WHERE c.thread_id = p_thread_id AND c.checkpoint_ns = p_checkpoint_ns
      AND (p_checkpoint_id IS NULL OR c.checkpoint_id = p_checkpoint_id)
    ORDER BY c.checkpoint_id DESC
    LIMIT 1;

    RETURN QUERY
    WITH chain AS MATERIALIZED (
        SELECT * FROM _delta_chain(p_thread_id, p_checkpoint_ns, v_parent_id, p_channels)
    )
    SELECT ch.name, seed.type IS NOT NULL, seed.type, seed.value, seed.blob,
           coalesce(w.task_ids, '{}'), coalesce(w.types, '{}'), coalesce(w.vals, '{}'), coalesce(w.blobs, '{}')
    FROM unnest(p_channels) WITH ORDINALITY AS ch (name, ord)
    LEFT JOIN LATERAL (
        SELECT b.type,
               CASE WHEN b.base_version IS NULL THEN b.value
                    ELSE _blob_value(b.thread_id, b.checkpoint_ns, b.channel, b.version) END AS value,
               b.blob
        FROM chain
        JOIN checkpoint_blobs AS b
          ON b.thread_id = p_thread_id AND b.checkpoint_ns = p_checkpoint_ns
         AND b.channel = ch.name AND b.version = chain.versions ->> ch.name
        WHERE ch.name = ANY (chain.seeded)
        LIMIT 1
    ) AS seed ON true
    LEFT JOIN LATERAL (
        -- Oldest checkpoint first; within one, LangGraph's writes_sort_key order.
        SELECT array_agg(x.task_id ORDER BY chain.depth DESC, x.task_path, x.task_id, x.idx) AS task_ids,
               array_agg(x.type    ORDER BY chain.depth DESC, x.task_path, x.task_id, x.idx) AS types,
               array_agg(x.value   ORDER BY chain.depth DESC, x.task_path, x.task_id, x.idx) AS vals,
               array_agg(x.blob    ORDER BY chain.depth DESC, x.task_path, x.task_id, x.idx) AS blobs
        FROM chain
        JOIN checkpoint_writes AS x
          ON x.thread_id = p_thread_id AND x.checkpoint_ns = p_checkpoint_ns
         AND x.checkpoint_id = chain.checkpoint_id AND x.channel = ch.name
        WHERE ch.name = ANY (chain.needed)
    ) AS w ON true
    ORDER BY ch.ord;
END
$$;

REVOKE ALL ON FUNCTION :"schema".get_delta_channel_history(text, text, text, text[]) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION :"schema".get_delta_channel_history(text, text, text, text[]) TO :"reader_role";

COMMENT ON FUNCTION :"schema".get_delta_channel_history(text, text, text, text[]) IS
$c$Returns, for each channel in p_channels, what LangGraph's DeltaChannel needs to rebuild it at a
checkpoint: the writes to it along the parent chain (oldest first, each checkpoint's in
(task_path, task_id, idx) order; the target's own writes excluded) and the seed, the value
stored at the nearest ancestor that has one (has_seed false when the walk reached the root).
One row per requested channel, in the order given; one recursive, index-driven walk for all.
Parameters: p_thread_id, p_checkpoint_ns, p_checkpoint_id (NULL: the latest), p_channels.
Raises LG001 (empty or over-long id), LG003 (p_channels NULL or containing NULL).$c$;

COMMIT;
