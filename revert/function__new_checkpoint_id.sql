-- Revert langgraph_checkpoint:function__new_checkpoint_id from pg

BEGIN;

DROP FUNCTION :"schema"._new_checkpoint_id();

COMMIT;
