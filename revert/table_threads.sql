-- Revert langgraph_checkpoint:table_threads from pg

BEGIN;

DROP TABLE :"schema".threads;

COMMIT;
