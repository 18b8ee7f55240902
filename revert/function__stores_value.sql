-- Revert langgraph_checkpoint:function__stores_value from pg

BEGIN;

DROP FUNCTION :"schema"._stores_value(text, text, text, text);

COMMIT;
