-- Verify langgraph_checkpoint:function__cleanup_checkpoints_batch on pg
\set client_role :schema '_client'

BEGIN;

SELECT 1 / pg_catalog.has_function_privilege(:'client_role',
    format('%I._cleanup_checkpoints_batch(bigint, timestamptz, integer, text, integer)', :'schema'),
    'execute')::int;

ROLLBACK;
