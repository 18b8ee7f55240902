-- pgTAP tests for the function_renew_lease change: renew_lease() extends only the
-- caller's live lease. Expired leases are made with explicit past times, because leases
-- are timed by clock_timestamp() while now() is frozen in the transaction.
BEGIN;
SELECT plan(30);

-- Structure ------------------------------------------------------------------
SELECT has_function('langgraph', 'renew_lease', ARRAY['text', 'text', 'interval'], 'renew_lease(text, text, interval) exists');
SELECT function_returns('langgraph', 'renew_lease', ARRAY['text', 'text', 'interval'], 'timestamp with time zone',
                        'renew_lease returns timestamptz (the new expiry)');
SELECT function_lang_is('langgraph', 'renew_lease', ARRAY['text', 'text', 'interval'], 'plpgsql', 'renew_lease is written in plpgsql');
SELECT volatility_is('langgraph', 'renew_lease', ARRAY['text', 'text', 'interval'], 'volatile', 'renew_lease is VOLATILE');
SELECT is_definer('langgraph', 'renew_lease', ARRAY['text', 'text', 'interval'], 'renew_lease is SECURITY DEFINER');
SELECT ok((SELECT 'search_path=langgraph, pg_temp' = ANY (proconfig) FROM pg_proc WHERE oid = 'langgraph.renew_lease(text, text, interval)'::regprocedure), 'renew_lease pins search_path to its schema and pg_temp');
SELECT function_privs_are('langgraph', 'renew_lease', ARRAY['text', 'text', 'interval'], 'public', ARRAY[]::text[],
                          'PUBLIC cannot call renew_lease');
SELECT function_privs_are('langgraph', 'renew_lease', ARRAY['text', 'text', 'interval'], 'langgraph_reader', ARRAY[]::text[],
                          'the reader role cannot call renew_lease');
SELECT function_privs_are('langgraph', 'renew_lease', ARRAY['text', 'text', 'interval'], 'langgraph_client', ARRAY['EXECUTE'],
                          'the client role may call renew_lease');
SELECT ok(obj_description('langgraph.renew_lease(text, text, interval)'::regprocedure, 'pg_proc') ~ 'LG006',
          'the comment on renew_lease names LG006');

-- Behaviour ------------------------------------------------------------------
SELECT lives_ok($$SELECT langgraph.acquire_lease('pgtap4-renew-1', 'host-a:1', interval '10 seconds')$$, 'a lease is taken');
CREATE TEMP TABLE pgtap4_renew_before AS SELECT * FROM langgraph.thread_leases WHERE thread_id = 'pgtap4-renew-1';
SELECT ok(langgraph.renew_lease('pgtap4-renew-1', 'host-a:1', interval '1 hour')
              BETWEEN clock_timestamp() + interval '59 minutes' AND clock_timestamp() + interval '1 hour 1 second',
          'renew_lease returns clock + ttl');
SELECT ok((SELECT l.expires_at > b.expires_at FROM langgraph.thread_leases AS l, pgtap4_renew_before AS b
           WHERE l.thread_id = 'pgtap4-renew-1'), 'the stored expiry moved later');
SELECT is((SELECT ROW(owner, acquired_at)::text FROM langgraph.thread_leases WHERE thread_id = 'pgtap4-renew-1'),
          (SELECT ROW(owner, acquired_at)::text FROM pgtap4_renew_before), 'renewing keeps the owner and acquired_at');
SELECT ok(langgraph.renew_lease('pgtap4-renew-1', 'host-a:1')
              BETWEEN clock_timestamp() + interval '29 seconds' AND clock_timestamp() + interval '31 seconds',
          'the default ttl is 30 seconds (a renewal may shorten the lease)');

-- Errors: every documented SQLSTATE, and a rejected call changes nothing -----
INSERT INTO langgraph.thread_leases (thread_id, owner, acquired_at, expires_at)
VALUES ('pgtap4-renew-2', 'host-a:1', '2026-01-01 00:00:00+00', '2026-01-01 00:00:30+00');
CREATE TEMP TABLE pgtap4_renew_leases AS SELECT * FROM langgraph.thread_leases WHERE thread_id LIKE 'pgtap4-renew-%';
SELECT throws_ok($$SELECT langgraph.renew_lease('pgtap4-renew-1', 'host-b:2')$$, 'LG006',
                 'host-b:2 does not hold a live lease on thread pgtap4-renew-1', 'LG006: another owner''s live lease');
SELECT throws_ok($$SELECT langgraph.renew_lease('pgtap4-renew-2', 'host-a:1')$$, 'LG006', NULL,
                 'LG006: the owner''s own lease has expired (it must acquire again)');
SELECT throws_ok($$SELECT langgraph.renew_lease('pgtap4-renew-3', 'host-a:1')$$, 'LG006', NULL, 'LG006: no lease at all');
SELECT throws_ok($$SELECT langgraph.renew_lease(NULL, 'host-a:1')$$, 'LG001', NULL, 'LG001: NULL thread_id');
SELECT throws_ok($$SELECT langgraph.renew_lease('', 'host-a:1')$$, 'LG001', NULL, 'LG001: empty thread_id');
SELECT throws_ok($$SELECT langgraph.renew_lease('pgtap4-renew-1', NULL)$$, 'LG001', NULL, 'LG001: NULL owner');
SELECT throws_ok($$SELECT langgraph.renew_lease('pgtap4-renew-1', repeat('o', 1025))$$, 'LG001', NULL, 'LG001: owner over 1024 characters');
SELECT throws_ok($$SELECT langgraph.renew_lease('pgtap4-renew-1', 'host-a:1', interval '0')$$, 'LG003', NULL, 'LG003: zero ttl');
SELECT throws_ok($$SELECT langgraph.renew_lease('pgtap4-renew-1', 'host-a:1', interval '25 hours')$$, 'LG003', NULL, 'LG003: ttl over 1 day');
SELECT throws_ok($$SELECT langgraph.renew_lease('pgtap4-renew-1', 'host-a:1', NULL)$$, 'LG003', NULL, 'LG003: NULL ttl');
SELECT results_eq($$SELECT * FROM langgraph.thread_leases WHERE thread_id LIKE 'pgtap4-renew-%' ORDER BY thread_id$$,
                  $$SELECT * FROM pgtap4_renew_leases ORDER BY thread_id$$, 'the rejected renewals changed no lease');
SELECT is((SELECT count(*) FROM langgraph.thread_leases WHERE thread_id = 'pgtap4-renew-3'), 0::bigint,
          'renewing a lease that does not exist does not create one');

-- Privileges, as login roles -------------------------------------------------
CREATE ROLE pgtap4_renew_app LOGIN;
CREATE ROLE pgtap4_renew_ro LOGIN;
GRANT langgraph_client TO pgtap4_renew_app;
GRANT langgraph_reader TO pgtap4_renew_ro;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA pg_temp TO pgtap4_renew_app, pgtap4_renew_ro;
GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA pg_temp TO pgtap4_renew_app, pgtap4_renew_ro;
SET ROLE pgtap4_renew_app;
SELECT lives_ok($$SELECT langgraph.renew_lease('pgtap4-renew-1', 'host-a:1')$$, 'a client login can call renew_lease');
SELECT throws_ok($$UPDATE langgraph.thread_leases SET expires_at = expires_at + interval '1 day'$$, '42501', NULL,
                 'a client login cannot extend leases by writing the table');
RESET ROLE;
SET ROLE pgtap4_renew_ro;
SELECT throws_ok($$SELECT langgraph.renew_lease('pgtap4-renew-1', 'host-a:1')$$, '42501', NULL, 'a reader login cannot call renew_lease');
RESET ROLE;

SELECT * FROM finish();
ROLLBACK;
