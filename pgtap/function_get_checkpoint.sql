-- pgTAP tests for the function_get_checkpoint change: one checkpoint, latest or by id.
BEGIN;
SELECT plan(36);

-- Structure ------------------------------------------------------------------
SELECT has_function('langgraph', 'get_checkpoint', ARRAY['text', 'text', 'text'], 'get_checkpoint(text, text, text) exists');
SELECT function_returns('langgraph', 'get_checkpoint', ARRAY['text', 'text', 'text'], 'setof langgraph.checkpoint_tuples', 'get_checkpoint returns setof langgraph.checkpoint_tuples');
SELECT function_lang_is('langgraph', 'get_checkpoint', ARRAY['text', 'text', 'text'], 'plpgsql', 'get_checkpoint is written in plpgsql');
SELECT volatility_is('langgraph', 'get_checkpoint', ARRAY['text', 'text', 'text'], 'stable', 'get_checkpoint is STABLE');
SELECT is_definer('langgraph', 'get_checkpoint', ARRAY['text', 'text', 'text'], 'get_checkpoint is SECURITY DEFINER');
SELECT ok((SELECT 'search_path=langgraph, pg_temp' = ANY (proconfig) FROM pg_proc WHERE oid = 'langgraph.get_checkpoint(text, text, text)'::regprocedure),
          'get_checkpoint pins search_path to its schema and pg_temp');
SELECT function_privs_are('langgraph', 'get_checkpoint', ARRAY['text', 'text', 'text'], 'public', ARRAY[]::text[], 'PUBLIC cannot call get_checkpoint');
SELECT function_privs_are('langgraph', 'get_checkpoint', ARRAY['text', 'text', 'text'], 'langgraph_reader', ARRAY['EXECUTE'], 'the reader role may call get_checkpoint');
SELECT function_privs_are('langgraph', 'get_checkpoint', ARRAY['text', 'text', 'text'], 'langgraph_client', ARRAY['EXECUTE'], 'the client role may call get_checkpoint');
SELECT ok(has_function_privilege('langgraph_client', 'langgraph.get_checkpoint(text, text, text)', 'execute'),
          'has_function_privilege agrees: the client role may call get_checkpoint');
SELECT ok(obj_description('langgraph.get_checkpoint(text, text, text)'::regprocedure, 'pg_proc') ~ 'Raises', 'the comment on get_checkpoint names what it raises');

-- Behaviour ------------------------------------------------------------------
SELECT langgraph.put_checkpoint('pgtap-get-checkpoint-1', '', 'cp-0001', NULL,
    '{"channel_versions": {"a": "1", "b": "1"}}', '{"step": -1}',
    ARRAY['a', 'b'], ARRAY['json', 'msgpack'], ARRAY['"a1"'::jsonb, NULL], ARRAY[NULL, '\x0b01'::bytea]);
SELECT langgraph.put_checkpoint('pgtap-get-checkpoint-1', '', 'cp-0002', 'cp-0001',
    '{"channel_versions": {"a": "2", "b": "1"}}', '{"step": 0}',
    ARRAY['a'], ARRAY['json'], ARRAY['"a2"'::jsonb], ARRAY[NULL::bytea]);
SELECT langgraph.put_checkpoint('pgtap-get-checkpoint-1', '', 'cp-0003', 'cp-0002',
    '{"channel_versions": {"a": "2", "b": "1"}}', '{"step": 1}');
SELECT langgraph.put_checkpoint('pgtap-get-checkpoint-1', 'child:1', 'cp-0009', NULL, '{}', '{"step": 0}');
-- Writes against cp-0002, sent out of order: they come back in (task_path, task_id, idx) order.
SELECT langgraph.put_writes('pgtap-get-checkpoint-1', '', 'cp-0002', 'task-z',
    ARRAY['a', 'b'], ARRAY['json', 'json'], ARRAY['"z0"'::jsonb, '"z1"'], ARRAY[NULL::bytea, NULL], '~a');
SELECT langgraph.put_writes('pgtap-get-checkpoint-1', '', 'cp-0002', 'task-b',
    ARRAY['a'], ARRAY['json'], ARRAY['"b0"'::jsonb], ARRAY[NULL::bytea], '~b');
SELECT langgraph.put_writes('pgtap-get-checkpoint-1', '', 'cp-0002', 'task-a',
    ARRAY['a'], ARRAY['msgpack'], ARRAY[NULL::jsonb], ARRAY['\x0a'::bytea], '~b');

SELECT is((SELECT checkpoint_id FROM langgraph.get_checkpoint('pgtap-get-checkpoint-1')), 'cp-0003',
          'without an id the latest checkpoint of the root namespace is returned');
SELECT is((SELECT count(*) FROM langgraph.get_checkpoint('pgtap-get-checkpoint-1')), 1::bigint, 'exactly one row');
SELECT is((SELECT ROW(checkpoint_id, parent_checkpoint_id, metadata)::text FROM langgraph.get_checkpoint('pgtap-get-checkpoint-1', '', 'cp-0002')),
          ROW('cp-0002', 'cp-0001', '{"step": 0}'::jsonb)::text, 'by id: that checkpoint with its parent and metadata');
SELECT is((SELECT ROW(channel_names, channel_types, channel_values, channel_blobs)::text
           FROM langgraph.get_checkpoint('pgtap-get-checkpoint-1', '', 'cp-0002')),
          ROW(ARRAY['a', 'b'], ARRAY['json', 'msgpack'], ARRAY['"a2"'::jsonb, NULL], ARRAY[NULL, '\x0b01'::bytea])::text,
          'the channel values at that checkpoint''s versions, including one stored by an ancestor');
SELECT is((SELECT ROW(write_task_ids, write_channels, write_values, write_task_paths)::text
           FROM langgraph.get_checkpoint('pgtap-get-checkpoint-1', '', 'cp-0002')),
          ROW(ARRAY['task-z', 'task-z', 'task-a', 'task-b'], ARRAY['a', 'b', 'a', 'a'],
              ARRAY['"z0"'::jsonb, '"z1"', NULL, '"b0"'], ARRAY['~a', '~a', '~b', '~b'])::text,
          'pending writes are ordered by (task_path, task_id, idx)');
SELECT is((SELECT write_blobs FROM langgraph.get_checkpoint('pgtap-get-checkpoint-1', '', 'cp-0002')),
          ARRAY[NULL, NULL, '\x0a'::bytea, NULL], 'write bytes are parallel to the other write arrays');
SELECT is((SELECT ROW(write_task_ids, channel_values)::text FROM langgraph.get_checkpoint('pgtap-get-checkpoint-1', '', 'cp-0003')),
          ROW('{}'::text[], ARRAY['"a2"'::jsonb, NULL])::text, 'a checkpoint without writes has an empty write list');
SELECT is_empty($$SELECT * FROM langgraph.get_checkpoint('pgtap-get-checkpoint-1', '', 'cp-unknown')$$,
                'an unknown id returns no row');
SELECT is_empty($$SELECT * FROM langgraph.get_checkpoint('pgtap-get-checkpoint-unknown-thread')$$,
                'a thread without checkpoints returns no row');
SELECT is((SELECT checkpoint_id FROM langgraph.get_checkpoint('pgtap-get-checkpoint-1', 'child:1')), 'cp-0009',
          'the namespace selects the subgraph''s checkpoints');
SELECT is_empty($$SELECT * FROM langgraph.get_checkpoint('pgtap-get-checkpoint-1', 'child:1', 'cp-0001')$$,
                'an id from another namespace is not found');
SELECT is((SELECT checkpoint_id FROM langgraph.get_checkpoint(p_thread_id => 'pgtap-get-checkpoint-1', p_checkpoint_id => 'cp-0001')),
          'cp-0001', 'named arguments: p_checkpoint_ns defaults to the root namespace');

-- With compression on, a stored array may be a delta; the caller still gets the whole value.
SELECT langgraph.set_compression(true, 'pgtap-get-checkpoint-2');
SELECT langgraph.put_checkpoint('pgtap-get-checkpoint-2', '', 'cp-0001', NULL, '{"channel_versions": {"m": "1"}}', '{}',
    ARRAY['m'], ARRAY['json'], ARRAY['[1, 2, 3]'::jsonb], ARRAY[NULL::bytea]);
SELECT langgraph.put_checkpoint('pgtap-get-checkpoint-2', '', 'cp-0002', 'cp-0001', '{"channel_versions": {"m": "2"}}', '{}',
    ARRAY['m'], ARRAY['json'], ARRAY['[1, 2, 3, 4]'::jsonb], ARRAY[NULL::bytea]);
SELECT is((SELECT channel_values FROM langgraph.get_checkpoint('pgtap-get-checkpoint-2')), ARRAY['[1, 2, 3, 4]'::jsonb],
          'with compression on get_checkpoint returns the whole value of an appended array');

-- Errors ---------------------------------------------------------------------
SELECT throws_ok($$SELECT * FROM langgraph.get_checkpoint(NULL)$$, 'LG001', NULL, 'LG001: NULL thread_id');
SELECT throws_ok($$SELECT * FROM langgraph.get_checkpoint('')$$, 'LG001', NULL, 'LG001: empty thread_id');
SELECT throws_ok($$SELECT * FROM langgraph.get_checkpoint(repeat('t', 1025))$$, 'LG001', NULL, 'LG001: thread_id over 1024 characters');
SELECT throws_ok($$SELECT * FROM langgraph.get_checkpoint('pgtap-get-checkpoint-1', NULL)$$, 'LG001', NULL, 'LG001: NULL checkpoint_ns');
SELECT throws_ok($$SELECT * FROM langgraph.get_checkpoint('pgtap-get-checkpoint-1', '', '')$$, 'LG001', NULL, 'LG001: empty checkpoint_id');
SELECT throws_ok($$SELECT * FROM langgraph.get_checkpoint('pgtap-get-checkpoint-1', '', repeat('c', 1025))$$, 'LG001', NULL,
                 'LG001: checkpoint_id over 1024 characters');

-- Privileges, as a reader login ------------------------------------------------
CREATE ROLE pgtap_get_checkpoint_ro LOGIN;
GRANT langgraph_reader TO pgtap_get_checkpoint_ro;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA pg_temp TO pgtap_get_checkpoint_ro;
GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA pg_temp TO pgtap_get_checkpoint_ro;
SET ROLE pgtap_get_checkpoint_ro;
SELECT is((SELECT checkpoint_id FROM langgraph.get_checkpoint('pgtap-get-checkpoint-1')), 'cp-0003',
          'a reader login can call get_checkpoint');
SELECT throws_ok('SELECT * FROM langgraph.checkpoint_tuples', '42501', NULL, 'but cannot read the view directly');
RESET ROLE;

-- Plan shapes on 10,000 checkpoints ----------------------------------------------
-- Shared buffers of the call (its Function Scan counts the queries inside) on the long
-- thread (10,000 checkpoints) against the same call on the short one (10).
\ir fixtures/read_plan_thread.psql
ANALYZE langgraph.checkpoints;

SELECT cmp_ok(pg_temp.plan_buffers($$SELECT * FROM langgraph.get_checkpoint(pg_temp.plan_thread('long'))$$), '<=',
              pg_temp.plan_buffers($$SELECT * FROM langgraph.get_checkpoint(pg_temp.plan_thread('short'))$$) + 5,
              'plan: the latest checkpoint reads as many buffers on 10,000 checkpoints as on 10');
SELECT cmp_ok(pg_temp.plan_buffers($$SELECT * FROM langgraph.get_checkpoint(pg_temp.plan_thread('long'), '', pg_temp.plan_id(1005000))$$), '<=',
              pg_temp.plan_buffers($$SELECT * FROM langgraph.get_checkpoint(pg_temp.plan_thread('short'), '', pg_temp.plan_id(2000005))$$) + 5,
              'plan: a checkpoint by id reads as many buffers on 10,000 checkpoints as on 10');
SELECT cmp_ok(pg_temp.plan_buffers($$SELECT * FROM langgraph.get_checkpoint(pg_temp.plan_thread('long'), '', pg_temp.plan_id(1005000) || '-missing')$$), '<=',
              pg_temp.plan_buffers($$SELECT * FROM langgraph.get_checkpoint(pg_temp.plan_thread('short'), '', pg_temp.plan_id(2000005))$$) + 5,
              'plan: an id that does not exist costs one probe too');

-- JIT --------------------------------------------------------------------------
-- EXPLAIN reports JIT for the statement it explains, not for the queries a function
-- runs, so the setting itself is what is checked: a SET clause on the function
-- overrides any session's jit_above_cost.
SELECT ok((SELECT 'jit=off' = ANY (proconfig) FROM pg_proc WHERE oid = 'langgraph.get_checkpoint(text, text, text)'::regprocedure),
          'get_checkpoint runs with jit off');

SELECT * FROM finish();
ROLLBACK;
