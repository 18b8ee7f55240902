-- Verify langgraph_checkpoint:column_threads_removed_through on pg

BEGIN;

SELECT removed_through FROM :"schema".threads WHERE false;

ROLLBACK;
