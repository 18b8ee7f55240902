-- Revert langgraph_checkpoint:function_delete_for_runs from pg

BEGIN;

DROP FUNCTION :"schema".delete_for_runs(text[]);

COMMIT;
