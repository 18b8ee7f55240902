-- Revert langgraph_checkpoint:table_checkpoints from pg

BEGIN;

DROP TABLE :"schema".checkpoints;

COMMIT;
