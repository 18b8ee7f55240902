-- Verify langgraph_checkpoint:function_unschedule_cleanup on pg
\set client_role :schema '_client'

BEGIN;

SELECT 1 / (NOT pg_catalog.has_function_privilege(:'client_role',
    format('%I.unschedule_cleanup(text)', :'schema'), 'execute'))::int;
SELECT 1 / count(*)::int FROM pg_catalog.pg_proc
WHERE oid = format('%I.unschedule_cleanup(text)', :'schema')::regprocedure AND prosecdef;

ROLLBACK;
