-- Verify langgraph_checkpoint:function_stats on pg
\set reader_role :schema '_reader'

BEGIN;

SELECT 1 / pg_catalog.has_function_privilege(:'reader_role', format('%I.stats()', :'schema'), 'execute')::int;

ROLLBACK;
