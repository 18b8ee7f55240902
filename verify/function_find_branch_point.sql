-- Verify langgraph_checkpoint:function_find_branch_point on pg
\set reader_role :schema '_reader'

BEGIN;

SELECT 1 / pg_catalog.has_function_privilege(:'reader_role',
    format('%I.find_branch_point(text, text, text, text)', :'schema'), 'execute')::int;

ROLLBACK;
