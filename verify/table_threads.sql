-- Verify langgraph_checkpoint:table_threads on pg

BEGIN;

SELECT thread_id, created_at, updated_at FROM :"schema".threads WHERE false;

ROLLBACK;
