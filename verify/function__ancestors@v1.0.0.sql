-- Verify langgraph_checkpoint:function__ancestors on pg

BEGIN;

SELECT format('%I._ancestors(text, text, text, integer)', :'schema')::regprocedure;
SELECT format('%I._resolve_checkpoint(text, text, text)', :'schema')::regprocedure;

ROLLBACK;
