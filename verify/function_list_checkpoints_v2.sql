-- Verify langgraph_checkpoint:function_list_checkpoints_v2 on pg
\set reader_role :schema '_reader'

BEGIN;

SELECT 1 / pg_catalog.has_function_privilege(:'reader_role',
    format('%I.list_checkpoints_v2(text, text, text, jsonb, text, integer)', :'schema'), 'execute')::int;

ROLLBACK;
