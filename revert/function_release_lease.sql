-- Revert langgraph_checkpoint:function_release_lease from pg

BEGIN;

DROP FUNCTION :"schema".release_lease(text, text);

COMMIT;
