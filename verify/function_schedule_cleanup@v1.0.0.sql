-- Verify langgraph_checkpoint:function_schedule_cleanup on pg
\set client_role :schema '_client'

BEGIN;

SELECT 1 / (NOT pg_catalog.has_function_privilege(:'client_role',
    format('%I.schedule_cleanup(text, integer, text)', :'schema'), 'execute'))::int;
SELECT 1 / count(*)::int FROM pg_catalog.pg_proc
WHERE oid = format('%I.schedule_cleanup(text, integer, text)', :'schema')::regprocedure AND prosecdef;

ROLLBACK;
