-- Verify langgraph_checkpoint:function__to_document on pg

BEGIN;

SELECT format('%I._to_document(%I.checkpoint_tuples)', :'schema', :'schema')::regprocedure;
SELECT format('%I._value_document(text, jsonb, bytea)', :'schema')::regprocedure;

ROLLBACK;
