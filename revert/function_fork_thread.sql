-- Revert langgraph_checkpoint:function_fork_thread from pg

BEGIN;

DROP FUNCTION :"schema".fork_thread(text, text, text, text);

COMMIT;
