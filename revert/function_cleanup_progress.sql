-- Revert langgraph_checkpoint:function_cleanup_progress from pg

BEGIN;

DROP FUNCTION :"schema".cleanup_progress();

COMMIT;
