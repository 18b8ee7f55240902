-- Verify langgraph_checkpoint:function_get_descendants on pg
\set reader_role :schema '_reader'

BEGIN;

SELECT 1 / pg_catalog.has_function_privilege(:'reader_role',
    format('%I.get_descendants(text, text, text, integer)', :'schema'), 'execute')::int;

ROLLBACK;
