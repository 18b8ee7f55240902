-- Revert langgraph_checkpoint:function__ancestors from pg

BEGIN;

DROP FUNCTION :"schema"._resolve_checkpoint(text, text, text);
DROP FUNCTION :"schema"._ancestors(text, text, text, integer);

COMMIT;
