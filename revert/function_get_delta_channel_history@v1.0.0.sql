-- Revert langgraph_checkpoint:function_get_delta_channel_history from pg

BEGIN;

DROP FUNCTION :"schema".get_delta_channel_history(text, text, text, text[]);

COMMIT;
