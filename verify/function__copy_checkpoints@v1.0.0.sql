-- Verify langgraph_checkpoint:function__copy_checkpoints on pg

BEGIN;

SELECT format('%I._copy_checkpoints(text, text, text, text[])', :'schema')::regprocedure;

ROLLBACK;
