-- Verify langgraph_checkpoint:table_checkpoints on pg

BEGIN;

SELECT thread_id, checkpoint_ns, checkpoint_id, parent_checkpoint_id, checkpoint, metadata, created_at
FROM :"schema".checkpoints WHERE false;

ROLLBACK;
