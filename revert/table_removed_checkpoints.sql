-- Revert langgraph_checkpoint:table_removed_checkpoints from pg

BEGIN;

DROP TABLE :"schema".removed_checkpoints;

COMMIT;
