-- Revert langgraph_checkpoint:function_save_checkpoint from pg

BEGIN;

DROP FUNCTION :"schema".save_checkpoint(text, jsonb, jsonb, text, text);

COMMIT;
