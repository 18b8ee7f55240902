-- pgTAP tests for the function_touch_thread change: recorded reads.
BEGIN;
SELECT plan(9);

SELECT has_function('langgraph', 'touch_thread', ARRAY['text'], 'touch_thread exists');
SELECT function_returns('langgraph', 'touch_thread', ARRAY['text'], 'boolean', 'it says whether reads count');
SELECT is_definer('langgraph', 'touch_thread', ARRAY['text'], 'it is SECURITY DEFINER');
SELECT function_privs_are('langgraph', 'touch_thread', ARRAY['text'], 'langgraph_client', ARRAY['EXECUTE'], 'the client role can call it');

SELECT langgraph.put_checkpoint('pgtap-touch-a', '', '1f000000-0000-6000-8000-000000000001', NULL, '{"channel_versions": {}}');
UPDATE langgraph.threads SET updated_at = '2026-01-01 00:00:00+00' WHERE thread_id = 'pgtap-touch-a';
SELECT is(langgraph.touch_thread('pgtap-touch-a'), false, 'a thread that does not refresh on read records nothing');
SELECT is(langgraph.touch_thread('pgtap-nobody'), false, 'nor does one that does not exist');
SELECT langgraph.set_thread_ttl('pgtap-touch-a', interval '1 day', p_refresh_on_read => true);
SELECT is(langgraph.touch_thread('pgtap-touch-a'), true, 'a thread that refreshes on read records the read');
SELECT is((SELECT expires_at FROM langgraph.search_threads(p_updated_before => '2026-01-02 00:00:00+00', p_limit => NULL)
           WHERE thread_id = 'pgtap-touch-a'),
          now() + interval '1 day', 'its ttl now counts from the read, not from its last save');
SELECT throws_ok($$SELECT langgraph.touch_thread(NULL)$$, 'LG001', NULL, 'the thread id is checked');

SELECT * FROM finish();
ROLLBACK;
