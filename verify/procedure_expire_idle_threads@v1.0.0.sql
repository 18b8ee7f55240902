-- Verify langgraph_checkpoint:procedure_expire_idle_threads on pg
\set client_role :schema '_client'

BEGIN;

SELECT 1 / pg_catalog.has_function_privilege(:'client_role',
    format('%I.expire_idle_threads(interval, integer, integer, bigint, bigint)', :'schema'),
    'execute')::int;

ROLLBACK;
