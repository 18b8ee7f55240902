-- Revert langgraph_checkpoint:function__cleanup_run from pg

BEGIN;

DROP FUNCTION :"schema"._cleanup_run_finish(bigint, timestamptz);
DROP FUNCTION :"schema"._cleanup_run_begin(text, jsonb);

COMMIT;
