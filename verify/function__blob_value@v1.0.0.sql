-- Verify langgraph_checkpoint:function__blob_value on pg

BEGIN;

SELECT 1 / (:"schema"._blob_value('verify-no-such-thread', '', 'c', '1') IS NULL)::int;

ROLLBACK;
