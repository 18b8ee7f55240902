-- pgTAP tests for the function_pin_thread change: pins. What retention does with a pin
-- is tested with the retention batches.
BEGIN;
SELECT plan(10);

SELECT has_function('langgraph', 'pin_thread', ARRAY['text', 'boolean'], 'pin_thread exists');
SELECT function_returns('langgraph', 'pin_thread', ARRAY['text', 'boolean'], 'boolean', 'it returns the pin');
SELECT is_definer('langgraph', 'pin_thread', ARRAY['text', 'boolean'], 'it is SECURITY DEFINER');
SELECT function_privs_are('langgraph', 'pin_thread', ARRAY['text', 'boolean'], 'langgraph_client', ARRAY['EXECUTE'],
                          'the client role can call it');
SELECT function_privs_are('langgraph', 'pin_thread', ARRAY['text', 'boolean'], 'langgraph_reader', ARRAY[]::text[],
                          'the reader role cannot');

SELECT langgraph.set_thread_ttl('pgtap-pin-a', interval '1 day');
SELECT is(langgraph.pin_thread('pgtap-pin-a'), true, 'pin_thread pins');
SELECT results_eq($$SELECT pinned, ttl, expires_at FROM langgraph.search_threads(p_created_since => now()) WHERE thread_id = 'pgtap-pin-a'$$,
                  $$VALUES (true, interval '1 day', NULL::timestamptz)$$, 'a pinned thread keeps its ttl but does not expire');
SELECT is(langgraph.pin_thread('pgtap-pin-a', false), false, 'pin_thread(id, false) unpins');
SELECT is((SELECT expires_at FROM langgraph.search_threads(p_created_since => now()) WHERE thread_id = 'pgtap-pin-a'),
          now() + interval '1 day', 'and its ttl applies again');
SELECT throws_ok($$SELECT langgraph.pin_thread('pgtap-pin-a', NULL)$$, 'LG003', NULL, 'NULL is refused');

SELECT * FROM finish();
ROLLBACK;
