-- pgTAP tests for put_checkpoint's multi-instance coordination (function_put_checkpoint
-- change): exclusive mode (LG005), thread leases (LG006) and the missing-parent check
-- (LG008). Each refused save must leave the database as it was. Leases are timed by
-- clock_timestamp(); an expired lease is inserted with explicit past times.
BEGIN;
SELECT plan(49);

SELECT has_function('langgraph', 'put_checkpoint',
                    ARRAY['text', 'text', 'text', 'text', 'jsonb', 'jsonb', 'text[]', 'text[]', 'jsonb[]', 'bytea[]', 'boolean', 'text'],
                    'put_checkpoint takes p_exclusive boolean and p_lease_owner text last');
SELECT is((SELECT array_to_string(proargnames[11:12], ',') FROM pg_proc
           WHERE oid = 'langgraph.put_checkpoint(text, text, text, text, jsonb, jsonb, text[], text[], jsonb[], bytea[], boolean, text)'::regprocedure),
          'p_exclusive,p_lease_owner', 'the coordination parameters are named p_exclusive and p_lease_owner');
SELECT ok(obj_description('langgraph.put_checkpoint(text, text, text, text, jsonb, jsonb, text[], text[], jsonb[], bytea[], boolean, text)'::regprocedure, 'pg_proc')
          ~ 'LG005.*LG006.*LG008', 'the comment on put_checkpoint names LG005, LG006 and LG008');

-- Everything this file stores, to compare before and after a refused save.
CREATE TEMP VIEW pgtap4_coord_rows AS
SELECT ROW((SELECT count(*) FROM langgraph.threads WHERE thread_id LIKE 'pgtap4-coord-%'),
           (SELECT count(*) FROM langgraph.checkpoints WHERE thread_id LIKE 'pgtap4-coord-%'),
           (SELECT count(*) FROM langgraph.checkpoint_blobs WHERE thread_id LIKE 'pgtap4-coord-%'),
           (SELECT count(*) FROM langgraph.thread_leases WHERE thread_id LIKE 'pgtap4-coord-%'),
           (SELECT md5(string_agg(ROW(thread_id, checkpoint_ns, checkpoint_id, parent_checkpoint_id, checkpoint, metadata)::text, ',' ORDER BY 1, 2, 3))
            FROM langgraph.checkpoints WHERE thread_id LIKE 'pgtap4-coord-%'))::text AS state;
CREATE TEMP TABLE pgtap4_coord_before (state text);

-- Thread 1: a -> b -> c, saved in exclusive mode as a graph run would.
DO $$
BEGIN
    PERFORM langgraph.put_checkpoint('pgtap4-coord-1', '', '1f0-a', NULL, '{"channel_versions": {"x": "1"}}', '{"step": -1, "source": "input"}',
                                     ARRAY['x'], ARRAY['json'], ARRAY['1'::jsonb], ARRAY[NULL::bytea], p_exclusive => true);
    PERFORM langgraph.put_checkpoint('pgtap4-coord-1', '', '1f0-b', '1f0-a', '{"channel_versions": {"x": "2"}}', '{"step": 0, "source": "loop"}',
                                     ARRAY['x'], ARRAY['json'], ARRAY['2'::jsonb], ARRAY[NULL::bytea], p_exclusive => true);
    PERFORM langgraph.put_checkpoint('pgtap4-coord-1', '', '1f0-c', '1f0-b', '{"channel_versions": {"x": "3"}}', '{"step": 1, "source": "loop"}',
                                     ARRAY['x'], ARRAY['json'], ARRAY['3'::jsonb], ARRAY[NULL::bytea], p_exclusive => true);
END
$$;

-- Exclusive mode (LG005) -----------------------------------------------------
INSERT INTO pgtap4_coord_before SELECT state FROM pgtap4_coord_rows;
SELECT throws_ok($$SELECT langgraph.put_checkpoint('pgtap4-coord-1', '', '1f0-d', '1f0-b', '{"channel_versions": {"x": "4"}}', '{"step": 1, "source": "loop"}',
                      ARRAY['x'], ARRAY['json'], ARRAY['4'::jsonb], ARRAY[NULL::bytea], p_exclusive => true)$$,
                 'LG005', 'checkpoint 1f0-d would fork thread pgtap4-coord-1: 1f0-c already continues from 1f0-b',
                 'LG005: a loop step from b, which c already continues, names the rival');
SELECT throws_ok($$SELECT langgraph.put_checkpoint('pgtap4-coord-1', '', '1f0-d', '1f0-b', '{}', '{"source": "input"}', p_exclusive => true)$$,
                 'LG005', NULL, 'LG005: an input step from b');
SELECT throws_ok($$SELECT langgraph.put_checkpoint('pgtap4-coord-1', '', '1f0-d', '1f0-b', '{}', '{}', p_exclusive => true)$$,
                 'LG005', NULL, 'LG005: a save without a source counts as a graph step');
SELECT throws_ok($$SELECT langgraph.put_checkpoint('pgtap4-coord-1', '', '1f0-d', NULL, '{}', '{"source": "input"}', p_exclusive => true)$$,
                 'LG005', NULL,
                 'LG005: a parentless save into a namespace that has checkpoints');
SELECT is((SELECT state FROM pgtap4_coord_rows), (SELECT state FROM pgtap4_coord_before),
          'the LG005 refusals changed nothing: no checkpoint, value or thread update');

SELECT is(langgraph.put_checkpoint('pgtap4-coord-1', '', '1f0-c', '1f0-b', '{"channel_versions": {"x": "3"}}', '{"step": 1, "source": "loop", "retry": 1}',
              ARRAY['x'], ARRAY['json'], ARRAY['3'::jsonb], ARRAY[NULL::bytea], p_exclusive => true),
          '1f0-c', 'a retried put of c (same id, same parent) in exclusive mode is not a conflict');
SELECT is((SELECT count(*) FROM langgraph.checkpoints WHERE thread_id = 'pgtap4-coord-1'), 3::bigint, 'the retry added no checkpoint');
SELECT is((SELECT metadata ->> 'retry' FROM langgraph.checkpoints WHERE thread_id = 'pgtap4-coord-1' AND checkpoint_id = '1f0-c'), '1',
          'the retry replaced c''s metadata, as a put of an existing id does');
SELECT lives_ok($$SELECT langgraph.put_checkpoint('pgtap4-coord-1', '', '1f0-b', '1f0-a', '{"channel_versions": {"x": "2"}}', '{"step": 0, "source": "loop"}',
                      p_exclusive => true)$$, 'retrying b after c continued it is not a conflict either');
SELECT lives_ok($$SELECT langgraph.put_checkpoint('pgtap4-coord-1', '', '1f0-a', NULL, '{"channel_versions": {"x": "1"}}', '{"step": -1, "source": "input"}',
                      p_exclusive => true)$$, 'retrying the root a after b continued it is not a conflict');
SELECT lives_ok($$SELECT langgraph.put_checkpoint('pgtap4-coord-1', '', '1f0-d', '1f0-c', '{"channel_versions": {"x": "4"}}', '{"step": 2, "source": "loop"}',
                      ARRAY['x'], ARRAY['json'], ARRAY['4'::jsonb], ARRAY[NULL::bytea], p_exclusive => true)$$,
                'a graph step extending the head c is saved');
SELECT lives_ok($$SELECT langgraph.put_checkpoint('pgtap4-coord-1', '', '1f0-e', '1f0-b', '{}', '{"step": 1, "source": "update"}', p_exclusive => true)$$,
                'source update (update_state) may branch from b in exclusive mode');
SELECT lives_ok($$SELECT langgraph.put_checkpoint('pgtap4-coord-1', '', '1f0-f', '1f0-b', '{}', '{"step": 1, "source": "fork"}', p_exclusive => true)$$,
                'source fork may branch from b in exclusive mode');
SELECT is((SELECT count(*) FROM langgraph.checkpoints WHERE thread_id = 'pgtap4-coord-1' AND parent_checkpoint_id = '1f0-b'), 3::bigint,
          'b now has three children: c, and the update and fork branches');
SELECT lives_ok($$SELECT langgraph.put_checkpoint('pgtap4-coord-1', 'sub:1', '1f0-a', NULL, '{}', '{"source": "input"}', p_exclusive => true)$$,
                'a parentless save into an empty namespace of the same thread is allowed');
SELECT lives_ok($$SELECT langgraph.put_checkpoint('pgtap4-coord-2', '', '1f0-a', NULL, '{}', '{"source": "input"}', p_exclusive => true)$$,
                'a parentless save into a new thread is allowed');
SELECT lives_ok($$SELECT langgraph.put_checkpoint('pgtap4-coord-1', '', '1f0-g', '1f0-b', '{}', '{"source": "loop"}')$$,
                'without p_exclusive a graph step may still branch (the default keeps LangGraph''s behaviour)');

-- Leases (LG006) -------------------------------------------------------------
SELECT lives_ok($$SELECT langgraph.acquire_lease('pgtap4-coord-2', 'host-a:1', interval '1 hour')$$, 'host-a takes the lease on thread 2');
DELETE FROM pgtap4_coord_before;
INSERT INTO pgtap4_coord_before SELECT state FROM pgtap4_coord_rows;
SELECT throws_ok($$SELECT langgraph.put_checkpoint('pgtap4-coord-2', '', '1f0-b', '1f0-a', '{"channel_versions": {"x": "1"}}', '{}',
                      ARRAY['x'], ARRAY['json'], ARRAY['1'::jsonb], ARRAY[NULL::bytea], p_lease_owner => 'host-b:2')$$,
                 'LG006', 'thread pgtap4-coord-2 is leased by host-a:1', 'LG006: another owner''s save, naming the holder');
SELECT throws_ok($$SELECT langgraph.put_checkpoint('pgtap4-coord-2', '', '1f0-b', '1f0-a', '{}')$$,
                 'LG006', NULL, 'LG006: a save without a lease owner while a lease is live');
SELECT throws_ok($$SELECT langgraph.put_checkpoint('pgtap4-coord-2', '', '1f0-a', NULL, '{}', '{"retry": true}', p_lease_owner => 'host-b:2')$$,
                 'LG006', NULL, 'LG006: even a retry of an existing checkpoint');
SELECT throws_ok($$SELECT langgraph.put_checkpoint('pgtap4-coord-2', 'sub:1', '1f0-a', NULL, '{}', p_lease_owner => 'host-b:2')$$,
                 'LG006', NULL, 'LG006: the lease covers every namespace of the thread');
SELECT throws_ok($$SELECT langgraph.put_checkpoint('pgtap4-coord-2', '', '1f0-b', '1f0-missing', '{}', p_lease_owner => 'host-b:2')$$,
                 'LG006', NULL, 'LG006 is checked before the parent');
SELECT is((SELECT state FROM pgtap4_coord_rows), (SELECT state FROM pgtap4_coord_before), 'the LG006 refusals changed nothing');
SELECT lives_ok($$SELECT langgraph.put_checkpoint('pgtap4-coord-2', '', '1f0-b', '1f0-a', '{}', '{}', p_lease_owner => 'host-a:1')$$,
                'the lease owner saves');
SELECT lives_ok($$SELECT langgraph.put_checkpoint('pgtap4-coord-2', '', '1f0-c', '1f0-b', '{}', '{"source": "loop"}',
                      p_exclusive => true, p_lease_owner => 'host-a:1')$$, 'the lease owner saves in exclusive mode too');
SELECT lives_ok($$SELECT langgraph.put_checkpoint('pgtap4-coord-1', '', '1f0-h', '1f0-d', '{}', '{}', p_lease_owner => 'host-b:2')$$,
                'a lease on thread 2 does not affect thread 1');
SELECT lives_ok($$SELECT langgraph.put_checkpoint('pgtap4-coord-1', '', '1f0-i', '1f0-h', '{}', '{}', p_lease_owner => 'host-a:1')$$,
                'naming a lease owner on a thread without a lease is fine');

-- A lease taken before the thread's first checkpoint.
SELECT lives_ok($$SELECT langgraph.acquire_lease('pgtap4-coord-3', 'host-a:1', interval '1 hour')$$, 'host-a leases thread 3, which has no checkpoint');
DELETE FROM pgtap4_coord_before;
INSERT INTO pgtap4_coord_before SELECT state FROM pgtap4_coord_rows;
SELECT throws_ok($$SELECT langgraph.put_checkpoint('pgtap4-coord-3', '', '1f0-a', NULL, '{}', '{}', p_lease_owner => 'host-b:2')$$,
                 'LG006', NULL, 'LG006: another owner cannot start the leased thread');
SELECT is((SELECT state FROM pgtap4_coord_rows), (SELECT state FROM pgtap4_coord_before), 'the refusal created no thread row');
SELECT is(langgraph.put_checkpoint('pgtap4-coord-3', '', '1f0-a', NULL, '{}', '{}', p_lease_owner => 'host-a:1'), '1f0-a',
          'the lease owner starts it');

-- An expired lease no longer blocks; a released one neither.
INSERT INTO langgraph.thread_leases (thread_id, owner, acquired_at, expires_at)
VALUES ('pgtap4-coord-4', 'host-a:1', '2026-01-01 00:00:00+00', '2026-01-01 00:00:30+00');
SELECT lives_ok($$SELECT langgraph.put_checkpoint('pgtap4-coord-4', '', '1f0-a', NULL, '{}', '{}', p_lease_owner => 'host-b:2')$$,
                'another owner saves once the lease has expired');
SELECT lives_ok($$SELECT langgraph.put_checkpoint('pgtap4-coord-4', '', '1f0-b', '1f0-a', '{}')$$,
                'a save without a lease owner too');
SELECT lives_ok($$SELECT langgraph.put_checkpoint('pgtap4-coord-4', '', '1f0-c', '1f0-b', '{}', '{}', p_lease_owner => 'host-a:1')$$,
                'and the expired lease''s owner');
SELECT is(langgraph.release_lease('pgtap4-coord-2', 'host-a:1'), true, 'host-a releases thread 2');
SELECT lives_ok($$SELECT langgraph.put_checkpoint('pgtap4-coord-2', '', '1f0-d', '1f0-c', '{}', '{}', p_lease_owner => 'host-b:2')$$,
                'after the release another owner saves');

-- Missing parent (LG008) -----------------------------------------------------
DELETE FROM pgtap4_coord_before;
INSERT INTO pgtap4_coord_before SELECT state FROM pgtap4_coord_rows;
SELECT throws_ok($$SELECT langgraph.put_checkpoint('pgtap4-coord-1', '', '1f0-z', '1f0-missing', '{"channel_versions": {"x": "9"}}', '{}',
                      ARRAY['x'], ARRAY['json'], ARRAY['9'::jsonb], ARRAY[NULL::bytea])$$,
                 'LG008', 'parent checkpoint 1f0-missing of thread pgtap4-coord-1 no longer exists', 'LG008: the parent does not exist');
SELECT throws_ok($$SELECT langgraph.put_checkpoint('pgtap4-coord-1', 'sub:1', '1f0-z', '1f0-c', '{}')$$,
                 'LG008', NULL, 'LG008: the parent exists only in another namespace');
SELECT throws_ok($$SELECT langgraph.put_checkpoint('pgtap4-coord-4', '', '1f0-z', '1f0-d', '{}')$$,
                 'LG008', NULL, 'LG008: the parent exists only in another thread');
SELECT throws_ok($$SELECT langgraph.put_checkpoint('pgtap4-coord-9', '', '1f0-b', '1f0-a', '{}')$$,
                 'LG008', NULL, 'LG008: a thread that does not exist has no parent to continue');
SELECT throws_ok($$SELECT langgraph.put_checkpoint('pgtap4-coord-1', '', '1f0-z', '1f0-missing', '{}', '{"source": "update"}', p_exclusive => true)$$,
                 'LG008', NULL, 'LG008 in exclusive mode too, whatever the source');
SELECT is((SELECT state FROM pgtap4_coord_rows), (SELECT state FROM pgtap4_coord_before),
          'the LG008 refusals changed nothing: no value, no checkpoint, no thread row for the unknown thread');

-- A run that goes on after its thread was deleted must not resurrect it.
SELECT lives_ok($$SELECT langgraph.delete_thread('pgtap4-coord-4')$$, 'thread 4 is deleted');
SELECT throws_ok($$SELECT langgraph.put_checkpoint('pgtap4-coord-4', '', '1f0-d', '1f0-c', '{}')$$,
                 'LG008', NULL, 'LG008: continuing from a checkpoint of the deleted thread');
SELECT is((SELECT count(*) FROM langgraph.threads WHERE thread_id = 'pgtap4-coord-4'), 0::bigint, 'the deleted thread stays deleted');

SELECT * FROM finish();
ROLLBACK;
