-- pgTAP tests for the function_acquire_lease change: acquire_lease() and the internal
-- _check_ttl(). Leases use clock_timestamp(), so expiries are checked against the clock,
-- and an expired lease is made by inserting explicit past times.
BEGIN;
SELECT plan(51);

-- Structure ------------------------------------------------------------------
SELECT has_function('langgraph', 'acquire_lease', ARRAY['text', 'text', 'interval'], 'acquire_lease(text, text, interval) exists');
SELECT function_returns('langgraph', 'acquire_lease', ARRAY['text', 'text', 'interval'], 'timestamp with time zone',
                        'acquire_lease returns timestamptz (the expiry)');
SELECT function_lang_is('langgraph', 'acquire_lease', ARRAY['text', 'text', 'interval'], 'plpgsql', 'acquire_lease is written in plpgsql');
SELECT volatility_is('langgraph', 'acquire_lease', ARRAY['text', 'text', 'interval'], 'volatile', 'acquire_lease is VOLATILE');
SELECT is_definer('langgraph', 'acquire_lease', ARRAY['text', 'text', 'interval'], 'acquire_lease is SECURITY DEFINER');
SELECT ok((SELECT 'search_path=langgraph, pg_temp' = ANY (proconfig) FROM pg_proc WHERE oid = 'langgraph.acquire_lease(text, text, interval)'::regprocedure), 'acquire_lease pins search_path to its schema and pg_temp');
SELECT is((SELECT pronargdefaults FROM pg_proc WHERE oid = 'langgraph.acquire_lease(text, text, interval)'::regprocedure),
          1::smallint, 'p_ttl has a default');
SELECT function_privs_are('langgraph', 'acquire_lease', ARRAY['text', 'text', 'interval'], 'public', ARRAY[]::text[],
                          'PUBLIC cannot call acquire_lease');
SELECT function_privs_are('langgraph', 'acquire_lease', ARRAY['text', 'text', 'interval'], 'langgraph_reader', ARRAY[]::text[],
                          'the reader role cannot call acquire_lease');
SELECT function_privs_are('langgraph', 'acquire_lease', ARRAY['text', 'text', 'interval'], 'langgraph_client', ARRAY['EXECUTE'],
                          'the client role may call acquire_lease');
SELECT ok(obj_description('langgraph.acquire_lease(text, text, interval)'::regprocedure, 'pg_proc') ~ 'LG006',
          'the comment on acquire_lease names LG006');

SELECT has_function('langgraph', '_check_ttl', ARRAY['interval'], '_check_ttl(interval) exists');
SELECT function_returns('langgraph', '_check_ttl', ARRAY['interval'], 'void', '_check_ttl returns void');
SELECT volatility_is('langgraph', '_check_ttl', ARRAY['interval'], 'immutable', '_check_ttl is IMMUTABLE');
SELECT isnt_definer('langgraph', '_check_ttl', ARRAY['interval'], '_check_ttl is not SECURITY DEFINER');
SELECT function_privs_are('langgraph', '_check_ttl', ARRAY['interval'], 'public', ARRAY[]::text[], 'PUBLIC cannot call _check_ttl');
SELECT function_privs_are('langgraph', '_check_ttl', ARRAY['interval'], 'langgraph_client', ARRAY[]::text[],
                          'the client role cannot call _check_ttl');

-- Behaviour: _check_ttl ------------------------------------------------------
SELECT lives_ok($$SELECT langgraph._check_ttl(interval '1 microsecond')$$, '_check_ttl accepts a tiny positive ttl');
SELECT lives_ok($$SELECT langgraph._check_ttl(interval '1 day')$$, '_check_ttl accepts exactly 1 day');
SELECT lives_ok($$SELECT langgraph._check_ttl(interval '24 hours')$$, '_check_ttl accepts 24 hours');
SELECT throws_ok($$SELECT langgraph._check_ttl(interval '1 day 1 microsecond')$$, 'LG003', NULL, '_check_ttl: LG003 just over 1 day');
SELECT throws_ok($$SELECT langgraph._check_ttl(NULL)$$, 'LG003', 'lease ttl must be positive and at most 1 day, got NULL',
                 '_check_ttl: LG003 for NULL, naming it');

-- Behaviour: acquire_lease ---------------------------------------------------
CREATE TEMP TABLE pgtap4_acquire (step text PRIMARY KEY, expires_at timestamptz, clock_before timestamptz, clock_after timestamptz);
INSERT INTO pgtap4_acquire
SELECT 'first', langgraph.acquire_lease('pgtap4-acquire-1', 'host-a:1', interval '1 hour'), NULL, NULL;
SELECT is((SELECT ROW(owner, expires_at)::text FROM langgraph.thread_leases WHERE thread_id = 'pgtap4-acquire-1'),
          (SELECT ROW('host-a:1', expires_at)::text FROM pgtap4_acquire WHERE step = 'first'),
          'the lease row names the owner and the returned expiry');
SELECT ok((SELECT expires_at - acquired_at BETWEEN interval '1 hour' AND interval '1 hour 1 second'
           FROM langgraph.thread_leases WHERE thread_id = 'pgtap4-acquire-1'),
          'the expiry is the acquisition time plus the ttl');
SELECT ok((SELECT acquired_at > now() FROM langgraph.thread_leases WHERE thread_id = 'pgtap4-acquire-1'),
          'the lease is timed by the clock, not by the frozen transaction time');
SELECT is((SELECT count(*) FROM langgraph.threads WHERE thread_id = 'pgtap4-acquire-1'), 0::bigint,
          'taking a lease creates no thread row');

SELECT ok(langgraph.acquire_lease('pgtap4-acquire-2', 'host-a:1')
              BETWEEN clock_timestamp() + interval '29 seconds' AND clock_timestamp() + interval '31 seconds',
          'the default ttl is 30 seconds');

-- The owner takes its own lease again: it is extended, and acquired_at stays.
CREATE TEMP TABLE pgtap4_acquire_row AS
SELECT acquired_at, expires_at FROM langgraph.thread_leases WHERE thread_id = 'pgtap4-acquire-1';
SELECT ok(langgraph.acquire_lease('pgtap4-acquire-1', 'host-a:1', interval '2 hours') > (SELECT expires_at FROM pgtap4_acquire_row),
          'the owner re-acquiring its live lease gets a later expiry');
SELECT is((SELECT acquired_at FROM langgraph.thread_leases WHERE thread_id = 'pgtap4-acquire-1'),
          (SELECT acquired_at FROM pgtap4_acquire_row), 're-acquiring a live lease keeps its acquired_at');
SELECT ok(langgraph.acquire_lease('pgtap4-acquire-1', 'host-a:1', interval '1 second') < (SELECT expires_at FROM pgtap4_acquire_row),
          're-acquiring with a shorter ttl shortens the lease: the expiry is always now + ttl');
SELECT is((SELECT count(*) FROM langgraph.thread_leases WHERE thread_id = 'pgtap4-acquire-1'), 1::bigint,
          'the thread still has one lease');

-- Another owner is refused while the lease is live, and the lease is left alone.
UPDATE langgraph.thread_leases SET expires_at = clock_timestamp() + interval '1 hour' WHERE thread_id = 'pgtap4-acquire-1';
CREATE TEMP TABLE pgtap4_acquire_live AS SELECT * FROM langgraph.thread_leases WHERE thread_id = 'pgtap4-acquire-1';
SELECT throws_ok($$SELECT langgraph.acquire_lease('pgtap4-acquire-1', 'host-b:2', interval '1 minute')$$,
                 'LG006', 'thread pgtap4-acquire-1 is leased by host-a:1', 'LG006: another owner holds a live lease, named in the message');
SELECT results_eq($$SELECT * FROM langgraph.thread_leases WHERE thread_id = 'pgtap4-acquire-1'$$,
                  $$SELECT * FROM pgtap4_acquire_live$$, 'the refused acquisition changed nothing');
SELECT throws_ok($$SELECT langgraph.acquire_lease('pgtap4-acquire-1', 'HOST-A:1', interval '1 minute')$$,
                 'LG006', NULL, 'LG006: owners are compared exactly, case included');

-- An expired lease of another owner is taken over.
INSERT INTO langgraph.thread_leases (thread_id, owner, acquired_at, expires_at)
VALUES ('pgtap4-acquire-3', 'host-a:1', '2026-01-01 00:00:00+00', '2026-01-01 00:00:30+00');
SELECT ok(langgraph.acquire_lease('pgtap4-acquire-3', 'host-b:2', interval '1 minute') > clock_timestamp(),
          'another owner takes an expired lease');
SELECT is((SELECT owner FROM langgraph.thread_leases WHERE thread_id = 'pgtap4-acquire-3'), 'host-b:2',
          'the lease now belongs to the new owner');
SELECT ok((SELECT acquired_at > '2026-01-01 00:00:00+00' AND acquired_at > now() FROM langgraph.thread_leases WHERE thread_id = 'pgtap4-acquire-3'),
          'taking over an expired lease resets acquired_at to the clock');
-- The owner of an expired lease takes it again like a new one.
INSERT INTO langgraph.thread_leases (thread_id, owner, acquired_at, expires_at)
VALUES ('pgtap4-acquire-4', 'host-a:1', '2026-01-01 00:00:00+00', '2026-01-01 00:00:30+00');
SELECT lives_ok($$SELECT langgraph.acquire_lease('pgtap4-acquire-4', 'host-a:1', interval '1 minute')$$,
                'the owner re-takes its own expired lease');
SELECT ok((SELECT acquired_at > now() FROM langgraph.thread_leases WHERE thread_id = 'pgtap4-acquire-4'),
          're-taking an expired lease resets acquired_at');

-- Errors: every documented SQLSTATE, and a rejected call stores nothing ------
CREATE TEMP TABLE pgtap4_acquire_before AS
SELECT count(*) AS n FROM langgraph.thread_leases WHERE thread_id LIKE 'pgtap4-acquire-%';
SELECT throws_ok($$SELECT langgraph.acquire_lease(NULL, 'host-a:1')$$, 'LG001', NULL, 'LG001: NULL thread_id');
SELECT throws_ok($$SELECT langgraph.acquire_lease('', 'host-a:1')$$, 'LG001', NULL, 'LG001: empty thread_id');
SELECT throws_ok($$SELECT langgraph.acquire_lease(repeat('t', 1025), 'host-a:1')$$, 'LG001', NULL, 'LG001: thread_id over 1024 characters');
SELECT throws_ok($$SELECT langgraph.acquire_lease('pgtap4-acquire-9', NULL)$$, 'LG001', NULL, 'LG001: NULL owner');
SELECT throws_ok($$SELECT langgraph.acquire_lease('pgtap4-acquire-9', '')$$, 'LG001', NULL, 'LG001: empty owner');
SELECT throws_ok($$SELECT langgraph.acquire_lease('pgtap4-acquire-9', 'host-a:1', interval '0')$$, 'LG003', NULL, 'LG003: zero ttl');
SELECT throws_ok($$SELECT langgraph.acquire_lease('pgtap4-acquire-9', 'host-a:1', interval '-5 seconds')$$, 'LG003', NULL, 'LG003: negative ttl');
SELECT throws_ok($$SELECT langgraph.acquire_lease('pgtap4-acquire-9', 'host-a:1', NULL)$$, 'LG003', NULL, 'LG003: NULL ttl');
SELECT throws_ok($$SELECT langgraph.acquire_lease('pgtap4-acquire-9', 'host-a:1', interval '2 days')$$, 'LG003', NULL, 'LG003: ttl over 1 day');
SELECT is((SELECT count(*) FROM langgraph.thread_leases WHERE thread_id LIKE 'pgtap4-acquire-%'), (SELECT n FROM pgtap4_acquire_before),
          'the rejected calls stored no lease');

-- Privileges, as login roles -------------------------------------------------
CREATE ROLE pgtap4_acquire_app LOGIN;
CREATE ROLE pgtap4_acquire_ro LOGIN;
GRANT langgraph_client TO pgtap4_acquire_app;
GRANT langgraph_reader TO pgtap4_acquire_ro;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA pg_temp TO pgtap4_acquire_app, pgtap4_acquire_ro;
GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA pg_temp TO pgtap4_acquire_app, pgtap4_acquire_ro;
SET ROLE pgtap4_acquire_app;
SELECT lives_ok($$SELECT langgraph.acquire_lease('pgtap4-acquire-5', 'host-c:3')$$, 'a client login can call acquire_lease');
RESET ROLE;
SET ROLE pgtap4_acquire_ro;
SELECT throws_ok($$SELECT langgraph.acquire_lease('pgtap4-acquire-6', 'host-c:3')$$, '42501', NULL,
                 'a reader login cannot call acquire_lease');
RESET ROLE;

SELECT * FROM finish();
ROLLBACK;
