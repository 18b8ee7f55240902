-- Revert langgraph_checkpoint:function_get_descendants from pg

BEGIN;

DROP FUNCTION :"schema".get_descendants(text, text, text, integer);

COMMIT;
