-- pgTAP tests for the function_set_thread_ttl change: a thread's own TTL. What the
-- retention batches do with it is tested with them (function__expire_threads_batch,
-- function__cleanup_checkpoints_batch).
BEGIN;
SELECT plan(13);

SELECT has_function('langgraph', 'set_thread_ttl', ARRAY['text', 'interval', 'boolean'], 'set_thread_ttl exists');
SELECT function_returns('langgraph', 'set_thread_ttl', ARRAY['text', 'interval', 'boolean'], 'timestamp with time zone',
                        'it returns when the thread expires');
SELECT is_definer('langgraph', 'set_thread_ttl', ARRAY['text', 'interval', 'boolean'], 'it is SECURITY DEFINER');
SELECT function_privs_are('langgraph', 'set_thread_ttl', ARRAY['text', 'interval', 'boolean'], 'langgraph_client', ARRAY['EXECUTE'],
                          'the client role can call it');
SELECT function_privs_are('langgraph', 'set_thread_ttl', ARRAY['text', 'interval', 'boolean'], 'langgraph_reader', ARRAY[]::text[],
                          'the reader role cannot');

SELECT langgraph.put_checkpoint('pgtap-ttl-a', '', '1f000000-0000-6000-8000-000000000001', NULL, '{"channel_versions": {}}');
UPDATE langgraph.threads SET updated_at = '2026-01-01 00:00:00+00' WHERE thread_id = 'pgtap-ttl-a';
SELECT is(langgraph.set_thread_ttl('pgtap-ttl-a', interval '7 days'), '2026-01-08 00:00:00+00'::timestamptz,
          'it expires a ttl after its last save');
SELECT is((SELECT (ttl, refresh_on_read, compression IS NULL)::text FROM langgraph.thread_settings WHERE thread_id = 'pgtap-ttl-a'),
          '("7 days",f,t)', 'the setting is stored; compression still follows the global setting');
SELECT is(langgraph.set_compression(NULL, 'pgtap-ttl-a'), (SELECT compression FROM langgraph.settings WHERE singleton),
          'clearing the thread''s compression setting...');
SELECT is((SELECT ttl FROM langgraph.thread_settings WHERE thread_id = 'pgtap-ttl-a'), interval '7 days', '... keeps its ttl');
SELECT is(langgraph.set_thread_ttl('pgtap-ttl-b', interval '1 hour', p_refresh_on_read => true), now() + interval '1 hour',
          'a TTL may come before the first checkpoint (the thread row is created now)');
SELECT is(langgraph.set_thread_ttl('pgtap-ttl-a', NULL), NULL::timestamptz, 'NULL removes the thread''s own TTL');
SELECT throws_ok($$SELECT langgraph.set_thread_ttl('pgtap-ttl-a', interval '-1 day')$$, 'LG003', NULL, 'a TTL must be positive');
SELECT throws_ok($$SELECT langgraph.set_thread_ttl('', interval '1 day')$$, 'LG001', NULL, 'the thread id is checked');

SELECT * FROM finish();
ROLLBACK;
