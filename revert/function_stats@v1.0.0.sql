-- Revert langgraph_checkpoint:function_stats from pg

BEGIN;

DROP FUNCTION :"schema".stats();

COMMIT;
