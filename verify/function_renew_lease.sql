-- Verify langgraph_checkpoint:function_renew_lease on pg
\set client_role :schema '_client'

BEGIN;

SELECT 1 / pg_catalog.has_function_privilege(:'client_role', format('%I.renew_lease(text, text, interval)', :'schema'), 'execute')::int;

ROLLBACK;
