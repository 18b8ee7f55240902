-- Verify langgraph_checkpoint:function_save_checkpoint on pg
\set client_role :schema '_client'

BEGIN;

SELECT 1 / pg_catalog.has_function_privilege(:'client_role',
    format('%I.save_checkpoint(text, jsonb, jsonb, text, text)', :'schema'), 'execute')::int;

ROLLBACK;
