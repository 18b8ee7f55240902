-- Revert langgraph_checkpoint:procedure_cleanup_old_checkpoints from pg

BEGIN;

DROP PROCEDURE :"schema".cleanup_old_checkpoints(integer, integer, integer, integer, bigint, bigint);

COMMIT;
