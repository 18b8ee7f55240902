-- Revert langgraph_checkpoint:index_threads_created from pg

BEGIN;

DROP INDEX :"schema".threads_created_idx;

COMMIT;
