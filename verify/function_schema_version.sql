-- Verify langgraph_checkpoint:function_schema_version on pg
\set reader_role :schema '_reader'

BEGIN;

SELECT 1 / pg_catalog.has_function_privilege(:'reader_role', format('%I.schema_version()', :'schema'), 'execute')::int;

SELECT 1 / (:"schema".schema_version() = 2)::int;

ROLLBACK;
