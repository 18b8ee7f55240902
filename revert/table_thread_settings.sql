-- Revert langgraph_checkpoint:table_thread_settings from pg

BEGIN;

DROP TABLE :"schema".thread_settings;

COMMIT;
