-- pgTAP tests for the function_set_compression change: the global and per-thread toggle.
BEGIN;
SELECT plan(14);

SELECT has_function('langgraph', 'set_compression', ARRAY['boolean', 'text'], 'set_compression exists');
SELECT function_returns('langgraph', 'set_compression', ARRAY['boolean', 'text'], 'boolean', 'it returns the setting in force');
SELECT is_definer('langgraph', 'set_compression', ARRAY['boolean', 'text'], 'it is SECURITY DEFINER');
SELECT function_privs_are('langgraph', 'set_compression', ARRAY['boolean', 'text'], 'langgraph_client', ARRAY['EXECUTE'], 'the client role can call it');
SELECT function_privs_are('langgraph', 'set_compression', ARRAY['boolean', 'text'], 'langgraph_reader', ARRAY[]::text[], 'the reader role cannot');
SELECT function_privs_are('langgraph', '_compression_enabled', ARRAY['text'], 'langgraph_client', ARRAY[]::text[], '_compression_enabled is internal');

SELECT is(langgraph.set_compression(false), false, 'global off');
SELECT is(langgraph._compression_enabled('pgtap-compress-1'), false, 'a thread follows the global setting');
SELECT is(langgraph.set_compression(true, 'pgtap-compress-1'), true, 'a thread can turn it on for itself');
SELECT is(langgraph._compression_enabled('pgtap-compress-2'), false, '... without changing the others');
SELECT is(langgraph.set_compression(true), true, 'global on');
SELECT is(langgraph.set_compression(false, 'pgtap-compress-2'), false, 'a thread can opt out of the global setting');
SELECT is(langgraph.set_compression(NULL, 'pgtap-compress-2'), true, 'NULL removes the thread''s own setting: it follows the global one again');
SELECT throws_ok($$SELECT langgraph.set_compression(NULL)$$, 'LG003', NULL, 'the global setting cannot be NULL');

SELECT * FROM finish();
ROLLBACK;
