-- Revert langgraph_checkpoint:function_put_checkpoint_v2 from pg

BEGIN;

DROP FUNCTION :"schema".put_checkpoint_v2(text, text, text, text, jsonb, jsonb, text[], text[], jsonb[], bytea[], text[], boolean, text);

COMMIT;
