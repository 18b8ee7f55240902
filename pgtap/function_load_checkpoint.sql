-- pgTAP tests for the function_load_checkpoint change: JSONB API: load a checkpoint as one document.
BEGIN;
SELECT plan(27);

-- Structure ------------------------------------------------------------------
SELECT has_function('langgraph', 'load_checkpoint', ARRAY['text', 'text', 'text'], 'load_checkpoint(text, text, text) exists');
SELECT function_returns('langgraph', 'load_checkpoint', ARRAY['text', 'text', 'text'], 'jsonb', 'load_checkpoint returns jsonb');
SELECT function_lang_is('langgraph', 'load_checkpoint', ARRAY['text', 'text', 'text'], 'plpgsql', 'load_checkpoint is written in plpgsql');
SELECT volatility_is('langgraph', 'load_checkpoint', ARRAY['text', 'text', 'text'], 'stable', 'load_checkpoint is STABLE');
SELECT is_definer('langgraph', 'load_checkpoint', ARRAY['text', 'text', 'text'], 'load_checkpoint is SECURITY DEFINER');
SELECT ok((SELECT 'search_path=langgraph, pg_temp' = ANY (proconfig) FROM pg_proc WHERE oid = 'langgraph.load_checkpoint(text, text, text)'::regprocedure),
          'load_checkpoint pins search_path to its schema and pg_temp');
SELECT function_privs_are('langgraph', 'load_checkpoint', ARRAY['text', 'text', 'text'], 'public', ARRAY[]::text[], 'PUBLIC cannot call load_checkpoint');
SELECT function_privs_are('langgraph', 'load_checkpoint', ARRAY['text', 'text', 'text'], 'langgraph_reader', ARRAY['EXECUTE'], 'the reader role may call load_checkpoint');
SELECT function_privs_are('langgraph', 'load_checkpoint', ARRAY['text', 'text', 'text'], 'langgraph_client', ARRAY['EXECUTE'], 'the client role may call load_checkpoint');
SELECT ok(has_function_privilege('langgraph_client', 'langgraph.load_checkpoint(text, text, text)', 'execute'),
          'has_function_privilege agrees: the client role may call load_checkpoint');
SELECT ok(obj_description('langgraph.load_checkpoint(text, text, text)'::regprocedure, 'pg_proc') ~ 'Raises', 'the comment on load_checkpoint names what it raises');

-- Behaviour ------------------------------------------------------------------
SELECT langgraph.put_checkpoint('pgtap-load-checkpoint-1', '', 'cp-0001', NULL, '{"channel_versions": {"a": "1"}}', '{"step": -1}',
    ARRAY['a'], ARRAY['json'], ARRAY['"a1"'::jsonb], ARRAY[NULL::bytea]);
SELECT langgraph.put_checkpoint('pgtap-load-checkpoint-1', '', 'cp-0002', 'cp-0001',
    '{"channel_versions": {"a": "1", "b": "1"}}', '{"step": 0}',
    ARRAY['b'], ARRAY['msgpack'], ARRAY[NULL::jsonb], ARRAY['\x0102ff'::bytea]);
SELECT langgraph.put_checkpoint('pgtap-load-checkpoint-1', 'child:1', 'cp-0003', NULL, '{}', '{"step": 5}');
SELECT langgraph.put_writes('pgtap-load-checkpoint-1', '', 'cp-0002', 'task-a', ARRAY['a'], ARRAY['json'], ARRAY['"w"'::jsonb], ARRAY[NULL::bytea], 'p');

SELECT is(langgraph.load_checkpoint('pgtap-load-checkpoint-1') ->> 'checkpoint_id', 'cp-0002', 'without an id: the latest checkpoint');
SELECT is(langgraph.load_checkpoint('pgtap-load-checkpoint-1', 'cp-0001') ->> 'checkpoint_id', 'cp-0001', 'by id: that checkpoint');
SELECT is((SELECT array_agg(k ORDER BY k) FROM jsonb_object_keys(langgraph.load_checkpoint('pgtap-load-checkpoint-1')) AS k),
          ARRAY['checkpoint', 'checkpoint_id', 'checkpoint_ns', 'created_at', 'metadata', 'parent_checkpoint_id',
                'pending_writes', 'state', 'thread_id'],
          'the document has exactly the documented keys');
SELECT is(langgraph.load_checkpoint('pgtap-load-checkpoint-1') - 'created_at',
          '{"thread_id": "pgtap-load-checkpoint-1", "checkpoint_ns": "", "checkpoint_id": "cp-0002", "parent_checkpoint_id": "cp-0001",
            "metadata": {"step": 0}, "checkpoint": {"channel_versions": {"a": "1", "b": "1"}},
            "state": {"a": "a1", "b": {"$type": "msgpack", "$base64": "AQL/"}},
            "pending_writes": [{"task_id": "task-a", "channel": "a", "value": "w", "task_path": "p"}]}'::jsonb,
          'the whole document: state with binary values as {"$type", "$base64"}, pending writes');
SELECT is(langgraph.load_checkpoint('pgtap-load-checkpoint-1', p_checkpoint_ns => 'child:1') ->> 'checkpoint_id', 'cp-0003',
          'the namespace selects the subgraph');
SELECT is(langgraph.load_checkpoint('pgtap-load-checkpoint-unknown'), NULL::jsonb, 'a thread without checkpoints: NULL');
SELECT is(langgraph.load_checkpoint('pgtap-load-checkpoint-1', NULL, 'child:unknown'), NULL::jsonb, 'an empty namespace: NULL');

-- Errors ---------------------------------------------------------------------
SELECT throws_ok($$SELECT langgraph.load_checkpoint('pgtap-load-checkpoint-1', 'cp-unknown')$$, 'LG004', NULL, 'LG004: unknown checkpoint id');
SELECT throws_ok($$SELECT langgraph.load_checkpoint('pgtap-load-checkpoint-1', 'cp-0001', 'child:1')$$, 'LG004', NULL,
                 'LG004: an id from another namespace');
SELECT throws_ok($$SELECT langgraph.load_checkpoint('pgtap-load-checkpoint-unknown', 'cp-0001')$$, 'LG004', NULL,
                 'LG004: an id in an unknown thread');
SELECT throws_ok($$SELECT langgraph.load_checkpoint(NULL)$$, 'LG001', NULL, 'LG001: NULL thread_id');
SELECT throws_ok($$SELECT langgraph.load_checkpoint('')$$, 'LG001', NULL, 'LG001: empty thread_id');
SELECT throws_ok($$SELECT langgraph.load_checkpoint(repeat('t', 1025))$$, 'LG001', NULL, 'LG001: thread_id over 1024 characters');
SELECT throws_ok($$SELECT langgraph.load_checkpoint('pgtap-load-checkpoint-1', '')$$, 'LG001', NULL, 'LG001: empty checkpoint_id');
SELECT throws_ok($$SELECT langgraph.load_checkpoint('pgtap-load-checkpoint-1', NULL, NULL)$$, 'LG001', NULL, 'LG001: NULL namespace');

-- Privileges, as a reader login ------------------------------------------------
CREATE ROLE pgtap_load_checkpoint_ro LOGIN;
GRANT langgraph_reader TO pgtap_load_checkpoint_ro;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA pg_temp TO pgtap_load_checkpoint_ro;
GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA pg_temp TO pgtap_load_checkpoint_ro;
SET ROLE pgtap_load_checkpoint_ro;
SELECT is(langgraph.load_checkpoint('pgtap-load-checkpoint-1') ->> 'checkpoint_id', 'cp-0002', 'a reader login can call load_checkpoint');
RESET ROLE;

SELECT * FROM finish();
ROLLBACK;
