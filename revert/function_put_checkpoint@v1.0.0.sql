-- Revert langgraph_checkpoint:function_put_checkpoint from pg

BEGIN;

DROP FUNCTION :"schema".put_checkpoint(text, text, text, text, jsonb, jsonb, text[], text[], jsonb[], bytea[], boolean, text);

COMMIT;
