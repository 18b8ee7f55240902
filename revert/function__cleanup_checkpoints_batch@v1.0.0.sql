-- Revert langgraph_checkpoint:function__cleanup_checkpoints_batch from pg

BEGIN;

DROP FUNCTION :"schema"._cleanup_checkpoints_batch(bigint, timestamptz, integer, text, integer);

COMMIT;
