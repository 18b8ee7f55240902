-- Verify langgraph_checkpoint:function_get_checkpoint on pg
\set reader_role :schema '_reader'

BEGIN;

SELECT 1 / pg_catalog.has_function_privilege(:'reader_role',
    format('%I.get_checkpoint(text, text, text)', :'schema'), 'execute')::int;

-- The reworked body: no JIT, whatever the session sets.
SELECT 1 / (SELECT count(*) FROM pg_catalog.pg_proc
            WHERE oid = format('%I.get_checkpoint(text, text, text)', :'schema')::regprocedure
              AND 'jit=off' = ANY (proconfig))::int;

ROLLBACK;
