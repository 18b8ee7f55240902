-- Revert langgraph_checkpoint:function_set_thread_ttl from pg

BEGIN;

DROP FUNCTION :"schema".set_thread_ttl(text, interval, boolean);

COMMIT;
