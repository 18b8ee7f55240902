-- Revert langgraph_checkpoint:function_acquire_lease from pg

BEGIN;

DROP FUNCTION :"schema".acquire_lease(text, text, interval);
DROP FUNCTION :"schema"._check_ttl(interval);

COMMIT;
