-- pgTAP tests for the function_count_threads change: the number of threads
-- search_threads finds, over all pages.
BEGIN;
SELECT plan(9);

SELECT has_function('langgraph', 'count_threads',
    ARRAY['jsonb', 'jsonb', 'text', 'timestamp with time zone', 'timestamp with time zone', 'timestamp with time zone',
          'timestamp with time zone'], 'count_threads exists');
SELECT function_returns('langgraph', 'count_threads',
    ARRAY['jsonb', 'jsonb', 'text', 'timestamp with time zone', 'timestamp with time zone', 'timestamp with time zone',
          'timestamp with time zone'], 'bigint', 'it returns a count');
SELECT volatility_is('langgraph', 'count_threads',
    ARRAY['jsonb', 'jsonb', 'text', 'timestamp with time zone', 'timestamp with time zone', 'timestamp with time zone',
          'timestamp with time zone'], 'stable', 'it is STABLE');
SELECT is_definer('langgraph', 'count_threads',
    ARRAY['jsonb', 'jsonb', 'text', 'timestamp with time zone', 'timestamp with time zone', 'timestamp with time zone',
          'timestamp with time zone'], 'it is SECURITY DEFINER');
SELECT function_privs_are('langgraph', 'count_threads',
    ARRAY['jsonb', 'jsonb', 'text', 'timestamp with time zone', 'timestamp with time zone', 'timestamp with time zone',
          'timestamp with time zone'], 'langgraph_reader', ARRAY['EXECUTE'], 'the reader role can call it');

-- 30 threads of one suite, every third one interrupted.
SELECT langgraph.put_checkpoint('pgtap-ct-' || i, '', '1f000000-0000-6000-8000-000000000001', NULL,
           '{"channel_versions": {}}', jsonb_build_object('suite', 'pgtap-ct', 'even', i % 2 = 0))
FROM generate_series(1, 30) AS i;
SELECT langgraph.put_writes('pgtap-ct-' || i, '', '1f000000-0000-6000-8000-000000000001', 'task',
           ARRAY['__interrupt__'], ARRAY['json'], ARRAY['[]'::jsonb], ARRAY[NULL::bytea])
FROM generate_series(3, 30, 3) AS i;

SELECT is(langgraph.count_threads(p_metadata => '{"suite": "pgtap-ct"}'), 30::bigint, 'every thread of the suite');
SELECT is(langgraph.count_threads(p_metadata => '{"suite": "pgtap-ct", "even": true}', p_status => 'interrupted'), 5::bigint,
          'filters combine');
SELECT is(langgraph.count_threads(p_metadata => '{"suite": "pgtap-ct"}', p_status => 'idle'),
          (SELECT count(*) FROM langgraph.search_threads(p_metadata => '{"suite": "pgtap-ct"}', p_status => 'idle', p_limit => NULL)),
          'the count is what search_threads returns with no limit');
SELECT throws_ok($$SELECT langgraph.count_threads(p_values => '"x"')$$, 'LG002', NULL, 'a values filter must be an object');

SELECT * FROM finish();
ROLLBACK;
