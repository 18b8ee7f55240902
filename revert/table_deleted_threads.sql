-- Revert langgraph_checkpoint:table_deleted_threads from pg

BEGIN;

DROP TABLE :"schema".deleted_threads;

COMMIT;
