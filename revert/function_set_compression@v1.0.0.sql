-- Revert langgraph_checkpoint:function_set_compression from pg

BEGIN;

DROP FUNCTION :"schema".set_compression(boolean, text);
DROP FUNCTION :"schema"._compression_enabled(text);

COMMIT;
