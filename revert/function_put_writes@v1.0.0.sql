-- Revert langgraph_checkpoint:function_put_writes from pg

BEGIN;

DROP FUNCTION :"schema".put_writes(text, text, text, text, text[], text[], jsonb[], bytea[], text);

COMMIT;
