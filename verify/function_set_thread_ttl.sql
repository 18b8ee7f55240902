-- Verify langgraph_checkpoint:function_set_thread_ttl on pg
\set client_role :schema '_client'

BEGIN;

SELECT 1 / pg_catalog.has_function_privilege(:'client_role',
    format('%I.set_thread_ttl(text, interval, boolean)', :'schema'), 'execute')::int;

ROLLBACK;
