-- Revert langgraph_checkpoint:table_cleanup_runs from pg

BEGIN;

DROP TABLE :"schema".cleanup_runs;

COMMIT;
