-- Revert langgraph_checkpoint:table_checkpoint_writes from pg

BEGIN;

DROP TABLE :"schema".checkpoint_writes;

COMMIT;
