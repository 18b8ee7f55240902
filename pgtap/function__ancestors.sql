-- pgTAP tests for the function__ancestors change: the internal parent-chain walk
-- _ancestors() and _resolve_checkpoint(), which every lineage function starts with.
-- The tree:  a -> b -> c  and  b -> d  (ids sort in time order), plus a namespace
-- 'sub:1' holding its own a -> z, to show walks never leave their namespace.
BEGIN;
SELECT plan(43);

-- Structure ------------------------------------------------------------------
SELECT has_function('langgraph', '_ancestors', ARRAY['text', 'text', 'text', 'integer'], '_ancestors(text, text, text, integer) exists');
SELECT function_returns('langgraph', '_ancestors', ARRAY['text', 'text', 'text', 'integer'], 'setof record', '_ancestors returns a set');
SELECT is(pg_get_function_result('langgraph._ancestors(text, text, text, integer)'::regprocedure),
          'TABLE(depth integer, checkpoint_id text, parent_checkpoint_id text, metadata jsonb, created_at timestamp with time zone)',
          '_ancestors returns depth, checkpoint_id, parent_checkpoint_id, metadata, created_at');
SELECT volatility_is('langgraph', '_ancestors', ARRAY['text', 'text', 'text', 'integer'], 'stable', '_ancestors is STABLE');
SELECT isnt_definer('langgraph', '_ancestors', ARRAY['text', 'text', 'text', 'integer'], '_ancestors is not SECURITY DEFINER');
SELECT ok((SELECT 'search_path=langgraph, pg_temp' = ANY (proconfig) FROM pg_proc WHERE oid = 'langgraph._ancestors(text, text, text, integer)'::regprocedure), '_ancestors pins search_path');
SELECT function_privs_are('langgraph', '_ancestors', ARRAY['text', 'text', 'text', 'integer'], 'public', ARRAY[]::text[],
                          'PUBLIC cannot call _ancestors');
SELECT function_privs_are('langgraph', '_ancestors', ARRAY['text', 'text', 'text', 'integer'], 'langgraph_client', ARRAY[]::text[],
                          'the client role cannot call _ancestors');
SELECT function_privs_are('langgraph', '_ancestors', ARRAY['text', 'text', 'text', 'integer'], 'langgraph_reader', ARRAY[]::text[],
                          'the reader role cannot call _ancestors');

SELECT has_function('langgraph', '_resolve_checkpoint', ARRAY['text', 'text', 'text'], '_resolve_checkpoint(text, text, text) exists');
SELECT function_returns('langgraph', '_resolve_checkpoint', ARRAY['text', 'text', 'text'], 'text', '_resolve_checkpoint returns text');
SELECT volatility_is('langgraph', '_resolve_checkpoint', ARRAY['text', 'text', 'text'], 'stable', '_resolve_checkpoint is STABLE');
SELECT isnt_definer('langgraph', '_resolve_checkpoint', ARRAY['text', 'text', 'text'], '_resolve_checkpoint is not SECURITY DEFINER');
SELECT ok((SELECT 'search_path=langgraph, pg_temp' = ANY (proconfig) FROM pg_proc WHERE oid = 'langgraph._resolve_checkpoint(text, text, text)'::regprocedure), '_resolve_checkpoint pins search_path');
SELECT function_privs_are('langgraph', '_resolve_checkpoint', ARRAY['text', 'text', 'text'], 'public', ARRAY[]::text[],
                          'PUBLIC cannot call _resolve_checkpoint');
SELECT function_privs_are('langgraph', '_resolve_checkpoint', ARRAY['text', 'text', 'text'], 'langgraph_client', ARRAY[]::text[],
                          'the client role cannot call _resolve_checkpoint');
SELECT function_privs_are('langgraph', '_resolve_checkpoint', ARRAY['text', 'text', 'text'], 'langgraph_reader', ARRAY[]::text[],
                          'the reader role cannot call _resolve_checkpoint');

-- The tree -------------------------------------------------------------------
DO $$
BEGIN
    PERFORM langgraph.put_checkpoint('pgtap4-ancestors-1', '', '1f0-a', NULL,    '{"channel_versions": {"x": "1"}}', '{"step": -1, "source": "input"}');
    PERFORM langgraph.put_checkpoint('pgtap4-ancestors-1', '', '1f0-b', '1f0-a', '{"channel_versions": {"x": "2"}}', '{"step": 0, "source": "loop"}');
    PERFORM langgraph.put_checkpoint('pgtap4-ancestors-1', '', '1f0-c', '1f0-b', '{"channel_versions": {"x": "3"}}', '{"step": 1, "source": "loop"}');
    PERFORM langgraph.put_checkpoint('pgtap4-ancestors-1', '', '1f0-d', '1f0-b', '{"channel_versions": {"x": "4"}}', '{"step": 1, "source": "update"}');
    PERFORM langgraph.put_checkpoint('pgtap4-ancestors-1', 'sub:1', '1f0-a', NULL,    '{}', '{"step": -1, "source": "input"}');
    PERFORM langgraph.put_checkpoint('pgtap4-ancestors-1', 'sub:1', '1f0-z', '1f0-a', '{}', '{"step": 0, "source": "loop"}');
END
$$;

-- Behaviour: _ancestors ------------------------------------------------------
SELECT results_eq($$SELECT depth, checkpoint_id, parent_checkpoint_id FROM langgraph._ancestors('pgtap4-ancestors-1', '', '1f0-c') ORDER BY depth$$,
                  $$VALUES (0, '1f0-c', '1f0-b'), (1, '1f0-b', '1f0-a'), (2, '1f0-a', NULL)$$,
                  'the walk from c: c at depth 0, then b, then the root a');
SELECT results_eq($$SELECT depth, checkpoint_id FROM langgraph._ancestors('pgtap4-ancestors-1', '', '1f0-d') ORDER BY depth$$,
                  $$VALUES (0, '1f0-d'), (1, '1f0-b'), (2, '1f0-a')$$,
                  'the walk from d goes through the shared b, never through its sibling c');
SELECT results_eq($$SELECT depth, checkpoint_id FROM langgraph._ancestors('pgtap4-ancestors-1', '', '1f0-a')$$,
                  $$VALUES (0, '1f0-a')$$, 'the walk from the root is the root alone');
SELECT results_eq($$SELECT depth, checkpoint_id FROM langgraph._ancestors('pgtap4-ancestors-1', '', '1f0-c', 1) ORDER BY depth$$,
                  $$VALUES (0, '1f0-c'), (1, '1f0-b')$$, 'p_max_depth 1 stops one step up');
SELECT results_eq($$SELECT depth, checkpoint_id FROM langgraph._ancestors('pgtap4-ancestors-1', '', '1f0-c', 0)$$,
                  $$VALUES (0, '1f0-c')$$, 'p_max_depth 0 is the checkpoint alone');
SELECT is((SELECT count(*) FROM langgraph._ancestors('pgtap4-ancestors-1', '', '1f0-c', 100)), 3::bigint,
          'a p_max_depth beyond the root stops at the root');
SELECT results_eq($$SELECT metadata, created_at FROM langgraph._ancestors('pgtap4-ancestors-1', '', '1f0-c') ORDER BY depth$$,
                  $$SELECT metadata, created_at FROM langgraph.checkpoints WHERE thread_id = 'pgtap4-ancestors-1' AND checkpoint_ns = ''
                    AND checkpoint_id IN ('1f0-a', '1f0-b', '1f0-c') ORDER BY checkpoint_id DESC$$,
                  'metadata and created_at come from each checkpoint');
SELECT results_eq($$SELECT depth, checkpoint_id, parent_checkpoint_id FROM langgraph._ancestors('pgtap4-ancestors-1', 'sub:1', '1f0-z') ORDER BY depth$$,
                  $$VALUES (0, '1f0-z', '1f0-a'), (1, '1f0-a', NULL)$$, 'a walk in namespace sub:1 stays in it');
SELECT is((SELECT metadata ->> 'source' FROM langgraph._ancestors('pgtap4-ancestors-1', 'sub:1', '1f0-z') WHERE depth = 1), 'input',
          'the sub:1 root is the namespace''s own a, not the root namespace''s');
SELECT is_empty($$SELECT * FROM langgraph._ancestors('pgtap4-ancestors-1', '', '1f0-missing')$$,
                'an unknown start gives no rows: resolving and raising is _resolve_checkpoint''s job');
SELECT is_empty($$SELECT * FROM langgraph._ancestors('pgtap4-ancestors-1', 'sub:1', '1f0-c')$$,
                'a start that exists only in another namespace gives no rows');

-- Behaviour: _resolve_checkpoint ---------------------------------------------
SELECT is(langgraph._resolve_checkpoint('pgtap4-ancestors-1', '', '1f0-b'), '1f0-b', 'an existing id resolves to itself');
SELECT is(langgraph._resolve_checkpoint('pgtap4-ancestors-1', '', NULL), '1f0-d', 'NULL resolves to the latest id of the namespace');
SELECT is(langgraph._resolve_checkpoint('pgtap4-ancestors-1', 'sub:1', NULL), '1f0-z', 'the latest is per namespace');

-- A dangling parent (a row deleted behind the API's back): the walk stops at the cut.
DELETE FROM langgraph.checkpoints WHERE thread_id = 'pgtap4-ancestors-1' AND checkpoint_ns = '' AND checkpoint_id = '1f0-b';
SELECT results_eq($$SELECT depth, checkpoint_id, parent_checkpoint_id FROM langgraph._ancestors('pgtap4-ancestors-1', '', '1f0-c')$$,
                  $$VALUES (0, '1f0-c', '1f0-b')$$, 'when the parent row is gone the walk ends at the cut');

-- Errors: _resolve_checkpoint raises LG001 and LG004 -------------------------
SELECT throws_ok($$SELECT langgraph._resolve_checkpoint('pgtap4-ancestors-1', '', '1f0-missing')$$, 'LG004',
                 'checkpoint 1f0-missing not found in thread pgtap4-ancestors-1 (namespace '''')', 'LG004: an unknown id, named in the message');
SELECT throws_ok($$SELECT langgraph._resolve_checkpoint('pgtap4-ancestors-1', 'sub:1', '1f0-c')$$, 'LG004', NULL,
                 'LG004: an id of another namespace');
SELECT throws_ok($$SELECT langgraph._resolve_checkpoint('pgtap4-ancestors-9', '', NULL)$$, 'LG004',
                 'checkpoint (latest) not found in thread pgtap4-ancestors-9 (namespace '''')', 'LG004: the latest of a thread with no checkpoints');
SELECT throws_ok($$SELECT langgraph._resolve_checkpoint('pgtap4-ancestors-1', '', '1f0-b')$$, 'LG004', NULL,
                 'LG004: a checkpoint that was deleted');
SELECT throws_ok($$SELECT langgraph._resolve_checkpoint(NULL, '', NULL)$$, 'LG001', NULL, 'LG001: NULL thread_id');
SELECT throws_ok($$SELECT langgraph._resolve_checkpoint('', '', NULL)$$, 'LG001', NULL, 'LG001: empty thread_id');
SELECT throws_ok($$SELECT langgraph._resolve_checkpoint('pgtap4-ancestors-1', NULL, NULL)$$, 'LG001', NULL, 'LG001: NULL namespace');
SELECT throws_ok($$SELECT langgraph._resolve_checkpoint('pgtap4-ancestors-1', '', '')$$, 'LG001', NULL, 'LG001: empty checkpoint_id');
SELECT throws_ok($$SELECT langgraph._resolve_checkpoint('pgtap4-ancestors-1', '', repeat('c', 1025))$$, 'LG001', NULL,
                 'LG001: checkpoint_id over 1024 characters');

-- Privileges, as a login role ------------------------------------------------
CREATE ROLE pgtap4_ancestors_app LOGIN;
GRANT langgraph_client TO pgtap4_ancestors_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA pg_temp TO pgtap4_ancestors_app;
GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA pg_temp TO pgtap4_ancestors_app;
SET ROLE pgtap4_ancestors_app;
SELECT throws_ok($$SELECT * FROM langgraph._ancestors('pgtap4-ancestors-1', '', '1f0-c')$$, '42501', NULL,
                 'a client login cannot call _ancestors');
SELECT throws_ok($$SELECT langgraph._resolve_checkpoint('pgtap4-ancestors-1', '', NULL)$$, '42501', NULL,
                 'a client login cannot call _resolve_checkpoint');
RESET ROLE;

SELECT * FROM finish();
ROLLBACK;
