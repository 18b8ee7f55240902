-- Verify langgraph_checkpoint:function__cleanup_run on pg
\set client_role :schema '_client'

BEGIN;

SELECT 1 / pg_catalog.has_function_privilege(:'client_role',
    format('%I._cleanup_run_begin(text, jsonb)', :'schema'), 'execute')::int;
SELECT 1 / pg_catalog.has_function_privilege(:'client_role',
    format('%I._cleanup_run_finish(bigint, timestamptz)', :'schema'), 'execute')::int;

ROLLBACK;
