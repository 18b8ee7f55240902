-- Revert langgraph_checkpoint:function_schedule_cleanup from pg

BEGIN;

DROP FUNCTION :"schema".schedule_cleanup(text, integer, text);

COMMIT;
