-- Verify langgraph_checkpoint:function_list_checkpoints on pg
\set reader_role :schema '_reader'

BEGIN;

SELECT 1 / pg_catalog.has_function_privilege(:'reader_role',
    format('%I.list_checkpoints(text, text, text, jsonb, text, integer)', :'schema'), 'execute')::int;

-- The reworked body: no JIT, whatever the session sets.
SELECT 1 / (SELECT count(*) FROM pg_catalog.pg_proc
            WHERE oid = format('%I.list_checkpoints(text, text, text, jsonb, text, integer)', :'schema')::regprocedure
              AND 'jit=off' = ANY (proconfig))::int;

ROLLBACK;
