-- Verify langgraph_checkpoint:function_count_threads on pg
\set reader_role :schema '_reader'

BEGIN;

SELECT 1 / pg_catalog.has_function_privilege(:'reader_role',
    format('%I.count_threads(jsonb, jsonb, text, timestamptz, timestamptz, timestamptz, timestamptz)', :'schema'),
    'execute')::int;

ROLLBACK;
