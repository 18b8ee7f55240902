-- Verify langgraph_checkpoint:function__checkpoint_page on pg

BEGIN;

SELECT format('%I._checkpoint_page(text, text, text, jsonb, text, integer)', :'schema')::regprocedure;

-- Internal: no role but the owner may call it.
SELECT 1 / (NOT pg_catalog.has_function_privilege('public',
    format('%I._checkpoint_page(text, text, text, jsonb, text, integer)', :'schema'), 'execute'))::int;

ROLLBACK;
