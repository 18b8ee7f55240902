-- pgTAP tests for the index_threads_created change: search_threads pages through
-- threads_created_idx, newest first, and a page deep in the list costs what the first does.
BEGIN;
SELECT plan(6);

SELECT has_index('langgraph', 'threads', 'threads_created_idx', ARRAY['created_at', 'thread_id'],
                 'threads are paged through threads_created_idx');

\ir fixtures/thread_search.psql

SELECT matches(pg_temp.plan_of(E'\nORDER BY t.created_at DESC, t.thread_id DESC\nLIMIT $10'),
               'Limit\s+->.*Index Scan Backward using threads_created_idx on threads t',
               'the first page reads the index backward under the Limit');
SELECT doesnt_match(pg_temp.plan_of(E'\nORDER BY t.created_at DESC, t.thread_id DESC\nLIMIT $10'), 'Sort',
                    '... and sorts nothing');
SELECT matches(pg_temp.plan_of(E'\n  AND (t.created_at, t.thread_id) < ($8, $9)\nORDER BY t.created_at DESC, t.thread_id DESC\nLIMIT $10',
                               p_cursor_created_at => '2026-01-05', p_cursor_thread_id => 'plan-st-5000'),
               'Index Scan Backward using threads_created_idx on threads t\s+Index Cond: \(ROW\(created_at, thread_id\) <',
               'a later page starts at the cursor inside the index');
-- The pages start at the fixture's newest thread: threads that earlier test files
-- inserted and rolled back are newer, and their dead index entries (until vacuum)
-- would be read by a first page without a cursor. Another file's copy of this fixture,
-- rolled back too, leaves dead entries among these, hence the margin of the bound.
SELECT pg_temp.call_buffers($$SELECT * FROM langgraph.search_threads(p_limit => 10,
           p_cursor_created_at => '2026-01-15 00:00:00+00', p_cursor_thread_id => '')$$) AS first_page \gset
SELECT cmp_ok(:first_page::bigint, '<=', 250::bigint, 'a page of 10 of 20,000 threads reads at most 250 buffers');
SELECT cmp_ok(pg_temp.call_buffers($$SELECT * FROM langgraph.search_threads(p_limit => 10,
                  p_cursor_created_at => '2026-01-02 00:00:00+00', p_cursor_thread_id => 'plan-st-1440')$$),
              '<=', :first_page::bigint + 20, 'the page after 18,000 others reads what the first one does');

SELECT * FROM finish();
ROLLBACK;
