-- Verify langgraph_checkpoint:column_checkpoint_blobs_delta_depth on pg

BEGIN;

SELECT delta_depth FROM :"schema".checkpoint_blobs WHERE false;

ROLLBACK;
