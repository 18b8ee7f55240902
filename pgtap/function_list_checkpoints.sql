-- pgTAP tests for the function_list_checkpoints change: checkpoints newest first, filtered.
BEGIN;
SELECT plan(51);

-- Structure ------------------------------------------------------------------
SELECT has_function('langgraph', 'list_checkpoints', ARRAY['text', 'text', 'text', 'jsonb', 'text', 'integer'], 'list_checkpoints(text, text, text, jsonb, text, integer) exists');
SELECT function_returns('langgraph', 'list_checkpoints', ARRAY['text', 'text', 'text', 'jsonb', 'text', 'integer'], 'setof langgraph.checkpoint_tuples', 'list_checkpoints returns setof langgraph.checkpoint_tuples');
SELECT function_lang_is('langgraph', 'list_checkpoints', ARRAY['text', 'text', 'text', 'jsonb', 'text', 'integer'], 'plpgsql', 'list_checkpoints is written in plpgsql');
SELECT volatility_is('langgraph', 'list_checkpoints', ARRAY['text', 'text', 'text', 'jsonb', 'text', 'integer'], 'stable', 'list_checkpoints is STABLE');
SELECT is_definer('langgraph', 'list_checkpoints', ARRAY['text', 'text', 'text', 'jsonb', 'text', 'integer'], 'list_checkpoints is SECURITY DEFINER');
SELECT ok((SELECT 'search_path=langgraph, pg_temp' = ANY (proconfig) FROM pg_proc WHERE oid = 'langgraph.list_checkpoints(text, text, text, jsonb, text, integer)'::regprocedure),
          'list_checkpoints pins search_path to its schema and pg_temp');
SELECT function_privs_are('langgraph', 'list_checkpoints', ARRAY['text', 'text', 'text', 'jsonb', 'text', 'integer'], 'public', ARRAY[]::text[], 'PUBLIC cannot call list_checkpoints');
SELECT function_privs_are('langgraph', 'list_checkpoints', ARRAY['text', 'text', 'text', 'jsonb', 'text', 'integer'], 'langgraph_reader', ARRAY['EXECUTE'], 'the reader role may call list_checkpoints');
SELECT function_privs_are('langgraph', 'list_checkpoints', ARRAY['text', 'text', 'text', 'jsonb', 'text', 'integer'], 'langgraph_client', ARRAY['EXECUTE'], 'the client role may call list_checkpoints');
SELECT ok(has_function_privilege('langgraph_client', 'langgraph.list_checkpoints(text, text, text, jsonb, text, integer)', 'execute'),
          'has_function_privilege agrees: the client role may call list_checkpoints');
SELECT ok(obj_description('langgraph.list_checkpoints(text, text, text, jsonb, text, integer)'::regprocedure, 'pg_proc') ~ 'Raises', 'the comment on list_checkpoints names what it raises');

-- Behaviour ------------------------------------------------------------------
SELECT langgraph.put_checkpoint('pgtap-list-checkpoints-1', '', 'cp-0001', NULL, '{}', '{"step": -1, "source": "input", "pgtap_list": "run-a"}');
SELECT langgraph.put_checkpoint('pgtap-list-checkpoints-1', '', 'cp-0002', 'cp-0001', '{}', '{"step": 0, "source": "loop", "pgtap_list": "run-a"}');
SELECT langgraph.put_checkpoint('pgtap-list-checkpoints-1', '', 'cp-0003', 'cp-0002', '{}', '{"step": 1, "source": "loop", "pgtap_list": "run-b"}');
SELECT langgraph.put_checkpoint('pgtap-list-checkpoints-1', 'child:1', 'cp-0004', NULL, '{}', '{"step": 0, "source": "loop", "pgtap_list": "run-b"}');
SELECT langgraph.put_checkpoint('pgtap-list-checkpoints-2', '', 'cp-0005', NULL, '{}', '{"step": 0, "source": "input", "pgtap_list": "run-b"}');
SELECT langgraph.put_writes('pgtap-list-checkpoints-1', '', 'cp-0002', 'task-a', ARRAY['x'], ARRAY['json'], ARRAY['1'::jsonb], ARRAY[NULL::bytea]);

SELECT is(ARRAY(SELECT checkpoint_id::text FROM langgraph.list_checkpoints('pgtap-list-checkpoints-1')),
          ARRAY['cp-0004', 'cp-0003', 'cp-0002', 'cp-0001'], 'a thread''s checkpoints, newest first, every namespace');
SELECT is(ARRAY(SELECT checkpoint_id::text FROM langgraph.list_checkpoints('pgtap-list-checkpoints-1', '')),
          ARRAY['cp-0003', 'cp-0002', 'cp-0001'], 'the namespace filter keeps one namespace');
SELECT is(ARRAY(SELECT checkpoint_id::text FROM langgraph.list_checkpoints('pgtap-list-checkpoints-1', 'child:1')),
          ARRAY['cp-0004'], 'a subgraph namespace');
SELECT is(ARRAY(SELECT checkpoint_id::text FROM langgraph.list_checkpoints('pgtap-list-checkpoints-1', '', p_filter => '{"source": "loop"}')),
          ARRAY['cp-0003', 'cp-0002'], 'the metadata filter matches a key''s value');
SELECT is(ARRAY(SELECT checkpoint_id::text FROM langgraph.list_checkpoints('pgtap-list-checkpoints-1', '', p_filter => '{"source": "loop", "step": 1}')),
          ARRAY['cp-0003'], 'every key of the filter must match');
SELECT langgraph.put_checkpoint('pgtap-list-checkpoints-3', '', 'cp-0010', NULL, '{}', '{"tags": ["a", "b"], "nested": {"x": 1, "y": 2}, "__lg__": "user"}');
SELECT is_empty($$SELECT * FROM langgraph.list_checkpoints('pgtap-list-checkpoints-3', '', p_filter => '{"tags": ["a"]}')$$,
                'a filter value must equal the metadata''s, not be contained in it (InMemorySaver''s rule)');
SELECT is(ARRAY(SELECT checkpoint_id::text FROM langgraph.list_checkpoints('pgtap-list-checkpoints-3', '', p_filter => '{"nested": {"y": 2, "x": 1}, "tags": ["a", "b"]}')),
          ARRAY['cp-0010'], 'equal nested values match');
SELECT is(ARRAY(SELECT checkpoint_id::text FROM langgraph.list_checkpoints('pgtap-list-checkpoints-3', '', p_filter => '{"absent": null, "__lg__": "user"}')),
          ARRAY['cp-0010'], 'a null in the filter matches a missing key; the key __lg__ is a key like any other');
SELECT is_empty($$SELECT * FROM langgraph.list_checkpoints('pgtap-list-checkpoints-3', '', p_filter => '{"tags": null}')$$,
                'a null in the filter does not match a key that has a value');
SELECT is(ARRAY(SELECT checkpoint_id::text FROM langgraph.list_checkpoints('pgtap-list-checkpoints-1', '', p_filter => '{}')),
          ARRAY['cp-0003', 'cp-0002', 'cp-0001'], 'an empty filter matches everything');
SELECT is(ARRAY(SELECT checkpoint_id::text FROM langgraph.list_checkpoints('pgtap-list-checkpoints-1', '', p_before => 'cp-0003')),
          ARRAY['cp-0002', 'cp-0001'], 'before: only ids lower than the given one');
SELECT is(ARRAY(SELECT checkpoint_id::text FROM langgraph.list_checkpoints('pgtap-list-checkpoints-1', '', p_limit => 2)),
          ARRAY['cp-0003', 'cp-0002'], 'limit n: the newest n');
SELECT is_empty($$SELECT * FROM langgraph.list_checkpoints('pgtap-list-checkpoints-1', '', p_limit => 0)$$, 'limit 0: no rows');
SELECT is(ARRAY(SELECT checkpoint_id::text FROM langgraph.list_checkpoints('pgtap-list-checkpoints-1', '', p_before => 'cp-0003', p_limit => 1)),
          ARRAY['cp-0002'], 'before and limit combine');
SELECT is(ARRAY(SELECT checkpoint_id::text FROM langgraph.list_checkpoints('pgtap-list-checkpoints-1', '', 'cp-0002')),
          ARRAY['cp-0002'], 'a checkpoint id selects that checkpoint');
SELECT is((SELECT ROW(parent_checkpoint_id, write_task_ids)::text FROM langgraph.list_checkpoints('pgtap-list-checkpoints-1', '', 'cp-0002')),
          ROW('cp-0001', ARRAY['task-a'])::text, 'rows carry the parent id and pending writes');
SELECT is(ARRAY(SELECT thread_id || '/' || checkpoint_id FROM langgraph.list_checkpoints(p_filter => '{"pgtap_list": "run-b"}')),
          ARRAY['pgtap-list-checkpoints-2/cp-0005', 'pgtap-list-checkpoints-1/cp-0004', 'pgtap-list-checkpoints-1/cp-0003'],
          'without a thread id the filter searches every thread, newest first');
SELECT is(ARRAY(SELECT thread_id || '/' || checkpoint_id FROM langgraph.list_checkpoints(p_filter => '{"pgtap_list": "run-b"}', p_limit => 1)),
          ARRAY['pgtap-list-checkpoints-2/cp-0005'], 'limit applies across threads');
SELECT is_empty($$SELECT * FROM langgraph.list_checkpoints('pgtap-list-checkpoints-unknown')$$, 'an unknown thread lists nothing');

-- Errors ---------------------------------------------------------------------
SELECT throws_ok($$SELECT * FROM langgraph.list_checkpoints('')$$, 'LG001', NULL, 'LG001: empty thread_id');
SELECT throws_ok($$SELECT * FROM langgraph.list_checkpoints(repeat('t', 1025))$$, 'LG001', NULL, 'LG001: thread_id over 1024 characters');
SELECT throws_ok($$SELECT * FROM langgraph.list_checkpoints('pgtap-list-checkpoints-1', repeat('n', 1025))$$, 'LG001', NULL,
                 'LG001: checkpoint_ns over 1024 characters');
SELECT throws_ok($$SELECT * FROM langgraph.list_checkpoints('pgtap-list-checkpoints-1', '', '')$$, 'LG001', NULL, 'LG001: empty checkpoint_id');
SELECT throws_ok($$SELECT * FROM langgraph.list_checkpoints('pgtap-list-checkpoints-1', p_before => '')$$, 'LG001', NULL, 'LG001: empty before');
SELECT throws_ok($$SELECT * FROM langgraph.list_checkpoints('pgtap-list-checkpoints-1', p_filter => '[]')$$, 'LG002', NULL,
                 'LG002: a filter that is not an object');
SELECT throws_ok($$SELECT * FROM langgraph.list_checkpoints('pgtap-list-checkpoints-1', p_filter => '"run-a"')$$, 'LG002', NULL,
                 'LG002: a string filter');
SELECT throws_ok($$SELECT * FROM langgraph.list_checkpoints('pgtap-list-checkpoints-1', p_limit => -1)$$, 'LG003',
                 'limit must not be negative, got -1', 'LG003: a negative limit');

-- Privileges, as a reader login ------------------------------------------------
CREATE ROLE pgtap_list_checkpoints_ro LOGIN;
GRANT langgraph_reader TO pgtap_list_checkpoints_ro;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA pg_temp TO pgtap_list_checkpoints_ro;
GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA pg_temp TO pgtap_list_checkpoints_ro;
SET ROLE pgtap_list_checkpoints_ro;
SELECT is((SELECT count(*) FROM langgraph.list_checkpoints('pgtap-list-checkpoints-1')), 4::bigint, 'a reader login can call list_checkpoints');
RESET ROLE;

-- Plan shapes on 110,000 checkpoints -------------------------------------------
-- Each call's shared buffers (of its Function Scan, which counts the queries inside) on
-- the long thread (10,000 checkpoints in the root namespace) against the same call on the
-- short one (10): a page costs the same on a thread of any length. Counts, not times, so the tests
-- do not depend on the machine.
\ir fixtures/read_plan_thread.psql
\ir fixtures/read_plan_many.psql
ANALYZE langgraph.checkpoints;

SELECT cmp_ok(pg_temp.plan_buffers($$SELECT * FROM langgraph.list_checkpoints(pg_temp.plan_thread('long'), '', p_limit => 10)$$), '<=',
              pg_temp.plan_buffers($$SELECT * FROM langgraph.list_checkpoints(pg_temp.plan_thread('short'), '', p_limit => 10)$$) + 10,
              'plan: a page of 10 in one namespace reads as many buffers on 10,000 checkpoints as on 10');
SELECT cmp_ok(pg_temp.plan_buffers($$SELECT * FROM langgraph.list_checkpoints(pg_temp.plan_thread('long'), p_limit => 10)$$), '<=',
              pg_temp.plan_buffers($$SELECT * FROM langgraph.list_checkpoints(pg_temp.plan_thread('short'), p_limit => 10)$$) + 10,
              'plan: a page of 10 over every namespace (skip scan) reads as many buffers on 10,000 checkpoints as on 10');
SELECT cmp_ok(pg_temp.plan_buffers($$SELECT * FROM langgraph.list_checkpoints(pg_temp.plan_thread('long'), '', p_before => pg_temp.plan_id(1005000), p_limit => 10)$$), '<=',
              pg_temp.plan_buffers($$SELECT * FROM langgraph.list_checkpoints(pg_temp.plan_thread('short'), '', p_before => pg_temp.plan_id(2000008), p_limit => 5)$$) * 2 + 10,
              'plan: a page before a cursor halfway down 10,000 checkpoints reads no more than one on 10');
SELECT cmp_ok(pg_temp.plan_buffers($$SELECT * FROM langgraph.list_checkpoints(pg_temp.plan_thread('long'), p_before => pg_temp.plan_id(1005000), p_limit => 10)$$), '<=',
              pg_temp.plan_buffers($$SELECT * FROM langgraph.list_checkpoints(pg_temp.plan_thread('short'), p_before => pg_temp.plan_id(2000008), p_limit => 5)$$) * 2 + 10,
              'plan: the same over every namespace');
SELECT cmp_ok(pg_temp.plan_buffers($$SELECT * FROM langgraph.list_checkpoints(pg_temp.plan_thread('long'), p_checkpoint_id => pg_temp.plan_id(1005000))$$), '<=',
              pg_temp.plan_buffers($$SELECT * FROM langgraph.list_checkpoints(pg_temp.plan_thread('short'), p_checkpoint_id => pg_temp.plan_id(2000005))$$) + 10,
              'plan: a checkpoint id without a namespace is one probe per namespace');
-- A scan of checkpoints would read every page of the table (4,000 and more); the GIN
-- index reads a few, then the 100 matching checkpoints' pages and the 10 rows returned.
SELECT cmp_ok(pg_temp.plan_buffers($$SELECT * FROM langgraph.list_checkpoints(p_filter => jsonb_build_object('user_id', pg_temp.plan_user(42)), p_limit => 10)$$), '<',
              (pg_relation_size('langgraph.checkpoints') / current_setting('block_size')::int / 5)::bigint,
              'plan: a filter across 100,000 checkpoints goes through the GIN index, not a scan of the table');

SELECT is(ARRAY(SELECT checkpoint_ns || '/' || checkpoint_id FROM langgraph.list_checkpoints(pg_temp.plan_thread('long'), p_limit => 10)),
          ARRAY(SELECT checkpoint_ns || '/' || checkpoint_id FROM langgraph.checkpoints WHERE thread_id = pg_temp.plan_thread('long')
                ORDER BY checkpoint_id DESC, checkpoint_ns LIMIT 10),
          'every namespace: the newest 10 of the whole thread, merged across namespaces');
SELECT is(ARRAY(SELECT checkpoint_ns || '/' || checkpoint_id FROM langgraph.list_checkpoints(pg_temp.plan_thread('long'), p_before => pg_temp.plan_id(1100003))),
          ARRAY(SELECT checkpoint_ns || '/' || checkpoint_id FROM langgraph.checkpoints WHERE thread_id = pg_temp.plan_thread('long')
                AND checkpoint_id < pg_temp.plan_id(1100003) ORDER BY checkpoint_id DESC, checkpoint_ns),
          'every namespace, no limit: all of them before the cursor, newest first');
SELECT is(ARRAY(SELECT thread_id || '/' || checkpoint_id FROM langgraph.list_checkpoints(p_filter => jsonb_build_object('user_id', pg_temp.plan_user(42)), p_limit => 10)),
          ARRAY(SELECT thread_id || '/' || checkpoint_id FROM langgraph.checkpoints WHERE metadata @> jsonb_build_object('user_id', pg_temp.plan_user(42))
                ORDER BY checkpoint_id DESC, thread_id, checkpoint_ns LIMIT 10),
          'a filter across threads: the newest 10 matches');
SELECT is(ARRAY(SELECT thread_id || '/' || checkpoint_id FROM langgraph.list_checkpoints(p_limit => 10)),
          ARRAY(SELECT thread_id || '/' || checkpoint_id FROM langgraph.checkpoints
                ORDER BY checkpoint_id DESC, thread_id, checkpoint_ns LIMIT 10),
          'across all threads without a filter: the newest 10 of the table');
SELECT is((SELECT ROW(channel_names, channel_values, write_task_ids)::text FROM langgraph.list_checkpoints(pg_temp.plan_thread('long'), p_limit => 1)),
          ROW(ARRAY['__start__', 'counter', 'messages'], ARRAY['{"messages": ["hello"]}'::jsonb, '5', '["hello", "step 1"]'],
              '{}'::text[])::text,
          'rows built from keys carry their values and writes (the newest: child:3, step 5)');

-- JIT --------------------------------------------------------------------------
-- EXPLAIN reports JIT for the statement it explains, not for the queries a function
-- runs, so the setting itself is what is checked: a SET clause on the function
-- overrides any session's jit_above_cost.
SELECT ok((SELECT 'jit=off' = ANY (proconfig) FROM pg_proc WHERE oid = 'langgraph.list_checkpoints(text, text, text, jsonb, text, integer)'::regprocedure),
          'list_checkpoints runs with jit off');

SELECT * FROM finish();
ROLLBACK;
