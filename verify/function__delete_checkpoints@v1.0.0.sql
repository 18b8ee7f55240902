-- Verify langgraph_checkpoint:function__delete_checkpoints on pg

BEGIN;

SELECT format('%I._delete_checkpoints(text, text, text[])', :'schema')::regprocedure;

ROLLBACK;
