-- pgTAP tests for the function_list_checkpoints_v2 change: list_checkpoints, with a
-- channel's value only in the rows where its version changed.
BEGIN;
SELECT plan(24);

-- Structure ------------------------------------------------------------------
SELECT has_function('langgraph', 'list_checkpoints_v2', ARRAY['text', 'text', 'text', 'jsonb', 'text', 'integer'], 'list_checkpoints_v2(text, text, text, jsonb, text, integer) exists');
SELECT function_returns('langgraph', 'list_checkpoints_v2', ARRAY['text', 'text', 'text', 'jsonb', 'text', 'integer'], 'setof langgraph.checkpoint_tuples', 'list_checkpoints_v2 returns setof langgraph.checkpoint_tuples');
SELECT function_lang_is('langgraph', 'list_checkpoints_v2', ARRAY['text', 'text', 'text', 'jsonb', 'text', 'integer'], 'plpgsql', 'list_checkpoints_v2 is written in plpgsql');
SELECT volatility_is('langgraph', 'list_checkpoints_v2', ARRAY['text', 'text', 'text', 'jsonb', 'text', 'integer'], 'stable', 'list_checkpoints_v2 is STABLE');
SELECT is_definer('langgraph', 'list_checkpoints_v2', ARRAY['text', 'text', 'text', 'jsonb', 'text', 'integer'], 'list_checkpoints_v2 is SECURITY DEFINER');
SELECT ok((SELECT ARRAY['search_path=langgraph, pg_temp', 'jit=off'] <@ proconfig FROM pg_proc WHERE oid = 'langgraph.list_checkpoints_v2(text, text, text, jsonb, text, integer)'::regprocedure),
          'list_checkpoints_v2 pins search_path and turns JIT off');
SELECT function_privs_are('langgraph', 'list_checkpoints_v2', ARRAY['text', 'text', 'text', 'jsonb', 'text', 'integer'], 'public', ARRAY[]::text[], 'PUBLIC cannot call list_checkpoints_v2');
SELECT function_privs_are('langgraph', 'list_checkpoints_v2', ARRAY['text', 'text', 'text', 'jsonb', 'text', 'integer'], 'langgraph_reader', ARRAY['EXECUTE'], 'the reader role may call list_checkpoints_v2');
SELECT ok(has_function_privilege('langgraph_client', 'langgraph.list_checkpoints_v2(text, text, text, jsonb, text, integer)', 'execute'),
          'the client role may call list_checkpoints_v2');
SELECT ok(obj_description('langgraph.list_checkpoints_v2(text, text, text, jsonb, text, integer)'::regprocedure, 'pg_proc') ~ 'Raises', 'the comment on list_checkpoints_v2 names what it raises');
SELECT function_privs_are('langgraph', '_checkpoint_page', ARRAY['text', 'text', 'text', 'jsonb', 'text', 'integer'], 'langgraph_client', ARRAY[]::text[], 'the client role cannot call _checkpoint_page itself');

-- Behaviour ------------------------------------------------------------------
-- A thread of four checkpoints and a fork: "counter" changes every step, "messages" at
-- steps 1 and 3, "flag" is empty from step 2 on, and cp-0005 forks from cp-0002 with
-- the messages of cp-0002 and a counter of its own.
CREATE FUNCTION pg_temp.save(p_id text, p_parent text, p_versions jsonb, p_channels text[], p_types text[], p_values jsonb[], p_ns text DEFAULT '')
RETURNS void LANGUAGE sql AS $$
    SELECT langgraph.put_checkpoint_v2('pgtap-list-v2', p_ns, p_id, p_parent,
        jsonb_build_object('id', p_id, 'channel_versions', p_versions), '{"source": "loop"}',
        p_channels, p_types, p_values, array_fill(NULL::bytea, ARRAY[cardinality(p_channels)]));
$$;
SELECT pg_temp.save('cp-0001', NULL, '{"counter": "1", "messages": "1", "flag": "1"}',
                    ARRAY['counter', 'messages', 'flag'], ARRAY['json', 'json', 'json'], ARRAY['1', '["a"]', 'true']::jsonb[]);
SELECT pg_temp.save('cp-0002', 'cp-0001', '{"counter": "2", "messages": "1", "flag": "2"}',
                    ARRAY['counter', 'flag'], ARRAY['json', 'empty'], ARRAY['2', NULL]::jsonb[]);
SELECT pg_temp.save('cp-0003', 'cp-0002', '{"counter": "3", "messages": "3", "flag": "2"}',
                    ARRAY['counter', 'messages'], ARRAY['json', 'json'], ARRAY['3', '["a", "b"]']::jsonb[]);
SELECT pg_temp.save('cp-0004', 'cp-0003', '{"counter": "4", "messages": "3", "flag": "2"}',
                    ARRAY['counter'], ARRAY['json'], ARRAY['4']::jsonb[]);
SELECT pg_temp.save('cp-0005', 'cp-0002', '{"counter": "3.fork", "messages": "1", "flag": "2"}',
                    ARRAY['counter'], ARRAY['json'], ARRAY['30']::jsonb[]);
SELECT pg_temp.save('cp-0006', NULL, '{"counter": "1", "messages": "1"}',
                    ARRAY['counter', 'messages'], ARRAY['json', 'json'], ARRAY['100', '["sub"]']::jsonb[], 'child:1');
SELECT langgraph.put_writes('pgtap-list-v2', '', 'cp-0004', 'task-a', ARRAY['x'], ARRAY['json'], ARRAY['1'::jsonb], ARRAY[NULL::bytea]);

-- What each row carries, newest first: a channel where its version changed from the
-- row before in the same namespace (the fork cp-0005 sits between cp-0004 and cp-0003).
SELECT is(ARRAY(SELECT checkpoint_ns || '/' || checkpoint_id || ':' || array_to_string(channel_names, ',')
                FROM langgraph.list_checkpoints_v2('pgtap-list-v2')),
          ARRAY['child:1/cp-0006:counter,messages', '/cp-0005:counter,messages', '/cp-0004:counter,messages', '/cp-0003:counter',
                '/cp-0002:counter,messages', '/cp-0001:counter,flag'],
          'each row carries the channels whose version differs from the row before in its namespace');
SELECT is(ARRAY(SELECT checkpoint_id || ':' || array_to_string(channel_values::text[], ',')
                FROM langgraph.list_checkpoints_v2('pgtap-list-v2', '', p_before => 'cp-0005')),
          ARRAY['cp-0004:4,["a", "b"]', 'cp-0003:3', 'cp-0002:2,["a"]', 'cp-0001:1,true'],
          'the first row of a page carries every value it has; the empty flag is in no row');
SELECT is(ARRAY(SELECT checkpoint_id || ':' || array_to_string(channel_names, ',')
                FROM langgraph.list_checkpoints_v2('pgtap-list-v2', '', p_limit => 2)),
          ARRAY['cp-0005:counter,messages', 'cp-0004:counter,messages'],
          'a limit: the same rule over the page returned');
SELECT is((SELECT ROW(channel_names, write_task_ids, write_channels)::text FROM langgraph.list_checkpoints_v2('pgtap-list-v2', '', 'cp-0004')),
          ROW(ARRAY['counter', 'messages'], ARRAY['task-a'], ARRAY['x'])::text,
          'one checkpoint by id: its values and its pending writes');

-- Rebuilt the way the client rebuilds it (the latest value carried per channel, used
-- where the row names the same version), every row has list_checkpoints' values.
CREATE TEMP TABLE listed AS
SELECT t.ordinality AS ord, t.checkpoint_ns, t.checkpoint_id, v.channel COLLATE "C" AS channel, v.version, x.type, x.value
FROM langgraph.list_checkpoints_v2('pgtap-list-v2') WITH ORDINALITY AS t
CROSS JOIN LATERAL jsonb_each_text(t.checkpoint -> 'channel_versions') AS v (channel, version)
LEFT JOIN LATERAL unnest(t.channel_names, t.channel_types, t.channel_values) AS x (channel, type, value)
  ON x.channel = v.channel;
UPDATE listed AS l SET type = s.type, value = s.value
FROM listed AS s
WHERE l.value IS NULL AND s.value IS NOT NULL AND s.checkpoint_ns = l.checkpoint_ns
  AND s.channel = l.channel AND s.version = l.version AND s.ord < l.ord
  AND NOT EXISTS (SELECT FROM listed AS m
                  WHERE m.checkpoint_ns = l.checkpoint_ns AND m.channel = l.channel
                    AND m.value IS NOT NULL AND m.ord > s.ord AND m.ord < l.ord);
SELECT results_eq(
    $$SELECT checkpoint_ns, checkpoint_id, channel, value FROM listed WHERE value IS NOT NULL ORDER BY 1, 2, 3$$,
    $$SELECT t.checkpoint_ns, t.checkpoint_id, x.channel, x.value
      FROM langgraph.list_checkpoints('pgtap-list-v2') AS t
      CROSS JOIN LATERAL unnest(t.channel_names, t.channel_values) AS x (channel, value) ORDER BY 1, 2, 3$$,
    'filled in from the row before, every row has list_checkpoints'' values');
SELECT results_eq(
    $$SELECT thread_id, checkpoint_ns, checkpoint_id, parent_checkpoint_id, checkpoint, metadata, write_task_ids, write_values::text[]
      FROM langgraph.list_checkpoints_v2('pgtap-list-v2')$$,
    $$SELECT thread_id, checkpoint_ns, checkpoint_id, parent_checkpoint_id, checkpoint, metadata, write_task_ids, write_values::text[]
      FROM langgraph.list_checkpoints('pgtap-list-v2')$$,
    'the same rows as list_checkpoints, in the same order, with the same documents and writes');
SELECT is_empty($$SELECT * FROM langgraph.list_checkpoints_v2('pgtap-list-v2-unknown')$$, 'an unknown thread lists nothing');
-- A row carries a channel the row before it did not name, even at a version a row
-- further back named: "messages" of cp-0007, which cp-0008 leaves out.
SELECT langgraph.put_checkpoint_v2('pgtap-list-v2-gap', '', id, NULL,
           jsonb_build_object('id', id, 'channel_versions', versions), '{}', channels,
           array_fill('json'::text, ARRAY[cardinality(channels)]), vals,
           array_fill(NULL::bytea, ARRAY[cardinality(channels)]))
FROM (VALUES ('cp-0007', '{"counter": "1", "messages": "1"}'::jsonb, ARRAY['counter', 'messages'], ARRAY['1', '["m"]']::jsonb[]),
             ('cp-0008', '{"counter": "2"}', ARRAY['counter'], ARRAY['2']::jsonb[]),
             ('cp-0009', '{"counter": "2", "messages": "1"}', ARRAY[]::text[], ARRAY[]::jsonb[])) AS s (id, versions, channels, vals);
SELECT is(ARRAY(SELECT checkpoint_id || ':' || array_to_string(channel_names, ',')
                FROM langgraph.list_checkpoints_v2('pgtap-list-v2-gap', '')),
          ARRAY['cp-0009:counter,messages', 'cp-0008:', 'cp-0007:counter,messages'],
          'a channel the row before did not name is carried again');

-- The arguments are checked as list_checkpoints checks them (_checkpoint_page).
SELECT throws_ok($$SELECT * FROM langgraph.list_checkpoints_v2('')$$, 'LG001', NULL, 'LG001: empty thread_id');
SELECT throws_ok($$SELECT * FROM langgraph.list_checkpoints_v2('pgtap-list-v2', p_filter => '[]')$$, 'LG002', NULL, 'LG002: a filter that is not an object');
SELECT throws_ok($$SELECT * FROM langgraph.list_checkpoints_v2('pgtap-list-v2', p_limit => -1)$$, 'LG003', NULL, 'LG003: a negative limit');

-- Plan shapes -----------------------------------------------------------------
\ir fixtures/read_plan_thread.psql
ANALYZE langgraph.checkpoints;
SELECT cmp_ok(pg_temp.plan_buffers($$SELECT * FROM langgraph.list_checkpoints_v2(pg_temp.plan_thread('long'), '', p_limit => 10)$$), '<=',
              pg_temp.plan_buffers($$SELECT * FROM langgraph.list_checkpoints_v2(pg_temp.plan_thread('short'), '', p_limit => 10)$$) + 10,
              'plan: a page of 10 reads as many buffers on 10,000 checkpoints as on 10');
SELECT cmp_ok(pg_temp.plan_buffers($$SELECT * FROM langgraph.list_checkpoints_v2(pg_temp.plan_thread('long'), p_limit => 10)$$), '<=',
              pg_temp.plan_buffers($$SELECT * FROM langgraph.list_checkpoints_v2(pg_temp.plan_thread('short'), p_limit => 10)$$) + 10,
              'plan: a page of 10 over every namespace reads as many buffers on 10,000 checkpoints as on 10');

SELECT * FROM finish();
ROLLBACK;
