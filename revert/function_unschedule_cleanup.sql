-- Revert langgraph_checkpoint:function_unschedule_cleanup from pg

BEGIN;

DROP FUNCTION :"schema".unschedule_cleanup(text);

COMMIT;
