-- Revert langgraph_checkpoint:function_batch_save_checkpoints from pg

BEGIN;

DROP FUNCTION :"schema".batch_save_checkpoints(text[], text[], text[], text[], jsonb[], jsonb[], integer[], text[], text[], jsonb[], bytea[], boolean, text);

COMMIT;
