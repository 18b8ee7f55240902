-- Revert langgraph_checkpoint:function_calculate_state_size from pg

BEGIN;

DROP FUNCTION :"schema".calculate_state_size(text, text, text);

COMMIT;
