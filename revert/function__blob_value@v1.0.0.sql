-- Revert langgraph_checkpoint:function__blob_value from pg

BEGIN;

DROP FUNCTION :"schema"._blob_value(text, text, text, text);

COMMIT;
