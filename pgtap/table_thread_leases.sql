-- pgTAP tests for the table_thread_leases change: at most one lease per thread, with an
-- expiry after its acquisition, and no foreign key to threads.
BEGIN;
SELECT plan(34);

-- Structure ------------------------------------------------------------------
SELECT has_table('langgraph', 'thread_leases', 'langgraph.thread_leases exists');
SELECT columns_are('langgraph', 'thread_leases', ARRAY['thread_id', 'owner', 'acquired_at', 'expires_at'],
                   'thread_leases has exactly thread_id, owner, acquired_at, expires_at');
SELECT col_type_is('langgraph', 'thread_leases', 'thread_id', 'text', 'thread_id is text');
SELECT col_type_is('langgraph', 'thread_leases', 'owner', 'text', 'owner is text');
SELECT col_type_is('langgraph', 'thread_leases', 'acquired_at', 'timestamp with time zone', 'acquired_at is timestamptz');
SELECT col_type_is('langgraph', 'thread_leases', 'expires_at', 'timestamp with time zone', 'expires_at is timestamptz');
SELECT col_not_null('langgraph', 'thread_leases', 'thread_id', 'thread_id is NOT NULL');
SELECT col_not_null('langgraph', 'thread_leases', 'owner', 'owner is NOT NULL');
SELECT col_not_null('langgraph', 'thread_leases', 'acquired_at', 'acquired_at is NOT NULL');
SELECT col_not_null('langgraph', 'thread_leases', 'expires_at', 'expires_at is NOT NULL');
SELECT col_is_pk('langgraph', 'thread_leases', ARRAY['thread_id'], 'the primary key is thread_id: one lease per thread');
SELECT col_default_is('langgraph', 'thread_leases', 'acquired_at', 'clock_timestamp()',
                      'acquired_at defaults to clock_timestamp(), the time of the statement, not of the transaction');
SELECT col_hasnt_default('langgraph', 'thread_leases', 'expires_at', 'expires_at has no default: every lease names its expiry');
SELECT is((SELECT array_agg(co.collname::text ORDER BY a.attnum)
           FROM pg_attribute AS a JOIN pg_collation AS co ON co.oid = a.attcollation
           WHERE a.attrelid = 'langgraph.thread_leases'::regclass AND a.attname IN ('thread_id', 'owner')),
          ARRAY['C', 'C'], 'thread_id and owner compare byte-wise (COLLATE "C"), as in the other tables');
SELECT has_check('langgraph', 'thread_leases', 'thread_leases has a CHECK constraint');
SELECT is((SELECT count(*) FROM pg_constraint WHERE conrelid = 'langgraph.thread_leases'::regclass AND contype = 'f'), 0::bigint,
          'no foreign key: a lease may come before the thread''s first checkpoint');
SELECT ok(obj_description('langgraph.thread_leases'::regclass, 'pg_class') IS NOT NULL, 'thread_leases has a comment');
SELECT table_privs_are('langgraph', 'thread_leases', 'public', ARRAY[]::text[], 'PUBLIC has no privilege on thread_leases');
SELECT table_privs_are('langgraph', 'thread_leases', 'langgraph_client', ARRAY[]::text[],
                       'the client role has no privilege on thread_leases (it goes through the lease functions)');
SELECT table_privs_are('langgraph', 'thread_leases', 'langgraph_reader', ARRAY[]::text[],
                       'the reader role has no privilege on thread_leases');

-- Behaviour ------------------------------------------------------------------
SELECT lives_ok($$INSERT INTO langgraph.thread_leases (thread_id, owner, expires_at)
                  VALUES ('pgtap4-leases-table-1', 'host-a:1', clock_timestamp() + interval '30 seconds')$$,
                'a lease for a thread that has no row in threads can be stored');
SELECT is((SELECT count(*) FROM langgraph.threads WHERE thread_id = 'pgtap4-leases-table-1'), 0::bigint,
          'storing a lease creates no thread row');
SELECT ok((SELECT acquired_at > now() FROM langgraph.thread_leases WHERE thread_id = 'pgtap4-leases-table-1'),
          'the default acquired_at is the clock, later than the frozen transaction time now()');
SELECT lives_ok($$INSERT INTO langgraph.thread_leases (thread_id, owner, acquired_at, expires_at)
                  VALUES ('pgtap4-leases-table-2', 'host-b:2', '2026-01-01 00:00:00+00', '2026-01-01 00:00:30+00')$$,
                'an expired lease (explicit past times) can be stored');
SELECT lives_ok($$INSERT INTO langgraph.thread_leases (thread_id, owner, expires_at)
                  VALUES ('PGTAP4-LEASES-TABLE-1', 'host-a:1', clock_timestamp() + interval '30 seconds')$$,
                'thread ids differing only in case are different threads');

-- Errors: constraint violations ----------------------------------------------
SELECT throws_ok($$INSERT INTO langgraph.thread_leases (thread_id, owner, expires_at)
                   VALUES ('pgtap4-leases-table-1', 'host-b:2', clock_timestamp() + interval '1 minute')$$,
                 '23505', NULL, 'a second lease on the same thread violates the primary key');
SELECT throws_ok($$INSERT INTO langgraph.thread_leases (thread_id, owner, acquired_at, expires_at)
                   VALUES ('pgtap4-leases-table-3', 'host-a:1', '2026-01-01 00:00:30+00', '2026-01-01 00:00:30+00')$$,
                 '23514', NULL, 'expires_at equal to acquired_at violates the CHECK constraint');
SELECT throws_ok($$INSERT INTO langgraph.thread_leases (thread_id, owner, acquired_at, expires_at)
                   VALUES ('pgtap4-leases-table-3', 'host-a:1', '2026-01-01 00:00:30+00', '2026-01-01 00:00:00+00')$$,
                 '23514', NULL, 'expires_at before acquired_at violates the CHECK constraint');
SELECT throws_ok($$INSERT INTO langgraph.thread_leases (thread_id, owner, expires_at)
                   VALUES ('pgtap4-leases-table-3', NULL, clock_timestamp() + interval '1 minute')$$,
                 '23502', NULL, 'a NULL owner violates NOT NULL');
SELECT throws_ok($$INSERT INTO langgraph.thread_leases (thread_id, owner) VALUES ('pgtap4-leases-table-3', 'host-a:1')$$,
                 '23502', NULL, 'a lease without expires_at violates NOT NULL');
SELECT is((SELECT count(*) FROM langgraph.thread_leases WHERE thread_id ILIKE 'pgtap4-leases-table-%'), 3::bigint,
          'the rejected inserts stored nothing');

-- Privileges, as login roles -------------------------------------------------
CREATE ROLE pgtap4_leases_table_app LOGIN;
CREATE ROLE pgtap4_leases_table_ro LOGIN;
GRANT langgraph_client TO pgtap4_leases_table_app;
GRANT langgraph_reader TO pgtap4_leases_table_ro;
-- pgTAP keeps its state in temporary tables; the roles we switch to must reach them.
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA pg_temp TO pgtap4_leases_table_app, pgtap4_leases_table_ro;
GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA pg_temp TO pgtap4_leases_table_app, pgtap4_leases_table_ro;
SET ROLE pgtap4_leases_table_app;
SELECT throws_ok('SELECT * FROM langgraph.thread_leases', '42501', NULL, 'a client login cannot read thread_leases');
SELECT throws_ok($$DELETE FROM langgraph.thread_leases WHERE thread_id = 'pgtap4-leases-table-1'$$, '42501', NULL,
                 'a client login cannot delete another owner''s lease directly');
RESET ROLE;
SET ROLE pgtap4_leases_table_ro;
SELECT throws_ok('SELECT * FROM langgraph.thread_leases', '42501', NULL, 'a reader login cannot read thread_leases');
RESET ROLE;

SELECT * FROM finish();
ROLLBACK;
