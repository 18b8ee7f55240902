-- Verify langgraph_checkpoint_proxy:proxy_thread_functions on pg
\set client_role :schema '_client'

BEGIN;

SELECT 1 / pg_catalog.has_function_privilege(:'client_role',
    format('%I.put_checkpoint_v2(text, text, text, text, jsonb, jsonb, text[], text[], jsonb[], bytea[], text[], boolean, text)', :'schema'),
    'execute')::int;
SELECT 1 / (p.prolang = (SELECT oid FROM pg_catalog.pg_language WHERE lanname = 'plproxy'))::int
FROM pg_catalog.pg_proc AS p
WHERE p.oid = format('%I._px_get_checkpoint_v2(text, text, text, text[], text[])', :'schema')::regprocedure;
SELECT 1 / pg_catalog.has_function_privilege(:'client_role',
    format('%I.set_thread_ttl(text, interval, boolean)', :'schema'), 'execute')::int;

ROLLBACK;
