-- Verify langgraph_checkpoint:table_thread_leases on pg

BEGIN;

SELECT thread_id, owner, acquired_at, expires_at FROM :"schema".thread_leases WHERE false;

ROLLBACK;
