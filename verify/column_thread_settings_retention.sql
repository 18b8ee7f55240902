-- Verify langgraph_checkpoint:column_thread_settings_retention on pg

BEGIN;

SELECT thread_id, compression, ttl, pinned, refresh_on_read, read_at
FROM :"schema".thread_settings
WHERE false;

ROLLBACK;
