-- Deploy langgraph_checkpoint:function__save_checkpoints to pg
-- requires: table_checkpoints
-- requires: table_checkpoint_blobs
-- requires: table_thread_leases
-- requires: function__validation
-- requires: function__id_checks
-- requires: function__ancestors@v1.0.0
-- requires: table_removed_checkpoints

BEGIN;

-- The one save path: put_checkpoint calls it with one checkpoint, batch_save_checkpoints
-- with many. Every check and insert is one set-based statement over all of them, so a
-- batch of N costs a handful of statements, not N times a handful. Checkpoints are
-- taken in array order: a parent may come earlier in the same call than its child.
-- Values arrive flattened; p_value_owners[j] is the 1-based index of value j's checkpoint.
-- Reworked after v1.0.0: what makes one checkpoint malformed is written once, in
-- _bad_checkpoint, for the query that tells whether anything is wrong and for the one
-- that finds the first bad checkpoint to raise its exact error. It is an inlinable SQL
-- predicate (see deploy/function__id_checks.sql), so both queries plan as before.
CREATE OR REPLACE FUNCTION :"schema"._bad_checkpoint(
    p_thread_id     text,
    p_checkpoint_ns text,
    p_checkpoint_id text,
    p_parent_id     text,
    p_checkpoint    jsonb,
    p_metadata      jsonb
)
RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN :"schema"._bad_id(p_thread_id)
    OR :"schema"._bad_ns(p_checkpoint_ns)
    OR :"schema"._bad_id(p_checkpoint_id)
    OR (p_parent_id IS NOT NULL AND :"schema"._bad_id(p_parent_id))
    OR p_checkpoint IS NULL OR pg_catalog.jsonb_typeof(p_checkpoint) OPERATOR(pg_catalog.<>) 'object'
    OR p_metadata IS NULL OR pg_catalog.jsonb_typeof(p_metadata) OPERATOR(pg_catalog.<>) 'object'
    OR (p_checkpoint OPERATOR(pg_catalog.?) 'id'
        AND p_checkpoint OPERATOR(pg_catalog.->>) 'id' IS DISTINCT FROM p_checkpoint_id)
    OR pg_catalog.jsonb_typeof(COALESCE(p_checkpoint OPERATOR(pg_catalog.->) 'channel_versions', '{}'::jsonb))
       OPERATOR(pg_catalog.<>) 'object';

REVOKE ALL ON FUNCTION :"schema"._bad_checkpoint(text, text, text, text, jsonb, jsonb) FROM PUBLIC;

COMMENT ON FUNCTION :"schema"._bad_checkpoint(text, text, text, text, jsonb, jsonb) IS 'Internal. True if a checkpoint given to _save_checkpoints is malformed: a bad id or namespace, a document or metadata that is not an object, a document id other than p_checkpoint_id, or channel_versions that is not an object. Inlined into its caller.';

CREATE OR REPLACE FUNCTION :"schema"._save_checkpoints(
    p_thread_ids     text[],
    p_checkpoint_ns  text[],
    p_checkpoint_ids text[],
    p_parent_ids     text[],
    p_checkpoints    jsonb[],
    p_metadata       jsonb[],
    p_value_owners   integer[],
    p_channels       text[],
    p_types          text[],
    p_values         jsonb[],
    p_blobs          bytea[],
    p_exclusive      boolean,
    p_lease_owner    text
)
RETURNS void
LANGUAGE plpgsql VOLATILE
SET search_path = :"schema", pg_temp
SET plan_cache_mode = force_generic_plan
AS $$
DECLARE
    v_n         integer := cardinality(p_checkpoint_ids);
    v_bad       record;
    v_many      boolean;
    v_malformed boolean;
    v_lineage   record;
BEGIN
    IF p_thread_ids IS NULL OR p_checkpoint_ns IS NULL OR p_checkpoint_ids IS NULL OR p_parent_ids IS NULL
       OR p_checkpoints IS NULL OR p_metadata IS NULL
       OR cardinality(p_thread_ids) <> v_n OR cardinality(p_checkpoint_ns) <> v_n
       OR cardinality(p_parent_ids) <> v_n OR cardinality(p_checkpoints) <> v_n
       OR cardinality(p_metadata) <> v_n THEN
        RAISE EXCEPTION 'checkpoint arrays must be non-NULL and of equal length'
            USING ERRCODE = 'LG002',
                  HINT = 'Element i of p_thread_ids, p_checkpoint_ns, p_checkpoint_ids, p_parent_ids, p_checkpoints and p_metadata describes checkpoint i.';
    END IF;
    IF v_n = 0 THEN
        RETURN;
    END IF;
    v_many := v_n > 1;

    -- One statement tells whether anything is malformed; only then do the checks below
    -- run one by one, to raise the exact error. A valid save pays for one query.
    IF p_channels IS NULL OR p_types IS NULL OR p_values IS NULL OR p_blobs IS NULL OR p_value_owners IS NULL
       OR cardinality(p_types) <> cardinality(p_channels) OR cardinality(p_values) <> cardinality(p_channels)
       OR cardinality(p_blobs) <> cardinality(p_channels) OR cardinality(p_value_owners) <> cardinality(p_channels) THEN
        v_malformed := true;
    ELSE
        SELECT EXISTS (
                   SELECT FROM unnest(p_thread_ids, p_checkpoint_ns, p_checkpoint_ids, p_parent_ids, p_checkpoints, p_metadata)
                        AS i (thread_id, checkpoint_ns, checkpoint_id, parent_id, checkpoint, metadata)
                   WHERE _bad_checkpoint(i.thread_id, i.checkpoint_ns, i.checkpoint_id, i.parent_id,
                                         i.checkpoint, i.metadata))
            OR EXISTS (
                   SELECT FROM unnest(p_value_owners, p_channels, p_types, p_values, p_blobs)
                        AS v (owner, channel, type, value, blob)
                   WHERE v.owner IS NULL OR v.owner < 1 OR v.owner > v_n
                      OR v.channel IS NULL OR v.channel = '' OR v.type IS NULL OR v.type = ''
                      OR NOT CASE v.type
                                 WHEN 'json'  THEN v.value IS NOT NULL AND v.blob IS NULL
                                 WHEN 'empty' THEN v.value IS NULL AND v.blob IS NULL
                                 ELSE v.value IS NULL AND v.blob IS NOT NULL
                             END
                      OR p_checkpoints[v.owner] -> 'channel_versions' ->> v.channel IS NULL)
          INTO v_malformed;
    END IF;

    IF v_malformed THEN
        PERFORM _check_payload('channel value', p_channels, p_types, p_values, p_blobs);
        IF p_value_owners IS NULL OR cardinality(p_value_owners) <> cardinality(p_channels)
           OR EXISTS (SELECT FROM unnest(p_value_owners) AS o WHERE o IS NULL OR o < 1 OR o > v_n) THEN
            RAISE EXCEPTION 'p_value_owners must give, for each value, the 1-based index of its checkpoint'
                USING ERRCODE = 'LG002',
                      HINT = 'Value j belongs to checkpoint p_value_owners[j].';
        END IF;

        -- The first malformed checkpoint, if any. The single-value checkers then raise the
        -- exact error for it, so one save and a batch report alike.
        SELECT i.ord, i.thread_id, i.checkpoint_ns, i.checkpoint_id, i.parent_id, i.checkpoint, i.metadata
          INTO v_bad
        FROM unnest(p_thread_ids, p_checkpoint_ns, p_checkpoint_ids, p_parent_ids, p_checkpoints, p_metadata)
             WITH ORDINALITY AS i (thread_id, checkpoint_ns, checkpoint_id, parent_id, checkpoint, metadata, ord)
        WHERE _bad_checkpoint(i.thread_id, i.checkpoint_ns, i.checkpoint_id, i.parent_id, i.checkpoint, i.metadata)
        ORDER BY i.ord
        LIMIT 1;
        IF FOUND THEN
            PERFORM _check_id(v_bad.thread_id, 'thread_id');
            PERFORM _check_ns(v_bad.checkpoint_ns);
            PERFORM _check_id(v_bad.checkpoint_id, 'checkpoint_id');
            IF v_bad.parent_id IS NOT NULL THEN
                PERFORM _check_id(v_bad.parent_id, 'parent_checkpoint_id');
            END IF;
            PERFORM _check_object(v_bad.checkpoint, 'checkpoint');
            PERFORM _check_object(v_bad.metadata, 'metadata');
            IF v_bad.checkpoint ? 'id' AND v_bad.checkpoint ->> 'id' IS DISTINCT FROM v_bad.checkpoint_id THEN
                RAISE EXCEPTION 'checkpoint.id % does not match checkpoint_id %', v_bad.checkpoint ->> 'id', v_bad.checkpoint_id
                    USING ERRCODE = 'LG002',
                          DETAIL = format('checkpoint %s of thread %s', v_bad.checkpoint_id, v_bad.thread_id),
                          HINT = 'Pass the id of the checkpoint document as p_checkpoint_id.';
            END IF;
            RAISE EXCEPTION 'checkpoint.channel_versions must be a JSON object'
                USING ERRCODE = 'LG002',
                      DETAIL = format('checkpoint %s of thread %s', v_bad.checkpoint_id, v_bad.thread_id),
                      HINT = 'channel_versions maps each channel name to its version.';
        END IF;

        -- A stored value is keyed by its version, so every value must have one (not JSON null).
        SELECT v.channel, v.owner INTO v_bad
        FROM unnest(p_value_owners, p_channels) AS v (owner, channel)
        WHERE p_checkpoints[v.owner] -> 'channel_versions' ->> v.channel IS NULL
        LIMIT 1;
        IF FOUND THEN
            RAISE EXCEPTION 'channel % has no version in checkpoint.channel_versions', v_bad.channel
                USING ERRCODE = 'LG002',
                      DETAIL = format('checkpoint %s of thread %s', p_checkpoint_ids[v_bad.owner], p_thread_ids[v_bad.owner]),
                      HINT = 'Send values only for the channels listed in channel_versions (LangGraph''s new_versions).';
        END IF;
    END IF;

    IF v_many THEN
        SELECT d.thread_id, d.checkpoint_ns, d.checkpoint_id INTO v_bad
        FROM unnest(p_thread_ids, p_checkpoint_ns, p_checkpoint_ids) AS d (thread_id, checkpoint_ns, checkpoint_id)
        GROUP BY 1, 2, 3
        HAVING count(*) > 1
        LIMIT 1;
        IF FOUND THEN
            RAISE EXCEPTION 'checkpoint % of thread % appears twice in one batch', v_bad.checkpoint_id, v_bad.thread_id
                USING ERRCODE = 'LG003',
                      HINT = 'Save each checkpoint once per batch.';
        END IF;
    END IF;

    -- Upserting the thread rows first also locks them, in one order: concurrent saves
    -- of a thread queue here, and each check below sees what the one before committed.
    INSERT INTO threads AS t (thread_id)
    SELECT DISTINCT u.thread_id FROM unnest(p_thread_ids) AS u (thread_id) ORDER BY 1
    ON CONFLICT (thread_id) DO UPDATE SET updated_at = now();

    SELECT l.thread_id, l.owner, l.expires_at INTO v_bad
    FROM thread_leases AS l
    WHERE l.thread_id = ANY (p_thread_ids) AND l.expires_at > clock_timestamp()
      AND l.owner IS DISTINCT FROM p_lease_owner
    LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'thread % is leased by %', v_bad.thread_id, v_bad.owner
            USING ERRCODE = 'LG006',
                  DETAIL = format('The lease expires at %s; this save came from %s.', v_bad.expires_at,
                                  coalesce(quote_literal(p_lease_owner), 'no lease owner')),
                  HINT = 'Save as the lease owner (p_lease_owner), or wait for the lease to expire.';
    END IF;

    -- A parent that exists neither in the table nor earlier in this call was deleted
    -- (by delete_thread, retention or a prune) after the run loaded it: saving would
    -- resurrect half a thread whose unchanged channel values are gone.
    SELECT i.thread_id, i.checkpoint_ns, i.parent_id INTO v_bad
    FROM unnest(p_thread_ids, p_checkpoint_ns, p_parent_ids) WITH ORDINALITY AS i (thread_id, checkpoint_ns, parent_id, ord)
    WHERE i.parent_id IS NOT NULL
      AND NOT EXISTS (
          SELECT FROM checkpoints AS c
          WHERE c.thread_id = i.thread_id AND c.checkpoint_ns = i.checkpoint_ns AND c.checkpoint_id = i.parent_id)
      AND NOT (v_many AND EXISTS (
          SELECT FROM unnest(p_thread_ids[:i.ord - 1], p_checkpoint_ns[:i.ord - 1], p_checkpoint_ids[:i.ord - 1])
                   AS e (thread_id, checkpoint_ns, checkpoint_id)
          WHERE e.thread_id = i.thread_id AND e.checkpoint_ns = i.checkpoint_ns AND e.checkpoint_id = i.parent_id))
    ORDER BY i.ord
    LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'parent checkpoint % of thread % no longer exists', v_bad.parent_id, v_bad.thread_id
            USING ERRCODE = 'LG008',
                  DETAIL = format('namespace %L', v_bad.checkpoint_ns),
                  HINT = 'The thread was deleted or pruned while this run was going; start the run again from the thread''s current state.';
    END IF;

    -- Lineage: a checkpoint may not become its own ancestor (a loop would send every
    -- lineage walk round it), and a removed checkpoint (see removed_checkpoints) is not
    -- saved again by a late retry. Only a checkpoint that exists and is saved with a
    -- new parent can close a loop; those are walked after the insert, below, where the
    -- whole batch's parents are in place.
    SELECT (SELECT i.ord
            FROM unnest(p_checkpoint_ids, p_parent_ids) WITH ORDINALITY AS i (checkpoint_id, parent_id, ord)
            WHERE i.parent_id = i.checkpoint_id
            ORDER BY i.ord LIMIT 1) AS own_parent,
           (SELECT i.ord
            FROM unnest(p_thread_ids, p_checkpoint_ns, p_checkpoint_ids) WITH ORDINALITY AS i (thread_id, checkpoint_ns, checkpoint_id, ord)
            WHERE EXISTS (SELECT FROM removed_checkpoints AS r
                          WHERE r.thread_id = i.thread_id AND r.checkpoint_ns = i.checkpoint_ns
                            AND r.last_id >= i.checkpoint_id AND r.first_id <= i.checkpoint_id
                            AND i.checkpoint_id = ANY (r.checkpoint_ids))
              AND NOT EXISTS (SELECT FROM checkpoints AS c
                              WHERE c.thread_id = i.thread_id AND c.checkpoint_ns = i.checkpoint_ns
                                AND c.checkpoint_id = i.checkpoint_id)
            ORDER BY i.ord LIMIT 1) AS removed,
           ARRAY(SELECT i.ord
                 FROM unnest(p_thread_ids, p_checkpoint_ns, p_checkpoint_ids, p_parent_ids) WITH ORDINALITY
                      AS i (thread_id, checkpoint_ns, checkpoint_id, parent_id, ord)
                 WHERE i.parent_id IS NOT NULL
                   AND EXISTS (SELECT FROM checkpoints AS c
                               WHERE c.thread_id = i.thread_id AND c.checkpoint_ns = i.checkpoint_ns
                                 AND c.checkpoint_id = i.checkpoint_id
                                 AND c.parent_checkpoint_id IS DISTINCT FROM i.parent_id)) AS moved
      INTO v_lineage;
    IF v_lineage.own_parent IS NOT NULL THEN
        RAISE EXCEPTION 'checkpoint % of thread % would be its own ancestor',
                p_checkpoint_ids[v_lineage.own_parent], p_thread_ids[v_lineage.own_parent]
            USING ERRCODE = 'LG003',
                  DETAIL = format('namespace %L, parent %s', p_checkpoint_ns[v_lineage.own_parent],
                                  p_parent_ids[v_lineage.own_parent]),
                  HINT = 'A checkpoint''s parent must be a checkpoint it was made from: not itself, nor one made after it. Save it with its original parent, or under a new id.';
    END IF;
    IF v_lineage.removed IS NOT NULL THEN
        RAISE EXCEPTION 'checkpoint % of thread % was removed; refusing to save it again',
                p_checkpoint_ids[v_lineage.removed], p_thread_ids[v_lineage.removed]
            USING ERRCODE = 'LG008',
                  DETAIL = format('namespace %L', p_checkpoint_ns[v_lineage.removed]),
                  HINT = 'The checkpoint was deleted, pruned or expired by retention while this run was going; start the run again from the thread''s current state.';
    END IF;

    -- Exclusive mode: a save must extend the head of its branch. A parent that already
    -- has another child (in the table or earlier in this call) means a second instance
    -- ran the same step: refuse instead of silently forking the thread. Explicit time
    -- travel (source 'update' or 'fork') may branch; a retry of a save that already
    -- happened is never a conflict.
    IF p_exclusive THEN
        SELECT i.thread_id, i.checkpoint_ns, i.checkpoint_id, i.parent_id, r.rival INTO v_bad
        FROM unnest(p_thread_ids, p_checkpoint_ns, p_checkpoint_ids, p_parent_ids, p_metadata)
             WITH ORDINALITY AS i (thread_id, checkpoint_ns, checkpoint_id, parent_id, metadata, ord)
        CROSS JOIN LATERAL (
            SELECT coalesce(
                (SELECT c.checkpoint_id FROM checkpoints AS c
                 WHERE c.thread_id = i.thread_id AND c.checkpoint_ns = i.checkpoint_ns
                   AND (c.parent_checkpoint_id = i.parent_id OR i.parent_id IS NULL)
                 ORDER BY c.checkpoint_id DESC LIMIT 1),
                (SELECT e.checkpoint_id
                 FROM unnest(p_thread_ids[:i.ord - 1], p_checkpoint_ns[:i.ord - 1], p_checkpoint_ids[:i.ord - 1],
                             p_parent_ids[:i.ord - 1]) AS e (thread_id, checkpoint_ns, checkpoint_id, parent_id)
                 WHERE e.thread_id = i.thread_id AND e.checkpoint_ns = i.checkpoint_ns
                   AND (e.parent_id = i.parent_id OR i.parent_id IS NULL)
                 LIMIT 1)) AS rival
        ) AS r
        WHERE coalesce(i.metadata ->> 'source', '') NOT IN ('update', 'fork')
          AND r.rival IS NOT NULL
          AND NOT EXISTS (
              SELECT FROM checkpoints AS c
              WHERE c.thread_id = i.thread_id AND c.checkpoint_ns = i.checkpoint_ns
                AND c.checkpoint_id = i.checkpoint_id)
        ORDER BY i.ord
        LIMIT 1;
        IF FOUND THEN
            RAISE EXCEPTION 'checkpoint % would fork thread %: % already continues from %',
                    v_bad.checkpoint_id, v_bad.thread_id, v_bad.rival, coalesce(v_bad.parent_id, 'the start')
                USING ERRCODE = 'LG005',
                      DETAIL = format('namespace %L', v_bad.checkpoint_ns),
                      HINT = 'Another instance advanced this thread. Reload its latest checkpoint and run again, or take a lease (acquire_lease) so only one instance runs it.';
        END IF;
    END IF;

    -- (thread, ns, channel, version) identifies a value: a retried save stores nothing twice.
    INSERT INTO checkpoint_blobs (thread_id, checkpoint_ns, channel, version, type, value, blob)
    SELECT p_thread_ids[v.owner], p_checkpoint_ns[v.owner], v.channel,
           p_checkpoints[v.owner] -> 'channel_versions' ->> v.channel, v.type, v.value, v.blob
    FROM unnest(p_value_owners, p_channels, p_types, p_values, p_blobs) AS v (owner, channel, type, value, blob)
    ON CONFLICT (thread_id, checkpoint_ns, channel, version) DO NOTHING;

    -- The same id saved again replaces the document, as LangGraph expects of put().
    INSERT INTO checkpoints (thread_id, checkpoint_ns, checkpoint_id, parent_checkpoint_id, checkpoint, metadata)
    SELECT i.thread_id, i.checkpoint_ns, i.checkpoint_id, i.parent_id, i.checkpoint - 'channel_values', i.metadata
    FROM unnest(p_thread_ids, p_checkpoint_ns, p_checkpoint_ids, p_parent_ids, p_checkpoints, p_metadata)
         AS i (thread_id, checkpoint_ns, checkpoint_id, parent_id, checkpoint, metadata)
    ON CONFLICT (thread_id, checkpoint_ns, checkpoint_id) DO UPDATE
        SET parent_checkpoint_id = EXCLUDED.parent_checkpoint_id,
            checkpoint = EXCLUDED.checkpoint,
            metadata = EXCLUDED.metadata;

    -- A checkpoint saved again under a new parent closed a loop if the walk up from
    -- that parent (cycle-safe, see _ancestors) reaches it. Raising undoes the whole call.
    IF cardinality(v_lineage.moved) > 0 THEN
        SELECT i.thread_id, i.checkpoint_ns, i.checkpoint_id, i.parent_id INTO v_bad
        FROM unnest(p_thread_ids, p_checkpoint_ns, p_checkpoint_ids, p_parent_ids) WITH ORDINALITY
             AS i (thread_id, checkpoint_ns, checkpoint_id, parent_id, ord)
        WHERE i.ord = ANY (v_lineage.moved)
          AND EXISTS (SELECT FROM _ancestors(i.thread_id, i.checkpoint_ns, i.parent_id) AS a
                      WHERE a.checkpoint_id = i.checkpoint_id)
        ORDER BY i.ord
        LIMIT 1;
        IF FOUND THEN
            RAISE EXCEPTION 'checkpoint % of thread % would be its own ancestor', v_bad.checkpoint_id, v_bad.thread_id
                USING ERRCODE = 'LG003',
                      DETAIL = format('namespace %L, parent %s', v_bad.checkpoint_ns, v_bad.parent_id),
                      HINT = 'A checkpoint''s parent must be a checkpoint it was made from: not itself, nor one made after it. Save it with its original parent, or under a new id.';
        END IF;
    END IF;
END
$$;

REVOKE ALL ON FUNCTION :"schema"._save_checkpoints(text[], text[], text[], text[], jsonb[], jsonb[], integer[], text[], text[], jsonb[], bytea[], boolean, text) FROM PUBLIC;

COMMENT ON FUNCTION :"schema"._save_checkpoints(text[], text[], text[], text[], jsonb[], jsonb[], integer[], text[], text[], jsonb[], bytea[], boolean, text) IS
  'Internal. The save path of put_checkpoint and batch_save_checkpoints: validates, locks the threads, checks leases, parents, lineage and exclusive mode, and stores N checkpoints with their values in set-based statements. Raises LG001, LG002, LG003 (a checkpoint twice in one call, or one that would be its own ancestor), LG005, LG006, LG008 (a parent gone, or a removed checkpoint saved again).';

COMMIT;
