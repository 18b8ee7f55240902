-- Revert langgraph_checkpoint:function__delete_checkpoints from pg

BEGIN;

DROP FUNCTION :"schema"._delete_checkpoints(text, text, text[]);

COMMIT;
