-- Verify langgraph_checkpoint:function_prune_checkpoints on pg
\set client_role :schema '_client'

BEGIN;

SELECT 1 / pg_catalog.has_function_privilege(:'client_role',
    format('%I.prune_checkpoints(text[], text)', :'schema'), 'execute')::int;

ROLLBACK;
