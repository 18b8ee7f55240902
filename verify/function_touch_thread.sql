-- Verify langgraph_checkpoint:function_touch_thread on pg
\set client_role :schema '_client'

BEGIN;

SELECT 1 / pg_catalog.has_function_privilege(:'client_role',
    format('%I.touch_thread(text)', :'schema'), 'execute')::int;

ROLLBACK;
