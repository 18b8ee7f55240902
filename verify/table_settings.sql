-- Verify langgraph_checkpoint:table_settings on pg

BEGIN;

SELECT 1 / count(*)::int FROM :"schema".settings WHERE singleton;
SELECT compression, updated_at FROM :"schema".settings WHERE false;

ROLLBACK;
