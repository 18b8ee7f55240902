-- Verify langgraph_checkpoint:function_put_writes on pg
\set client_role :schema '_client'

BEGIN;

SELECT 1 / pg_catalog.has_function_privilege(:'client_role',
    format('%I.put_writes(text, text, text, text, text[], text[], jsonb[], bytea[], text)', :'schema'),
    'execute')::int;

-- The reworked body decides the slots without a query.
SELECT 1 / (prosrc ~ 'c_special \?& p_channels' AND 'plan_cache_mode=force_generic_plan' = ANY (proconfig))::int
FROM pg_catalog.pg_proc
WHERE oid = format('%I.put_writes(text, text, text, text, text[], text[], jsonb[], bytea[], text)', :'schema')::regprocedure;

ROLLBACK;
