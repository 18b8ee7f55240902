-- Verify langgraph_checkpoint:table_checkpoint_writes on pg

BEGIN;

SELECT thread_id, checkpoint_ns, checkpoint_id, task_id, idx, channel, type, value, blob, task_path, created_at
FROM :"schema".checkpoint_writes WHERE false;

ROLLBACK;
