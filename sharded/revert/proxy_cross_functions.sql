-- Revert langgraph_checkpoint_proxy:proxy_cross_functions from pg

BEGIN;

-- The functions this change made: the ones left are proxy_thread_functions' (a _px_
-- function with its API function of the same name) and proxy_schema's helpers.
SELECT format('DROP FUNCTION %s', p.oid::regprocedure)
FROM pg_catalog.pg_proc AS p
WHERE p.pronamespace = :'schema'::regnamespace
  AND p.proname IN ('list_checkpoints', 'list_checkpoints_v2', 'set_compression', 'prune_checkpoints',
                    'batch_save_checkpoints', 'delete_for_runs', 'schema_version', 'stats',
                    'copy_thread', 'fork_thread', 'search_threads', 'count_threads',
                    '_px_list_checkpoints_one', '_px_list_checkpoints_all',
                    '_px_list_checkpoints_v2_one', '_px_list_checkpoints_v2_all',
                    '_px_set_compression_one', '_px_set_compression_all', '_px_prune_checkpoints',
                    '_px_prune_checkpoints_first', '_px_batch_save_checkpoints', '_px_delete_for_runs',
                    '_px_schema_version', '_px_stats', '_px_search_threads', '_px_count_threads',
                    '_copy_across')
ORDER BY p.proname
\gexec

COMMIT;
