-- Verify langgraph_checkpoint:trigger_checkpoint_blobs_delta_encode on pg

BEGIN;

SELECT 1 / count(*)::int FROM pg_catalog.pg_trigger
WHERE tgrelid = format('%I.checkpoint_blobs', :'schema')::regclass AND tgname = 'checkpoint_blobs_delta_encode';

-- The reworked function records chain lengths.
SELECT 1 / (prosrc ~ 'delta_depth')::int
FROM pg_catalog.pg_proc
WHERE oid = format('%I._checkpoint_blobs_delta_encode()', :'schema')::regprocedure;

-- It fires only for rows whose chain length was left open.
SELECT 1 / (pg_catalog.pg_get_triggerdef(t.oid) ~ 'delta_depth IS NULL')::int
FROM pg_catalog.pg_trigger AS t
WHERE t.tgrelid = format('%I.checkpoint_blobs', :'schema')::regclass AND t.tgname = 'checkpoint_blobs_delta_encode';

ROLLBACK;
