-- pgTAP tests for the table_deleted_threads change: tombstones, written by delete_thread
-- and consulted by put_writes, so a late write never resurrects half a deleted thread.
BEGIN;
SELECT plan(24);

-- A UUIDv6 checkpoint id minted at a chosen instant, as LangGraph would have made it.
CREATE FUNCTION pg_temp.uuid6_at(p_at timestamptz) RETURNS text LANGUAGE sql AS $$
    SELECT lpad(to_hex(t.ts >> 28), 8, '0') || '-' || lpad(to_hex((t.ts >> 12) & 65535), 4, '0') || '-'
        || '6' || lpad(to_hex(t.ts & 4095), 3, '0') || '-8000-000000000000'
    FROM (SELECT (extract(epoch FROM p_at) * 10000000)::bigint + 122192928000000000 AS ts) AS t
$$;

CREATE FUNCTION pg_temp.put(p_thread text, p_id text, p_parent text) RETURNS text LANGUAGE sql AS $$
    SELECT langgraph.put_checkpoint(p_thread, '', p_id, p_parent,
        jsonb_build_object('id', p_id, 'channel_versions', jsonb_build_object('messages', p_id)), '{}',
        ARRAY['messages'], ARRAY['json'], ARRAY['["hi"]'::jsonb], ARRAY[NULL::bytea])
$$;

CREATE FUNCTION pg_temp.write(p_thread text, p_id text) RETURNS integer LANGUAGE sql AS $$
    SELECT langgraph.put_writes(p_thread, '', p_id, 'task-1',
        ARRAY['messages'], ARRAY['json'], ARRAY['["late"]'::jsonb], ARRAY[NULL::bytea])
$$;

-- Structure ------------------------------------------------------------------
SELECT has_table('langgraph', 'deleted_threads', 'table deleted_threads exists');
SELECT columns_are('langgraph', 'deleted_threads', ARRAY['thread_id', 'deleted_at'], 'deleted_threads has exactly its columns');
SELECT col_type_is('langgraph', 'deleted_threads', 'thread_id', 'text', 'thread_id is text');
SELECT col_type_is('langgraph', 'deleted_threads', 'deleted_at', 'timestamp with time zone', 'deleted_at is timestamptz');
SELECT col_is_pk('langgraph', 'deleted_threads', 'thread_id', 'one tombstone per thread');
SELECT col_not_null('langgraph', 'deleted_threads', 'deleted_at', 'deleted_at is NOT NULL');
SELECT col_default_is('langgraph', 'deleted_threads', 'deleted_at', 'clock_timestamp()', 'deleted_at defaults to clock_timestamp()');
SELECT has_index('langgraph', 'deleted_threads', 'deleted_threads_deleted_at_idx', 'purging old tombstones is an index range scan');
SELECT table_privs_are('langgraph', 'deleted_threads', 'langgraph_client', ARRAY[]::text[], 'the client role has no privileges on deleted_threads');
SELECT table_privs_are('langgraph', 'deleted_threads', 'public', ARRAY[]::text[], 'PUBLIC has no privileges on deleted_threads');

-- delete_thread leaves a tombstone -----------------------------------------------
SELECT pg_temp.put('pgtap-tomb-1', pg_temp.uuid6_at('2000-01-01 00:00:00+00'), NULL);
SELECT pg_temp.put('pgtap-tomb-1', pg_temp.uuid6_at('2000-01-01 00:00:01+00'), pg_temp.uuid6_at('2000-01-01 00:00:00+00'));
SELECT is(langgraph.delete_thread('pgtap-tomb-1'), 2::bigint, 'delete_thread deletes the two checkpoints');
SELECT ok(EXISTS (SELECT FROM langgraph.deleted_threads WHERE thread_id = 'pgtap-tomb-1'),
          'delete_thread leaves a tombstone');
SELECT is(langgraph.delete_thread('pgtap-tomb-never'), 0::bigint, 'deleting an unknown thread deletes nothing');
SELECT ok(EXISTS (SELECT FROM langgraph.deleted_threads WHERE thread_id = 'pgtap-tomb-never'),
          '... and still tombstones the id (writes may be in flight before its first checkpoint)');

UPDATE langgraph.deleted_threads SET deleted_at = '2001-01-01 00:00:00+00' WHERE thread_id = 'pgtap-tomb-1';
SELECT langgraph.delete_thread('pgtap-tomb-1');
SELECT ok((SELECT deleted_at > '2001-01-01 00:00:00+00' FROM langgraph.deleted_threads WHERE thread_id = 'pgtap-tomb-1'),
          'deleting again refreshes the tombstone');

-- put_writes and the tombstone ---------------------------------------------------
UPDATE langgraph.deleted_threads SET deleted_at = '2001-01-01 00:00:00+00' WHERE thread_id = 'pgtap-tomb-1';
SELECT throws_ok(format('SELECT pg_temp.write(%L, %L)', 'pgtap-tomb-1', pg_temp.uuid6_at('2000-01-01 00:00:01+00')),
                 'LG008', NULL, 'a late write for a checkpoint of the deleted thread is refused with LG008');
SELECT ok(NOT EXISTS (SELECT FROM langgraph.threads WHERE thread_id = 'pgtap-tomb-1'),
          '... and does not recreate the thread row');
SELECT throws_ok($$SELECT pg_temp.write('pgtap-tomb-1', 'not-a-uuid')$$,
                 'LG008', NULL, 'an id that is not a UUIDv6 counts as older than the deletion');
SELECT is(pg_temp.write('pgtap-tomb-1', pg_temp.uuid6_at('2001-01-01 00:00:01+00')), 1,
          'a write for a missing checkpoint minted after the deletion is accepted (async durability of a new run)');

-- A new run under the same id: its own checkpoints exist, so their writes are fine
-- whatever their ids, and the old ones stay refused.
SELECT pg_temp.put('pgtap-tomb-1', pg_temp.uuid6_at('2001-01-01 00:00:02+00'), NULL);
SELECT is(pg_temp.write('pgtap-tomb-1', pg_temp.uuid6_at('2001-01-01 00:00:02+00')), 1,
          'writes for an existing checkpoint are accepted');
SELECT throws_ok(format('SELECT pg_temp.write(%L, %L)', 'pgtap-tomb-1', pg_temp.uuid6_at('2000-01-01 00:00:00+00')),
                 'LG008', NULL, 'writes for the deleted run stay refused');
SELECT is(pg_temp.write('pgtap-tomb-2', pg_temp.uuid6_at('2000-01-01 00:00:00+00')), 1,
          'a thread without a tombstone takes writes before its checkpoint, however old the id');

-- The error carries a hint.
CREATE FUNCTION pg_temp.lg008_hint() RETURNS text LANGUAGE plpgsql AS $$
DECLARE v_hint text;
BEGIN
    PERFORM pg_temp.write('pgtap-tomb-1', pg_temp.uuid6_at('2000-01-01 00:00:00+00'));
    RETURN NULL;
EXCEPTION WHEN SQLSTATE 'LG008' THEN
    GET STACKED DIAGNOSTICS v_hint = PG_EXCEPTION_HINT;
    RETURN v_hint;
END
$$;
SELECT matches(pg_temp.lg008_hint(), 'checkpoint with no parent', 'LG008 has a HINT saying how to start again');

-- prune_checkpoints 'delete' goes through delete_thread, so it tombstones as well.
SELECT pg_temp.put('pgtap-tomb-3', pg_temp.uuid6_at('2000-01-01 00:00:00+00'), NULL);
SELECT langgraph.prune_checkpoints(ARRAY['pgtap-tomb-3'], 'delete');
SELECT ok(EXISTS (SELECT FROM langgraph.deleted_threads WHERE thread_id = 'pgtap-tomb-3'),
          'prune_checkpoints(delete) tombstones the thread');

SELECT * FROM finish();
ROLLBACK;
