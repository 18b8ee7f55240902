-- Deploy langgraph_checkpoint:function_put_checkpoint to pg
-- requires: table_checkpoints
-- requires: table_checkpoint_blobs
-- requires: function__validation
-- requires: table_thread_leases
\set client_role :schema '_client'

BEGIN;

CREATE FUNCTION :"schema".put_checkpoint(
    p_thread_id            text,
    p_checkpoint_ns        text,
    p_checkpoint_id        text,
    p_parent_checkpoint_id text,
    p_checkpoint           jsonb,
    p_metadata             jsonb   DEFAULT '{}',
    p_channels             text[]  DEFAULT '{}',
    p_types                text[]  DEFAULT '{}',
    p_values               jsonb[] DEFAULT '{}',
    p_blobs                bytea[] DEFAULT '{}',
    p_exclusive            boolean DEFAULT false,
    p_lease_owner          text    DEFAULT NULL
)
RETURNS text
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = :"schema", pg_temp
-- Every call runs the same plan shape; planning it again per call would cost more
-- than the call itself.
SET plan_cache_mode = force_generic_plan
AS $$
DECLARE
    v_versions jsonb;
    v_unversioned text;
    v_holder record;
    v_rival text;
BEGIN
    PERFORM _check_id(p_thread_id, 'thread_id');
    PERFORM _check_ns(p_checkpoint_ns);
    PERFORM _check_id(p_checkpoint_id, 'checkpoint_id');
    IF p_parent_checkpoint_id IS NOT NULL THEN
        PERFORM _check_id(p_parent_checkpoint_id, 'parent_checkpoint_id');
    END IF;
    PERFORM _check_object(p_checkpoint, 'checkpoint');
    PERFORM _check_object(p_metadata, 'metadata');
    PERFORM _check_payload('channel value', p_channels, p_types, p_values, p_blobs);

    IF p_checkpoint ? 'id' AND p_checkpoint ->> 'id' IS DISTINCT FROM p_checkpoint_id THEN
        RAISE EXCEPTION 'checkpoint.id % does not match checkpoint_id %', p_checkpoint ->> 'id', p_checkpoint_id
            USING ERRCODE = 'LG002',
                  HINT = 'Pass the id of the checkpoint document as p_checkpoint_id.';
    END IF;
    v_versions := coalesce(p_checkpoint -> 'channel_versions', '{}');
    IF jsonb_typeof(v_versions) <> 'object' THEN
        RAISE EXCEPTION 'checkpoint.channel_versions must be a JSON object'
            USING ERRCODE = 'LG002',
                  HINT = 'channel_versions maps each channel name to its version.';
    END IF;
    -- A stored value is keyed by its version, so every value must have one.
    SELECT ch INTO v_unversioned FROM unnest(p_channels) AS ch WHERE NOT v_versions ? ch LIMIT 1;
    IF v_unversioned IS NOT NULL THEN
        RAISE EXCEPTION 'channel % has no version in checkpoint.channel_versions', v_unversioned
            USING ERRCODE = 'LG002',
                  HINT = 'Send values only for the channels listed in channel_versions (LangGraph''s new_versions).';
    END IF;

    -- Upserting the thread row first also locks it: concurrent saves of one thread
    -- queue here, and each check below sees what the one before it committed.
    INSERT INTO threads AS t (thread_id) VALUES (p_thread_id)
    ON CONFLICT (thread_id) DO UPDATE SET updated_at = now();

    SELECT l.owner, l.expires_at INTO v_holder
    FROM thread_leases AS l
    WHERE l.thread_id = p_thread_id AND l.expires_at > clock_timestamp()
      AND l.owner IS DISTINCT FROM p_lease_owner;
    IF FOUND THEN
        RAISE EXCEPTION 'thread % is leased by %', p_thread_id, v_holder.owner
            USING ERRCODE = 'LG006',
                  DETAIL = format('The lease expires at %s; this save came from %s.', v_holder.expires_at,
                                  coalesce(quote_literal(p_lease_owner), 'no lease owner')),
                  HINT = 'Save as the lease owner (p_lease_owner), or wait for the lease to expire.';
    END IF;

    -- A parent that does not exist was deleted (by delete_thread, retention or a
    -- prune) after this run loaded it: saving would resurrect half a thread whose
    -- unchanged channel values are gone.
    IF p_parent_checkpoint_id IS NOT NULL AND NOT EXISTS (
        SELECT FROM checkpoints AS c
        WHERE c.thread_id = p_thread_id AND c.checkpoint_ns = p_checkpoint_ns
          AND c.checkpoint_id = p_parent_checkpoint_id) THEN
        RAISE EXCEPTION 'parent checkpoint % of thread % no longer exists', p_parent_checkpoint_id, p_thread_id
            USING ERRCODE = 'LG008',
                  DETAIL = format('namespace %L', p_checkpoint_ns),
                  HINT = 'The thread was deleted or pruned while this run was going; start the run again from the thread''s current state.';
    END IF;

    -- Exclusive mode: graph steps ('input' and 'loop' saves) must extend the head of
    -- their branch. A parent that already has another child means a second instance
    -- ran the same step: refuse instead of silently forking the thread. Explicit
    -- time travel (source 'update' or 'fork') is allowed to branch.
    -- A retry of a save that already happened is never a conflict.
    IF p_exclusive AND coalesce(p_metadata ->> 'source', '') NOT IN ('update', 'fork')
       AND NOT EXISTS (
           SELECT FROM checkpoints AS c
           WHERE c.thread_id = p_thread_id AND c.checkpoint_ns = p_checkpoint_ns
             AND c.checkpoint_id = p_checkpoint_id) THEN
        SELECT c.checkpoint_id INTO v_rival
        FROM checkpoints AS c
        WHERE c.thread_id = p_thread_id AND c.checkpoint_ns = p_checkpoint_ns
          AND (c.parent_checkpoint_id = p_parent_checkpoint_id OR p_parent_checkpoint_id IS NULL)
        ORDER BY c.checkpoint_id DESC
        LIMIT 1;
        IF v_rival IS NOT NULL THEN
            RAISE EXCEPTION 'checkpoint % would fork thread %: % already continues from %',
                    p_checkpoint_id, p_thread_id, v_rival, coalesce(p_parent_checkpoint_id, 'the start')
                USING ERRCODE = 'LG005',
                      DETAIL = format('namespace %L', p_checkpoint_ns),
                      HINT = 'Another instance advanced this thread. Reload its latest checkpoint and run again, or take a lease (acquire_lease) so only one instance runs it.';
        END IF;
    END IF;

    -- (thread, ns, channel, version) identifies a value: a retried put stores nothing twice.
    INSERT INTO checkpoint_blobs (thread_id, checkpoint_ns, channel, version, type, value, blob)
    SELECT p_thread_id, p_checkpoint_ns, u.channel, v_versions ->> u.channel, u.type, u.value, u.blob
    FROM unnest(p_channels, p_types, p_values, p_blobs) AS u (channel, type, value, blob)
    ON CONFLICT (thread_id, checkpoint_ns, channel, version) DO NOTHING;

    -- The same id saved again replaces the document, as LangGraph expects of put().
    INSERT INTO checkpoints (thread_id, checkpoint_ns, checkpoint_id, parent_checkpoint_id, checkpoint, metadata)
    VALUES (p_thread_id, p_checkpoint_ns, p_checkpoint_id, p_parent_checkpoint_id,
            p_checkpoint - 'channel_values', p_metadata)
    ON CONFLICT (thread_id, checkpoint_ns, checkpoint_id) DO UPDATE
        SET parent_checkpoint_id = EXCLUDED.parent_checkpoint_id,
            checkpoint = EXCLUDED.checkpoint,
            metadata = EXCLUDED.metadata;

    RETURN p_checkpoint_id;
END
$$;

REVOKE ALL ON FUNCTION :"schema".put_checkpoint(text, text, text, text, jsonb, jsonb, text[], text[], jsonb[], bytea[], boolean, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION :"schema".put_checkpoint(text, text, text, text, jsonb, jsonb, text[], text[], jsonb[], bytea[], boolean, text) TO :"client_role";

COMMENT ON FUNCTION :"schema".put_checkpoint(text, text, text, text, jsonb, jsonb, text[], text[], jsonb[], bytea[], boolean, text) IS
$c$Saves one checkpoint and the values of its changed channels, atomically, and returns its id.
Parameters: p_thread_id, p_checkpoint_ns ('' for the root graph), p_checkpoint_id,
p_parent_checkpoint_id (NULL for a root), p_checkpoint (LangGraph's checkpoint document; its
channel_values key, if any, is ignored), p_metadata (object), and four parallel arrays describing
the changed channel values: p_channels (names, each listed in p_checkpoint->channel_versions),
p_types ('json', 'empty' or a serializer type), p_values (JSONB for type json, else NULL) and
p_blobs (bytes for serializer types, else NULL). Values already stored at the same version are
kept; saving an existing id replaces its document and metadata. p_exclusive (default false)
refuses a save whose parent already has another child, or a parentless save into a namespace
that has checkpoints; saves whose metadata source is 'update' or 'fork' (explicit time travel)
and retries of a checkpoint already saved are exempt. p_lease_owner names the caller for
thread leases: a live lease of another owner refuses the save.
Raises LG001 (empty or over-long id, NULL or over-long namespace), LG002 (non-object document or metadata, malformed or
unversioned values, checkpoint.id not matching p_checkpoint_id), LG005 (exclusive mode: the
save would fork the thread), LG006 (another owner holds a live lease), LG008 (the parent
checkpoint no longer exists: the thread was deleted or pruned meanwhile).$c$;

COMMIT;
