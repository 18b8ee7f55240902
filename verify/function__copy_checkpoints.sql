-- Verify langgraph_checkpoint:function__copy_checkpoints on pg

BEGIN;

-- The reworked body copies chain lengths.
SELECT 1 / (prosrc ~ 'delta_depth')::int
FROM pg_catalog.pg_proc
WHERE oid = format('%I._copy_checkpoints(text, text, text, text[])', :'schema')::regprocedure;

ROLLBACK;
