-- Revert langgraph_checkpoint:function_renew_lease from pg

BEGIN;

DROP FUNCTION :"schema".renew_lease(text, text, interval);

COMMIT;
