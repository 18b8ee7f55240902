-- Verify langgraph_checkpoint:function_release_lease on pg
\set client_role :schema '_client'

BEGIN;

SELECT 1 / pg_catalog.has_function_privilege(:'client_role', format('%I.release_lease(text, text)', :'schema'), 'execute')::int;

ROLLBACK;
