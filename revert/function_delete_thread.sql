-- Revert langgraph_checkpoint:function_delete_thread from pg

BEGIN;

DROP FUNCTION :"schema".delete_thread(text);

COMMIT;
