-- Verify langgraph_checkpoint:function__delta_chain on pg

BEGIN;

SELECT format('%I._delta_chain(text, text, text, text[])', :'schema')::regprocedure;

ROLLBACK;
