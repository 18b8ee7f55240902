-- Revert langgraph_checkpoint:function_copy_thread from pg

BEGIN;

DROP FUNCTION :"schema".copy_thread(text, text);

COMMIT;
