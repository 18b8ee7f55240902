-- Verify langgraph_checkpoint:function_put_checkpoint on pg
\set client_role :schema '_client'

BEGIN;

SELECT 1 / pg_catalog.has_function_privilege(:'client_role',
    format('%I.put_checkpoint(text, text, text, text, jsonb, jsonb, text[], text[], jsonb[], bytea[], boolean, text)', :'schema'),
    'execute')::int;

ROLLBACK;
