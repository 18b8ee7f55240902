-- pgTAP tests for the function_fork_thread change: fork a thread at a checkpoint into a
-- new thread. The source: a -> b -> c and b -> d in the root namespace, s in 'sub:1';
-- pending writes on a, c, d and s; channel x changes at every checkpoint, the msgpack
-- channel m only at a and d; one stored value nobody references.
BEGIN;
SELECT plan(49);

-- Structure ------------------------------------------------------------------
SELECT has_function('langgraph', 'fork_thread', ARRAY['text', 'text', 'text', 'text'], 'fork_thread(text, text, text, text) exists');
SELECT function_returns('langgraph', 'fork_thread', ARRAY['text', 'text', 'text', 'text'], 'bigint', 'fork_thread returns bigint');
SELECT function_lang_is('langgraph', 'fork_thread', ARRAY['text', 'text', 'text', 'text'], 'plpgsql', 'fork_thread is written in plpgsql');
SELECT volatility_is('langgraph', 'fork_thread', ARRAY['text', 'text', 'text', 'text'], 'volatile', 'fork_thread is VOLATILE');
SELECT is_definer('langgraph', 'fork_thread', ARRAY['text', 'text', 'text', 'text'], 'fork_thread is SECURITY DEFINER');
SELECT ok((SELECT 'search_path=langgraph, pg_temp' = ANY (proconfig) FROM pg_proc WHERE oid = 'langgraph.fork_thread(text, text, text, text)'::regprocedure),
          'fork_thread pins search_path to its schema and pg_temp');
SELECT is((SELECT pronargdefaults FROM pg_proc WHERE oid = 'langgraph.fork_thread(text, text, text, text)'::regprocedure),
          1::smallint, 'the namespace has a default');
SELECT function_privs_are('langgraph', 'fork_thread', ARRAY['text', 'text', 'text', 'text'], 'public', ARRAY[]::text[], 'PUBLIC cannot call fork_thread');
SELECT function_privs_are('langgraph', 'fork_thread', ARRAY['text', 'text', 'text', 'text'], 'langgraph_reader', ARRAY[]::text[],
                          'the reader role cannot call fork_thread');
SELECT function_privs_are('langgraph', 'fork_thread', ARRAY['text', 'text', 'text', 'text'], 'langgraph_client', ARRAY['EXECUTE'],
                          'the client role may call fork_thread');
SELECT ok(obj_description('langgraph.fork_thread(text, text, text, text)'::regprocedure, 'pg_proc') ~ 'LG003',
          'the comment on fork_thread names LG003');

-- The source thread ----------------------------------------------------------
DO $$
BEGIN
    PERFORM langgraph.put_checkpoint('pgtap4-fork-src', '', '1f0-a', NULL, '{"channel_versions": {"x": "1", "m": "1"}}', '{"step": -1, "source": "input"}',
                                     ARRAY['x', 'm'], ARRAY['json', 'msgpack'], ARRAY['{"v": 1}'::jsonb, NULL], ARRAY[NULL, '\x01'::bytea]);
    PERFORM langgraph.put_checkpoint('pgtap4-fork-src', '', '1f0-b', '1f0-a', '{"channel_versions": {"x": "2", "m": "1"}}', '{"step": 0, "source": "loop"}',
                                     ARRAY['x'], ARRAY['json'], ARRAY['{"v": 2}'::jsonb], ARRAY[NULL::bytea]);
    PERFORM langgraph.put_checkpoint('pgtap4-fork-src', '', '1f0-c', '1f0-b', '{"channel_versions": {"x": "3", "m": "1"}}', '{"step": 1, "source": "loop"}',
                                     ARRAY['x'], ARRAY['json'], ARRAY['{"v": 3}'::jsonb], ARRAY[NULL::bytea]);
    PERFORM langgraph.put_checkpoint('pgtap4-fork-src', '', '1f0-d', '1f0-b', '{"channel_versions": {"x": "4", "m": "2"}}', '{"step": 1, "source": "update"}',
                                     ARRAY['x', 'm'], ARRAY['json', 'msgpack'], ARRAY['{"v": 4}'::jsonb, NULL], ARRAY[NULL, '\x02'::bytea]);
    PERFORM langgraph.put_checkpoint('pgtap4-fork-src', 'sub:1', '1f0-s', NULL, '{"channel_versions": {"y": "1"}}', '{"step": -1, "source": "input"}',
                                     ARRAY['y'], ARRAY['json'], ARRAY['1'::jsonb], ARRAY[NULL::bytea]);
    PERFORM langgraph.put_writes('pgtap4-fork-src', '', '1f0-a', 'task-1', ARRAY['x'], ARRAY['json'], ARRAY['10'::jsonb], ARRAY[NULL::bytea], 'path-1');
    PERFORM langgraph.put_writes('pgtap4-fork-src', '', '1f0-c', 'task-2', ARRAY['x', 'm'], ARRAY['json', 'msgpack'], ARRAY['30'::jsonb, NULL], ARRAY[NULL, '\x03'::bytea]);
    PERFORM langgraph.put_writes('pgtap4-fork-src', '', '1f0-d', 'task-3', ARRAY['x'], ARRAY['json'], ARRAY['40'::jsonb], ARRAY[NULL::bytea]);
    PERFORM langgraph.put_writes('pgtap4-fork-src', 'sub:1', '1f0-s', 'task-4', ARRAY['y'], ARRAY['json'], ARRAY['2'::jsonb], ARRAY[NULL::bytea]);
END
$$;
-- Distinct, explicit creation times, so copies can be seen to keep them.
UPDATE langgraph.checkpoints SET created_at = timestamptz '2026-01-01 00:00:00+00' + ascii(right(checkpoint_id, 1)) * interval '1 minute'
WHERE thread_id = 'pgtap4-fork-src';
UPDATE langgraph.checkpoint_writes SET created_at = timestamptz '2026-01-02 00:00:00+00' + idx * interval '1 second'
WHERE thread_id = 'pgtap4-fork-src';
-- A stored value no checkpoint references (left over from an interrupted run).
INSERT INTO langgraph.checkpoint_blobs (thread_id, checkpoint_ns, channel, version, type, value)
VALUES ('pgtap4-fork-src', '', 'x', '99', 'json', '"unreferenced"');
CREATE TEMP TABLE pgtap4_fork_source AS
SELECT (SELECT count(*) FROM langgraph.checkpoints WHERE thread_id = 'pgtap4-fork-src') AS checkpoints,
       (SELECT count(*) FROM langgraph.checkpoint_blobs WHERE thread_id = 'pgtap4-fork-src') AS blobs,
       (SELECT count(*) FROM langgraph.checkpoint_writes WHERE thread_id = 'pgtap4-fork-src') AS writes;

-- Behaviour: fork at c -------------------------------------------------------
SELECT is(langgraph.fork_thread('pgtap4-fork-src', '1f0-c', 'pgtap4-fork-c'), 3::bigint, 'forking at c copies 3 checkpoints: a, b, c');
SELECT results_eq($$SELECT checkpoint_ns COLLATE "default", checkpoint_id COLLATE "default", parent_checkpoint_id COLLATE "default"
                    FROM langgraph.checkpoints WHERE thread_id = 'pgtap4-fork-c' ORDER BY 1, 2$$,
                  $$VALUES ('', '1f0-a', NULL), ('', '1f0-b', '1f0-a'), ('', '1f0-c', '1f0-b')$$,
                  'exactly the path root..c: not the sibling d, not namespace sub:1');
SELECT results_eq($$SELECT checkpoint_id, checkpoint, metadata, created_at FROM langgraph.checkpoints WHERE thread_id = 'pgtap4-fork-c' ORDER BY 1$$,
                  $$SELECT checkpoint_id, checkpoint, metadata, created_at FROM langgraph.checkpoints
                    WHERE thread_id = 'pgtap4-fork-src' AND checkpoint_ns = '' AND checkpoint_id <> '1f0-d' ORDER BY 1$$,
                  'documents, metadata and created_at are kept');
SELECT results_eq($$SELECT channel COLLATE "default", version COLLATE "default" FROM langgraph.checkpoint_blobs WHERE thread_id = 'pgtap4-fork-c' ORDER BY 1, 2$$,
                  $$VALUES ('m', '1'), ('x', '1'), ('x', '2'), ('x', '3')$$,
                  'only the values the path references: x at 1..3 and m at 1, not d''s x 4 and m 2, not the unreferenced x 99');
SELECT results_eq($$SELECT checkpoint_id COLLATE "default", task_id COLLATE "default", idx FROM langgraph.checkpoint_writes WHERE thread_id = 'pgtap4-fork-c' ORDER BY 1, 2, 3$$,
                  $$VALUES ('1f0-a', 'task-1', 0), ('1f0-c', 'task-2', 0), ('1f0-c', 'task-2', 1)$$,
                  'the pending writes of a and c, not those of d or s');
SELECT is((SELECT count(*) FROM langgraph.threads WHERE thread_id = 'pgtap4-fork-c'), 1::bigint, 'the fork has a thread row');
SELECT is((SELECT ROW(checkpoints, blobs, writes)::text FROM pgtap4_fork_source),
          (SELECT ROW((SELECT count(*) FROM langgraph.checkpoints WHERE thread_id = 'pgtap4-fork-src'),
                      (SELECT count(*) FROM langgraph.checkpoint_blobs WHERE thread_id = 'pgtap4-fork-src'),
                      (SELECT count(*) FROM langgraph.checkpoint_writes WHERE thread_id = 'pgtap4-fork-src'))::text),
          'the source is unchanged');

-- The fork loads like the source did at c.
SELECT is((SELECT checkpoint_id FROM langgraph.get_checkpoint('pgtap4-fork-c')), '1f0-c', 'c is the fork''s latest checkpoint');
SELECT results_eq($$SELECT checkpoint_id, parent_checkpoint_id, checkpoint, metadata, channel_names, channel_types, channel_values, channel_blobs
                    FROM langgraph.get_checkpoint('pgtap4-fork-c')$$,
                  $$SELECT checkpoint_id, parent_checkpoint_id, checkpoint, metadata, channel_names, channel_types, channel_values, channel_blobs
                    FROM langgraph.get_checkpoint('pgtap4-fork-src', '', '1f0-c')$$,
                  'get_checkpoint on the fork returns c with the same channel values as the source');
SELECT is((SELECT ROW(channel_names, channel_values, channel_blobs)::text FROM langgraph.get_checkpoint('pgtap4-fork-c')),
          ROW(ARRAY['m', 'x'], ARRAY[NULL, '{"v": 3}'::jsonb], ARRAY['\x01'::bytea, NULL])::text,
          'the values are c''s: m is a''s bytes, x is {"v": 3}');
SELECT results_eq($$SELECT write_task_ids, write_channels, write_values, write_blobs FROM langgraph.get_checkpoint('pgtap4-fork-c')$$,
                  $$SELECT write_task_ids, write_channels, write_values, write_blobs FROM langgraph.get_checkpoint('pgtap4-fork-src', '', '1f0-c')$$,
                  'the fork''s latest carries c''s pending writes');
SELECT results_eq($$SELECT depth, checkpoint_id FROM langgraph.get_ancestors('pgtap4-fork-c')$$,
                  $$SELECT depth, checkpoint_id FROM langgraph.get_ancestors('pgtap4-fork-src', '', '1f0-c')$$,
                  'the fork''s lineage is the path that led to c');
SELECT results_eq($$SELECT head_checkpoint_id, branch_point_id, length FROM langgraph.list_branches('pgtap4-fork-c')$$,
                  $$VALUES ('1f0-c', NULL::text, 3)$$, 'the fork is one branch of 3 checkpoints');

-- The fork continues on its own.
SELECT lives_ok($$SELECT langgraph.put_checkpoint('pgtap4-fork-c', '', '1f0-e', '1f0-c', '{"channel_versions": {"x": "5", "m": "1"}}',
                      '{"source": "loop"}', ARRAY['x'], ARRAY['json'], ARRAY['{"v": 5}'::jsonb], ARRAY[NULL::bytea], p_exclusive => true)$$,
                'a graph step continues the fork from c, in exclusive mode');
SELECT is((SELECT count(*) FROM langgraph.checkpoints WHERE thread_id = 'pgtap4-fork-src' AND checkpoint_id = '1f0-e'), 0::bigint,
          'the source does not see the fork''s new checkpoint');

-- Behaviour: defaults and namespaces -----------------------------------------
SELECT is(langgraph.fork_thread('pgtap4-fork-src', NULL, 'pgtap4-fork-latest'), 3::bigint, 'a NULL checkpoint forks at the latest');
SELECT results_eq($$SELECT checkpoint_id COLLATE "default" FROM langgraph.checkpoints WHERE thread_id = 'pgtap4-fork-latest' ORDER BY 1$$,
                  $$VALUES ('1f0-a'), ('1f0-b'), ('1f0-d')$$, 'the latest is d: a, b, d are copied');
SELECT is((SELECT count(*) FROM langgraph.checkpoint_blobs WHERE thread_id = 'pgtap4-fork-latest'), 5::bigint,
          'with x at 1, 2, 4 and m at 1, 2');
SELECT is(langgraph.fork_thread('pgtap4-fork-src', '1f0-a', 'pgtap4-fork-root'), 1::bigint, 'forking at the root copies the root alone');
SELECT is(langgraph.fork_thread('pgtap4-fork-src', NULL, 'pgtap4-fork-sub', 'sub:1'), 1::bigint, 'forking in namespace sub:1');
SELECT results_eq($$SELECT checkpoint_ns COLLATE "default", checkpoint_id COLLATE "default" FROM langgraph.checkpoints WHERE thread_id = 'pgtap4-fork-sub'$$,
                  $$VALUES ('sub:1', '1f0-s')$$, 'only that namespace is copied');
INSERT INTO langgraph.threads (thread_id) VALUES ('pgtap4-fork-empty');
SELECT is(langgraph.fork_thread('pgtap4-fork-src', '1f0-b', 'pgtap4-fork-empty'), 2::bigint,
          'a target that has a thread row but no checkpoints may be forked into');

-- Errors: every documented SQLSTATE, and a rejected fork changes nothing -----
CREATE TEMP TABLE pgtap4_fork_before AS
SELECT (SELECT count(*) FROM langgraph.threads WHERE thread_id LIKE 'pgtap4-fork-%')
     + (SELECT count(*) FROM langgraph.checkpoints WHERE thread_id LIKE 'pgtap4-fork-%')
     + (SELECT count(*) FROM langgraph.checkpoint_blobs WHERE thread_id LIKE 'pgtap4-fork-%')
     + (SELECT count(*) FROM langgraph.checkpoint_writes WHERE thread_id LIKE 'pgtap4-fork-%') AS n;
SELECT throws_ok($$SELECT langgraph.fork_thread('pgtap4-fork-src', '1f0-c', 'pgtap4-fork-src')$$, 'LG003',
                 'cannot fork thread pgtap4-fork-src into itself', 'LG003: forking a thread into itself');
SELECT throws_ok($$SELECT langgraph.fork_thread('pgtap4-fork-src', '1f0-d', 'pgtap4-fork-c')$$, 'LG003',
                 'target thread pgtap4-fork-c already has checkpoints', 'LG003: the target already has checkpoints');
SELECT throws_ok($$SELECT langgraph.fork_thread('pgtap4-fork-src', '1f0-d', 'pgtap4-fork-sub')$$, 'LG003', NULL,
                 'LG003: the target has checkpoints in another namespace');
SELECT throws_ok($$SELECT langgraph.fork_thread('pgtap4-fork-src', '1f0-missing', 'pgtap4-fork-new')$$, 'LG004', NULL,
                 'LG004: unknown checkpoint');
SELECT throws_ok($$SELECT langgraph.fork_thread('pgtap4-fork-src', '1f0-s', 'pgtap4-fork-new')$$, 'LG004', NULL,
                 'LG004: a checkpoint of another namespace');
SELECT throws_ok($$SELECT langgraph.fork_thread('pgtap4-fork-nowhere', NULL, 'pgtap4-fork-new')$$, 'LG004', NULL,
                 'LG004: a source without checkpoints');
SELECT throws_ok($$SELECT langgraph.fork_thread('pgtap4-fork-src', '1f0-c', NULL)$$, 'LG001', NULL, 'LG001: NULL target');
SELECT throws_ok($$SELECT langgraph.fork_thread('pgtap4-fork-src', '1f0-c', '')$$, 'LG001', NULL, 'LG001: empty target');
SELECT throws_ok($$SELECT langgraph.fork_thread('pgtap4-fork-src', '1f0-c', repeat('t', 1025))$$, 'LG001', NULL, 'LG001: target over 1024 characters');
SELECT throws_ok($$SELECT langgraph.fork_thread(NULL, '1f0-c', 'pgtap4-fork-new')$$, 'LG001', NULL, 'LG001: NULL source');
SELECT throws_ok($$SELECT langgraph.fork_thread('pgtap4-fork-src', '', 'pgtap4-fork-new')$$, 'LG001', NULL, 'LG001: empty checkpoint_id');
SELECT throws_ok($$SELECT langgraph.fork_thread('pgtap4-fork-src', '1f0-c', 'pgtap4-fork-new', NULL)$$, 'LG001', NULL, 'LG001: NULL namespace');
SELECT is((SELECT (SELECT count(*) FROM langgraph.threads WHERE thread_id LIKE 'pgtap4-fork-%')
                + (SELECT count(*) FROM langgraph.checkpoints WHERE thread_id LIKE 'pgtap4-fork-%')
                + (SELECT count(*) FROM langgraph.checkpoint_blobs WHERE thread_id LIKE 'pgtap4-fork-%')
                + (SELECT count(*) FROM langgraph.checkpoint_writes WHERE thread_id LIKE 'pgtap4-fork-%')),
          (SELECT n FROM pgtap4_fork_before), 'the rejected forks added no row, not even a thread row');

-- Privileges, as login roles -------------------------------------------------
CREATE ROLE pgtap4_fork_app LOGIN;
CREATE ROLE pgtap4_fork_ro LOGIN;
GRANT langgraph_client TO pgtap4_fork_app;
GRANT langgraph_reader TO pgtap4_fork_ro;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA pg_temp TO pgtap4_fork_app, pgtap4_fork_ro;
GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA pg_temp TO pgtap4_fork_app, pgtap4_fork_ro;
SET ROLE pgtap4_fork_app;
SELECT is(langgraph.fork_thread('pgtap4-fork-src', '1f0-c', 'pgtap4-fork-app'), 3::bigint, 'a client login can call fork_thread');
SELECT throws_ok($$SELECT langgraph._copy_checkpoints('pgtap4-fork-src', 'pgtap4-fork-app2', NULL, NULL)$$, '42501', NULL,
                 'a client login cannot call the internal copy');
RESET ROLE;
SET ROLE pgtap4_fork_ro;
SELECT throws_ok($$SELECT langgraph.fork_thread('pgtap4-fork-src', '1f0-c', 'pgtap4-fork-ro')$$, '42501', NULL,
                 'a reader login cannot call fork_thread');
RESET ROLE;

SELECT * FROM finish();
ROLLBACK;
