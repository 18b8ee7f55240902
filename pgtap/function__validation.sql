-- pgTAP tests for the function__validation change: the internal argument checks that
-- raise the LG error class (LG001 identifier, LG002 document, LG003 argument).
BEGIN;
SELECT plan(71);

-- Structure: five internal, IMMUTABLE, SECURITY INVOKER functions no role may call.
SELECT has_function('langgraph', '_check_id', ARRAY['text', 'text'], '_check_id(text, text) exists');
SELECT has_function('langgraph', '_check_ns', ARRAY['text'], '_check_ns(text) exists');
SELECT has_function('langgraph', '_check_object', ARRAY['jsonb', 'text'], '_check_object(jsonb, text) exists');
SELECT has_function('langgraph', '_check_limit', ARRAY['integer'], '_check_limit(integer) exists');
SELECT has_function('langgraph', '_check_payload', ARRAY['text', 'text[]', 'text[]', 'jsonb[]', 'bytea[]'],
                    '_check_payload(text, text[], text[], jsonb[], bytea[]) exists');
SELECT function_returns('langgraph', '_check_id', ARRAY['text', 'text'], 'void', '_check_id returns void');
SELECT function_returns('langgraph', '_check_ns', ARRAY['text'], 'void', '_check_ns returns void');
SELECT function_returns('langgraph', '_check_object', ARRAY['jsonb', 'text'], 'void', '_check_object returns void');
SELECT function_returns('langgraph', '_check_limit', ARRAY['integer'], 'void', '_check_limit returns void');
SELECT function_returns('langgraph', '_check_payload', ARRAY['text', 'text[]', 'text[]', 'jsonb[]', 'bytea[]'], 'void',
                        '_check_payload returns void');
SELECT volatility_is('langgraph', '_check_id', ARRAY['text', 'text'], 'immutable', '_check_id is IMMUTABLE');
SELECT volatility_is('langgraph', '_check_ns', ARRAY['text'], 'immutable', '_check_ns is IMMUTABLE');
SELECT volatility_is('langgraph', '_check_object', ARRAY['jsonb', 'text'], 'immutable', '_check_object is IMMUTABLE');
SELECT volatility_is('langgraph', '_check_limit', ARRAY['integer'], 'immutable', '_check_limit is IMMUTABLE');
SELECT volatility_is('langgraph', '_check_payload', ARRAY['text', 'text[]', 'text[]', 'jsonb[]', 'bytea[]'], 'immutable',
                     '_check_payload is IMMUTABLE');
SELECT isnt_definer('langgraph', '_check_id', ARRAY['text', 'text'], '_check_id is not SECURITY DEFINER');
SELECT isnt_definer('langgraph', '_check_ns', ARRAY['text'], '_check_ns is not SECURITY DEFINER');
SELECT isnt_definer('langgraph', '_check_object', ARRAY['jsonb', 'text'], '_check_object is not SECURITY DEFINER');
SELECT isnt_definer('langgraph', '_check_limit', ARRAY['integer'], '_check_limit is not SECURITY DEFINER');
SELECT isnt_definer('langgraph', '_check_payload', ARRAY['text', 'text[]', 'text[]', 'jsonb[]', 'bytea[]'],
                    '_check_payload is not SECURITY DEFINER');
SELECT function_privs_are('langgraph', '_check_id', ARRAY['text', 'text'], 'public', ARRAY[]::text[], 'PUBLIC cannot call _check_id');
SELECT function_privs_are('langgraph', '_check_ns', ARRAY['text'], 'public', ARRAY[]::text[], 'PUBLIC cannot call _check_ns');
SELECT function_privs_are('langgraph', '_check_object', ARRAY['jsonb', 'text'], 'public', ARRAY[]::text[], 'PUBLIC cannot call _check_object');
SELECT function_privs_are('langgraph', '_check_limit', ARRAY['integer'], 'public', ARRAY[]::text[], 'PUBLIC cannot call _check_limit');
SELECT function_privs_are('langgraph', '_check_payload', ARRAY['text', 'text[]', 'text[]', 'jsonb[]', 'bytea[]'], 'public',
                          ARRAY[]::text[], 'PUBLIC cannot call _check_payload');
SELECT function_privs_are('langgraph', '_check_id', ARRAY['text', 'text'], 'langgraph_client', ARRAY[]::text[], 'the client role cannot call _check_id');
SELECT function_privs_are('langgraph', '_check_ns', ARRAY['text'], 'langgraph_client', ARRAY[]::text[], 'the client role cannot call _check_ns');
SELECT function_privs_are('langgraph', '_check_object', ARRAY['jsonb', 'text'], 'langgraph_client', ARRAY[]::text[], 'the client role cannot call _check_object');
SELECT function_privs_are('langgraph', '_check_limit', ARRAY['integer'], 'langgraph_client', ARRAY[]::text[], 'the client role cannot call _check_limit');
SELECT function_privs_are('langgraph', '_check_payload', ARRAY['text', 'text[]', 'text[]', 'jsonb[]', 'bytea[]'], 'langgraph_client',
                          ARRAY[]::text[], 'the client role cannot call _check_payload');
SELECT function_privs_are('langgraph', '_check_id', ARRAY['text', 'text'], 'langgraph_reader', ARRAY[]::text[], 'the reader role cannot call _check_id');
SELECT function_privs_are('langgraph', '_check_payload', ARRAY['text', 'text[]', 'text[]', 'jsonb[]', 'bytea[]'], 'langgraph_reader',
                          ARRAY[]::text[], 'the reader role cannot call _check_payload');

-- _check_id ------------------------------------------------------------------
SELECT lives_ok($$SELECT langgraph._check_id('pgtap-thread', 'thread_id')$$, '_check_id accepts an ordinary id');
SELECT lives_ok($$SELECT langgraph._check_id(repeat('x', 1024), 'thread_id')$$, '_check_id accepts 1024 characters');
SELECT lives_ok($$SELECT langgraph._check_id(repeat('é', 1024), 'thread_id')$$, '_check_id counts characters, not bytes');
SELECT throws_ok($$SELECT langgraph._check_id(NULL, 'thread_id')$$, 'LG001', 'thread_id must be a non-empty string',
                 '_check_id rejects NULL with LG001');
SELECT throws_ok($$SELECT langgraph._check_id('', 'thread_id')$$, 'LG001', 'thread_id must be a non-empty string',
                 '_check_id rejects the empty string with LG001');
SELECT throws_ok($$SELECT langgraph._check_id(repeat('x', 1025), 'task_id')$$, 'LG001',
                 'task_id is 1025 characters long; the limit is 1024', '_check_id rejects 1025 characters with LG001');

-- _check_ns ------------------------------------------------------------------
SELECT lives_ok($$SELECT langgraph._check_ns('')$$, '_check_ns accepts the root namespace');
SELECT lives_ok($$SELECT langgraph._check_ns('parent:1|child:2')$$, '_check_ns accepts a subgraph path');
SELECT lives_ok($$SELECT langgraph._check_ns(repeat('x', 1024))$$, '_check_ns accepts 1024 characters');
SELECT throws_ok($$SELECT langgraph._check_ns(NULL)$$, 'LG001', 'checkpoint_ns must not be NULL', '_check_ns rejects NULL with LG001');
SELECT throws_ok($$SELECT langgraph._check_ns(repeat('x', 1025))$$, 'LG001', NULL, '_check_ns rejects 1025 characters with LG001');

-- _check_object --------------------------------------------------------------
SELECT lives_ok($$SELECT langgraph._check_object('{}', 'metadata')$$, '_check_object accepts an empty object');
SELECT lives_ok($$SELECT langgraph._check_object('{"a": [1]}', 'metadata')$$, '_check_object accepts an object');
SELECT throws_ok($$SELECT langgraph._check_object(NULL, 'metadata')$$, 'LG002', 'metadata must be a JSON object, got NULL',
                 '_check_object rejects SQL NULL with LG002');
SELECT throws_ok($$SELECT langgraph._check_object('null', 'metadata')$$, 'LG002', 'metadata must be a JSON object, got null',
                 '_check_object rejects JSON null with LG002');
SELECT throws_ok($$SELECT langgraph._check_object('[]', 'metadata')$$, 'LG002', 'metadata must be a JSON object, got array',
                 '_check_object rejects an array with LG002');
SELECT throws_ok($$SELECT langgraph._check_object('"x"', 'filter')$$, 'LG002', NULL, '_check_object rejects a string with LG002');
SELECT throws_ok($$SELECT langgraph._check_object('1', 'filter')$$, 'LG002', NULL, '_check_object rejects a number with LG002');

-- _check_limit ---------------------------------------------------------------
SELECT lives_ok($$SELECT langgraph._check_limit(NULL)$$, '_check_limit accepts NULL (no limit)');
SELECT lives_ok($$SELECT langgraph._check_limit(0)$$, '_check_limit accepts 0');
SELECT lives_ok($$SELECT langgraph._check_limit(10)$$, '_check_limit accepts a positive limit');
SELECT throws_ok($$SELECT langgraph._check_limit(-1)$$, 'LG003', 'limit must not be negative, got -1',
                 '_check_limit rejects a negative limit with LG003');

-- _check_payload -------------------------------------------------------------
SELECT lives_ok($$SELECT langgraph._check_payload('write', '{}', '{}', '{}', '{}')$$, '_check_payload accepts four empty arrays');
SELECT lives_ok($$SELECT langgraph._check_payload('write', ARRAY['a', 'b', 'c'], ARRAY['json', 'empty', 'msgpack'],
                      ARRAY['1'::jsonb, NULL, NULL], ARRAY[NULL, NULL, '\x01'::bytea])$$,
                '_check_payload accepts well-formed json, empty and serializer elements');
SELECT lives_ok($$SELECT langgraph._check_payload('write', ARRAY['a'], ARRAY['json'], ARRAY['null'::jsonb], ARRAY[NULL::bytea])$$,
                '_check_payload accepts JSON null as a json value');
SELECT throws_ok($$SELECT langgraph._check_payload('write', NULL, '{}', '{}', '{}')$$, 'LG002',
                 'write arrays must be non-NULL and of equal length', '_check_payload rejects NULL names with LG002');
SELECT throws_ok($$SELECT langgraph._check_payload('write', '{}', '{}', NULL, '{}')$$, 'LG002', NULL,
                 '_check_payload rejects NULL values with LG002');
SELECT throws_ok($$SELECT langgraph._check_payload('write', '{}', '{}', '{}', NULL)$$, 'LG002', NULL,
                 '_check_payload rejects NULL blobs with LG002');
SELECT throws_ok($$SELECT langgraph._check_payload('write', ARRAY['a', 'b'], ARRAY['json'], ARRAY['1'::jsonb], ARRAY[NULL::bytea])$$,
                 'LG002', NULL, '_check_payload rejects a short types array with LG002');
SELECT throws_ok($$SELECT langgraph._check_payload('write', ARRAY['a'], ARRAY['json'], ARRAY['1'::jsonb, '2'], ARRAY[NULL::bytea])$$,
                 'LG002', NULL, '_check_payload rejects a long values array with LG002');
SELECT throws_ok($$SELECT langgraph._check_payload('write', ARRAY['a'], ARRAY['json'], ARRAY['1'::jsonb], '{}')$$,
                 'LG002', NULL, '_check_payload rejects a short blobs array with LG002');
SELECT throws_ok($$SELECT langgraph._check_payload('write', ARRAY['a', 'b'], ARRAY['json', 'json'], ARRAY['1'::jsonb, NULL], ARRAY[NULL::bytea, NULL])$$,
                 'LG002', 'write element 2 is malformed', '_check_payload names the first malformed element (json without a value)');
SELECT throws_ok($$SELECT langgraph._check_payload('write', ARRAY['a'], ARRAY['json'], ARRAY['1'::jsonb], ARRAY['\x01'::bytea])$$,
                 'LG002', NULL, '_check_payload rejects json with bytes as well');
SELECT throws_ok($$SELECT langgraph._check_payload('write', ARRAY['a'], ARRAY['empty'], ARRAY['1'::jsonb], ARRAY[NULL::bytea])$$,
                 'LG002', NULL, '_check_payload rejects empty with a value');
SELECT throws_ok($$SELECT langgraph._check_payload('write', ARRAY['a'], ARRAY['msgpack'], ARRAY[NULL::jsonb], ARRAY[NULL::bytea])$$,
                 'LG002', NULL, '_check_payload rejects a serializer type without bytes');
SELECT throws_ok($$SELECT langgraph._check_payload('write', ARRAY[NULL], ARRAY['json'], ARRAY['1'::jsonb], ARRAY[NULL::bytea])$$,
                 'LG002', NULL, '_check_payload rejects a NULL name');
SELECT throws_ok($$SELECT langgraph._check_payload('write', ARRAY[''], ARRAY['json'], ARRAY['1'::jsonb], ARRAY[NULL::bytea])$$,
                 'LG002', NULL, '_check_payload rejects an empty name');
SELECT throws_ok($$SELECT langgraph._check_payload('write', ARRAY['a'], ARRAY[NULL], ARRAY['1'::jsonb], ARRAY[NULL::bytea])$$,
                 'LG002', NULL, '_check_payload rejects a NULL type');
SELECT throws_ok($$SELECT langgraph._check_payload('write', ARRAY['a'], ARRAY[''], ARRAY[NULL::jsonb], ARRAY['\x01'::bytea])$$,
                 'LG002', NULL, '_check_payload rejects an empty type');

SELECT * FROM finish();
ROLLBACK;
