-- Verify langgraph_checkpoint:function__validation on pg

BEGIN;

-- A cast to regprocedure raises if the function does not exist.
SELECT format('%I._check_id(text, text)', :'schema')::regprocedure;
SELECT format('%I._check_ns(text)', :'schema')::regprocedure;
SELECT format('%I._check_object(jsonb, text)', :'schema')::regprocedure;
SELECT format('%I._check_limit(integer)', :'schema')::regprocedure;
SELECT format('%I._check_payload(text, text[], text[], jsonb[], bytea[])', :'schema')::regprocedure;

ROLLBACK;
