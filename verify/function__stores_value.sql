-- Verify langgraph_checkpoint:function__stores_value on pg

BEGIN;

SELECT format('%I._stores_value(text, text, text, text)', :'schema')::regprocedure;

ROLLBACK;
