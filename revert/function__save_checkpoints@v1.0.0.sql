-- Revert langgraph_checkpoint:function__save_checkpoints from pg

BEGIN;

DROP FUNCTION :"schema"._save_checkpoints(text[], text[], text[], text[], jsonb[], jsonb[], integer[], text[], text[], jsonb[], bytea[], boolean, text);

COMMIT;
