-- Deploy langgraph_checkpoint:view_checkpoint_tuples to pg
-- requires: table_checkpoints
-- requires: table_checkpoint_blobs
-- requires: table_checkpoint_writes
-- requires: function__blob_value

BEGIN;

-- One row per checkpoint with everything LangGraph's CheckpointTuple needs. Its row
-- type is the return type of get_checkpoint and list_checkpoints. The lateral
-- subqueries run only for the rows a caller's WHERE/LIMIT keeps, each an index
-- lookup, so reading one checkpoint costs the same on a thread of any length.
-- Arrays are parallel: element i of every channel_* array describes one channel.
CREATE VIEW :"schema".checkpoint_tuples AS
SELECT c.thread_id,
       c.checkpoint_ns,
       c.checkpoint_id,
       c.parent_checkpoint_id,
       c.checkpoint,
       c.metadata,
       c.created_at,
       vals.channel_names,
       vals.channel_types,
       vals.channel_values,
       vals.channel_blobs,
       pw.write_task_ids,
       pw.write_channels,
       pw.write_types,
       pw.write_values,
       pw.write_blobs,
       pw.write_task_paths
FROM :"schema".checkpoints AS c
CROSS JOIN LATERAL (
    SELECT coalesce(array_agg(b.channel ORDER BY b.channel), '{}') AS channel_names,
           coalesce(array_agg(b.type    ORDER BY b.channel), '{}') AS channel_types,
           coalesce(array_agg(b.value   ORDER BY b.channel), '{}') AS channel_values,
           coalesce(array_agg(b.blob    ORDER BY b.channel), '{}') AS channel_blobs
    FROM jsonb_each_text(c.checkpoint -> 'channel_versions') AS v (channel, version)
    -- One primary-key probe per channel. LIMIT 1 (the key is unique anyway) keeps
    -- the planner from turning this into a hash join over the whole table, which
    -- it would pick while checkpoint_blobs is small or its statistics are stale.
    CROSS JOIN LATERAL (
        -- A delta-encoded value (compression on) is rebuilt from its chain.
        SELECT b.channel, b.type,
               CASE WHEN b.base_version IS NULL THEN b.value
                    ELSE :"schema"._blob_value(b.thread_id, b.checkpoint_ns, b.channel, b.version) END AS value,
               b.blob
        FROM :"schema".checkpoint_blobs AS b
        WHERE b.thread_id = c.thread_id
          AND b.checkpoint_ns = c.checkpoint_ns
          AND b.channel = v.channel
          AND b.version = v.version
          AND b.type <> 'empty'
        LIMIT 1
    ) AS b
) AS vals
CROSS JOIN LATERAL (
    -- LangGraph replays a superstep's writes in (task_path, task_id, idx) order.
    SELECT coalesce(array_agg(w.task_id   ORDER BY w.task_path, w.task_id, w.idx), '{}') AS write_task_ids,
           coalesce(array_agg(w.channel   ORDER BY w.task_path, w.task_id, w.idx), '{}') AS write_channels,
           coalesce(array_agg(w.type      ORDER BY w.task_path, w.task_id, w.idx), '{}') AS write_types,
           coalesce(array_agg(w.value     ORDER BY w.task_path, w.task_id, w.idx), '{}') AS write_values,
           coalesce(array_agg(w.blob      ORDER BY w.task_path, w.task_id, w.idx), '{}') AS write_blobs,
           coalesce(array_agg(w.task_path ORDER BY w.task_path, w.task_id, w.idx), '{}') AS write_task_paths
    FROM :"schema".checkpoint_writes AS w
    WHERE w.thread_id = c.thread_id
      AND w.checkpoint_ns = c.checkpoint_ns
      AND w.checkpoint_id = c.checkpoint_id
) AS pw;

COMMENT ON VIEW :"schema".checkpoint_tuples IS
  'Internal: a checkpoint with its channel values and pending writes as parallel arrays. Its row type is what get_checkpoint and list_checkpoints return. Not granted to any role.';

COMMIT;
