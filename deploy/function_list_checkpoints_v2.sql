-- Deploy langgraph_checkpoint:function_list_checkpoints_v2 to pg
-- requires: function__checkpoint_page
-- requires: view_checkpoint_tuples
-- requires: function__blob_value
\set reader_role :schema '_reader'

BEGIN;

-- list_checkpoints for a client that keeps the values of the row before. Consecutive
-- checkpoints of a thread share most channel versions (a step changes a few channels),
-- and a value at a (thread, namespace, channel, version) never changes, so a row carries
-- a channel's value only where its version differs from the one the row before named:
-- each value is built, sent and decoded once per run of rows sharing it, not once per
-- row. The reader needs to keep one value per channel, however long the result.
CREATE FUNCTION :"schema".list_checkpoints_v2(
    p_thread_id     text    DEFAULT NULL,
    p_checkpoint_ns text    DEFAULT NULL,
    p_checkpoint_id text    DEFAULT NULL,
    p_filter        jsonb   DEFAULT NULL,
    p_before        text    DEFAULT NULL,
    p_limit         integer DEFAULT NULL
)
RETURNS SETOF :"schema".checkpoint_tuples
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = :"schema", pg_temp
SET plan_cache_mode = force_generic_plan
-- See list_checkpoints: nothing an API read runs is worth compiling.
SET jit = off
AS $$
DECLARE
    v_page record;
BEGIN
    SELECT * INTO v_page
    FROM _checkpoint_page(p_thread_id, p_checkpoint_ns, p_checkpoint_id, p_filter, p_before, p_limit);

    RETURN QUERY
        WITH page AS MATERIALIZED (
            -- The checkpoints of the page, probed by primary key as in list_checkpoints.
            SELECT k.ord, c.thread_id, c.checkpoint_ns, c.checkpoint_id, c.parent_checkpoint_id,
                   c.checkpoint, c.metadata, c.created_at
            FROM unnest(v_page.thread_ids, v_page.checkpoint_nss, v_page.checkpoint_ids) WITH ORDINALITY
                 AS k (thread_id, checkpoint_ns, checkpoint_id, ord)
            CROSS JOIN LATERAL (
                SELECT c.* FROM checkpoints AS c
                WHERE c.thread_id = k.thread_id AND c.checkpoint_ns = k.checkpoint_ns
                  AND c.checkpoint_id <= k.checkpoint_id
                ORDER BY c.checkpoint_id DESC
                LIMIT 1) AS c
            WHERE c.checkpoint_id = k.checkpoint_id
        ), named AS (
            -- Every channel version each row names that differs from the one the row
            -- before it (of the same thread and namespace) named: lag over the page's
            -- rows, so the window sorts one row per checkpoint, not one per channel.
            SELECT p.ord, p.thread_id, p.checkpoint_ns, v.channel, v.version
            FROM (SELECT p.ord, p.thread_id, p.checkpoint_ns, p.checkpoint -> 'channel_versions' AS versions,
                         lag(p.checkpoint -> 'channel_versions')
                             OVER (PARTITION BY p.thread_id, p.checkpoint_ns ORDER BY p.ord) AS previous
                  FROM page AS p) AS p
            CROSS JOIN LATERAL jsonb_each_text(p.versions) AS v (channel, version)
            WHERE p.previous ->> v.channel IS DISTINCT FROM v.version
        ), vals AS (
            SELECT f.ord,
                   array_agg(b.channel ORDER BY b.channel) AS channel_names,
                   array_agg(b.type    ORDER BY b.channel) AS channel_types,
                   array_agg(b.value   ORDER BY b.channel) AS channel_values,
                   array_agg(b.blob    ORDER BY b.channel) AS channel_blobs
            FROM named AS f
            CROSS JOIN LATERAL (
                SELECT b.channel, b.type,
                       CASE WHEN b.base_version IS NULL THEN b.value
                            ELSE _blob_value(b.thread_id, b.checkpoint_ns, b.channel, b.version) END AS value,
                       b.blob
                FROM checkpoint_blobs AS b
                WHERE b.thread_id = f.thread_id AND b.checkpoint_ns = f.checkpoint_ns
                  AND b.channel = f.channel AND b.version = f.version
                  AND b.type <> 'empty'
                LIMIT 1) AS b
            GROUP BY f.ord
        )
        SELECT p.thread_id, p.checkpoint_ns, p.checkpoint_id, p.parent_checkpoint_id,
               p.checkpoint, p.metadata, p.created_at,
               coalesce(v.channel_names, '{}'), coalesce(v.channel_types, '{}'),
               coalesce(v.channel_values, '{}'), coalesce(v.channel_blobs, '{}'),
               w.write_task_ids, w.write_channels, w.write_types, w.write_values, w.write_blobs,
               w.write_task_paths
        FROM page AS p
        LEFT JOIN vals AS v ON v.ord = p.ord
        -- The pending writes, aggregated as checkpoint_tuples aggregates them.
        CROSS JOIN LATERAL (
            SELECT coalesce(array_agg(w.task_id   ORDER BY w.task_path, w.task_id, w.idx), '{}') AS write_task_ids,
                   coalesce(array_agg(w.channel   ORDER BY w.task_path, w.task_id, w.idx), '{}') AS write_channels,
                   coalesce(array_agg(w.type      ORDER BY w.task_path, w.task_id, w.idx), '{}') AS write_types,
                   coalesce(array_agg(w.value     ORDER BY w.task_path, w.task_id, w.idx), '{}') AS write_values,
                   coalesce(array_agg(w.blob      ORDER BY w.task_path, w.task_id, w.idx), '{}') AS write_blobs,
                   coalesce(array_agg(w.task_path ORDER BY w.task_path, w.task_id, w.idx), '{}') AS write_task_paths
            FROM checkpoint_writes AS w
            WHERE w.thread_id = p.thread_id AND w.checkpoint_ns = p.checkpoint_ns
              AND w.checkpoint_id = p.checkpoint_id) AS w
        ORDER BY p.ord;
END
$$;

REVOKE ALL ON FUNCTION :"schema".list_checkpoints_v2(text, text, text, jsonb, text, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION :"schema".list_checkpoints_v2(text, text, text, jsonb, text, integer) TO :"reader_role";

COMMENT ON FUNCTION :"schema".list_checkpoints_v2(text, text, text, jsonb, text, integer) IS
$c$Returns what list_checkpoints returns, with the same parameters and in the same order, except
that a row carries a channel's value only where it changed: its channel_names, channel_types,
channel_values and channel_blobs hold the channels whose version differs from the version the
previous row of the result for the same thread and namespace named (or that it did not name).
A channel in a row's checkpoint.channel_versions without a value there has the value the
previous row had for the same version, or none (an empty channel).
Pending writes are in every row, as in list_checkpoints.
Parameters, all optional (NULL = no condition): p_thread_id (NULL: across all threads),
p_checkpoint_ns, p_checkpoint_id, p_filter (a JSON object: each of its top-level keys must equal
the metadata's value for it, a missing key counting as null),
p_before (only ids lower than this one), p_limit (at most this many rows).
Raises LG001 (empty or over-long id), LG002 (p_filter not an object), LG003 (negative p_limit).$c$;

COMMIT;
