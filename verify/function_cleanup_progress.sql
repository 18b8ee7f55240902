-- Verify langgraph_checkpoint:function_cleanup_progress on pg

BEGIN;

SELECT format('%I.cleanup_progress()', :'schema')::regprocedure;
SELECT 1 / has_function_privilege(:'schema' || '_reader', format('%I.cleanup_progress()', :'schema'), 'EXECUTE')::integer;

ROLLBACK;
