-- pgTAP tests for the function_find_branch_point change: the nearest common ancestor of
-- two checkpoints. The tree:  a -> b -> c  and  b -> d, plus a namespace 'sub:1' with
-- its own a -> z.
BEGIN;
SELECT plan(37);

-- Structure ------------------------------------------------------------------
SELECT has_function('langgraph', 'find_branch_point', ARRAY['text', 'text', 'text', 'text'], 'find_branch_point(text, text, text, text) exists');
SELECT function_returns('langgraph', 'find_branch_point', ARRAY['text', 'text', 'text', 'text'], 'text', 'find_branch_point returns text');
SELECT function_lang_is('langgraph', 'find_branch_point', ARRAY['text', 'text', 'text', 'text'], 'plpgsql', 'find_branch_point is written in plpgsql');
SELECT volatility_is('langgraph', 'find_branch_point', ARRAY['text', 'text', 'text', 'text'], 'stable', 'find_branch_point is STABLE');
SELECT is_definer('langgraph', 'find_branch_point', ARRAY['text', 'text', 'text', 'text'], 'find_branch_point is SECURITY DEFINER');
SELECT ok((SELECT 'search_path=langgraph, pg_temp' = ANY (proconfig) FROM pg_proc WHERE oid = 'langgraph.find_branch_point(text, text, text, text)'::regprocedure),
          'find_branch_point pins search_path to its schema and pg_temp');
SELECT is((SELECT pronargdefaults FROM pg_proc WHERE oid = 'langgraph.find_branch_point(text, text, text, text)'::regprocedure),
          1::smallint, 'the namespace (the last parameter) has a default');
SELECT function_privs_are('langgraph', 'find_branch_point', ARRAY['text', 'text', 'text', 'text'], 'public', ARRAY[]::text[],
                          'PUBLIC cannot call find_branch_point');
SELECT function_privs_are('langgraph', 'find_branch_point', ARRAY['text', 'text', 'text', 'text'], 'langgraph_reader', ARRAY['EXECUTE'],
                          'the reader role may call find_branch_point');
SELECT function_privs_are('langgraph', 'find_branch_point', ARRAY['text', 'text', 'text', 'text'], 'langgraph_client', ARRAY['EXECUTE'],
                          'the client role may call find_branch_point (through the reader role)');
SELECT ok(obj_description('langgraph.find_branch_point(text, text, text, text)'::regprocedure, 'pg_proc') ~ 'LG004',
          'the comment on find_branch_point names LG004');

-- The tree -------------------------------------------------------------------
DO $$
BEGIN
    PERFORM langgraph.put_checkpoint('pgtap4-find-branch-point-1', '', '1f0-a', NULL,    '{"channel_versions": {"x": "1"}}', '{"step": -1, "source": "input"}');
    PERFORM langgraph.put_checkpoint('pgtap4-find-branch-point-1', '', '1f0-b', '1f0-a', '{"channel_versions": {"x": "2"}}', '{"step": 0, "source": "loop"}');
    PERFORM langgraph.put_checkpoint('pgtap4-find-branch-point-1', '', '1f0-c', '1f0-b', '{"channel_versions": {"x": "3"}}', '{"step": 1, "source": "loop"}');
    PERFORM langgraph.put_checkpoint('pgtap4-find-branch-point-1', '', '1f0-d', '1f0-b', '{"channel_versions": {"x": "4"}}', '{"step": 1, "source": "update"}');
    PERFORM langgraph.put_checkpoint('pgtap4-find-branch-point-1', 'sub:1', '1f0-a', NULL,    '{}', '{"step": -1, "source": "input"}');
    PERFORM langgraph.put_checkpoint('pgtap4-find-branch-point-1', 'sub:1', '1f0-z', '1f0-a', '{}', '{"step": 0, "source": "loop"}');
END
$$;

-- Behaviour ------------------------------------------------------------------
SELECT is(langgraph.find_branch_point('pgtap4-find-branch-point-1', '1f0-c', '1f0-d'), '1f0-b', 'siblings c and d split at their parent b');
SELECT is(langgraph.find_branch_point('pgtap4-find-branch-point-1', '1f0-d', '1f0-c'), '1f0-b', 'the order of the two does not matter');
SELECT is(langgraph.find_branch_point('pgtap4-find-branch-point-1', '1f0-b', '1f0-c'), '1f0-b', 'an ancestor and its descendant: the ancestor');
SELECT is(langgraph.find_branch_point('pgtap4-find-branch-point-1', '1f0-d', '1f0-b'), '1f0-b', 'a descendant and its ancestor: the ancestor');
SELECT is(langgraph.find_branch_point('pgtap4-find-branch-point-1', '1f0-a', '1f0-d'), '1f0-a', 'the root and a head two levels down: the root');
SELECT is(langgraph.find_branch_point('pgtap4-find-branch-point-1', '1f0-c', '1f0-c'), '1f0-c', 'a checkpoint with itself: itself');
SELECT is(langgraph.find_branch_point('pgtap4-find-branch-point-1', '1f0-z', '1f0-a', 'sub:1'), '1f0-a',
          'in namespace sub:1, with the namespace passed last');
SELECT is(langgraph.find_branch_point(p_thread_id => 'pgtap4-find-branch-point-1', p_checkpoint_id_a => '1f0-c',
                                      p_checkpoint_id_b => '1f0-d', p_checkpoint_ns => ''), '1f0-b', 'named arguments work');

-- A deeper split: e continues c, f continues d; they still meet at b.
SELECT lives_ok($$SELECT langgraph.put_checkpoint('pgtap4-find-branch-point-1', '', '1f0-e', '1f0-c', '{}')$$, 'e continues c');
SELECT lives_ok($$SELECT langgraph.put_checkpoint('pgtap4-find-branch-point-1', '', '1f0-f', '1f0-d', '{}')$$, 'f continues d');
SELECT is(langgraph.find_branch_point('pgtap4-find-branch-point-1', '1f0-e', '1f0-f'), '1f0-b', 'heads two levels below the split: b');
SELECT is(langgraph.find_branch_point('pgtap4-find-branch-point-1', '1f0-e', '1f0-d'), '1f0-b', 'heads at different depths: b');
-- Two roots of one namespace share nothing.
SELECT lives_ok($$SELECT langgraph.put_checkpoint('pgtap4-find-branch-point-1', 'sub:1', '1f0-r', NULL, '{}')$$, 'a second root in sub:1');
SELECT is(langgraph.find_branch_point('pgtap4-find-branch-point-1', '1f0-z', '1f0-r', 'sub:1'), NULL::text,
          'checkpoints with no common ancestor: NULL');

-- Errors: every documented SQLSTATE ------------------------------------------
SELECT throws_ok($$SELECT langgraph.find_branch_point('pgtap4-find-branch-point-1', '1f0-c', '1f0-missing')$$, 'LG004', NULL,
                 'LG004: the second checkpoint is unknown');
SELECT throws_ok($$SELECT langgraph.find_branch_point('pgtap4-find-branch-point-1', '1f0-missing', '1f0-c')$$, 'LG004', NULL,
                 'LG004: the first checkpoint is unknown');
SELECT throws_ok($$SELECT langgraph.find_branch_point('pgtap4-find-branch-point-1', '1f0-c', '1f0-z')$$, 'LG004', NULL,
                 'LG004: a checkpoint of another namespace');
SELECT throws_ok($$SELECT langgraph.find_branch_point('pgtap4-find-branch-point-9', '1f0-a', '1f0-a')$$, 'LG004', NULL,
                 'LG004: a thread without checkpoints');
SELECT throws_ok($$SELECT langgraph.find_branch_point('pgtap4-find-branch-point-1', NULL, '1f0-c')$$, 'LG001', NULL,
                 'LG001: NULL first checkpoint (there is no "latest" default here)');
SELECT throws_ok($$SELECT langgraph.find_branch_point('pgtap4-find-branch-point-1', '1f0-c', '')$$, 'LG001', NULL, 'LG001: empty second checkpoint');
SELECT throws_ok($$SELECT langgraph.find_branch_point(NULL, '1f0-c', '1f0-d')$$, 'LG001', NULL, 'LG001: NULL thread_id');
SELECT throws_ok($$SELECT langgraph.find_branch_point('pgtap4-find-branch-point-1', '1f0-c', '1f0-d', NULL)$$, 'LG001', NULL,
                 'LG001: NULL namespace');

-- Privileges, as login roles -------------------------------------------------
CREATE ROLE pgtap4_find_branch_point_app LOGIN;
CREATE ROLE pgtap4_find_branch_point_ro LOGIN;
GRANT langgraph_client TO pgtap4_find_branch_point_app;
GRANT langgraph_reader TO pgtap4_find_branch_point_ro;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA pg_temp TO pgtap4_find_branch_point_app, pgtap4_find_branch_point_ro;
GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA pg_temp TO pgtap4_find_branch_point_app, pgtap4_find_branch_point_ro;
SET ROLE pgtap4_find_branch_point_app;
SELECT is(langgraph.find_branch_point('pgtap4-find-branch-point-1', '1f0-c', '1f0-d'), '1f0-b', 'a client login can call find_branch_point');
SELECT throws_ok('SELECT * FROM langgraph.checkpoints', '42501', NULL, 'a client login cannot read the table');
RESET ROLE;
SET ROLE pgtap4_find_branch_point_ro;
SELECT is(langgraph.find_branch_point('pgtap4-find-branch-point-1', '1f0-c', '1f0-d'), '1f0-b', 'a reader login can call find_branch_point');
SELECT throws_ok($$SELECT langgraph.acquire_lease('pgtap4-find-branch-point-1', 'host-a:1')$$, '42501', NULL,
                 'a reader login cannot call a write function');
RESET ROLE;

SELECT * FROM finish();
ROLLBACK;
