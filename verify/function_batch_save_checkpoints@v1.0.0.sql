-- Verify langgraph_checkpoint:function_batch_save_checkpoints on pg
\set client_role :schema '_client'

BEGIN;

SELECT 1 / pg_catalog.has_function_privilege(:'client_role',
    format('%I.batch_save_checkpoints(text[], text[], text[], text[], jsonb[], jsonb[], integer[], text[], text[], jsonb[], bytea[], boolean, text)', :'schema'), 'execute')::int;

ROLLBACK;
