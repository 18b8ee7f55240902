-- Verify langgraph_checkpoint:function_list_branches on pg
\set reader_role :schema '_reader'

BEGIN;

SELECT 1 / pg_catalog.has_function_privilege(:'reader_role',
    format('%I.list_branches(text, text)', :'schema'), 'execute')::int;

ROLLBACK;
