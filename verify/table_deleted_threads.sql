-- Verify langgraph_checkpoint:table_deleted_threads on pg

BEGIN;

SELECT thread_id, deleted_at FROM :"schema".deleted_threads WHERE false;

ROLLBACK;
