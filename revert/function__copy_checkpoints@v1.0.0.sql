-- Revert langgraph_checkpoint:function__copy_checkpoints from pg

BEGIN;

DROP FUNCTION :"schema"._copy_checkpoints(text, text, text, text[]);

COMMIT;
