-- Verify langgraph_checkpoint:function_delete_for_runs on pg
\set client_role :schema '_client'

BEGIN;

SELECT 1 / pg_catalog.has_function_privilege(:'client_role',
    format('%I.delete_for_runs(text[])', :'schema'), 'execute')::int;

ROLLBACK;
