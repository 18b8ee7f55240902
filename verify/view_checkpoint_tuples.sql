-- Verify langgraph_checkpoint:view_checkpoint_tuples on pg

BEGIN;

SELECT thread_id, checkpoint_ns, checkpoint_id, parent_checkpoint_id, checkpoint, metadata, created_at,
       channel_names, channel_types, channel_values, channel_blobs,
       write_task_ids, write_channels, write_types, write_values, write_blobs, write_task_paths
FROM :"schema".checkpoint_tuples WHERE false;

ROLLBACK;
