-- Verify langgraph_checkpoint:function__threads_query on pg

BEGIN;

SELECT format('%I._threads_query(jsonb, jsonb, text, timestamptz, timestamptz, timestamptz, timestamptz)', :'schema')::regprocedure;

ROLLBACK;
