-- Revert langgraph_checkpoint_proxy:proxy_thread_functions from pg

BEGIN;

-- Every function of the schema but the helpers of proxy_schema (the cross functions are
-- reverted before this change).
SELECT format('DROP FUNCTION %s', p.oid::regprocedure)
FROM pg_catalog.pg_proc AS p
WHERE p.pronamespace = :'schema'::regnamespace
  AND p.proname NOT IN ('_partition_count', '_partition_of', '_batch_hash', '_raise_proxy_error')
ORDER BY p.proname
\gexec

COMMIT;
