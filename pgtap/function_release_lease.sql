-- pgTAP tests for the function_release_lease change: release_lease() deletes only the
-- caller's own lease and says whether there was one.
BEGIN;
SELECT plan(29);

-- Structure ------------------------------------------------------------------
SELECT has_function('langgraph', 'release_lease', ARRAY['text', 'text'], 'release_lease(text, text) exists');
SELECT function_returns('langgraph', 'release_lease', ARRAY['text', 'text'], 'boolean', 'release_lease returns boolean');
SELECT function_lang_is('langgraph', 'release_lease', ARRAY['text', 'text'], 'plpgsql', 'release_lease is written in plpgsql');
SELECT volatility_is('langgraph', 'release_lease', ARRAY['text', 'text'], 'volatile', 'release_lease is VOLATILE');
SELECT is_definer('langgraph', 'release_lease', ARRAY['text', 'text'], 'release_lease is SECURITY DEFINER');
SELECT ok((SELECT 'search_path=langgraph, pg_temp' = ANY (proconfig) FROM pg_proc WHERE oid = 'langgraph.release_lease(text, text)'::regprocedure), 'release_lease pins search_path to its schema and pg_temp');
SELECT function_privs_are('langgraph', 'release_lease', ARRAY['text', 'text'], 'public', ARRAY[]::text[],
                          'PUBLIC cannot call release_lease');
SELECT function_privs_are('langgraph', 'release_lease', ARRAY['text', 'text'], 'langgraph_reader', ARRAY[]::text[],
                          'the reader role cannot call release_lease');
SELECT function_privs_are('langgraph', 'release_lease', ARRAY['text', 'text'], 'langgraph_client', ARRAY['EXECUTE'],
                          'the client role may call release_lease');
SELECT ok(obj_description('langgraph.release_lease(text, text)'::regprocedure, 'pg_proc') ~ 'LG001',
          'the comment on release_lease names LG001');

-- Behaviour ------------------------------------------------------------------
SELECT lives_ok($$SELECT langgraph.acquire_lease('pgtap4-release-1', 'host-a:1', interval '1 hour')$$, 'a lease is taken');
SELECT is(langgraph.release_lease('pgtap4-release-1', 'host-b:2'), false, 'another owner cannot release it: false');
SELECT is((SELECT owner FROM langgraph.thread_leases WHERE thread_id = 'pgtap4-release-1'), 'host-a:1',
          'the lease is still held by its owner');
SELECT is(langgraph.release_lease('pgtap4-release-1', 'host-a:1'), true, 'the owner releases its lease: true');
SELECT is((SELECT count(*) FROM langgraph.thread_leases WHERE thread_id = 'pgtap4-release-1'), 0::bigint, 'the lease row is gone');
SELECT is(langgraph.release_lease('pgtap4-release-1', 'host-a:1'), false, 'releasing again is harmless: false');
SELECT lives_ok($$SELECT langgraph.acquire_lease('pgtap4-release-1', 'host-b:2', interval '1 minute')$$,
                'after the release another owner can take the lease');
SELECT is(langgraph.release_lease('pgtap4-release-9', 'host-a:1'), false, 'releasing a thread that never had a lease: false');

INSERT INTO langgraph.thread_leases (thread_id, owner, acquired_at, expires_at)
VALUES ('pgtap4-release-2', 'host-a:1', '2026-01-01 00:00:00+00', '2026-01-01 00:00:30+00');
SELECT is(langgraph.release_lease('pgtap4-release-2', 'host-a:1'), true, 'the owner may release its expired lease: true');
SELECT is((SELECT count(*) FROM langgraph.thread_leases WHERE thread_id = 'pgtap4-release-2'), 0::bigint,
          'the expired lease row is gone');

-- Errors ---------------------------------------------------------------------
SELECT throws_ok($$SELECT langgraph.release_lease(NULL, 'host-a:1')$$, 'LG001', NULL, 'LG001: NULL thread_id');
SELECT throws_ok($$SELECT langgraph.release_lease('', 'host-a:1')$$, 'LG001', NULL, 'LG001: empty thread_id');
SELECT throws_ok($$SELECT langgraph.release_lease(repeat('t', 1025), 'host-a:1')$$, 'LG001', NULL, 'LG001: thread_id over 1024 characters');
SELECT throws_ok($$SELECT langgraph.release_lease('pgtap4-release-1', NULL)$$, 'LG001', NULL, 'LG001: NULL owner');
SELECT throws_ok($$SELECT langgraph.release_lease('pgtap4-release-1', '')$$, 'LG001', NULL, 'LG001: empty owner');
SELECT is((SELECT owner FROM langgraph.thread_leases WHERE thread_id = 'pgtap4-release-1'), 'host-b:2',
          'the rejected calls left the lease alone');

-- Privileges, as login roles -------------------------------------------------
CREATE ROLE pgtap4_release_app LOGIN;
CREATE ROLE pgtap4_release_ro LOGIN;
GRANT langgraph_client TO pgtap4_release_app;
GRANT langgraph_reader TO pgtap4_release_ro;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA pg_temp TO pgtap4_release_app, pgtap4_release_ro;
GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA pg_temp TO pgtap4_release_app, pgtap4_release_ro;
SET ROLE pgtap4_release_app;
SELECT is(langgraph.release_lease('pgtap4-release-1', 'host-b:2'), true, 'a client login can call release_lease');
SELECT throws_ok($$DELETE FROM langgraph.thread_leases$$, '42501', NULL, 'a client login cannot delete leases directly');
RESET ROLE;
SET ROLE pgtap4_release_ro;
SELECT throws_ok($$SELECT langgraph.release_lease('pgtap4-release-1', 'host-b:2')$$, '42501', NULL,
                 'a reader login cannot call release_lease');
RESET ROLE;

SELECT * FROM finish();
ROLLBACK;
