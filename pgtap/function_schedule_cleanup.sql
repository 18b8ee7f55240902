-- pgTAP tests for the function_schedule_cleanup and function_unschedule_cleanup changes.
-- pg_cron's job table is transactional, so scheduling here is rolled back with the
-- test. Where pg_cron is installed, the missing-extension case is tested by dropping
-- it inside the test transaction; where it is not, the cases that need it are skipped.
-- That pg_cron really runs the job is tested in python/tests/test_cron.py.
BEGIN;
SELECT plan(22);

SELECT has_function('langgraph', 'schedule_cleanup', ARRAY['text', 'integer', 'text'], 'schedule_cleanup exists');
SELECT function_returns('langgraph', 'schedule_cleanup', ARRAY['text', 'integer', 'text'], 'bigint', 'it returns the job id');
SELECT is_definer('langgraph', 'schedule_cleanup', ARRAY['text', 'integer', 'text'], 'it is SECURITY DEFINER: jobs run as the owner');
SELECT function_privs_are('langgraph', 'schedule_cleanup', ARRAY['text', 'integer', 'text'], 'langgraph_client', ARRAY[]::text[],
                          'the client role cannot schedule jobs');
SELECT function_privs_are('langgraph', 'schedule_cleanup', ARRAY['text', 'integer', 'text'], 'public', ARRAY[]::text[],
                          'PUBLIC cannot schedule jobs');
SELECT has_function('langgraph', 'unschedule_cleanup', ARRAY['text'], 'unschedule_cleanup exists');
SELECT function_returns('langgraph', 'unschedule_cleanup', ARRAY['text'], 'boolean', 'it returns whether a job went');
SELECT is_definer('langgraph', 'unschedule_cleanup', ARRAY['text'], 'it is SECURITY DEFINER');
SELECT function_privs_are('langgraph', 'unschedule_cleanup', ARRAY['text'], 'langgraph_client', ARRAY[]::text[],
                          'the client role cannot unschedule jobs');

SELECT EXISTS (SELECT FROM pg_extension WHERE extname = 'pg_cron') AS has_cron \gset

-- With pg_cron -----------------------------------------------------------------
\if :has_cron
SELECT throws_ok($$SELECT langgraph.schedule_cleanup('', 30)$$, 'LG003', NULL, 'an empty cron expression is refused');
SELECT throws_ok($$SELECT langgraph.schedule_cleanup('17 3 * * *', -1)$$, 'LG003', NULL, 'a negative retention is refused');
SELECT throws_ok($$SELECT langgraph.schedule_cleanup('17 3 * * *', 30, '')$$, 'LG003', NULL, 'an empty job name is refused');
SELECT throws_ok($$SELECT langgraph.schedule_cleanup('not a schedule', 30)$$, 'LG003', NULL,
                 'a schedule pg_cron cannot parse raises LG003, not pg_cron''s 22023');
SELECT throws_ok($$SELECT langgraph.schedule_cleanup('17 3 * * *', 2000000)$$, 'LG003', NULL,
                 'a retention past the timestamp range is refused (the job would fail with 22008)');
SELECT ok(langgraph.schedule_cleanup('17 3 * * *', 30, 'pgtap-cleanup') > 0, 'scheduling returns a job id');
SELECT is((SELECT concat_ws(' | ', schedule, command, database, username) FROM cron.job WHERE jobname = 'pgtap-cleanup'),
          concat_ws(' | ', '17 3 * * *', 'CALL langgraph.cleanup_old_checkpoints(30)', current_database(), current_user),
          'the job calls cleanup_old_checkpoints in this database, as the owner');
SELECT jobid AS first_job FROM cron.job WHERE jobname = 'pgtap-cleanup' \gset
SELECT is(langgraph.schedule_cleanup('0 * * * *', 7, 'pgtap-cleanup'), :first_job::bigint,
          'scheduling the same name again replaces the job');
SELECT is((SELECT string_agg(concat_ws(' | ', schedule, command), ', ') FROM cron.job WHERE jobname = 'pgtap-cleanup'),
          '0 * * * * | CALL langgraph.cleanup_old_checkpoints(7)',
          '... so there is one job, with the new schedule');
SELECT ok(langgraph.unschedule_cleanup('pgtap-cleanup'), 'unschedule_cleanup removes the job');
SELECT ok(NOT langgraph.unschedule_cleanup('pgtap-cleanup'), 'and returns false when there is none');
-- Dropped inside the test transaction, so the rollback brings it back.
DROP EXTENSION pg_cron;
\else
SELECT skip('pg_cron is not installed in this database', 11);
\endif

-- Without pg_cron ------------------------------------------------------------------
SELECT throws_ok($$SELECT langgraph.schedule_cleanup('17 3 * * *', 30)$$, 'LG007', NULL,
                 'schedule_cleanup raises LG007 without pg_cron');
SELECT throws_ok($$SELECT langgraph.unschedule_cleanup()$$, 'LG007', NULL,
                 'unschedule_cleanup raises LG007 without pg_cron');

SELECT * FROM finish();
ROLLBACK;
