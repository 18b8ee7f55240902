-- Verify langgraph_checkpoint:table_thread_settings on pg

BEGIN;

SELECT thread_id, compression FROM :"schema".thread_settings WHERE false;

ROLLBACK;
