-- Revert langgraph_checkpoint:function_get_ancestors from pg

BEGIN;

DROP FUNCTION :"schema".get_ancestors(text, text, text, integer);

COMMIT;
