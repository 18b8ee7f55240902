-- Verify langgraph_checkpoint:function__expire_threads_batch on pg
\set client_role :schema '_client'

BEGIN;

SELECT 1 / pg_catalog.has_function_privilege(:'client_role',
    format('%I._expire_threads_batch(bigint, timestamptz, text, integer)', :'schema'), 'execute')::int;

ROLLBACK;
