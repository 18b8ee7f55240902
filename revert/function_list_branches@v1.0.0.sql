-- Revert langgraph_checkpoint:function_list_branches from pg

BEGIN;

DROP FUNCTION :"schema".list_branches(text, text);

COMMIT;
