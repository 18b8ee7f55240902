-- Revert langgraph_checkpoint:function_get_checkpoint_v2 from pg

BEGIN;

DROP FUNCTION :"schema".get_checkpoint_v2(text, text, text, text[], text[]);

COMMIT;
