-- pgTAP tests for the function_put_writes change: store a task's pending writes.
BEGIN;
SELECT plan(48);

-- Structure ------------------------------------------------------------------
SELECT has_function('langgraph', 'put_writes', ARRAY['text', 'text', 'text', 'text', 'text[]', 'text[]', 'jsonb[]', 'bytea[]', 'text'], 'put_writes(text, text, text, text, text[], text[], jsonb[], bytea[], text) exists');
SELECT function_returns('langgraph', 'put_writes', ARRAY['text', 'text', 'text', 'text', 'text[]', 'text[]', 'jsonb[]', 'bytea[]', 'text'], 'integer', 'put_writes returns integer');
SELECT function_lang_is('langgraph', 'put_writes', ARRAY['text', 'text', 'text', 'text', 'text[]', 'text[]', 'jsonb[]', 'bytea[]', 'text'], 'plpgsql', 'put_writes is written in plpgsql');
SELECT volatility_is('langgraph', 'put_writes', ARRAY['text', 'text', 'text', 'text', 'text[]', 'text[]', 'jsonb[]', 'bytea[]', 'text'], 'volatile', 'put_writes is VOLATILE');
SELECT is_definer('langgraph', 'put_writes', ARRAY['text', 'text', 'text', 'text', 'text[]', 'text[]', 'jsonb[]', 'bytea[]', 'text'], 'put_writes is SECURITY DEFINER');
SELECT ok((SELECT 'search_path=langgraph, pg_temp' = ANY (proconfig) FROM pg_proc WHERE oid = 'langgraph.put_writes(text, text, text, text, text[], text[], jsonb[], bytea[], text)'::regprocedure),
          'put_writes pins search_path to its schema and pg_temp');
SELECT function_privs_are('langgraph', 'put_writes', ARRAY['text', 'text', 'text', 'text', 'text[]', 'text[]', 'jsonb[]', 'bytea[]', 'text'], 'public', ARRAY[]::text[], 'PUBLIC cannot call put_writes');
SELECT function_privs_are('langgraph', 'put_writes', ARRAY['text', 'text', 'text', 'text', 'text[]', 'text[]', 'jsonb[]', 'bytea[]', 'text'], 'langgraph_reader', ARRAY[]::text[], 'the reader role cannot call put_writes');
SELECT function_privs_are('langgraph', 'put_writes', ARRAY['text', 'text', 'text', 'text', 'text[]', 'text[]', 'jsonb[]', 'bytea[]', 'text'], 'langgraph_client', ARRAY['EXECUTE'], 'the client role may call put_writes');
SELECT ok(has_function_privilege('langgraph_client', 'langgraph.put_writes(text, text, text, text, text[], text[], jsonb[], bytea[], text)', 'execute'),
          'has_function_privilege agrees: the client role may call put_writes');
SELECT ok(obj_description('langgraph.put_writes(text, text, text, text, text[], text[], jsonb[], bytea[], text)'::regprocedure, 'pg_proc') ~ 'Raises', 'the comment on put_writes names what it raises');

-- Behaviour ------------------------------------------------------------------
SELECT langgraph.put_checkpoint('pgtap-put-writes-1', '', 'cp-0001', NULL, '{}');

SELECT is(langgraph.put_writes('pgtap-put-writes-1', '', 'cp-0001', 'task-a',
              ARRAY['x', 'y'], ARRAY['json', 'msgpack'], ARRAY['1'::jsonb, NULL], ARRAY[NULL, '\x0a'::bytea], 'path:1'),
          2, 'put_writes returns the number of rows stored');
SELECT is((SELECT array_agg(ROW(idx, channel, type, value, blob, task_path)::text ORDER BY idx)
           FROM langgraph.checkpoint_writes WHERE thread_id = 'pgtap-put-writes-1' AND task_id = 'task-a'),
          ARRAY[ROW(0, 'x', 'json', '1'::jsonb, NULL::bytea, 'path:1')::text,
                ROW(1, 'y', 'msgpack', NULL::jsonb, '\x0a'::bytea, 'path:1')::text],
          'regular writes take idx 0..n-1 in the order given');
SELECT is(langgraph.put_writes('pgtap-put-writes-1', '', 'cp-0001', 'task-a',
              ARRAY['x', 'y'], ARRAY['json', 'json'], ARRAY['"retry"'::jsonb, '"retry"'], ARRAY[NULL::bytea, NULL]),
          0, 'a retried task stores nothing new');
SELECT is((SELECT array_agg(value ORDER BY idx) FROM langgraph.checkpoint_writes
           WHERE thread_id = 'pgtap-put-writes-1' AND task_id = 'task-a'),
          ARRAY['1'::jsonb, NULL], 'the first attempt''s writes are kept (idempotent per (task_id, idx))');
SELECT is(langgraph.put_writes('pgtap-put-writes-1', '', 'cp-0001', 'task-a',
              ARRAY['x', 'y', 'z'], ARRAY['json', 'json', 'json'], ARRAY['"r"'::jsonb, '"r"', '"new"'], ARRAY[NULL::bytea, NULL, NULL]),
          1, 'a retry with one more write stores only the new slot');

-- Special writes: fixed negative slots, replaced on retry.
SELECT is(langgraph.put_writes('pgtap-put-writes-1', '', 'cp-0001', 'task-b',
              ARRAY['__error__'], ARRAY['json'], ARRAY['"first error"'::jsonb], ARRAY[NULL::bytea]),
          1, 'an __error__ write is stored');
SELECT is((SELECT idx FROM langgraph.checkpoint_writes WHERE thread_id = 'pgtap-put-writes-1' AND task_id = 'task-b'), -1,
          '__error__ takes idx -1');
SELECT is(langgraph.put_writes('pgtap-put-writes-1', '', 'cp-0001', 'task-b',
              ARRAY['__error__'], ARRAY['msgpack'], ARRAY[NULL::jsonb], ARRAY['\x0e'::bytea], 'path:2'),
          1, 'a retried __error__ write is replaced');
SELECT is((SELECT array_agg(ROW(idx, type, value, blob, task_path)::text) FROM langgraph.checkpoint_writes
           WHERE thread_id = 'pgtap-put-writes-1' AND task_id = 'task-b'),
          ARRAY[ROW(-1, 'msgpack', NULL::jsonb, '\x0e'::bytea, 'path:2')::text], 'the latest attempt''s error is the one stored');
SELECT is(langgraph.put_writes('pgtap-put-writes-1', '', 'cp-0001', 'task-c',
              ARRAY['__resume__', '__interrupt__', '__scheduled__', '__error__'], ARRAY['json', 'json', 'json', 'json'],
              ARRAY['"r"'::jsonb, '"i"', '"s"', '"e"'], ARRAY[NULL::bytea, NULL, NULL, NULL]),
          4, 'all four special writes are stored');
SELECT is((SELECT array_agg(ROW(idx, channel)::text ORDER BY idx DESC) FROM langgraph.checkpoint_writes
           WHERE thread_id = 'pgtap-put-writes-1' AND task_id = 'task-c'),
          ARRAY[ROW(-1, '__error__')::text, ROW(-2, '__scheduled__')::text, ROW(-3, '__interrupt__')::text, ROW(-4, '__resume__')::text],
          '__error__ -1, __scheduled__ -2, __interrupt__ -3, __resume__ -4');
SELECT is(langgraph.put_writes('pgtap-put-writes-1', '', 'cp-0001', 'task-d',
              ARRAY['__interrupt__', '__interrupt__'], ARRAY['json', 'json'], ARRAY['"one"'::jsonb, '"two"'], ARRAY[NULL::bytea, NULL]),
          1, 'two writes to one special slot in one call store one row');
SELECT is((SELECT value FROM langgraph.checkpoint_writes WHERE thread_id = 'pgtap-put-writes-1' AND task_id = 'task-d'),
          '"two"'::jsonb, 'the last of them wins');

-- A mixed list (regular and special) is insert-only.
SELECT is(langgraph.put_writes('pgtap-put-writes-1', '', 'cp-0001', 'task-e',
              ARRAY['x', '__interrupt__'], ARRAY['json', 'json'], ARRAY['1'::jsonb, '"i1"'], ARRAY[NULL::bytea, NULL]),
          2, 'a mixed list is stored');
SELECT is((SELECT array_agg(idx ORDER BY idx) FROM langgraph.checkpoint_writes WHERE thread_id = 'pgtap-put-writes-1' AND task_id = 'task-e'),
          ARRAY[-3, 0], 'in a mixed list the special write keeps its slot and the regular one its position');
SELECT is(langgraph.put_writes('pgtap-put-writes-1', '', 'cp-0001', 'task-e',
              ARRAY['x', '__interrupt__'], ARRAY['json', 'json'], ARRAY['2'::jsonb, '"i2"'], ARRAY[NULL::bytea, NULL]),
          0, 'a retried mixed list stores nothing');
SELECT is((SELECT array_agg(value ORDER BY idx) FROM langgraph.checkpoint_writes WHERE thread_id = 'pgtap-put-writes-1' AND task_id = 'task-e'),
          ARRAY['"i1"'::jsonb, '1'], 'and replaces nothing');

-- Edge cases.
SELECT is(langgraph.put_writes('pgtap-put-writes-2', '', 'cp-0001', 'task-a', '{}', '{}', '{}', '{}'), 0,
          'an empty list stores nothing');
SELECT is((SELECT count(*) FROM langgraph.threads WHERE thread_id = 'pgtap-put-writes-2'), 0::bigint,
          'an empty list does not create the thread');
SELECT is(langgraph.put_writes('pgtap-put-writes-3', 'child:1', 'cp-not-yet-saved', 'task-a',
              ARRAY['x'], ARRAY['json'], ARRAY['1'::jsonb], ARRAY[NULL::bytea]),
          1, 'writes may arrive before their checkpoint (async durability)');
SELECT is((SELECT ROW(checkpoint_ns, task_path)::text FROM langgraph.checkpoint_writes WHERE thread_id = 'pgtap-put-writes-3'),
          ROW('child:1', '')::text, 'the namespace is stored and task_path defaults to the empty path');
SELECT is((SELECT count(*) FROM langgraph.threads WHERE thread_id = 'pgtap-put-writes-3'), 1::bigint,
          'the first write creates the thread row');

-- Errors ---------------------------------------------------------------------
CREATE TEMP TABLE pgtap_put_writes_before AS
SELECT count(*) AS n FROM langgraph.checkpoint_writes WHERE thread_id LIKE 'pgtap-put-writes-%';
SELECT throws_ok($$SELECT langgraph.put_writes(NULL, '', 'cp-0001', 't', ARRAY['x'], ARRAY['json'], ARRAY['1'::jsonb], ARRAY[NULL::bytea])$$,
                 'LG001', NULL, 'LG001: NULL thread_id');
SELECT throws_ok($$SELECT langgraph.put_writes('', '', 'cp-0001', 't', ARRAY['x'], ARRAY['json'], ARRAY['1'::jsonb], ARRAY[NULL::bytea])$$,
                 'LG001', NULL, 'LG001: empty thread_id');
SELECT throws_ok($$SELECT langgraph.put_writes(repeat('t', 1025), '', 'cp-0001', 't', ARRAY['x'], ARRAY['json'], ARRAY['1'::jsonb], ARRAY[NULL::bytea])$$,
                 'LG001', NULL, 'LG001: thread_id over 1024 characters');
SELECT throws_ok($$SELECT langgraph.put_writes('pgtap-put-writes-1', NULL, 'cp-0001', 't', ARRAY['x'], ARRAY['json'], ARRAY['1'::jsonb], ARRAY[NULL::bytea])$$,
                 'LG001', NULL, 'LG001: NULL checkpoint_ns');
SELECT throws_ok($$SELECT langgraph.put_writes('pgtap-put-writes-1', '', '', 't', ARRAY['x'], ARRAY['json'], ARRAY['1'::jsonb], ARRAY[NULL::bytea])$$,
                 'LG001', NULL, 'LG001: empty checkpoint_id');
SELECT throws_ok($$SELECT langgraph.put_writes('pgtap-put-writes-1', '', 'cp-0001', NULL, ARRAY['x'], ARRAY['json'], ARRAY['1'::jsonb], ARRAY[NULL::bytea])$$,
                 'LG001', NULL, 'LG001: NULL task_id');
SELECT throws_ok($$SELECT langgraph.put_writes('pgtap-put-writes-1', '', 'cp-0001', repeat('t', 1025), ARRAY['x'], ARRAY['json'], ARRAY['1'::jsonb], ARRAY[NULL::bytea])$$,
                 'LG001', NULL, 'LG001: task_id over 1024 characters');
SELECT throws_ok($$SELECT langgraph.put_writes('pgtap-put-writes-1', '', 'cp-0001', 't', ARRAY['x'], ARRAY['json'], ARRAY['1'::jsonb], ARRAY[NULL::bytea], NULL)$$,
                 'LG001', 'task_path must not be NULL', 'LG001: NULL task_path');
SELECT throws_ok($$SELECT langgraph.put_writes('pgtap-put-writes-1', '', 'cp-0001', 't', NULL, NULL, NULL, NULL)$$,
                 'LG002', NULL, 'LG002: NULL arrays');
SELECT throws_ok($$SELECT langgraph.put_writes('pgtap-put-writes-1', '', 'cp-0001', 't', ARRAY['x', 'y'], ARRAY['json'], ARRAY['1'::jsonb], ARRAY[NULL::bytea])$$,
                 'LG002', NULL, 'LG002: arrays of different lengths');
SELECT throws_ok($$SELECT langgraph.put_writes('pgtap-put-writes-1', '', 'cp-0001', 't', ARRAY['x'], ARRAY['empty'], ARRAY['1'::jsonb], ARRAY[NULL::bytea])$$,
                 'LG002', NULL, 'LG002: a malformed element');
-- LG008: the thread was deleted while a run still had writes in flight for one of its checkpoints.
SELECT langgraph.put_checkpoint('pgtap-put-writes-4', '', 'cp-0001', NULL, '{}');
SELECT langgraph.delete_thread('pgtap-put-writes-4');
SELECT throws_ok($$SELECT langgraph.put_writes('pgtap-put-writes-4', '', 'cp-0001', 't', ARRAY['x'], ARRAY['json'], ARRAY['1'::jsonb], ARRAY[NULL::bytea])$$,
                 'LG008', NULL, 'LG008: a late write for a checkpoint of a deleted thread');
SELECT is((SELECT count(*) FROM langgraph.threads WHERE thread_id = 'pgtap-put-writes-4'), 0::bigint,
          'the refused late write did not recreate the thread');
SELECT is((SELECT count(*) FROM langgraph.checkpoint_writes WHERE thread_id LIKE 'pgtap-put-writes-%'),
          (SELECT n FROM pgtap_put_writes_before), 'the rejected calls stored nothing');

-- Privileges, as a reader login ------------------------------------------------
CREATE ROLE pgtap_put_writes_ro LOGIN;
GRANT langgraph_reader TO pgtap_put_writes_ro;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA pg_temp TO pgtap_put_writes_ro;
GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA pg_temp TO pgtap_put_writes_ro;
SET ROLE pgtap_put_writes_ro;
SELECT throws_ok($$SELECT langgraph.put_writes('pgtap-put-writes-1', '', 'cp-0001', 't', ARRAY['x'], ARRAY['json'], ARRAY['1'::jsonb], ARRAY[NULL::bytea])$$,
                 '42501', NULL, 'a reader login cannot call put_writes');
RESET ROLE;

SELECT * FROM finish();
ROLLBACK;
