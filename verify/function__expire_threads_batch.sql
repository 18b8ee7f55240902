-- Verify langgraph_checkpoint:function__expire_threads_batch on pg
\set client_role :schema '_client'

BEGIN;

SELECT 1 / pg_catalog.has_function_privilege(:'client_role',
    format('%I._expire_threads_batch(bigint, timestamptz, text, integer)', :'schema'), 'execute')::int;

-- The reworked body honours per-thread retention.
SELECT 1 / (prosrc ~ 'thread_settings')::int
FROM pg_catalog.pg_proc
WHERE oid = format('%I._expire_threads_batch(bigint, timestamptz, text, integer)', :'schema')::regprocedure;

ROLLBACK;
