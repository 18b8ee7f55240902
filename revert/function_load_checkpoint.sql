-- Revert langgraph_checkpoint:function_load_checkpoint from pg

BEGIN;

DROP FUNCTION :"schema".load_checkpoint(text, text, text);

COMMIT;
