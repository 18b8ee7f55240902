-- Verify langgraph_checkpoint:function_search_threads on pg
\set reader_role :schema '_reader'

BEGIN;

SELECT 1 / pg_catalog.has_function_privilege(:'reader_role',
    format('%I.search_threads(jsonb, jsonb, text, timestamptz, timestamptz, timestamptz, timestamptz, timestamptz, text, integer)', :'schema'),
    'execute')::int;

ROLLBACK;
