-- pgTAP tests for the function_get_descendants change: a checkpoint and everything
-- descended from it, on all branches. The tree:  a -> b -> c  and  b -> d, plus a
-- namespace 'sub:1' with its own a -> z.
BEGIN;
SELECT plan(34);

-- Structure ------------------------------------------------------------------
SELECT has_function('langgraph', 'get_descendants', ARRAY['text', 'text', 'text', 'integer'], 'get_descendants(text, text, text, integer) exists');
SELECT is_definer('langgraph', 'get_descendants', ARRAY['text', 'text', 'text', 'integer'], 'get_descendants is SECURITY DEFINER');
SELECT ok((SELECT 'search_path=langgraph, pg_temp' = ANY (proconfig) FROM pg_proc WHERE oid = 'langgraph.get_descendants(text, text, text, integer)'::regprocedure),
          'get_descendants pins search_path to its schema and pg_temp');
SELECT function_privs_are('langgraph', 'get_descendants', ARRAY['text', 'text', 'text', 'integer'], 'public', ARRAY[]::text[], 'PUBLIC cannot call get_descendants');
SELECT ok(obj_description('langgraph.get_descendants(text, text, text, integer)'::regprocedure, 'pg_proc') ~ 'LG004', 'the comment on get_descendants names LG004');
SELECT function_returns('langgraph', 'get_descendants', ARRAY['text', 'text', 'text', 'integer'], 'setof record', 'get_descendants returns a set');
SELECT is(pg_get_function_result('langgraph.get_descendants(text, text, text, integer)'::regprocedure),
          'TABLE(depth integer, checkpoint_id text, parent_checkpoint_id text, metadata jsonb, created_at timestamp with time zone)',
          'get_descendants returns depth, checkpoint_id, parent_checkpoint_id, metadata, created_at');
SELECT volatility_is('langgraph', 'get_descendants', ARRAY['text', 'text', 'text', 'integer'], 'stable', 'get_descendants is STABLE');
SELECT is((SELECT pronargdefaults FROM pg_proc WHERE oid = 'langgraph.get_descendants(text, text, text, integer)'::regprocedure),
          1::smallint, 'only p_max_depth has a default: the start checkpoint is required');
SELECT function_privs_are('langgraph', 'get_descendants', ARRAY['text', 'text', 'text', 'integer'], 'langgraph_reader', ARRAY['EXECUTE'],
                          'the reader role may call get_descendants');
SELECT function_privs_are('langgraph', 'get_descendants', ARRAY['text', 'text', 'text', 'integer'], 'langgraph_client', ARRAY['EXECUTE'],
                          'the client role may call get_descendants (through the reader role)');

-- The tree -------------------------------------------------------------------
DO $$
BEGIN
    PERFORM langgraph.put_checkpoint('pgtap4-get-descendants-1', '', '1f0-a', NULL,    '{"channel_versions": {"x": "1"}}', '{"step": -1, "source": "input"}');
    PERFORM langgraph.put_checkpoint('pgtap4-get-descendants-1', '', '1f0-b', '1f0-a', '{"channel_versions": {"x": "2"}}', '{"step": 0, "source": "loop"}');
    PERFORM langgraph.put_checkpoint('pgtap4-get-descendants-1', '', '1f0-c', '1f0-b', '{"channel_versions": {"x": "3"}}', '{"step": 1, "source": "loop"}');
    PERFORM langgraph.put_checkpoint('pgtap4-get-descendants-1', '', '1f0-d', '1f0-b', '{"channel_versions": {"x": "4"}}', '{"step": 1, "source": "update"}');
    PERFORM langgraph.put_checkpoint('pgtap4-get-descendants-1', 'sub:1', '1f0-a', NULL,    '{}', '{"step": -1, "source": "input"}');
    PERFORM langgraph.put_checkpoint('pgtap4-get-descendants-1', 'sub:1', '1f0-z', '1f0-a', '{}', '{"step": 0, "source": "loop"}');
END
$$;

-- Behaviour ------------------------------------------------------------------
SELECT results_eq($$SELECT depth, checkpoint_id, parent_checkpoint_id FROM langgraph.get_descendants('pgtap4-get-descendants-1', '', '1f0-a')$$,
                  $$VALUES (0, '1f0-a', NULL), (1, '1f0-b', '1f0-a'), (2, '1f0-c', '1f0-b'), (2, '1f0-d', '1f0-b')$$,
                  'descendants of the root cover both branches, by depth then id');
SELECT results_eq($$SELECT depth, checkpoint_id FROM langgraph.get_descendants('pgtap4-get-descendants-1', '', '1f0-b')$$,
                  $$VALUES (0, '1f0-b'), (1, '1f0-c'), (1, '1f0-d')$$, 'descendants of the branch point: both children at depth 1');
SELECT results_eq($$SELECT depth, checkpoint_id FROM langgraph.get_descendants('pgtap4-get-descendants-1', '', '1f0-c')$$,
                  $$VALUES (0, '1f0-c')$$, 'a head has no descendants, not even its sibling');
SELECT results_eq($$SELECT depth, checkpoint_id FROM langgraph.get_descendants('pgtap4-get-descendants-1', '', '1f0-a', 1)$$,
                  $$VALUES (0, '1f0-a'), (1, '1f0-b')$$, 'p_max_depth 1 stops one level down');
SELECT results_eq($$SELECT depth, checkpoint_id FROM langgraph.get_descendants('pgtap4-get-descendants-1', '', '1f0-a', 0)$$,
                  $$VALUES (0, '1f0-a')$$, 'p_max_depth 0 is the checkpoint alone');
SELECT is((SELECT count(*) FROM langgraph.get_descendants('pgtap4-get-descendants-1', '', '1f0-a', 99)), 4::bigint,
          'p_max_depth beyond the heads returns the whole tree');
SELECT results_eq($$SELECT metadata FROM langgraph.get_descendants('pgtap4-get-descendants-1', '', '1f0-b')$$,
                  $$VALUES ('{"step": 0, "source": "loop"}'::jsonb), ('{"step": 1, "source": "loop"}'), ('{"step": 1, "source": "update"}')$$,
                  'each row carries its checkpoint''s metadata');
SELECT results_eq($$SELECT depth, checkpoint_id, parent_checkpoint_id FROM langgraph.get_descendants('pgtap4-get-descendants-1', 'sub:1', '1f0-a')$$,
                  $$VALUES (0, '1f0-a', NULL), (1, '1f0-z', '1f0-a')$$,
                  'in namespace sub:1 the walk finds z only, not the root namespace''s b');

-- A new branch saved later shows up at once.
SELECT lives_ok($$SELECT langgraph.put_checkpoint('pgtap4-get-descendants-1', '', '1f0-e', '1f0-a', '{}', '{"source": "fork"}')$$,
                'a second child of the root is saved');
SELECT results_eq($$SELECT depth, checkpoint_id FROM langgraph.get_descendants('pgtap4-get-descendants-1', '', '1f0-a')$$,
                  $$VALUES (0, '1f0-a'), (1, '1f0-b'), (1, '1f0-e'), (2, '1f0-c'), (2, '1f0-d')$$,
                  'the new branch is listed, ordered by depth then id');

-- Errors: every documented SQLSTATE ------------------------------------------
SELECT throws_ok($$SELECT * FROM langgraph.get_descendants(NULL, '', '1f0-a')$$, 'LG001', NULL, 'LG001: NULL thread_id');
SELECT throws_ok($$SELECT * FROM langgraph.get_descendants('', '', '1f0-a')$$, 'LG001', NULL, 'LG001: empty thread_id');
SELECT throws_ok($$SELECT * FROM langgraph.get_descendants('pgtap4-get-descendants-1', NULL, '1f0-a')$$, 'LG001', NULL, 'LG001: NULL namespace');
SELECT throws_ok($$SELECT * FROM langgraph.get_descendants('pgtap4-get-descendants-1', '', NULL)$$, 'LG001', NULL,
                 'LG001: NULL checkpoint_id (there is no "latest" default here)');
SELECT throws_ok($$SELECT * FROM langgraph.get_descendants('pgtap4-get-descendants-1', '', '')$$, 'LG001', NULL, 'LG001: empty checkpoint_id');
SELECT throws_ok($$SELECT * FROM langgraph.get_descendants('pgtap4-get-descendants-1', '', repeat('c', 1025))$$, 'LG001', NULL,
                 'LG001: checkpoint_id over 1024 characters');
SELECT throws_ok($$SELECT * FROM langgraph.get_descendants('pgtap4-get-descendants-1', '', '1f0-a', -1)$$, 'LG003', NULL,
                 'LG003: negative p_max_depth');
SELECT throws_ok($$SELECT * FROM langgraph.get_descendants('pgtap4-get-descendants-1', '', '1f0-missing')$$, 'LG004', NULL,
                 'LG004: unknown checkpoint');
SELECT throws_ok($$SELECT * FROM langgraph.get_descendants('pgtap4-get-descendants-1', 'sub:1', '1f0-b')$$, 'LG004', NULL,
                 'LG004: a checkpoint of another namespace');

-- Privileges, as login roles -------------------------------------------------
CREATE ROLE pgtap4_get_descendants_app LOGIN;
CREATE ROLE pgtap4_get_descendants_ro LOGIN;
GRANT langgraph_client TO pgtap4_get_descendants_app;
GRANT langgraph_reader TO pgtap4_get_descendants_ro;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA pg_temp TO pgtap4_get_descendants_app, pgtap4_get_descendants_ro;
GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA pg_temp TO pgtap4_get_descendants_app, pgtap4_get_descendants_ro;
SET ROLE pgtap4_get_descendants_app;
SELECT is((SELECT count(*) FROM langgraph.get_descendants('pgtap4-get-descendants-1', '', '1f0-b')), 3::bigint,
          'a client login can call get_descendants');
SELECT throws_ok('SELECT * FROM langgraph.checkpoints', '42501', NULL, 'a client login cannot read the table it walks');
RESET ROLE;
SET ROLE pgtap4_get_descendants_ro;
SELECT is((SELECT count(*) FROM langgraph.get_descendants('pgtap4-get-descendants-1', '', '1f0-b')), 3::bigint,
          'a reader login can call get_descendants');
SELECT throws_ok($$SELECT langgraph.fork_thread('pgtap4-get-descendants-1', '1f0-c', 'pgtap4-get-descendants-2')$$, '42501', NULL,
                 'a reader login cannot call a write function');
RESET ROLE;

SELECT * FROM finish();
ROLLBACK;
