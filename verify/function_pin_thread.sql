-- Verify langgraph_checkpoint:function_pin_thread on pg
\set client_role :schema '_client'

BEGIN;

SELECT 1 / pg_catalog.has_function_privilege(:'client_role',
    format('%I.pin_thread(text, boolean)', :'schema'), 'execute')::int;

ROLLBACK;
