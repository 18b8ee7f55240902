-- Revert langgraph_checkpoint:function_list_checkpoints_v2 from pg

BEGIN;

DROP FUNCTION :"schema".list_checkpoints_v2(text, text, text, jsonb, text, integer);

COMMIT;
