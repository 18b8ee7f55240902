-- Verify langgraph_checkpoint:function__cleanup_orphan_writes_batch on pg
\set client_role :schema '_client'

BEGIN;

SELECT 1 / pg_catalog.has_function_privilege(:'client_role',
    format('%I._cleanup_orphan_writes_batch(bigint, timestamptz, text, integer)', :'schema'),
    'execute')::int;

ROLLBACK;
