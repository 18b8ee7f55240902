-- Revert langgraph_checkpoint:table_thread_leases from pg

BEGIN;

DROP TABLE :"schema".thread_leases;

COMMIT;
