-- Verify langgraph_checkpoint:function_acquire_lease on pg
\set client_role :schema '_client'

BEGIN;

SELECT 1 / pg_catalog.has_function_privilege(:'client_role', format('%I.acquire_lease(text, text, interval)', :'schema'), 'execute')::int;
SELECT format('%I._check_ttl(interval)', :'schema')::regprocedure;

ROLLBACK;
