-- Verify langgraph_checkpoint:function__delta_encode on pg

BEGIN;

SELECT 1 / (base_version IS NULL)::int
FROM :"schema"._delta_encode('verify-no-such-thread', '', 'c', NULL, '[1]');

ROLLBACK;
