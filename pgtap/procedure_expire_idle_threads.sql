-- pgTAP tests for the procedure_expire_idle_threads change. Like cleanup_old_checkpoints
-- it COMMITs between batches: structure and argument checks here, batches in
-- function__expire_threads_batch.sql, whole runs in python/tests/test_retention*.py.
BEGIN;
SELECT plan(13);

SELECT has_function('langgraph', 'expire_idle_threads',
    ARRAY['interval', 'integer', 'integer', 'bigint', 'bigint'], 'expire_idle_threads exists');
SELECT is((SELECT prokind FROM pg_proc WHERE oid = 'langgraph.expire_idle_threads(interval, integer, integer, bigint, bigint)'::regprocedure),
          'p'::"char", 'it is a procedure');
SELECT isnt_definer('langgraph', 'expire_idle_threads',
    ARRAY['interval', 'integer', 'integer', 'bigint', 'bigint'], 'it runs as its caller');
SELECT is((SELECT proconfig FROM pg_proc WHERE oid = 'langgraph.expire_idle_threads(interval, integer, integer, bigint, bigint)'::regprocedure),
          NULL, 'it has no SET clause');
SELECT function_privs_are('langgraph', 'expire_idle_threads',
    ARRAY['interval', 'integer', 'integer', 'bigint', 'bigint'], 'langgraph_client', ARRAY['EXECUTE'], 'the client role can call it');
SELECT function_privs_are('langgraph', 'expire_idle_threads',
    ARRAY['interval', 'integer', 'integer', 'bigint', 'bigint'], 'langgraph_reader', ARRAY[]::text[], 'the reader role cannot');

SELECT throws_ok($$CALL langgraph.expire_idle_threads(NULL)$$, 'LG003', NULL, 'a NULL idle interval is refused');
SELECT throws_ok($$CALL langgraph.expire_idle_threads('-1 day')$$, 'LG003', NULL, 'a negative idle interval is refused');
SELECT throws_ok($$CALL langgraph.expire_idle_threads('90 days', 0)$$, 'LG003', NULL, 'a batch_size below 1 is refused');
SELECT throws_ok($$CALL langgraph.expire_idle_threads('90 days', 100, -1)$$, 'LG003', NULL, 'a negative tombstone_days is refused');
SELECT throws_ok($$CALL langgraph.expire_idle_threads('100000000 years')$$, 'LG003', NULL,
                 'an idle interval past the timestamp range is refused, not 22008');
SELECT throws_ok($$CALL langgraph.expire_idle_threads('90 days', 100, 2147483647)$$, 'LG003', NULL,
                 'a tombstone_days past the timestamp range is refused before any batch runs');
SELECT throws_ok($$CALL langgraph.expire_idle_threads('36500 days')$$, '2D000', NULL,
                 'inside a transaction block it fails at its first COMMIT');

SELECT * FROM finish();
ROLLBACK;
