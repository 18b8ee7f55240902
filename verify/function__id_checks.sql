-- Verify langgraph_checkpoint:function__id_checks on pg

BEGIN;

-- A cast to regprocedure raises if the function does not exist.
SELECT format('%I._bad_id(text)', :'schema')::regprocedure;
SELECT format('%I._bad_ns(text)', :'schema')::regprocedure;

ROLLBACK;
