-- pgTAP tests for the function__to_document change: render a checkpoint tuple as one JSONB document.
BEGIN;
SELECT plan(29);

-- Structure ------------------------------------------------------------------
SELECT has_function('langgraph', '_value_document', ARRAY['text', 'jsonb', 'bytea'], '_value_document(text, jsonb, bytea) exists');
SELECT function_returns('langgraph', '_value_document', ARRAY['text', 'jsonb', 'bytea'], 'jsonb', '_value_document returns jsonb');
SELECT function_lang_is('langgraph', '_value_document', ARRAY['text', 'jsonb', 'bytea'], 'sql', '_value_document is written in sql');
SELECT volatility_is('langgraph', '_value_document', ARRAY['text', 'jsonb', 'bytea'], 'immutable', '_value_document is IMMUTABLE');
SELECT isnt_definer('langgraph', '_value_document', ARRAY['text', 'jsonb', 'bytea'], '_value_document is not SECURITY DEFINER (internal, runs as its caller)');
SELECT function_privs_are('langgraph', '_value_document', ARRAY['text', 'jsonb', 'bytea'], 'public', ARRAY[]::text[], 'PUBLIC cannot call _value_document');
SELECT function_privs_are('langgraph', '_value_document', ARRAY['text', 'jsonb', 'bytea'], 'langgraph_client', ARRAY[]::text[], 'the client role cannot call _value_document');
SELECT function_privs_are('langgraph', '_value_document', ARRAY['text', 'jsonb', 'bytea'], 'langgraph_reader', ARRAY[]::text[], 'the reader role cannot call _value_document');
SELECT has_function('langgraph', '_to_document', ARRAY['langgraph.checkpoint_tuples'], '_to_document(langgraph.checkpoint_tuples) exists');
SELECT function_returns('langgraph', '_to_document', ARRAY['langgraph.checkpoint_tuples'], 'jsonb', '_to_document returns jsonb');
SELECT function_lang_is('langgraph', '_to_document', ARRAY['langgraph.checkpoint_tuples'], 'sql', '_to_document is written in sql');
SELECT volatility_is('langgraph', '_to_document', ARRAY['langgraph.checkpoint_tuples'], 'immutable', '_to_document is IMMUTABLE');
SELECT isnt_definer('langgraph', '_to_document', ARRAY['langgraph.checkpoint_tuples'], '_to_document is not SECURITY DEFINER (internal, runs as its caller)');
SELECT function_privs_are('langgraph', '_to_document', ARRAY['langgraph.checkpoint_tuples'], 'public', ARRAY[]::text[], 'PUBLIC cannot call _to_document');
SELECT function_privs_are('langgraph', '_to_document', ARRAY['langgraph.checkpoint_tuples'], 'langgraph_client', ARRAY[]::text[], 'the client role cannot call _to_document');
SELECT function_privs_are('langgraph', '_to_document', ARRAY['langgraph.checkpoint_tuples'], 'langgraph_reader', ARRAY[]::text[], 'the reader role cannot call _to_document');

-- Behaviour: _value_document -----------------------------------------------------
SELECT is(langgraph._value_document('json', '{"x": [1, 2]}', NULL), '{"x": [1, 2]}'::jsonb, 'type json renders as the value itself');
SELECT is(langgraph._value_document('json', 'null', NULL), 'null'::jsonb, 'JSON null stays JSON null');
SELECT is(langgraph._value_document('empty', NULL, NULL), NULL::jsonb, 'type empty renders as SQL NULL');
SELECT is(langgraph._value_document('msgpack', NULL, '\x0102ff'), '{"$type": "msgpack", "$base64": "AQL/"}'::jsonb,
          'serializer bytes render as {"$type", "$base64"}');
SELECT is(langgraph._value_document('bytes', NULL, decode(repeat('ab', 100), 'hex')) ->> '$base64',
          replace(encode(decode(repeat('ab', 100), 'hex'), 'base64'), E'\n', ''),
          'long base64 has no line breaks');

-- Behaviour: _to_document ----------------------------------------------------------
SELECT langgraph.put_checkpoint('pgtap-to-document-1', '', 'cp-0001', NULL, '{"channel_versions": {"a": "1"}}', '{}',
    ARRAY['a'], ARRAY['json'], ARRAY['"a1"'::jsonb], ARRAY[NULL::bytea]);
SELECT langgraph.put_checkpoint('pgtap-to-document-1', '', 'cp-0002', 'cp-0001',
    '{"v": 4, "id": "cp-0002", "channel_versions": {"a": "1", "b": "1", "e": "1"}}', '{"step": 0}',
    ARRAY['b', 'e'], ARRAY['msgpack', 'empty'], ARRAY[NULL::jsonb, NULL], ARRAY['\x0102ff'::bytea, NULL]);
SELECT langgraph.put_writes('pgtap-to-document-1', '', 'cp-0002', 'task-b', ARRAY['a'], ARRAY['json'], ARRAY['"w2"'::jsonb], ARRAY[NULL::bytea], 'p');
SELECT langgraph.put_writes('pgtap-to-document-1', '', 'cp-0002', 'task-a', ARRAY['b'], ARRAY['msgpack'], ARRAY[NULL::jsonb], ARRAY['\xff'::bytea], 'p');

CREATE TEMP TABLE pgtap_to_document AS
SELECT langgraph._to_document(t) AS doc FROM langgraph.checkpoint_tuples AS t
WHERE t.thread_id = 'pgtap-to-document-1' AND t.checkpoint_id = 'cp-0002';
SELECT is((SELECT array_agg(k ORDER BY k) FROM pgtap_to_document, jsonb_object_keys(doc) AS k),
          ARRAY['checkpoint', 'checkpoint_id', 'checkpoint_ns', 'created_at', 'metadata', 'parent_checkpoint_id',
                'pending_writes', 'state', 'thread_id'],
          'the document has exactly the documented keys');
SELECT is((SELECT doc - 'created_at' - 'state' - 'pending_writes' FROM pgtap_to_document),
          '{"thread_id": "pgtap-to-document-1", "checkpoint_ns": "", "checkpoint_id": "cp-0002", "parent_checkpoint_id": "cp-0001",
            "metadata": {"step": 0}, "checkpoint": {"v": 4, "id": "cp-0002", "channel_versions": {"a": "1", "b": "1", "e": "1"}}}'::jsonb,
          'ids, metadata and checkpoint document pass through');
SELECT is((SELECT doc -> 'state' FROM pgtap_to_document),
          '{"a": "a1", "b": {"$type": "msgpack", "$base64": "AQL/"}}'::jsonb,
          'state maps channels to values; bytes as {"$type", "$base64"}; empty channels are left out');
SELECT is((SELECT doc -> 'pending_writes' FROM pgtap_to_document),
          '[{"task_id": "task-a", "channel": "b", "value": {"$type": "msgpack", "$base64": "/w=="}, "task_path": "p"},
            {"task_id": "task-b", "channel": "a", "value": "w2", "task_path": "p"}]'::jsonb,
          'pending_writes in (task_path, task_id, idx) order');
SELECT is((SELECT (doc ->> 'created_at')::timestamptz FROM pgtap_to_document), now(), 'created_at is the checkpoint''s timestamp');
SELECT is((SELECT langgraph._to_document(t) -> 'state' FROM langgraph.checkpoint_tuples AS t
           WHERE t.thread_id = 'pgtap-to-document-1' AND t.checkpoint_id = 'cp-0001'),
          '{"a": "a1"}'::jsonb, 'a root checkpoint renders too');
SELECT is((SELECT langgraph._to_document(t) -> 'pending_writes' FROM langgraph.checkpoint_tuples AS t
           WHERE t.thread_id = 'pgtap-to-document-1' AND t.checkpoint_id = 'cp-0001'),
          '[]'::jsonb, 'no pending writes render as an empty array');
SELECT is((SELECT langgraph._to_document(t) -> 'parent_checkpoint_id' FROM langgraph.checkpoint_tuples AS t
           WHERE t.thread_id = 'pgtap-to-document-1' AND t.checkpoint_id = 'cp-0001'),
          'null'::jsonb, 'a root has a JSON null parent');

SELECT * FROM finish();
ROLLBACK;
