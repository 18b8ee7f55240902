-- pgTAP tests for the function_calculate_state_size change.
BEGIN;
SELECT plan(9);

SELECT has_function('langgraph', 'calculate_state_size', ARRAY['text', 'text', 'text'], 'calculate_state_size exists');
SELECT function_returns('langgraph', 'calculate_state_size', ARRAY['text', 'text', 'text'], 'setof record', 'it returns a row');
SELECT is_definer('langgraph', 'calculate_state_size', ARRAY['text', 'text', 'text'], 'it is SECURITY DEFINER');
SELECT function_privs_are('langgraph', 'calculate_state_size', ARRAY['text', 'text', 'text'], 'langgraph_reader', ARRAY['EXECUTE'], 'the reader role can call it');

SELECT langgraph.put_checkpoint('pgtap-size', '', 'cp-1', NULL, '{"channel_versions": {"m": "1"}}', '{}',
    ARRAY['m'], ARRAY['json'], ARRAY[to_jsonb(repeat('chat ', 4000))], ARRAY[NULL::bytea]);
SELECT langgraph.put_writes('pgtap-size', '', 'cp-1', 't', ARRAY['m'], ARRAY['json'], ARRAY['"w"'::jsonb], ARRAY[NULL::bytea]);
SELECT ok((SELECT raw_bytes > 20000 FROM langgraph.calculate_state_size('pgtap-size')), 'raw_bytes counts the values as text');
SELECT ok((SELECT stored_bytes < raw_bytes / 10 FROM langgraph.calculate_state_size('pgtap-size')),
          'stored_bytes shows TOAST compression of a repetitive value');
SELECT is((SELECT raw_bytes FROM langgraph.calculate_state_size('pgtap-size', 'cp-1')),
          (SELECT raw_bytes FROM langgraph.calculate_state_size('pgtap-size')), 'the latest by default');
SELECT throws_ok($$SELECT * FROM langgraph.calculate_state_size('pgtap-size', 'cp-404')$$, 'LG004', NULL, 'an unknown checkpoint raises LG004');
SELECT throws_ok($$SELECT * FROM langgraph.calculate_state_size('')$$, 'LG001', NULL, 'an empty thread id raises LG001');

SELECT * FROM finish();
ROLLBACK;
