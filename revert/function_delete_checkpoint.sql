-- Revert langgraph_checkpoint:function_delete_checkpoint from pg

BEGIN;

DROP FUNCTION :"schema".delete_checkpoint(text, text, text);

COMMIT;
