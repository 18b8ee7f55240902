-- Revert langgraph_checkpoint:column_threads_removed_through from pg

BEGIN;

ALTER TABLE :"schema".threads DROP COLUMN removed_through;

COMMIT;
