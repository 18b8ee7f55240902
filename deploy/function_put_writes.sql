-- Deploy langgraph_checkpoint:function_put_writes to pg
-- requires: table_checkpoint_writes
-- requires: function__validation
-- requires: table_deleted_threads
-- requires: function__checkpoint_id_time
-- requires: function__id_checks
-- requires: table_removed_checkpoints
-- requires: column_threads_removed_through
\set client_role :schema '_client'

BEGIN;

-- Reworked after v1.0.0: the same behaviour in fewer statements. A valid call runs two
-- (lock the thread row and check the payload, insert; a thread that has a tombstone
-- also probes it); no query checks a valid payload, and which slots the writes take
-- is an expression.
CREATE OR REPLACE FUNCTION :"schema".put_writes(
    p_thread_id     text,
    p_checkpoint_ns text,
    p_checkpoint_id text,
    p_task_id       text,
    p_channels      text[],
    p_types         text[],
    p_values        jsonb[],
    p_blobs         bytea[],
    p_task_path     text DEFAULT ''
)
RETURNS integer
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = :"schema", pg_temp
-- Every call runs the same plan shapes. Without this the plan cache keeps planning the
-- tombstone probe per call: with the id as a constant, planning folds the IMMUTABLE
-- _checkpoint_id_time() and runs it, which made that one statement cost 170 us.
SET plan_cache_mode = force_generic_plan
-- Key probes only, whatever the statistics say: estimates for one thread's key are
-- always a row or two (a thread that grew since the last ANALYZE is not in them), and
-- with such estimates a cached plan has read a long thread whole through a bitmap scan
-- and a sort. With sequential and bitmap scans off, every lookup walks its index.
SET enable_seqscan = off
SET enable_bitmapscan = off
AS $$
DECLARE
    -- LangGraph's WRITES_IDX_MAP: special writes get fixed negative slots, so a retry
    -- of the task replaces them instead of piling up.
    c_special CONSTANT jsonb := '{"__error__": -1, "__scheduled__": -2, "__interrupt__": -3, "__resume__": -4}'::jsonb;
    v_n       integer := coalesce(cardinality(p_channels), 0);
    v_stored  integer;
    v_check   record;
    v_removed_through text;
BEGIN
    IF _bad_id(p_thread_id) THEN
        PERFORM _check_id(p_thread_id, 'thread_id');
    END IF;
    IF _bad_ns(p_checkpoint_ns) THEN
        PERFORM _check_ns(p_checkpoint_ns);
    END IF;
    IF _bad_id(p_checkpoint_id) THEN
        PERFORM _check_id(p_checkpoint_id, 'checkpoint_id');
    END IF;
    IF _bad_id(p_task_id) THEN
        PERFORM _check_id(p_task_id, 'task_id');
    END IF;
    IF p_channels IS NULL OR p_types IS NULL OR p_values IS NULL OR p_blobs IS NULL
       OR cardinality(p_types) <> v_n OR cardinality(p_values) <> v_n OR cardinality(p_blobs) <> v_n THEN
        PERFORM _check_payload('write', p_channels, p_types, p_values, p_blobs);
    END IF;
    IF p_task_path IS NULL THEN
        RAISE EXCEPTION 'task_path must not be NULL'
            USING ERRCODE = 'LG001',
                  HINT = 'Pass '''' when the task has no path.';
    END IF;
    IF v_n = 0 THEN
        RETURN 0;
    END IF;

    -- Hold the thread row with the weakest lock (FOR KEY SHARE): concurrent puts and
    -- writes to the thread go on, but delete_thread and retention, which lock it FOR
    -- UPDATE, wait for this transaction, and this one waits for them. The same query
    -- tells whether a write is malformed. A thread deleted meanwhile is found gone and
    -- recreated here, then judged by its tombstone below.
    SELECT t.thread_id AS locked,
           (SELECT u.ord
            FROM unnest(p_channels, p_types, p_values, p_blobs) WITH ORDINALITY AS u (channel, type, value, blob, ord)
            WHERE u.channel IS NULL OR u.channel = '' OR u.type IS NULL OR u.type = ''
               OR NOT CASE u.type
                          WHEN 'json'  THEN u.value IS NOT NULL AND u.blob IS NULL
                          WHEN 'empty' THEN u.value IS NULL AND u.blob IS NULL
                          ELSE u.value IS NULL AND u.blob IS NOT NULL
                      END
            LIMIT 1) AS malformed,
           EXISTS (SELECT FROM deleted_threads AS d WHERE d.thread_id = p_thread_id) AS tombstone,
           t.removed_through
      INTO v_check
    FROM threads AS t
    WHERE t.thread_id = p_thread_id
    FOR KEY SHARE OF t;
    IF v_check.locked IS NULL THEN
        -- Rare: the first write of a thread, before its first checkpoint, or a thread
        -- deleted meanwhile; its tombstone is checked below in any case.
        PERFORM _check_payload('write', p_channels, p_types, p_values, p_blobs);
        INSERT INTO threads (thread_id) VALUES (p_thread_id)
        ON CONFLICT (thread_id) DO NOTHING;
        IF NOT FOUND THEN
            PERFORM FROM threads WHERE thread_id = p_thread_id FOR KEY SHARE;
        END IF;
        v_check.tombstone := true;
    ELSIF v_check.malformed IS NOT NULL THEN
        PERFORM _check_payload('write', p_channels, p_types, p_values, p_blobs);
    END IF;
    v_removed_through := v_check.removed_through;

    -- A late write for a deleted thread must not resurrect half of it. The checkpoint
    -- may legitimately not exist yet (async durability), so only a checkpoint minted
    -- before the deletion counts as the deleted thread's. A thread never deleted has no
    -- tombstone: one probe of its key. The checkpoint is looked up as the newest at or
    -- before its id (see get_checkpoint): only the primary key gives that order. The
    -- thread row held above keeps a deletion from slipping in between: a thread locked
    -- with no tombstone in sight has none, and skips the probe.
    IF v_check.tombstone THEN
        SELECT d.deleted_at INTO v_check
        FROM deleted_threads AS d
        WHERE d.thread_id = p_thread_id
          AND coalesce(_checkpoint_id_time(p_checkpoint_id), '-infinity') <= d.deleted_at
          AND (SELECT c.checkpoint_id FROM checkpoints AS c
               WHERE c.thread_id = p_thread_id AND c.checkpoint_ns = p_checkpoint_ns
                 AND c.checkpoint_id <= p_checkpoint_id
               ORDER BY c.checkpoint_id DESC
               LIMIT 1) IS DISTINCT FROM p_checkpoint_id;
        IF FOUND THEN
            RAISE EXCEPTION 'thread % was deleted; refusing writes for its checkpoint %', p_thread_id, p_checkpoint_id
                USING ERRCODE = 'LG008',
                      DETAIL = format('The thread was deleted at %s; checkpoint %s was created before that and no longer exists.',
                                      v_check.deleted_at, p_checkpoint_id),
                      HINT = 'The run this write belongs to was deleted (delete_thread or retention). Start a new run: a checkpoint with no parent recreates the thread.';
        END IF;
    END IF;

    -- A late write for a checkpoint removed from a live thread (delete_checkpoint,
    -- delete_for_runs, prune_checkpoints, retention: see removed_checkpoints) is refused
    -- too; one that merely has not landed yet is not, for it was never removed. The
    -- gate is removed_through, read from the row locked above: the newest version, so
    -- a removal that committed while this call waited for the lock is in it. A write
    -- newer than every removal (any write of a running graph) looks up nothing.
    IF p_checkpoint_id <= v_removed_through THEN
        SELECT r.removed_at INTO v_check
        FROM removed_checkpoints AS r
        WHERE r.thread_id = p_thread_id AND r.checkpoint_ns = p_checkpoint_ns
          AND r.last_id >= p_checkpoint_id AND r.first_id <= p_checkpoint_id
          AND p_checkpoint_id = ANY (r.checkpoint_ids)
          AND NOT EXISTS (SELECT FROM checkpoints AS c
                          WHERE c.thread_id = p_thread_id AND c.checkpoint_ns = p_checkpoint_ns
                            AND c.checkpoint_id = p_checkpoint_id)
        ORDER BY r.removed_at DESC
        LIMIT 1;
        IF FOUND THEN
            RAISE EXCEPTION 'checkpoint % of thread % was removed; refusing writes for it', p_checkpoint_id, p_thread_id
                USING ERRCODE = 'LG008',
                      DETAIL = format('namespace %L; the checkpoint was removed at %s.', p_checkpoint_ns, v_check.removed_at),
                      HINT = 'The checkpoint this run writes to was deleted, pruned or expired by retention while the run was going. Load the thread''s current state and run again.';
        END IF;
    END IF;
    IF c_special ?& p_channels THEN
        -- Every write is special. Replace: the latest attempt's error or interrupt is the
        -- one that counts. DISTINCT ON keeps the last write per slot so one statement
        -- never updates a row twice.
        INSERT INTO checkpoint_writes AS w
            (thread_id, checkpoint_ns, checkpoint_id, task_id, idx, channel, type, value, blob, task_path)
        SELECT DISTINCT ON ((c_special ->> u.channel)::integer)
               p_thread_id, p_checkpoint_ns, p_checkpoint_id, p_task_id,
               (c_special ->> u.channel)::integer, u.channel, u.type, u.value, u.blob, p_task_path
        FROM unnest(p_channels, p_types, p_values, p_blobs) WITH ORDINALITY AS u (channel, type, value, blob, ord)
        ORDER BY (c_special ->> u.channel)::integer, u.ord DESC
        ON CONFLICT (thread_id, checkpoint_ns, checkpoint_id, task_id, idx) DO UPDATE
            SET channel = EXCLUDED.channel,
                type = EXCLUDED.type,
                value = EXCLUDED.value,
                blob = EXCLUDED.blob,
                task_path = EXCLUDED.task_path,
                created_at = now();
    ELSE
        -- Idempotent: a retried task_id writes nothing new.
        INSERT INTO checkpoint_writes
            (thread_id, checkpoint_ns, checkpoint_id, task_id, idx, channel, type, value, blob, task_path)
        SELECT p_thread_id, p_checkpoint_ns, p_checkpoint_id, p_task_id,
               coalesce((c_special ->> u.channel)::integer, (u.ord - 1)::integer),
               u.channel, u.type, u.value, u.blob, p_task_path
        FROM unnest(p_channels, p_types, p_values, p_blobs) WITH ORDINALITY AS u (channel, type, value, blob, ord)
        ON CONFLICT (thread_id, checkpoint_ns, checkpoint_id, task_id, idx) DO NOTHING;
    END IF;
    GET DIAGNOSTICS v_stored = ROW_COUNT;
    RETURN v_stored;
END
$$;

REVOKE ALL ON FUNCTION :"schema".put_writes(text, text, text, text, text[], text[], jsonb[], bytea[], text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION :"schema".put_writes(text, text, text, text, text[], text[], jsonb[], bytea[], text) TO :"client_role";

COMMENT ON FUNCTION :"schema".put_writes(text, text, text, text, text[], text[], jsonb[], bytea[], text) IS
$c$Stores the writes of one task against a checkpoint and returns how many rows it inserted or replaced.
Parameters: p_thread_id, p_checkpoint_ns, p_checkpoint_id, p_task_id, the parallel arrays
p_channels, p_types, p_values, p_blobs (as in put_checkpoint; element i is write number i), and
p_task_path (default ''). Regular writes take idx 0..n-1 and are idempotent per (task_id, idx):
a retry stores nothing new. When every write is special (__error__, __scheduled__,
__interrupt__, __resume__) they take idx -1..-4 and replace what that task stored before.
The checkpoint need not exist yet: LangGraph's async durability may deliver writes first.
Writes for a missing checkpoint of a deleted thread (see deleted_threads) whose id was minted
before the deletion are refused, so a late write never recreates half a thread; so are writes
for a checkpoint that was removed (delete_checkpoint, delete_for_runs, prune_checkpoints,
retention: see removed_checkpoints) and does not exist again. A refused call stores nothing.
Raises LG001 (empty or over-long id, NULL task_path), LG002 (malformed value arrays),
LG008 (the thread was deleted after this checkpoint was created, or the checkpoint was removed).$c$;

COMMIT;
