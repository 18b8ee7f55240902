-- Revert langgraph_checkpoint:function__checkpoint_id_time from pg

BEGIN;

DROP FUNCTION :"schema"._checkpoint_id_time(text);

COMMIT;
