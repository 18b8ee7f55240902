-- pgTAP tests for the function__stores_value change: whether a channel value is stored at a version.
BEGIN;
SELECT plan(17);

-- Structure ------------------------------------------------------------------
SELECT has_function('langgraph', '_stores_value', ARRAY['text', 'text', 'text', 'text'], '_stores_value(text, text, text, text) exists');
SELECT function_returns('langgraph', '_stores_value', ARRAY['text', 'text', 'text', 'text'], 'boolean', '_stores_value returns boolean');
SELECT function_lang_is('langgraph', '_stores_value', ARRAY['text', 'text', 'text', 'text'], 'plpgsql', '_stores_value is written in plpgsql');
SELECT volatility_is('langgraph', '_stores_value', ARRAY['text', 'text', 'text', 'text'], 'stable', '_stores_value is STABLE');
SELECT isnt_definer('langgraph', '_stores_value', ARRAY['text', 'text', 'text', 'text'], '_stores_value is not SECURITY DEFINER (internal, runs as its caller)');
SELECT function_privs_are('langgraph', '_stores_value', ARRAY['text', 'text', 'text', 'text'], 'public', ARRAY[]::text[], 'PUBLIC cannot call _stores_value');
SELECT function_privs_are('langgraph', '_stores_value', ARRAY['text', 'text', 'text', 'text'], 'langgraph_client', ARRAY[]::text[], 'the client role cannot call _stores_value');
SELECT function_privs_are('langgraph', '_stores_value', ARRAY['text', 'text', 'text', 'text'], 'langgraph_reader', ARRAY[]::text[], 'the reader role cannot call _stores_value');

-- Behaviour ------------------------------------------------------------------
INSERT INTO langgraph.threads (thread_id) VALUES ('pgtap-stores-value-1'), ('pgtap-stores-value-2');
INSERT INTO langgraph.checkpoint_blobs (thread_id, checkpoint_ns, channel, version, type, value, blob) VALUES
    ('pgtap-stores-value-1', '', 'j', '1', 'json', '1', NULL),
    ('pgtap-stores-value-1', '', 'm', '1', 'msgpack', NULL, '\x01'),
    ('pgtap-stores-value-1', '', 'e', '1', 'empty', NULL, NULL),
    ('pgtap-stores-value-1', 'child:1', 'c', '1', 'json', '1', NULL);
SELECT is(langgraph._stores_value('pgtap-stores-value-1', '', 'j', '1'), true, 'a json value is stored');
SELECT is(langgraph._stores_value('pgtap-stores-value-1', '', 'm', '1'), true, 'serializer bytes are stored');
SELECT is(langgraph._stores_value('pgtap-stores-value-1', '', 'e', '1'), false, 'the empty marker is not a stored value');
SELECT is(langgraph._stores_value('pgtap-stores-value-1', '', 'j', '2'), false, 'another version is not stored');
SELECT is(langgraph._stores_value('pgtap-stores-value-1', '', 'x', '1'), false, 'an unknown channel is not stored');
SELECT is(langgraph._stores_value('pgtap-stores-value-1', '', 'j', NULL), false, 'a NULL version is false, not NULL');
SELECT is(langgraph._stores_value('pgtap-stores-value-1', '', 'c', '1'), false, 'a value in another namespace does not count');
SELECT is(langgraph._stores_value('pgtap-stores-value-1', 'child:1', 'c', '1'), true, 'in its own namespace it does');
SELECT is(langgraph._stores_value('pgtap-stores-value-2', '', 'j', '1'), false, 'a value of another thread does not count');

SELECT * FROM finish();
ROLLBACK;
