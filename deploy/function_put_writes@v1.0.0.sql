-- Deploy langgraph_checkpoint:function_put_writes to pg
-- requires: table_checkpoint_writes
-- requires: function__validation
-- requires: table_deleted_threads
-- requires: function__checkpoint_id_time
\set client_role :schema '_client'

BEGIN;

CREATE FUNCTION :"schema".put_writes(
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
AS $$
DECLARE
    -- LangGraph's WRITES_IDX_MAP: special writes get fixed negative slots, so a retry
    -- of the task replaces them instead of piling up.
    c_special CONSTANT jsonb := '{"__error__": -1, "__scheduled__": -2, "__interrupt__": -3, "__resume__": -4}';
    v_all_special boolean;
    v_stored integer;
    v_deleted_at timestamptz;
BEGIN
    IF p_thread_id IS NULL OR p_thread_id = '' OR length(p_thread_id) > 1024 THEN
        PERFORM _check_id(p_thread_id, 'thread_id');
    END IF;
    IF p_checkpoint_ns IS NULL OR length(p_checkpoint_ns) > 1024 THEN
        PERFORM _check_ns(p_checkpoint_ns);
    END IF;
    IF p_checkpoint_id IS NULL OR p_checkpoint_id = '' OR length(p_checkpoint_id) > 1024 THEN
        PERFORM _check_id(p_checkpoint_id, 'checkpoint_id');
    END IF;
    IF p_task_id IS NULL OR p_task_id = '' OR length(p_task_id) > 1024 THEN
        PERFORM _check_id(p_task_id, 'task_id');
    END IF;
    PERFORM _check_payload('write', p_channels, p_types, p_values, p_blobs);
    IF p_task_path IS NULL THEN
        RAISE EXCEPTION 'task_path must not be NULL'
            USING ERRCODE = 'LG001',
                  HINT = 'Pass '''' when the task has no path.';
    END IF;
    IF cardinality(p_channels) = 0 THEN
        RETURN 0;
    END IF;

    -- Hold the thread row with the weakest lock (FOR KEY SHARE): concurrent puts and
    -- writes to the thread go on, but delete_thread and retention, which lock it FOR
    -- UPDATE, wait for this transaction, and this one waits for them. A thread deleted
    -- meanwhile is found gone and recreated here, then judged by its tombstone below.
    PERFORM FROM threads WHERE thread_id = p_thread_id FOR KEY SHARE;
    IF NOT FOUND THEN
        INSERT INTO threads (thread_id) VALUES (p_thread_id)
        ON CONFLICT (thread_id) DO NOTHING;
        IF NOT FOUND THEN
            PERFORM FROM threads WHERE thread_id = p_thread_id FOR KEY SHARE;
        END IF;
    END IF;

    -- A late write for a deleted thread must not resurrect half of it. The checkpoint
    -- may legitimately not exist yet (async durability), so only a checkpoint minted
    -- before the deletion counts as the deleted thread's.
    SELECT d.deleted_at INTO v_deleted_at
    FROM deleted_threads AS d
    WHERE d.thread_id = p_thread_id
      AND coalesce(_checkpoint_id_time(p_checkpoint_id), '-infinity') <= d.deleted_at
      AND NOT EXISTS (
          SELECT FROM checkpoints AS c
          WHERE c.thread_id = p_thread_id AND c.checkpoint_ns = p_checkpoint_ns
            AND c.checkpoint_id = p_checkpoint_id);
    IF FOUND THEN
        RAISE EXCEPTION 'thread % was deleted; refusing writes for its checkpoint %', p_thread_id, p_checkpoint_id
            USING ERRCODE = 'LG008',
                  DETAIL = format('The thread was deleted at %s; checkpoint %s was created before that and no longer exists.',
                                  v_deleted_at, p_checkpoint_id),
                  HINT = 'The run this write belongs to was deleted (delete_thread or retention). Start a new run: a checkpoint with no parent recreates the thread.';
    END IF;

    SELECT bool_and(c_special ? ch) INTO v_all_special FROM unnest(p_channels) AS ch;

    IF v_all_special THEN
        -- Replace: the latest attempt's error or interrupt is the one that counts.
        -- DISTINCT ON keeps the last write per slot so one statement never updates a
        -- row twice.
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
before the deletion are refused, so a late write never recreates half a thread.
Raises LG001 (empty or over-long id, NULL task_path), LG002 (malformed value arrays),
LG008 (the thread was deleted after this checkpoint was created).$c$;

COMMIT;
