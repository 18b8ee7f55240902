-- pgTAP tests for the procedure_cleanup_old_checkpoints change. The procedure COMMITs
-- between batches, which a test transaction cannot; its structure and argument checks
-- are tested here, its batches in function__cleanup_checkpoints_batch.sql, and whole
-- runs (with concurrent writers) in python/tests/test_retention*.py.
BEGIN;
SELECT plan(15);

SELECT has_function('langgraph', 'cleanup_old_checkpoints',
    ARRAY['integer', 'integer', 'integer', 'integer', 'bigint', 'bigint'], 'cleanup_old_checkpoints exists');
SELECT is((SELECT prokind FROM pg_proc WHERE oid = 'langgraph.cleanup_old_checkpoints(integer, integer, integer, integer, bigint, bigint)'::regprocedure),
          'p'::"char", 'it is a procedure, so it can COMMIT between batches');
SELECT isnt_definer('langgraph', 'cleanup_old_checkpoints',
    ARRAY['integer', 'integer', 'integer', 'integer', 'bigint', 'bigint'], 'it runs as its caller (transaction control forbids SECURITY DEFINER)');
SELECT is((SELECT proconfig FROM pg_proc WHERE oid = 'langgraph.cleanup_old_checkpoints(integer, integer, integer, integer, bigint, bigint)'::regprocedure),
          NULL, 'it has no SET clause (which would forbid COMMIT too)');
SELECT function_privs_are('langgraph', 'cleanup_old_checkpoints',
    ARRAY['integer', 'integer', 'integer', 'integer', 'bigint', 'bigint'], 'langgraph_client', ARRAY['EXECUTE'],
    'the client role can call it');
SELECT function_privs_are('langgraph', 'cleanup_old_checkpoints',
    ARRAY['integer', 'integer', 'integer', 'integer', 'bigint', 'bigint'], 'public', ARRAY[]::text[],
    'PUBLIC cannot');
SELECT ok((SELECT prosrc !~ '@schema@' AND prosrc ~ '"?langgraph"?\._cleanup_checkpoints_batch'
           FROM pg_proc WHERE proname = 'cleanup_old_checkpoints' AND pronamespace = 'langgraph'::regnamespace),
          'its body calls the batch function by its schema-qualified name');
SELECT matches(obj_description('langgraph.cleanup_old_checkpoints(integer, integer, integer, integer, bigint, bigint)'::regprocedure, 'pg_proc'),
               'LG003', 'its comment names the SQLSTATEs it raises');

SELECT throws_ok('CALL langgraph.cleanup_old_checkpoints(-1)', 'LG003', NULL, 'a negative retention_days is refused');
SELECT throws_ok('CALL langgraph.cleanup_old_checkpoints(30, 0)', 'LG003', NULL, 'a batch_size below 1 is refused');
SELECT throws_ok('CALL langgraph.cleanup_old_checkpoints(30, 1000, 0)', 'LG003', NULL,
                 'keep_last 0 is refused: expiring whole threads is expire_idle_threads'' job');
SELECT throws_ok('CALL langgraph.cleanup_old_checkpoints(30, 1000, 1, -1)', 'LG003', NULL, 'a negative tombstone_days is refused');
SELECT throws_ok('CALL langgraph.cleanup_old_checkpoints(2147483647)', 'LG003', NULL,
                 'a retention_days past the timestamp range is refused, not 22008');
SELECT throws_ok('CALL langgraph.cleanup_old_checkpoints(30, 1000, 1, 2147483647)', 'LG003', NULL,
                 'a tombstone_days past the timestamp range is refused before any batch runs');
SELECT throws_ok('CALL langgraph.cleanup_old_checkpoints(30)', '2D000', NULL,
                 'inside a transaction block it fails at its first COMMIT: call it in autocommit mode');

SELECT * FROM finish();
ROLLBACK;
