-- pgTAP tests for the function_get_ancestors change: a checkpoint and its ancestors,
-- nearest first. The tree:  a -> b -> c  and  b -> d, plus a namespace 'sub:1' with its
-- own a -> z.
BEGIN;
SELECT plan(35);

-- Structure ------------------------------------------------------------------
SELECT has_function('langgraph', 'get_ancestors', ARRAY['text', 'text', 'text', 'integer'], 'get_ancestors(text, text, text, integer) exists');
SELECT function_returns('langgraph', 'get_ancestors', ARRAY['text', 'text', 'text', 'integer'], 'setof record', 'get_ancestors returns a set');
SELECT is(pg_get_function_result('langgraph.get_ancestors(text, text, text, integer)'::regprocedure),
          'TABLE(depth integer, checkpoint_id text, parent_checkpoint_id text, metadata jsonb, created_at timestamp with time zone)',
          'get_ancestors returns depth, checkpoint_id, parent_checkpoint_id, metadata, created_at');
SELECT function_lang_is('langgraph', 'get_ancestors', ARRAY['text', 'text', 'text', 'integer'], 'plpgsql', 'get_ancestors is written in plpgsql');
SELECT volatility_is('langgraph', 'get_ancestors', ARRAY['text', 'text', 'text', 'integer'], 'stable', 'get_ancestors is STABLE');
SELECT is_definer('langgraph', 'get_ancestors', ARRAY['text', 'text', 'text', 'integer'], 'get_ancestors is SECURITY DEFINER');
SELECT ok((SELECT 'search_path=langgraph, pg_temp' = ANY (proconfig) FROM pg_proc WHERE oid = 'langgraph.get_ancestors(text, text, text, integer)'::regprocedure), 'get_ancestors pins search_path to its schema and pg_temp');
SELECT is((SELECT pronargdefaults FROM pg_proc WHERE oid = 'langgraph.get_ancestors(text, text, text, integer)'::regprocedure),
          3::smallint, 'namespace, checkpoint id and max depth have defaults');
SELECT function_privs_are('langgraph', 'get_ancestors', ARRAY['text', 'text', 'text', 'integer'], 'public', ARRAY[]::text[],
                          'PUBLIC cannot call get_ancestors');
SELECT function_privs_are('langgraph', 'get_ancestors', ARRAY['text', 'text', 'text', 'integer'], 'langgraph_reader', ARRAY['EXECUTE'],
                          'the reader role may call get_ancestors');
SELECT function_privs_are('langgraph', 'get_ancestors', ARRAY['text', 'text', 'text', 'integer'], 'langgraph_client', ARRAY['EXECUTE'],
                          'the client role may call get_ancestors (through the reader role)');
SELECT ok(obj_description('langgraph.get_ancestors(text, text, text, integer)'::regprocedure, 'pg_proc') ~ 'LG004',
          'the comment on get_ancestors names LG004');

-- The tree -------------------------------------------------------------------
DO $$
BEGIN
    PERFORM langgraph.put_checkpoint('pgtap4-get-ancestors-1', '', '1f0-a', NULL,    '{"channel_versions": {"x": "1"}}', '{"step": -1, "source": "input"}');
    PERFORM langgraph.put_checkpoint('pgtap4-get-ancestors-1', '', '1f0-b', '1f0-a', '{"channel_versions": {"x": "2"}}', '{"step": 0, "source": "loop"}');
    PERFORM langgraph.put_checkpoint('pgtap4-get-ancestors-1', '', '1f0-c', '1f0-b', '{"channel_versions": {"x": "3"}}', '{"step": 1, "source": "loop"}');
    PERFORM langgraph.put_checkpoint('pgtap4-get-ancestors-1', '', '1f0-d', '1f0-b', '{"channel_versions": {"x": "4"}}', '{"step": 1, "source": "update"}');
    PERFORM langgraph.put_checkpoint('pgtap4-get-ancestors-1', 'sub:1', '1f0-a', NULL,    '{}', '{"step": -1, "source": "input"}');
    PERFORM langgraph.put_checkpoint('pgtap4-get-ancestors-1', 'sub:1', '1f0-z', '1f0-a', '{}', '{"step": 0, "source": "loop"}');
END
$$;

-- Behaviour ------------------------------------------------------------------
SELECT results_eq($$SELECT depth, checkpoint_id, parent_checkpoint_id FROM langgraph.get_ancestors('pgtap4-get-ancestors-1', '', '1f0-c')$$,
                  $$VALUES (0, '1f0-c', '1f0-b'), (1, '1f0-b', '1f0-a'), (2, '1f0-a', NULL)$$,
                  'ancestors of c, nearest first: c (depth 0), b, the root a');
SELECT results_eq($$SELECT depth, checkpoint_id FROM langgraph.get_ancestors('pgtap4-get-ancestors-1')$$,
                  $$VALUES (0, '1f0-d'), (1, '1f0-b'), (2, '1f0-a')$$,
                  'with defaults: the root namespace and the latest checkpoint, d (on the other branch)');
SELECT results_eq($$SELECT depth, checkpoint_id FROM langgraph.get_ancestors('pgtap4-get-ancestors-1', '', '1f0-d', 1)$$,
                  $$VALUES (0, '1f0-d'), (1, '1f0-b')$$, 'p_max_depth 1: the checkpoint and its parent');
SELECT results_eq($$SELECT depth, checkpoint_id FROM langgraph.get_ancestors('pgtap4-get-ancestors-1', '', '1f0-d', 0)$$,
                  $$VALUES (0, '1f0-d')$$, 'p_max_depth 0: the checkpoint alone');
SELECT is((SELECT count(*) FROM langgraph.get_ancestors('pgtap4-get-ancestors-1', '', '1f0-c', 50)), 3::bigint,
          'p_max_depth beyond the root stops at the root');
SELECT results_eq($$SELECT depth, checkpoint_id FROM langgraph.get_ancestors('pgtap4-get-ancestors-1', '', '1f0-a')$$,
                  $$VALUES (0, '1f0-a')$$, 'the root has no ancestors');
SELECT results_eq($$SELECT metadata FROM langgraph.get_ancestors('pgtap4-get-ancestors-1', '', '1f0-c')$$,
                  $$VALUES ('{"step": 1, "source": "loop"}'::jsonb), ('{"step": 0, "source": "loop"}'), ('{"step": -1, "source": "input"}')$$,
                  'each row carries its checkpoint''s metadata');
SELECT results_eq($$SELECT created_at FROM langgraph.get_ancestors('pgtap4-get-ancestors-1', '', '1f0-c')$$,
                  $$SELECT created_at FROM langgraph.checkpoints WHERE thread_id = 'pgtap4-get-ancestors-1' AND checkpoint_ns = ''
                    AND checkpoint_id <> '1f0-d' ORDER BY checkpoint_id DESC$$,
                  'each row carries its checkpoint''s created_at');
SELECT results_eq($$SELECT depth, checkpoint_id, parent_checkpoint_id FROM langgraph.get_ancestors('pgtap4-get-ancestors-1', 'sub:1')$$,
                  $$VALUES (0, '1f0-z', '1f0-a'), (1, '1f0-a', NULL)$$, 'namespace sub:1: its latest (z) and its own root');
SELECT is((SELECT metadata ->> 'source' FROM langgraph.get_ancestors('pgtap4-get-ancestors-1', 'sub:1') WHERE depth = 1), 'input',
          'the walk stays in sub:1 although the root namespace has an a too');

-- Errors: every documented SQLSTATE ------------------------------------------
SELECT throws_ok($$SELECT * FROM langgraph.get_ancestors(NULL)$$, 'LG001', NULL, 'LG001: NULL thread_id');
SELECT throws_ok($$SELECT * FROM langgraph.get_ancestors('')$$, 'LG001', NULL, 'LG001: empty thread_id');
SELECT throws_ok($$SELECT * FROM langgraph.get_ancestors(repeat('t', 1025))$$, 'LG001', NULL, 'LG001: thread_id over 1024 characters');
SELECT throws_ok($$SELECT * FROM langgraph.get_ancestors('pgtap4-get-ancestors-1', NULL)$$, 'LG001', NULL, 'LG001: NULL namespace');
SELECT throws_ok($$SELECT * FROM langgraph.get_ancestors('pgtap4-get-ancestors-1', '', '')$$, 'LG001', NULL, 'LG001: empty checkpoint_id');
SELECT throws_ok($$SELECT * FROM langgraph.get_ancestors('pgtap4-get-ancestors-1', '', '1f0-c', -1)$$, 'LG003', NULL,
                 'LG003: negative p_max_depth');
SELECT throws_ok($$SELECT * FROM langgraph.get_ancestors('pgtap4-get-ancestors-1', '', '1f0-missing')$$, 'LG004', NULL,
                 'LG004: unknown checkpoint');
SELECT throws_ok($$SELECT * FROM langgraph.get_ancestors('pgtap4-get-ancestors-1', 'sub:1', '1f0-c')$$, 'LG004', NULL,
                 'LG004: a checkpoint of another namespace');
SELECT throws_ok($$SELECT * FROM langgraph.get_ancestors('pgtap4-get-ancestors-9')$$, 'LG004', NULL,
                 'LG004: a thread without checkpoints has no latest');

-- Privileges, as login roles -------------------------------------------------
CREATE ROLE pgtap4_get_ancestors_app LOGIN;
CREATE ROLE pgtap4_get_ancestors_ro LOGIN;
GRANT langgraph_client TO pgtap4_get_ancestors_app;
GRANT langgraph_reader TO pgtap4_get_ancestors_ro;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA pg_temp TO pgtap4_get_ancestors_app, pgtap4_get_ancestors_ro;
GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA pg_temp TO pgtap4_get_ancestors_app, pgtap4_get_ancestors_ro;
SET ROLE pgtap4_get_ancestors_app;
SELECT is((SELECT count(*) FROM langgraph.get_ancestors('pgtap4-get-ancestors-1', '', '1f0-c')), 3::bigint,
          'a client login can call get_ancestors');
SELECT throws_ok('SELECT * FROM langgraph.checkpoints', '42501', NULL, 'a client login cannot read the table it walks');
RESET ROLE;
SET ROLE pgtap4_get_ancestors_ro;
SELECT results_eq($$SELECT checkpoint_id FROM langgraph.get_ancestors('pgtap4-get-ancestors-1', '', '1f0-c')$$,
                  $$VALUES ('1f0-c'), ('1f0-b'), ('1f0-a')$$, 'a reader login can call get_ancestors');
SELECT throws_ok($$SELECT langgraph.put_checkpoint('pgtap4-get-ancestors-1', '', '1f0-e', '1f0-c', '{}')$$, '42501', NULL,
                 'a reader login cannot write');
RESET ROLE;

SELECT * FROM finish();
ROLLBACK;
