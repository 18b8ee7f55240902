-- Revert langgraph_checkpoint:function__expire_threads_batch from pg

BEGIN;

DROP FUNCTION :"schema"._expire_threads_batch(bigint, timestamptz, text, integer);

COMMIT;
