-- Verify langgraph_checkpoint:function_list_checkpoints on pg
\set reader_role :schema '_reader'

BEGIN;

SELECT 1 / pg_catalog.has_function_privilege(:'reader_role',
    format('%I.list_checkpoints(text, text, text, jsonb, text, integer)', :'schema'), 'execute')::int;

ROLLBACK;
