-- Verify langgraph_checkpoint:table_checkpoint_blobs on pg

BEGIN;

SELECT thread_id, checkpoint_ns, channel, version, type, value, blob
FROM :"schema".checkpoint_blobs WHERE false;

ROLLBACK;
