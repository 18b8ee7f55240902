-- pgTAP tests for the SQL API as a whole: exactly these objects exist in the schema,
-- every API function is SECURITY DEFINER with a pinned search_path, PUBLIC can execute
-- nothing, and each role can execute exactly its part of the API.
--
-- Identifiers are text and PostgreSQL text cannot contain NUL (U+0000) at all, so an id
-- with a NUL never reaches these functions: the Python client rejects it before the
-- call. There is nothing to test for it here.
BEGIN;
SELECT plan(14);

SELECT functions_are('langgraph', ARRAY[
    -- public API
    'acquire_lease', 'batch_save_checkpoints', 'calculate_state_size', 'cleanup_old_checkpoints', 'cleanup_progress', 'copy_thread',
    'count_threads',
    'delete_checkpoint', 'delete_for_runs', 'delete_thread', 'expire_idle_threads', 'find_branch_point', 'fork_thread',
    'get_ancestors', 'get_checkpoint', 'get_checkpoint_v2', 'get_delta_channel_history', 'get_descendants', 'list_branches',
    'list_checkpoints', 'list_checkpoints_v2', 'load_checkpoint', 'pin_thread', 'prune_checkpoints', 'put_checkpoint', 'put_checkpoint_v2', 'put_writes',
    'release_lease', 'renew_lease', 'save_checkpoint', 'schedule_cleanup', 'schema_version', 'search_threads', 'set_compression', 'set_thread_ttl',
    'stats', 'touch_thread', 'unschedule_cleanup',
    -- internal helpers
    '_ancestors', '_bad_checkpoint', '_bad_id', '_bad_ns', '_blob_value', '_check_id', '_check_limit', '_check_ns', '_check_object', '_check_payload', '_check_ttl',
    '_checkpoint_blobs_delta_encode', '_checkpoint_blobs_skip_empty', '_checkpoint_page', '_checkpoint_id_time', '_cleanup_checkpoints_batch', '_cleanup_orphan_writes_batch', '_cleanup_run_begin',
    '_cleanup_run_finish', '_compression_enabled', '_copy_checkpoints', '_delete_checkpoints', '_delta_chain', '_delta_encode',
    '_expire_threads_batch', '_new_checkpoint_id', '_resolve_checkpoint', '_save_checkpoints', '_stores_value', '_thread_last_active', '_threads_query',
    '_to_document', '_value_document'
], 'the schema holds exactly the API and its helpers');
SELECT tables_are('langgraph', ARRAY[
    'threads', 'checkpoints', 'checkpoint_blobs', 'checkpoint_writes', 'thread_leases', 'deleted_threads',
    'cleanup_runs', 'settings', 'thread_settings', 'removed_checkpoints'
], 'the schema holds exactly these tables');
SELECT views_are('langgraph', ARRAY['checkpoint_tuples'], 'the schema holds exactly one view');

-- Security of the API functions -------------------------------------------------
SELECT is_empty($$
    SELECT p.oid::regprocedure::text FROM pg_proc AS p
    WHERE p.pronamespace = 'langgraph'::regnamespace AND p.proname !~ '^_' AND p.prokind = 'f' AND NOT p.prosecdef$$,
    'every API function (name not starting with _) is SECURITY DEFINER');
SELECT is_empty($$
    SELECT p.oid::regprocedure::text FROM pg_proc AS p
    WHERE p.pronamespace = 'langgraph'::regnamespace AND p.prosecdef
      AND NOT coalesce('search_path=langgraph, pg_temp' = ANY (p.proconfig), false)$$,
    'every SECURITY DEFINER function pins search_path = langgraph, pg_temp');
-- Except a function with a SQL-standard body (RETURN ...): it is parsed when it is
-- created, so no search_path is looked at when it runs, and a SET clause would stop
-- the planner from inlining it (the _bad_* predicates).
SELECT is_empty($$
    SELECT p.oid::regprocedure::text FROM pg_proc AS p
    WHERE p.pronamespace = 'langgraph'::regnamespace AND p.prokind = 'f' AND p.prosqlbody IS NULL
      AND NOT EXISTS (SELECT FROM unnest(p.proconfig) AS c WHERE c LIKE 'search\_path=%')$$,
    'every function without a SQL-standard body pins a search_path');
-- Procedures that COMMIT cannot be SECURITY DEFINER or carry SET clauses: they run as
-- their caller and must qualify every name themselves.
SELECT is(ARRAY(SELECT p.proname::text FROM pg_proc AS p
                WHERE p.pronamespace = 'langgraph'::regnamespace AND p.prokind = 'p' ORDER BY 1),
          ARRAY['cleanup_old_checkpoints', 'expire_idle_threads'], 'the only procedures are the batch retention ones');
SELECT is_empty($$
    SELECT p.oid::regprocedure::text FROM pg_proc AS p
    WHERE p.pronamespace = 'langgraph'::regnamespace
      AND (p.proacl IS NULL OR has_function_privilege('public', p.oid, 'EXECUTE'))$$,
    'PUBLIC can execute no function or procedure in the schema');
SELECT is_empty($$
    SELECT p.oid::regprocedure::text FROM pg_proc AS p
    WHERE p.pronamespace = 'langgraph'::regnamespace AND p.proname !~ '^_'
      AND coalesce(obj_description(p.oid, 'pg_proc'), '') !~ 'Raises'$$,
    'every API function has a COMMENT saying what it raises ("Raises ..." or "Raises nothing")');

-- What each role may execute -------------------------------------------------------
SELECT is(ARRAY(SELECT DISTINCT p.proname::text FROM pg_proc AS p
                WHERE p.pronamespace = 'langgraph'::regnamespace
                  AND has_function_privilege('langgraph_reader', p.oid, 'EXECUTE') ORDER BY 1),
          ARRAY['calculate_state_size', 'cleanup_progress', 'count_threads', 'find_branch_point', 'get_ancestors', 'get_checkpoint',
                'get_checkpoint_v2', 'get_delta_channel_history', 'get_descendants', 'list_branches', 'list_checkpoints', 'list_checkpoints_v2',
                'load_checkpoint', 'schema_version', 'search_threads', 'stats'],
          'the reader role executes exactly the read functions');
SELECT is(ARRAY(SELECT DISTINCT p.proname::text FROM pg_proc AS p
                WHERE p.pronamespace = 'langgraph'::regnamespace AND p.proname !~ '^_'
                  AND NOT has_function_privilege('langgraph_client', p.oid, 'EXECUTE') ORDER BY 1),
          ARRAY['schedule_cleanup', 'unschedule_cleanup'],
          'the client role executes every API function except the pg_cron scheduling ones (owner only)');
SELECT is(ARRAY(SELECT DISTINCT p.proname::text FROM pg_proc AS p
                WHERE p.pronamespace = 'langgraph'::regnamespace AND p.proname ~ '^_'
                  AND has_function_privilege('langgraph_client', p.oid, 'EXECUTE') ORDER BY 1),
          ARRAY['_cleanup_checkpoints_batch', '_cleanup_orphan_writes_batch', '_cleanup_run_begin', '_cleanup_run_finish', '_expire_threads_batch'],
          'the only internal functions the client may execute are the batches the retention procedures call');

-- Tables, views and sequences are private ------------------------------------------
SELECT is_empty($$
    SELECT c.relname::text || ' ' || r.role || ' ' || pv.priv
    FROM pg_class AS c
    CROSS JOIN (VALUES ('public'), ('langgraph_client'), ('langgraph_reader')) AS r (role)
    CROSS JOIN (VALUES ('SELECT'), ('INSERT'), ('UPDATE'), ('DELETE'), ('TRUNCATE'), ('REFERENCES'), ('TRIGGER')) AS pv (priv)
    WHERE c.relnamespace = 'langgraph'::regnamespace AND c.relkind IN ('r', 'v', 'm', 'p')
      AND has_table_privilege(r.role, c.oid, pv.priv)$$,
    'no role has any privilege on a table or view');
SELECT is_empty($$
    SELECT c.relname::text || ' ' || r.role
    FROM pg_class AS c
    CROSS JOIN (VALUES ('public'), ('langgraph_client'), ('langgraph_reader')) AS r (role)
    WHERE c.relnamespace = 'langgraph'::regnamespace AND c.relkind = 'S'
      AND (has_sequence_privilege(r.role, c.oid, 'USAGE') OR has_sequence_privilege(r.role, c.oid, 'SELECT')
           OR has_sequence_privilege(r.role, c.oid, 'UPDATE'))$$,
    'no role has any privilege on a sequence');

SELECT * FROM finish();
ROLLBACK;
