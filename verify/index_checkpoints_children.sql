-- Verify langgraph_checkpoint:index_checkpoints_children on pg

BEGIN;

SELECT 1 / count(*)::int
FROM pg_catalog.pg_index AS i
WHERE i.indexrelid = format('%I.checkpoints_children_idx', :'schema')::regclass
  AND i.indpred IS NOT NULL;

ROLLBACK;
