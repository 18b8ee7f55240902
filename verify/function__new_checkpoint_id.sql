-- Verify langgraph_checkpoint:function__new_checkpoint_id on pg

BEGIN;

SELECT format('%I._new_checkpoint_id()', :'schema')::regprocedure;

ROLLBACK;
