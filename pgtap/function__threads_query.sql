-- pgTAP tests for the function__threads_query change: the query text holds only the
-- filters given, and each filter is planned through its index.
BEGIN;
SELECT plan(13);

SELECT has_function('langgraph', '_threads_query',
    ARRAY['jsonb', 'jsonb', 'text', 'timestamp with time zone', 'timestamp with time zone', 'timestamp with time zone',
          'timestamp with time zone'], '_threads_query exists');
SELECT function_privs_are('langgraph', '_threads_query',
    ARRAY['jsonb', 'jsonb', 'text', 'timestamp with time zone', 'timestamp with time zone', 'timestamp with time zone',
          'timestamp with time zone'], 'langgraph_client', ARRAY[]::text[], 'it is internal');
SELECT doesnt_match(langgraph._threads_query(NULL, NULL, NULL, NULL, NULL, NULL, NULL), '\$[1-7]',
                    'no filter, no parameter in the query');
SELECT is(ARRAY(SELECT m[1] FROM regexp_matches(
              langgraph._threads_query('{}', NULL, 'idle', NULL, now(), NULL, now()), '\$([1-7])', 'g') AS m),
          ARRAY['1', '3', '5', '7'], 'only the filters given appear');
SELECT throws_ok($$SELECT langgraph._threads_query('1', NULL, NULL, NULL, NULL, NULL, NULL)$$, 'LG002', NULL,
                 'the metadata filter must be an object');
SELECT throws_ok($$SELECT langgraph._threads_query(NULL, NULL, 'running', NULL, NULL, NULL, NULL)$$, 'LG003', NULL,
                 'the status must be known');

\ir fixtures/thread_search.psql

SELECT matches(pg_temp.plan_of(E'\nORDER BY t.created_at DESC, t.thread_id DESC\nLIMIT $10', p_metadata => '{"tenant": "rare"}'),
               'Bitmap Index Scan on checkpoints_metadata_gin',
               'a metadata filter finds its threads through the GIN index');
SELECT doesnt_match(pg_temp.plan_of(E'\nORDER BY t.created_at DESC, t.thread_id DESC\nLIMIT $10', p_metadata => '{"tenant": "rare"}'),
                    'Seq Scan on (threads|checkpoints)', '... and scans neither threads nor checkpoints');
SELECT matches(pg_temp.plan_of(''), 'Index Scan Backward using checkpoints_pkey on checkpoints c',
               'the latest root checkpoint of a thread is one backward probe of the primary key');
SELECT matches(pg_temp.plan_of(E'\nORDER BY t.created_at DESC, t.thread_id DESC\nLIMIT $10'),
               'Aggregate\s+->  (Index Scan using checkpoint_writes_pkey on checkpoint_writes w|Bitmap Heap Scan on checkpoint_writes w\s.*Bitmap Index Scan on checkpoint_writes_pkey)',
               'the status reads the latest checkpoint''s writes through their primary key, never a scan of all writes');
SELECT matches(pg_temp.plan_of('', p_created_since => '2026-01-14'),
               'Index (Cond|Scan).*threads_created_idx|threads_created_idx[^\n]*\n\s+Index Cond: \(created_at >=',
               'a created_at range is an index range');
SELECT cmp_ok(pg_temp.call_buffers($$SELECT langgraph.count_threads(p_metadata => '{"tenant": "rare"}')$$), '<=', 200::bigint,
              'counting the 5 rare threads among 20,000 reads at most 200 buffers');
SELECT is(langgraph.count_threads(p_metadata => '{"tenant": "rare"}'), 5::bigint, 'and finds the five');

SELECT * FROM finish();
ROLLBACK;
