-- Revert langgraph_checkpoint:function_find_branch_point from pg

BEGIN;

DROP FUNCTION :"schema".find_branch_point(text, text, text, text);

COMMIT;
