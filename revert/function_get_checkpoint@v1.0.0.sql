-- Revert langgraph_checkpoint:function_get_checkpoint from pg

BEGIN;

DROP FUNCTION :"schema".get_checkpoint(text, text, text);

COMMIT;
