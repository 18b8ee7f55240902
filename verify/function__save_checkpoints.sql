-- Verify langgraph_checkpoint:function__save_checkpoints on pg

BEGIN;

SELECT format('%I._bad_checkpoint(text, text, text, text, jsonb, jsonb)', :'schema')::regprocedure;
SELECT format('%I._save_checkpoints(text[], text[], text[], text[], jsonb[], jsonb[], integer[], text[], text[], jsonb[], bytea[], boolean, text)', :'schema')::regprocedure;

ROLLBACK;
