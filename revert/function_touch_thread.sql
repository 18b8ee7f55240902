-- Revert langgraph_checkpoint:function_touch_thread from pg

BEGIN;

DROP FUNCTION :"schema".touch_thread(text);

COMMIT;
