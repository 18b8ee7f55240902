-- pgTAP tests for the function_search_threads change: threads filtered by the metadata
-- of their root checkpoints, by the values and status of the latest one, by time, and
-- paged with a keyset.
-- Thread ids start with 'pgtap-st-' and every search also filters on the metadata key
-- "suite" they all carry, so other threads in the database do not show up.
BEGIN;
SELECT plan(27);

-- A thread with one root checkpoint (and a subgraph checkpoint whose metadata and
-- writes must not count), created at p_created.
CREATE FUNCTION pg_temp.thread(p_thread text, p_metadata jsonb, p_messages jsonb, p_created timestamptz) RETURNS void
LANGUAGE sql AS $$
    SELECT langgraph.put_checkpoint(p_thread, '', '1f000000-0000-6000-8000-000000000001', NULL,
        '{"channel_versions": {"messages": "1", "blob": "1"}}', p_metadata || '{"suite": "pgtap-st"}',
        ARRAY['messages', 'blob'], ARRAY['json', 'msgpack'], ARRAY[p_messages, NULL], ARRAY[NULL, '\x81'::bytea]);
    SELECT langgraph.put_checkpoint(p_thread, 'sub:1', '1f000000-0000-6000-8000-000000000002', NULL,
        '{"channel_versions": {}}', '{"suite": "pgtap-st", "user": "subgraph"}');
    SELECT langgraph.put_writes(p_thread, 'sub:1', '1f000000-0000-6000-8000-000000000002', 'task',
        ARRAY['__error__'], ARRAY['json'], ARRAY['"subgraph failure"'::jsonb], ARRAY[NULL::bytea]);
    UPDATE langgraph.threads SET created_at = p_created, updated_at = p_created + interval '1 hour' WHERE thread_id = p_thread;
$$;
CREATE FUNCTION pg_temp.found(p_query text) RETURNS text[] LANGUAGE plpgsql AS $$
DECLARE
    v_ids text[];
BEGIN
    EXECUTE format('SELECT coalesce(array_agg(thread_id ORDER BY n), ''{}'') FROM %s WITH ORDINALITY AS r (thread_id, created_at, updated_at, checkpoint_id, metadata, status, ttl, pinned, refresh_on_read, expires_at, n)', p_query)
    INTO v_ids;
    RETURN v_ids;
END
$$;

SELECT has_function('langgraph', 'search_threads',
    ARRAY['jsonb', 'jsonb', 'text', 'timestamp with time zone', 'timestamp with time zone', 'timestamp with time zone',
          'timestamp with time zone', 'timestamp with time zone', 'text', 'integer'], 'search_threads exists');
SELECT function_returns('langgraph', 'search_threads',
    ARRAY['jsonb', 'jsonb', 'text', 'timestamp with time zone', 'timestamp with time zone', 'timestamp with time zone',
          'timestamp with time zone', 'timestamp with time zone', 'text', 'integer'], 'setof record', 'it returns rows');
SELECT volatility_is('langgraph', 'search_threads',
    ARRAY['jsonb', 'jsonb', 'text', 'timestamp with time zone', 'timestamp with time zone', 'timestamp with time zone',
          'timestamp with time zone', 'timestamp with time zone', 'text', 'integer'], 'stable', 'it is STABLE');
SELECT is_definer('langgraph', 'search_threads',
    ARRAY['jsonb', 'jsonb', 'text', 'timestamp with time zone', 'timestamp with time zone', 'timestamp with time zone',
          'timestamp with time zone', 'timestamp with time zone', 'text', 'integer'], 'it is SECURITY DEFINER');
SELECT function_privs_are('langgraph', 'search_threads',
    ARRAY['jsonb', 'jsonb', 'text', 'timestamp with time zone', 'timestamp with time zone', 'timestamp with time zone',
          'timestamp with time zone', 'timestamp with time zone', 'text', 'integer'], 'langgraph_reader', ARRAY['EXECUTE'],
    'the reader role can call it');

SELECT pg_temp.thread('pgtap-st-a', '{"user": "ada", "tier": "pro"}', '["hi", "bye"]', '2026-01-01 00:00:00+00');
SELECT pg_temp.thread('pgtap-st-b', '{"user": "bob"}', '["hi"]', '2026-01-02 00:00:00+00');
SELECT pg_temp.thread('pgtap-st-c', '{"user": "ada"}', '[{"type": "human", "content": "help"}]', '2026-01-03 00:00:00+00');
SELECT pg_temp.thread('pgtap-st-d', '{"user": "dan"}', '[]', '2026-01-04 00:00:00+00');
-- b is interrupted, c failed, d was interrupted and then failed: error wins.
SELECT langgraph.put_writes('pgtap-st-b', '', '1f000000-0000-6000-8000-000000000001', 'task-b',
    ARRAY['__interrupt__'], ARRAY['json'], ARRAY['[{"value": "approve?"}]'::jsonb], ARRAY[NULL::bytea]);
SELECT langgraph.put_writes('pgtap-st-c', '', '1f000000-0000-6000-8000-000000000001', 'task-c',
    ARRAY['__error__'], ARRAY['json'], ARRAY['"boom"'::jsonb], ARRAY[NULL::bytea]);
SELECT langgraph.put_writes('pgtap-st-d', '', '1f000000-0000-6000-8000-000000000001', 'task-d1',
    ARRAY['__interrupt__'], ARRAY['json'], ARRAY['[]'::jsonb], ARRAY[NULL::bytea]);
SELECT langgraph.put_writes('pgtap-st-d', '', '1f000000-0000-6000-8000-000000000001', 'task-d2',
    ARRAY['__error__'], ARRAY['json'], ARRAY['"boom"'::jsonb], ARRAY[NULL::bytea]);
-- a moves on: a later checkpoint with other metadata; the old one still says "pro".
SELECT langgraph.put_checkpoint('pgtap-st-a', '', '1f000000-0000-6000-8000-000000000003', '1f000000-0000-6000-8000-000000000001',
    '{"channel_versions": {"messages": "1", "blob": "1"}}', '{"suite": "pgtap-st", "user": "ada", "tier": "free"}');
UPDATE langgraph.threads SET updated_at = '2026-02-01 00:00:00+00' WHERE thread_id = 'pgtap-st-a';

SELECT is(pg_temp.found($$langgraph.search_threads(p_metadata => '{"suite": "pgtap-st"}')$$),
          ARRAY['pgtap-st-d', 'pgtap-st-c', 'pgtap-st-b', 'pgtap-st-a'], 'newest thread first');
SELECT results_eq(
    $$SELECT thread_id, checkpoint_id, metadata ->> 'tier', status FROM langgraph.search_threads(p_metadata => '{"suite": "pgtap-st", "user": "ada"}')$$,
    $$VALUES ('pgtap-st-c'::text, '1f000000-0000-6000-8000-000000000001'::text, NULL::text, 'error'::text),
             ('pgtap-st-a', '1f000000-0000-6000-8000-000000000003', 'free', 'idle')$$,
    'metadata containment; a row carries the latest root checkpoint, its metadata and its status');
SELECT is(pg_temp.found($$langgraph.search_threads(p_metadata => '{"suite": "pgtap-st", "tier": "pro"}')$$), ARRAY['pgtap-st-a'],
          'any root checkpoint''s metadata counts (a later run need not repeat it); the row shows the latest''s');
SELECT is(pg_temp.found($$langgraph.search_threads(p_metadata => '{"user": "subgraph"}')$$), '{}'::text[],
          'and only the root namespace''s');
SELECT is(pg_temp.found($$langgraph.search_threads(p_metadata => '{"suite": "pgtap-st"}', p_values => '{"messages": ["hi"]}')$$),
          ARRAY['pgtap-st-b', 'pgtap-st-a'], 'values: JSON containment on a channel''s latest value');
SELECT is(pg_temp.found($$langgraph.search_threads(p_metadata => '{"suite": "pgtap-st"}', p_values => '{"messages": [{"type": "human"}]}')$$),
          ARRAY['pgtap-st-c'], 'containment reaches into nested objects');
SELECT is(pg_temp.found($$langgraph.search_threads(p_metadata => '{"suite": "pgtap-st"}', p_values => '{"messages": ["hi"], "nothing": 1}')$$),
          '{}'::text[], 'every channel named must match');
SELECT is(pg_temp.found($$langgraph.search_threads(p_metadata => '{"suite": "pgtap-st"}', p_values => '{"blob": {}}')$$),
          '{}'::text[], 'a serialized (non-JSON) value matches nothing');
SELECT is(pg_temp.found($$langgraph.search_threads(p_metadata => '{"suite": "pgtap-st"}', p_status => 'interrupted')$$),
          ARRAY['pgtap-st-b'], 'status interrupted: an __interrupt__ write on the latest checkpoint');
SELECT is(pg_temp.found($$langgraph.search_threads(p_metadata => '{"suite": "pgtap-st"}', p_status => 'error')$$),
          ARRAY['pgtap-st-d', 'pgtap-st-c'], 'status error: an __error__ write, which wins over an interrupt');
SELECT is(pg_temp.found($$langgraph.search_threads(p_metadata => '{"suite": "pgtap-st"}', p_status => 'idle')$$),
          ARRAY['pgtap-st-a'], 'idle: neither; a subgraph''s error does not count, nor the old checkpoint''s writes');
SELECT is(pg_temp.found($$langgraph.search_threads(p_metadata => '{"suite": "pgtap-st"}',
              p_created_since => '2026-01-02 00:00:00+00', p_created_before => '2026-01-04 00:00:00+00')$$),
          ARRAY['pgtap-st-c', 'pgtap-st-b'], 'created ranges are half-open: since <= created_at < before');
SELECT is(pg_temp.found($$langgraph.search_threads(p_metadata => '{"suite": "pgtap-st"}', p_updated_since => '2026-01-15 00:00:00+00')$$),
          ARRAY['pgtap-st-a'], 'updated ranges follow the last save');
SELECT is(pg_temp.found($$langgraph.search_threads(p_metadata => '{"suite": "pgtap-st"}', p_updated_before => '2026-01-02 01:00:00+00')$$),
          '{}'::text[], 'updated_before is exclusive');

-- Paging: two pages of two, then an empty one; together they are the whole list.
SELECT is(pg_temp.found($$langgraph.search_threads(p_metadata => '{"suite": "pgtap-st"}', p_limit => 2)$$),
          ARRAY['pgtap-st-d', 'pgtap-st-c'], 'the first page');
SELECT is(pg_temp.found($$langgraph.search_threads(p_metadata => '{"suite": "pgtap-st"}', p_limit => 2,
              p_cursor_created_at => '2026-01-03 00:00:00+00', p_cursor_thread_id => 'pgtap-st-c')$$),
          ARRAY['pgtap-st-b', 'pgtap-st-a'], 'the next page starts after the cursor (the last row of the previous one)');
-- A thread created at the same instant as the cursor row: thread_id breaks the tie.
SELECT pg_temp.thread('pgtap-st-bb', '{}', '[]', '2026-01-02 00:00:00+00');
SELECT is(pg_temp.found($$langgraph.search_threads(p_metadata => '{"suite": "pgtap-st"}', p_limit => 2,
              p_cursor_created_at => '2026-01-02 00:00:00+00', p_cursor_thread_id => 'pgtap-st-bb')$$),
          ARRAY['pgtap-st-b', 'pgtap-st-a'], 'equal created_at: the order is by thread_id, so no row is lost or repeated');
SELECT is(pg_temp.found($$langgraph.search_threads(p_metadata => '{"suite": "pgtap-st"}', p_limit => 0)$$), '{}'::text[],
          'limit 0 returns nothing');

SELECT throws_ok($$SELECT * FROM langgraph.search_threads(p_cursor_thread_id => 'x')$$, 'LG003', NULL, 'half a cursor is refused');
SELECT throws_ok($$SELECT * FROM langgraph.search_threads(p_limit => -1)$$, 'LG003', NULL, 'a negative limit is refused');
SELECT throws_ok($$SELECT * FROM langgraph.search_threads(p_status => 'busy')$$, 'LG003', NULL, 'an unknown status is refused');
SELECT throws_ok($$SELECT * FROM langgraph.search_threads(p_metadata => '[]')$$, 'LG002', NULL, 'a metadata filter must be an object');

SELECT * FROM finish();
ROLLBACK;
