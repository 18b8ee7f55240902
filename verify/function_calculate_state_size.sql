-- Verify langgraph_checkpoint:function_calculate_state_size on pg
\set reader_role :schema '_reader'

BEGIN;

SELECT 1 / pg_catalog.has_function_privilege(:'reader_role',
    format('%I.calculate_state_size(text, text, text)', :'schema'), 'execute')::int;

ROLLBACK;
