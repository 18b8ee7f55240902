-- pgTAP tests for the function_list_branches change: the head of every branch of a
-- thread's namespace, where it split off, its length, and which head is the latest.
-- The tree:  a -> b -> c  and  b -> d, plus a namespace 'sub:1' with a linear a -> z.
BEGIN;
SELECT plan(34);

-- Structure ------------------------------------------------------------------
SELECT has_function('langgraph', 'list_branches', ARRAY['text', 'text'], 'list_branches(text, text) exists');
SELECT function_returns('langgraph', 'list_branches', ARRAY['text', 'text'], 'setof record', 'list_branches returns a set');
SELECT is(pg_get_function_result('langgraph.list_branches(text, text)'::regprocedure),
          'TABLE(head_checkpoint_id text, branch_point_id text, length integer, is_latest boolean, metadata jsonb, created_at timestamp with time zone)',
          'list_branches returns head_checkpoint_id, branch_point_id, length, is_latest, metadata, created_at');
SELECT volatility_is('langgraph', 'list_branches', ARRAY['text', 'text'], 'stable', 'list_branches is STABLE');
SELECT is_definer('langgraph', 'list_branches', ARRAY['text', 'text'], 'list_branches is SECURITY DEFINER');
SELECT ok((SELECT 'search_path=langgraph, pg_temp' = ANY (proconfig) FROM pg_proc WHERE oid = 'langgraph.list_branches(text, text)'::regprocedure),
          'list_branches pins search_path to its schema and pg_temp');
SELECT is((SELECT pronargdefaults FROM pg_proc WHERE oid = 'langgraph.list_branches(text, text)'::regprocedure),
          1::smallint, 'the namespace has a default');
SELECT function_privs_are('langgraph', 'list_branches', ARRAY['text', 'text'], 'public', ARRAY[]::text[], 'PUBLIC cannot call list_branches');
SELECT function_privs_are('langgraph', 'list_branches', ARRAY['text', 'text'], 'langgraph_reader', ARRAY['EXECUTE'],
                          'the reader role may call list_branches');
SELECT function_privs_are('langgraph', 'list_branches', ARRAY['text', 'text'], 'langgraph_client', ARRAY['EXECUTE'],
                          'the client role may call list_branches (through the reader role)');
SELECT ok(obj_description('langgraph.list_branches(text, text)'::regprocedure, 'pg_proc') ~ 'LG001',
          'the comment on list_branches names LG001');

-- The tree -------------------------------------------------------------------
DO $$
BEGIN
    PERFORM langgraph.put_checkpoint('pgtap4-list-branches-1', '', '1f0-a', NULL,    '{"channel_versions": {"x": "1"}}', '{"step": -1, "source": "input"}');
    PERFORM langgraph.put_checkpoint('pgtap4-list-branches-1', '', '1f0-b', '1f0-a', '{"channel_versions": {"x": "2"}}', '{"step": 0, "source": "loop"}');
    PERFORM langgraph.put_checkpoint('pgtap4-list-branches-1', '', '1f0-c', '1f0-b', '{"channel_versions": {"x": "3"}}', '{"step": 1, "source": "loop"}');
    PERFORM langgraph.put_checkpoint('pgtap4-list-branches-1', '', '1f0-d', '1f0-b', '{"channel_versions": {"x": "4"}}', '{"step": 1, "source": "update"}');
    PERFORM langgraph.put_checkpoint('pgtap4-list-branches-1', 'sub:1', '1f0-a', NULL,    '{}', '{"step": -1, "source": "input"}');
    PERFORM langgraph.put_checkpoint('pgtap4-list-branches-1', 'sub:1', '1f0-z', '1f0-a', '{}', '{"step": 0, "source": "loop"}');
END
$$;

-- Behaviour ------------------------------------------------------------------
SELECT results_eq($$SELECT head_checkpoint_id, branch_point_id, length, is_latest FROM langgraph.list_branches('pgtap4-list-branches-1')$$,
                  $$VALUES ('1f0-d', '1f0-b', 1, true), ('1f0-c', '1f0-b', 1, false)$$,
                  'two heads, newest first, both split off at b, one checkpoint long; d is the latest');
SELECT results_eq($$SELECT metadata, created_at FROM langgraph.list_branches('pgtap4-list-branches-1')$$,
                  $$SELECT metadata, created_at FROM langgraph.checkpoints WHERE thread_id = 'pgtap4-list-branches-1' AND checkpoint_ns = ''
                    AND checkpoint_id IN ('1f0-c', '1f0-d') ORDER BY checkpoint_id DESC$$,
                  'metadata and created_at are the head''s');
SELECT is((SELECT head_checkpoint_id FROM langgraph.list_branches('pgtap4-list-branches-1') WHERE is_latest),
          (SELECT checkpoint_id FROM langgraph.get_checkpoint('pgtap4-list-branches-1')),
          'the head marked is_latest is the one get_checkpoint loads');
SELECT results_eq($$SELECT head_checkpoint_id, branch_point_id, length, is_latest FROM langgraph.list_branches('pgtap4-list-branches-1', 'sub:1')$$,
                  $$VALUES ('1f0-z', NULL::text, 2, true)$$,
                  'a linear namespace is one branch back to the root: no branch point, length 2');
SELECT is_empty($$SELECT * FROM langgraph.list_branches('pgtap4-list-branches-9')$$, 'a thread without checkpoints has no branches');
SELECT is_empty($$SELECT * FROM langgraph.list_branches('pgtap4-list-branches-1', 'sub:none')$$, 'an empty namespace has no branches');

-- The d branch grows, and a second branch splits off the root.
SELECT lives_ok($$SELECT langgraph.put_checkpoint('pgtap4-list-branches-1', '', '1f0-e', '1f0-d', '{}', '{"step": 2, "source": "loop"}')$$,
                'e continues d');
SELECT results_eq($$SELECT head_checkpoint_id, branch_point_id, length, is_latest FROM langgraph.list_branches('pgtap4-list-branches-1')$$,
                  $$VALUES ('1f0-e', '1f0-b', 2, true), ('1f0-c', '1f0-b', 1, false)$$,
                  'd is no longer a head; the branch from b is now d, e: length 2');
SELECT lives_ok($$SELECT langgraph.put_checkpoint('pgtap4-list-branches-1', '', '1f0-f', '1f0-a', '{}', '{"step": 0, "source": "fork"}')$$,
                'f forks from the root');
SELECT results_eq($$SELECT head_checkpoint_id, branch_point_id, length, is_latest FROM langgraph.list_branches('pgtap4-list-branches-1')$$,
                  $$VALUES ('1f0-f', '1f0-a', 1, true), ('1f0-e', '1f0-b', 2, false), ('1f0-c', '1f0-b', 1, false)$$,
                  'three heads: f split off at the root a, which now has two children');

-- Two roots in one namespace: each is a branch reaching its own root.
SELECT lives_ok($$SELECT langgraph.put_checkpoint('pgtap4-list-branches-1', 'sub:2', '1f0-r1', NULL, '{}')$$, 'a first root in sub:2');
SELECT lives_ok($$SELECT langgraph.put_checkpoint('pgtap4-list-branches-1', 'sub:2', '1f0-r2', NULL, '{}')$$, 'a second root in sub:2');
SELECT results_eq($$SELECT head_checkpoint_id, branch_point_id, length, is_latest FROM langgraph.list_branches('pgtap4-list-branches-1', 'sub:2')$$,
                  $$VALUES ('1f0-r2', NULL::text, 1, true), ('1f0-r1', NULL, 1, false)$$,
                  'two parentless checkpoints are two branches without a branch point');

-- Deleting a checkpoint re-parents its children, so the branch below reaches the root.
SELECT lives_ok($$SELECT langgraph.delete_checkpoint('pgtap4-list-branches-1', '1f0-a', 'sub:1')$$, 'the root of sub:1 is deleted');
SELECT results_eq($$SELECT head_checkpoint_id, branch_point_id, length, is_latest FROM langgraph.list_branches('pgtap4-list-branches-1', 'sub:1')$$,
                  $$VALUES ('1f0-z', NULL::text, 1, true)$$,
                  'the surviving checkpoint is a branch of length 1 with no branch point');

-- Errors: every documented SQLSTATE ------------------------------------------
SELECT throws_ok($$SELECT * FROM langgraph.list_branches(NULL)$$, 'LG001', NULL, 'LG001: NULL thread_id');
SELECT throws_ok($$SELECT * FROM langgraph.list_branches('')$$, 'LG001', NULL, 'LG001: empty thread_id');
SELECT throws_ok($$SELECT * FROM langgraph.list_branches(repeat('t', 1025))$$, 'LG001', NULL, 'LG001: thread_id over 1024 characters');
SELECT throws_ok($$SELECT * FROM langgraph.list_branches('pgtap4-list-branches-1', NULL)$$, 'LG001', NULL, 'LG001: NULL namespace');

-- Privileges, as login roles -------------------------------------------------
CREATE ROLE pgtap4_list_branches_app LOGIN;
CREATE ROLE pgtap4_list_branches_ro LOGIN;
GRANT langgraph_client TO pgtap4_list_branches_app;
GRANT langgraph_reader TO pgtap4_list_branches_ro;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA pg_temp TO pgtap4_list_branches_app, pgtap4_list_branches_ro;
GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA pg_temp TO pgtap4_list_branches_app, pgtap4_list_branches_ro;
SET ROLE pgtap4_list_branches_app;
SELECT is((SELECT count(*) FROM langgraph.list_branches('pgtap4-list-branches-1')), 3::bigint, 'a client login can call list_branches');
SELECT throws_ok('SELECT * FROM langgraph.checkpoints', '42501', NULL, 'a client login cannot read the table');
RESET ROLE;
SET ROLE pgtap4_list_branches_ro;
SELECT is((SELECT count(*) FROM langgraph.list_branches('pgtap4-list-branches-1')), 3::bigint, 'a reader login can call list_branches');
SELECT throws_ok($$SELECT langgraph.put_checkpoint('pgtap4-list-branches-1', '', '1f0-g', '1f0-f', '{}')$$, '42501', NULL,
                 'a reader login cannot call put_checkpoint');
RESET ROLE;

SELECT * FROM finish();
ROLLBACK;
