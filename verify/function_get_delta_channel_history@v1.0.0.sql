-- Verify langgraph_checkpoint:function_get_delta_channel_history on pg
\set reader_role :schema '_reader'

BEGIN;

SELECT 1 / pg_catalog.has_function_privilege(:'reader_role',
    format('%I.get_delta_channel_history(text, text, text, text[])', :'schema'), 'execute')::int;

ROLLBACK;
