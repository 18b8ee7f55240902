-- Verify langgraph_checkpoint:trigger_checkpoint_blobs_skip_empty on pg

BEGIN;

SELECT 1 / count(*)::int FROM pg_catalog.pg_trigger
WHERE tgrelid = format('%I.checkpoint_blobs', :'schema')::regclass AND tgname = 'checkpoint_blobs_skip_empty'
  AND tgenabled = 'O';

ROLLBACK;
