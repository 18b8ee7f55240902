-- pgTAP tests for the table_removed_checkpoints change: every path that removes
-- checkpoints from a live thread records them, and a late put_writes or save for a
-- removed checkpoint is refused with LG008 and leaves nothing behind, while writes for
-- a checkpoint that has not landed yet (async durability) are still accepted.
BEGIN;
SELECT plan(41);

-- A checkpoint with one value; ids here sort in creation order.
CREATE FUNCTION pg_temp.put(p_thread text, p_id text, p_parent text, p_meta jsonb DEFAULT '{}') RETURNS text LANGUAGE sql AS $$
    SELECT langgraph.put_checkpoint_v2(p_thread, '', p_id, p_parent,
        jsonb_build_object('id', p_id, 'channel_versions', jsonb_build_object('messages', p_id)), p_meta,
        ARRAY['messages'], ARRAY['json'], ARRAY['["hi"]'::jsonb], ARRAY[NULL::bytea])
$$;

CREATE FUNCTION pg_temp.write(p_thread text, p_id text, p_task text DEFAULT 'task-1') RETURNS integer LANGUAGE sql AS $$
    SELECT langgraph.put_writes(p_thread, '', p_id, p_task,
        ARRAY['messages'], ARRAY['json'], ARRAY['["late"]'::jsonb], ARRAY[NULL::bytea])
$$;

CREATE FUNCTION pg_temp.history(p_thread text, p_n integer, p_meta jsonb DEFAULT '{}') RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    FOR i IN 1..p_n LOOP
        PERFORM pg_temp.put(p_thread, format('cp-%s', i), CASE WHEN i > 1 THEN format('cp-%s', i - 1) END, p_meta);
        PERFORM pg_temp.write(p_thread, format('cp-%s', i));
    END LOOP;
END
$$;

-- Rows a thread holds for one checkpoint id: its checkpoint and its writes.
CREATE FUNCTION pg_temp.rows_for(p_thread text, p_id text) RETURNS bigint LANGUAGE sql AS $$
    SELECT (SELECT count(*) FROM langgraph.checkpoints WHERE thread_id = p_thread AND checkpoint_id = p_id)
         + (SELECT count(*) FROM langgraph.checkpoint_writes WHERE thread_id = p_thread AND checkpoint_id = p_id)
$$;

-- Structure ------------------------------------------------------------------
SELECT has_table('langgraph', 'removed_checkpoints', 'table removed_checkpoints exists');
SELECT columns_are('langgraph', 'removed_checkpoints',
    ARRAY['thread_id', 'checkpoint_ns', 'first_id', 'last_id', 'checkpoint_ids', 'removed_at'],
    'removed_checkpoints has exactly its columns');
SELECT col_type_is('langgraph', 'removed_checkpoints', 'checkpoint_ids', 'text[]', 'checkpoint_ids is text[]');
SELECT col_default_is('langgraph', 'removed_checkpoints', 'removed_at', 'clock_timestamp()', 'removed_at defaults to clock_timestamp()');
SELECT fk_ok('langgraph', 'removed_checkpoints', 'thread_id', 'langgraph', 'threads', 'thread_id',
             'records belong to their thread (and go with it)');
SELECT has_index('langgraph', 'removed_checkpoints', 'removed_checkpoints_lookup_idx',
                 ARRAY['thread_id', 'checkpoint_ns', 'last_id'], 'a lookup by id is one index range scan');
SELECT has_index('langgraph', 'removed_checkpoints', 'removed_checkpoints_removed_at_brin', 'purging is a range scan');
SELECT table_privs_are('langgraph', 'removed_checkpoints', 'langgraph_client', ARRAY[]::text[], 'the client role has no privileges on it');
SELECT table_privs_are('langgraph', 'removed_checkpoints', 'public', ARRAY[]::text[], 'PUBLIC has no privileges on it');

-- delete_checkpoint -----------------------------------------------------------------
SELECT pg_temp.history('pgtap-removed-1', 3);
SELECT langgraph.delete_checkpoint('pgtap-removed-1', 'cp-2');
SELECT is((SELECT ARRAY[first_id, last_id] || checkpoint_ids FROM langgraph.removed_checkpoints WHERE thread_id = 'pgtap-removed-1'),
          ARRAY['cp-2', 'cp-2', 'cp-2']::text[], 'delete_checkpoint records the id it removed');
SELECT is((SELECT removed_through FROM langgraph.threads WHERE thread_id = 'pgtap-removed-1'), 'cp-2',
          'and raises the thread''s removed_through to it');
SELECT throws_ok($$SELECT pg_temp.write('pgtap-removed-1', 'cp-2', 'task-late')$$, 'LG008',
                 'checkpoint cp-2 of thread pgtap-removed-1 was removed; refusing writes for it',
                 'a late put_writes for a deleted checkpoint is refused with LG008');
SELECT is(pg_temp.rows_for('pgtap-removed-1', 'cp-2'), 0::bigint, 'and leaves nothing behind');
SELECT throws_ok($$SELECT pg_temp.put('pgtap-removed-1', 'cp-2', 'cp-1')$$, 'LG008',
                 'checkpoint cp-2 of thread pgtap-removed-1 was removed; refusing to save it again',
                 'a late retry of its put is refused with LG008 too');
SELECT is(pg_temp.rows_for('pgtap-removed-1', 'cp-2'), 0::bigint, 'and stores nothing');
SELECT throws_ok($$SELECT langgraph.put_checkpoint('pgtap-removed-1', '', 'cp-2', 'cp-1', '{}')$$, 'LG008', NULL,
                 'put_checkpoint (the set-based save path) refuses it as well');
SELECT throws_ok($$SELECT pg_temp.put('pgtap-removed-1', 'cp-9', 'cp-2')$$, 'LG008',
                 'parent checkpoint cp-2 of thread pgtap-removed-1 no longer exists',
                 'a put whose parent was removed is refused with LG008 (its parent must exist)');
SELECT is(pg_temp.write('pgtap-removed-1', 'cp-1', 'task-2'), 1, 'writes for a checkpoint still there are accepted');
SELECT is(pg_temp.write('pgtap-removed-1', 'cp-4'), 1,
          'writes for a checkpoint not landed yet are accepted (async durability): it was never removed');
SELECT is(pg_temp.put('pgtap-removed-1', 'cp-4', 'cp-3'), 'cp-4', 'and so is that checkpoint when it lands');
SELECT is(pg_temp.write('pgtap-removed-1', 'cp-1a'), 1, 'an id below removed_through that was never removed is accepted');

-- prune_checkpoints(keep_latest) --------------------------------------------------
SELECT pg_temp.history('pgtap-removed-2', 4);
SELECT is(langgraph.prune_checkpoints(ARRAY['pgtap-removed-2']), 3::bigint, 'prune keeps the latest');
SELECT is((SELECT checkpoint_ids FROM langgraph.removed_checkpoints WHERE thread_id = 'pgtap-removed-2'),
          ARRAY['cp-1', 'cp-2', 'cp-3'], 'prune records the ids it removed, in one row');
SELECT throws_ok($$SELECT pg_temp.write('pgtap-removed-2', 'cp-1', 'task-late')$$, 'LG008', NULL,
                 'a late write for a pruned checkpoint is refused');
SELECT is(pg_temp.rows_for('pgtap-removed-2', 'cp-1'), 0::bigint, 'and leaves nothing behind');

-- delete_for_runs -------------------------------------------------------------------
SELECT pg_temp.put('pgtap-removed-3', 'cp-1', NULL, '{"run_id": "pgtap-run-a"}');
SELECT pg_temp.put('pgtap-removed-3', 'cp-2', 'cp-1', '{"run_id": "pgtap-run-b"}');
SELECT is(langgraph.delete_for_runs(ARRAY['pgtap-run-b']), 1::bigint, 'delete_for_runs removes the run''s checkpoint');
SELECT throws_ok($$SELECT pg_temp.write('pgtap-removed-3', 'cp-2')$$, 'LG008', NULL,
                 'a late write of the deleted run is refused');
SELECT is(pg_temp.rows_for('pgtap-removed-3', 'cp-2'), 0::bigint, 'and leaves nothing behind');

-- Retention (one batch of cleanup_old_checkpoints, keep_last 1) ---------------------
-- A batch visits every thread after its cursor: this thread id sorts after any other
-- test's, so the batch meets only it.
SELECT pg_temp.history('~pgtap-removed-4', 3);
SELECT is((SELECT removed FROM langgraph._cleanup_checkpoints_batch(
              langgraph._cleanup_run_begin('cleanup_old_checkpoints', '{}'), NULL, 1, '~pgtap-removed-3', 100)),
          2::bigint, 'retention with keep_last 1 removes all but the latest');
SELECT is((SELECT checkpoint_ids FROM langgraph.removed_checkpoints WHERE thread_id = '~pgtap-removed-4'),
          ARRAY['cp-1', 'cp-2'], 'retention records the ids it removed');
SELECT throws_ok($$SELECT pg_temp.write('~pgtap-removed-4', 'cp-2', 'task-late')$$, 'LG008', NULL,
                 'a late write for a checkpoint retention removed is refused');
SELECT is(pg_temp.rows_for('~pgtap-removed-4', 'cp-2'), 0::bigint, 'and leaves nothing behind');

-- A removed id that exists again (a copy brought it back) is an ordinary checkpoint --
INSERT INTO langgraph.checkpoints (thread_id, checkpoint_ns, checkpoint_id, parent_checkpoint_id, checkpoint)
VALUES ('pgtap-removed-2', '', 'cp-1', NULL, '{}');
SELECT is(pg_temp.write('pgtap-removed-2', 'cp-1', 'task-again'), 1, 'writes for a removed id that exists again are accepted');
SELECT is(pg_temp.put('pgtap-removed-2', 'cp-1', NULL), 'cp-1', 'and so is a save of it');

-- Namespaces are kept apart --------------------------------------------------------
SELECT is(langgraph.put_writes('pgtap-removed-2', 'child:1', 'cp-2', 'task-1',
              ARRAY['messages'], ARRAY['json'], ARRAY['1'::jsonb], ARRAY[NULL::bytea]), 1,
          'the same id in another namespace was not removed: its writes are accepted');

-- Purged with the tombstones --------------------------------------------------------
UPDATE langgraph.removed_checkpoints SET removed_at = '2000-01-01' WHERE thread_id = 'pgtap-removed-3';
SELECT cmp_ok(langgraph._cleanup_run_finish(langgraph._cleanup_run_begin('cleanup_old_checkpoints', '{}'), '2000-01-02'),
              '>=', 1::bigint, '_cleanup_run_finish counts the records it purges as tombstones');
SELECT ok(NOT EXISTS (SELECT FROM langgraph.removed_checkpoints WHERE thread_id = 'pgtap-removed-3'),
          'records older than the horizon are purged');
SELECT ok(EXISTS (SELECT FROM langgraph.removed_checkpoints WHERE thread_id = 'pgtap-removed-1'), 'younger ones stay');
SELECT is(pg_temp.write('pgtap-removed-3', 'cp-2'), 1,
          'past the horizon a write for the removed id is no longer refused (retention then removes it as an orphan)');

-- Records go with their thread ------------------------------------------------------
SELECT langgraph.delete_thread('pgtap-removed-1');
SELECT ok(NOT EXISTS (SELECT FROM langgraph.removed_checkpoints WHERE thread_id = 'pgtap-removed-1'),
          'delete_thread removes the thread''s records: its tombstone takes over');
SELECT throws_ok($$SELECT pg_temp.write('pgtap-removed-1', 'cp-2', 'task-later')$$, 'LG008', NULL,
                 'and a late write is still refused, by the tombstone');

SELECT * FROM finish();
ROLLBACK;
