-- Verify langgraph_checkpoint:schema on pg
\set reader_role :schema '_reader'

BEGIN;

SELECT pg_catalog.has_schema_privilege(:'schema', 'usage');
SELECT 1 / count(*) WHERE pg_catalog.has_schema_privilege(:'reader_role', :'schema', 'usage');

ROLLBACK;
