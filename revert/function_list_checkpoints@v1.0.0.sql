-- Revert langgraph_checkpoint:function_list_checkpoints from pg

BEGIN;

DROP FUNCTION :"schema".list_checkpoints(text, text, text, jsonb, text, integer);

COMMIT;
