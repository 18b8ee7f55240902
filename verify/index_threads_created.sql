-- Verify langgraph_checkpoint:index_threads_created on pg

BEGIN;

SELECT format('%I.threads_created_idx', :'schema')::regclass;

ROLLBACK;
