-- Revert langgraph_checkpoint:function_prune_checkpoints from pg

BEGIN;

DROP FUNCTION :"schema".prune_checkpoints(text[], text);

COMMIT;
