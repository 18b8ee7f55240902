-- Revert langgraph_checkpoint:function__id_checks from pg

BEGIN;

DROP FUNCTION :"schema"._bad_ns(text);
DROP FUNCTION :"schema"._bad_id(text);

COMMIT;
