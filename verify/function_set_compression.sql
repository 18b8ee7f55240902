-- Verify langgraph_checkpoint:function_set_compression on pg
\set client_role :schema '_client'

BEGIN;

SELECT 1 / pg_catalog.has_function_privilege(:'client_role',
    format('%I.set_compression(boolean, text)', :'schema'), 'execute')::int;

-- The reworked body clears the column instead of deleting the row.
SELECT 1 / (prosrc ~ 'SET compression = NULL')::int
FROM pg_catalog.pg_proc
WHERE oid = format('%I.set_compression(boolean, text)', :'schema')::regprocedure;

ROLLBACK;
