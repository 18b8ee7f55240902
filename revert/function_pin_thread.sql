-- Revert langgraph_checkpoint:function_pin_thread from pg

BEGIN;

DROP FUNCTION :"schema".pin_thread(text, boolean);

COMMIT;
