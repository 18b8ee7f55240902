-- Revert langgraph_checkpoint:table_settings from pg

BEGIN;

DROP TABLE :"schema".settings;

COMMIT;
