-- Verify langgraph_checkpoint:column_checkpoint_blobs_base_version on pg

BEGIN;

SELECT base_version FROM :"schema".checkpoint_blobs WHERE false;

ROLLBACK;
