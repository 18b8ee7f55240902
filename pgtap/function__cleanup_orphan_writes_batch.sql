-- pgTAP tests for the function__cleanup_orphan_writes_batch change: retention removes
-- pending writes whose checkpoint never landed, once they are older than its cutoff.
-- Skipping a thread a writer holds needs two sessions and is tested in pytest. Batches
-- visit every thread after their cursor: the ids here start with '~' (see
-- function__cleanup_checkpoints_batch.sql), so they meet no one else's threads.
BEGIN;
SELECT plan(15);

SELECT has_function('langgraph', '_cleanup_orphan_writes_batch', ARRAY['bigint', 'timestamp with time zone', 'text', 'integer'],
                    '_cleanup_orphan_writes_batch exists');
SELECT function_returns('langgraph', '_cleanup_orphan_writes_batch', ARRAY['bigint', 'timestamp with time zone', 'text', 'integer'],
                        'setof record', 'it returns one row: cursor, counts, done');
SELECT volatility_is('langgraph', '_cleanup_orphan_writes_batch', ARRAY['bigint', 'timestamp with time zone', 'text', 'integer'],
                     'volatile', 'it is VOLATILE');
SELECT is_definer('langgraph', '_cleanup_orphan_writes_batch', ARRAY['bigint', 'timestamp with time zone', 'text', 'integer'],
                  'it is SECURITY DEFINER (the procedure runs as its caller)');
SELECT function_privs_are('langgraph', '_cleanup_orphan_writes_batch', ARRAY['bigint', 'timestamp with time zone', 'text', 'integer'],
                          'langgraph_client', ARRAY['EXECUTE'], 'the client role calls it through cleanup_old_checkpoints');
SELECT function_privs_are('langgraph', '_cleanup_orphan_writes_batch', ARRAY['bigint', 'timestamp with time zone', 'text', 'integer'],
                          'public', ARRAY[]::text[], 'PUBLIC cannot');

CREATE FUNCTION pg_temp.write(p_thread text, p_id text, p_at timestamptz) RETURNS void LANGUAGE sql AS $$
    SELECT langgraph.put_writes(p_thread, '', p_id, 'task-1', ARRAY['messages'], ARRAY['json'], ARRAY['["w"]'::jsonb], ARRAY[NULL::bytea]);
    UPDATE langgraph.checkpoint_writes SET created_at = p_at WHERE thread_id = p_thread AND checkpoint_id = p_id;
$$;

-- ~orphans-a: a checkpoint with its writes, and old writes whose checkpoint never landed.
SELECT langgraph.put_checkpoint_v2('~orphans-a', '', 'cp-1', NULL, '{}');
SELECT pg_temp.write('~orphans-a', 'cp-1', '2000-01-01');
SELECT pg_temp.write('~orphans-a', 'cp-2', '2000-01-01');
SELECT pg_temp.write('~orphans-a', 'cp-3', '2000-02-01');
-- ~orphans-b: only writes, no checkpoint at all (the process died before its first one).
SELECT pg_temp.write('~orphans-b', 'cp-1', '2000-01-01');
-- ~orphans-c: a namespace whose checkpoint never landed beside one that did.
SELECT langgraph.put_checkpoint_v2('~orphans-c', '', 'cp-1', NULL, '{}');
SELECT langgraph.put_writes('~orphans-c', 'child:1', 'cp-1', 'task-1', ARRAY['m'], ARRAY['json'], ARRAY['1'::jsonb], ARRAY[NULL::bytea]);
UPDATE langgraph.checkpoint_writes SET created_at = '2000-01-01' WHERE thread_id = '~orphans-c';

SELECT results_eq(
    $$SELECT next_after, removed, skipped, done FROM langgraph._cleanup_orphan_writes_batch(
          langgraph._cleanup_run_begin('cleanup_old_checkpoints', '{}'), '2000-01-15', '~orphans', 2)$$,
    $$VALUES ('~orphans-b'::text, 2::bigint, 0, false)$$,
    'a batch visits at most p_batch_size threads with orphaned writes and returns its cursor');
SELECT is(ARRAY(SELECT checkpoint_id::text FROM langgraph.checkpoint_writes WHERE thread_id = '~orphans-a' ORDER BY 1),
          ARRAY['cp-1', 'cp-3'], 'writes of an existing checkpoint stay, and so do orphans younger than the cutoff');
SELECT ok(NOT EXISTS (SELECT FROM langgraph.checkpoint_writes WHERE thread_id = '~orphans-b'),
          'writes of a thread whose first checkpoint never landed go');
SELECT results_eq(
    $$SELECT next_after, removed, skipped, done FROM langgraph._cleanup_orphan_writes_batch(
          langgraph._cleanup_run_begin('cleanup_old_checkpoints', '{}'), '2000-01-15', '~orphans-b', 2)$$,
    $$VALUES ('~orphans-c'::text, 1::bigint, 0, true)$$,
    'the next batch resumes after the cursor and says when it is done');
SELECT ok(NOT EXISTS (SELECT FROM langgraph.checkpoint_writes WHERE thread_id = '~orphans-c'),
          'a write is judged by its own namespace: the same id elsewhere does not own it');
SELECT is((SELECT count(*) FROM langgraph.checkpoints WHERE thread_id LIKE '~orphans-%'), 2::bigint, 'no checkpoint is touched');
SELECT results_eq(
    $$SELECT removed, done FROM langgraph._cleanup_orphan_writes_batch(
          langgraph._cleanup_run_begin('cleanup_old_checkpoints', '{}'), '2000-03-01', '~orphans', 10)$$,
    $$VALUES (1::bigint, true)$$, 'a later cutoff reaches the younger orphan');
SELECT is(ARRAY(SELECT checkpoint_id::text FROM langgraph.checkpoint_writes WHERE thread_id = '~orphans-a' ORDER BY 1),
          ARRAY['cp-1'], 'and only it');
SELECT matches(obj_description('langgraph._cleanup_orphan_writes_batch(bigint, timestamptz, text, integer)'::regprocedure, 'pg_proc'),
               'Raises', 'its comment says what it raises');

SELECT * FROM finish();
ROLLBACK;
