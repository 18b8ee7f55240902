-- Verify langgraph_checkpoint:table_removed_checkpoints on pg

BEGIN;

SELECT thread_id, checkpoint_ns, first_id, last_id, checkpoint_ids, removed_at
FROM :"schema".removed_checkpoints WHERE false;

ROLLBACK;
