-- Revert langgraph_checkpoint:function__cleanup_orphan_writes_batch from pg

BEGIN;

DROP FUNCTION :"schema"._cleanup_orphan_writes_batch(bigint, timestamptz, text, integer);

COMMIT;
