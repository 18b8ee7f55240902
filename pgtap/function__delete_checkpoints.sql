-- pgTAP tests for the function__delete_checkpoints change: delete checkpoints with their writes and orphaned values.
BEGIN;
SELECT plan(17);

-- Structure ------------------------------------------------------------------
SELECT has_function('langgraph', '_delete_checkpoints', ARRAY['text', 'text', 'text[]'], '_delete_checkpoints(text, text, text[]) exists');
SELECT function_returns('langgraph', '_delete_checkpoints', ARRAY['text', 'text', 'text[]'], 'bigint', '_delete_checkpoints returns bigint');
SELECT function_lang_is('langgraph', '_delete_checkpoints', ARRAY['text', 'text', 'text[]'], 'plpgsql', '_delete_checkpoints is written in plpgsql');
SELECT volatility_is('langgraph', '_delete_checkpoints', ARRAY['text', 'text', 'text[]'], 'volatile', '_delete_checkpoints is VOLATILE');
SELECT isnt_definer('langgraph', '_delete_checkpoints', ARRAY['text', 'text', 'text[]'], '_delete_checkpoints is not SECURITY DEFINER (internal, runs as its caller)');
SELECT function_privs_are('langgraph', '_delete_checkpoints', ARRAY['text', 'text', 'text[]'], 'public', ARRAY[]::text[], 'PUBLIC cannot call _delete_checkpoints');
SELECT function_privs_are('langgraph', '_delete_checkpoints', ARRAY['text', 'text', 'text[]'], 'langgraph_client', ARRAY[]::text[], 'the client role cannot call _delete_checkpoints');
SELECT function_privs_are('langgraph', '_delete_checkpoints', ARRAY['text', 'text', 'text[]'], 'langgraph_reader', ARRAY[]::text[], 'the reader role cannot call _delete_checkpoints');

-- Behaviour ------------------------------------------------------------------
SELECT langgraph.put_checkpoint('pgtap-delete-checkpoints-1', '', 'cp-0001', NULL, '{"channel_versions": {"a": "1", "b": "1"}}', '{}',
    ARRAY['a', 'b'], ARRAY['json', 'json'], ARRAY['"a1"'::jsonb, '"b1"'], ARRAY[NULL::bytea, NULL]);
SELECT langgraph.put_checkpoint('pgtap-delete-checkpoints-1', '', 'cp-0002', 'cp-0001', '{"channel_versions": {"a": "1", "b": "2"}}', '{}',
    ARRAY['b'], ARRAY['json'], ARRAY['"b2"'::jsonb], ARRAY[NULL::bytea]);
SELECT langgraph.put_checkpoint('pgtap-delete-checkpoints-1', '', 'cp-0003', 'cp-0002', '{"channel_versions": {"a": "1", "b": "3"}}', '{}',
    ARRAY['b'], ARRAY['json'], ARRAY['"b3"'::jsonb], ARRAY[NULL::bytea]);
SELECT langgraph.put_checkpoint('pgtap-delete-checkpoints-1', 'child:1', 'cp-0002', NULL, '{"channel_versions": {"b": "2"}}', '{}',
    ARRAY['b'], ARRAY['json'], ARRAY['"child"'::jsonb], ARRAY[NULL::bytea]);
SELECT langgraph.put_writes('pgtap-delete-checkpoints-1', '', 'cp-0002', 'task-a', ARRAY['b'], ARRAY['json'], ARRAY['"w"'::jsonb], ARRAY[NULL::bytea]);
SELECT langgraph.put_writes('pgtap-delete-checkpoints-1', '', 'cp-0003', 'task-a', ARRAY['b'], ARRAY['json'], ARRAY['"w"'::jsonb], ARRAY[NULL::bytea]);
SELECT langgraph.put_writes('pgtap-delete-checkpoints-1', 'child:1', 'cp-0002', 'task-a', ARRAY['b'], ARRAY['json'], ARRAY['"w"'::jsonb], ARRAY[NULL::bytea]);

SELECT is(langgraph._delete_checkpoints('pgtap-delete-checkpoints-1', '', ARRAY['cp-0002', 'cp-unknown']), 1::bigint,
          'returns the number of checkpoints deleted (unknown ids are ignored)');
SELECT is(ARRAY(SELECT checkpoint_id::text FROM langgraph.checkpoints WHERE thread_id = 'pgtap-delete-checkpoints-1' AND checkpoint_ns = '' ORDER BY 1),
          ARRAY['cp-0001', 'cp-0003'], 'the listed checkpoint is gone');
SELECT is((SELECT parent_checkpoint_id FROM langgraph.checkpoints WHERE thread_id = 'pgtap-delete-checkpoints-1' AND checkpoint_ns = '' AND checkpoint_id = 'cp-0003'),
          NULL, 'a checkpoint whose parent was deleted becomes a root');
SELECT is(ARRAY(SELECT checkpoint_ns || '/' || checkpoint_id FROM langgraph.checkpoint_writes WHERE thread_id = 'pgtap-delete-checkpoints-1' ORDER BY 1),
          ARRAY['/cp-0003', 'child:1/cp-0002'], 'its writes are gone; the same id in another namespace keeps its writes');
SELECT is(ARRAY(SELECT checkpoint_ns || '/' || channel || '@' || version FROM langgraph.checkpoint_blobs WHERE thread_id = 'pgtap-delete-checkpoints-1' ORDER BY 1),
          ARRAY['/a@1', '/b@1', '/b@3', 'child:1/b@2'], 'values nothing references any more are gone, the rest kept');
SELECT is(langgraph._delete_checkpoints('pgtap-delete-checkpoints-1', '', ARRAY['cp-0001', 'cp-0003']), 2::bigint, 'several ids at once');
SELECT is((SELECT count(*) FROM langgraph.checkpoint_blobs WHERE thread_id = 'pgtap-delete-checkpoints-1' AND checkpoint_ns = ''), 0::bigint,
          'with no checkpoint left in the namespace no value is left in it');
SELECT is((SELECT count(*) FROM langgraph.checkpoints WHERE thread_id = 'pgtap-delete-checkpoints-1' AND checkpoint_ns = 'child:1'), 1::bigint,
          'the other namespace is untouched');
SELECT is(langgraph._delete_checkpoints('pgtap-delete-checkpoints-1', '', '{}'), 0::bigint, 'an empty list deletes nothing');

SELECT * FROM finish();
ROLLBACK;
