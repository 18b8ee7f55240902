-- Deploy langgraph_checkpoint:function_put_checkpoint_v2 to pg
-- requires: column_checkpoint_blobs_delta_depth
-- requires: function__validation
-- requires: table_thread_leases
-- requires: function__blob_value
-- requires: function__id_checks
-- requires: function__ancestors@v1.0.0
-- requires: table_removed_checkpoints
-- requires: table_settings
-- requires: table_thread_settings
\set client_role :schema '_client'

BEGIN;

-- The save of one checkpoint, as LangGraph's put() makes it on every step. Two things
-- make it cost what changed rather than the whole state:
--  * a list channel that grew by appending (add_messages) arrives as its new elements
--    only, with p_base_versions naming the stored version it extends; the server stores
--    that tail as a delta (base_version, delta_depth) without reading or parsing the
--    base, and cuts the chain with a whole value every c_max_depth links;
--  * the checks are expressions, and one query tells whether anything is wrong, so a
--    valid save runs two statements: lock the thread, then check and store in one.
-- batch_save_checkpoints keeps the set-based path (_save_checkpoints); both raise the
-- same errors for the same input.
CREATE FUNCTION :"schema".put_checkpoint_v2(
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
    p_base_versions        text[]  DEFAULT NULL,
    p_exclusive            boolean DEFAULT false,
    p_lease_owner          text    DEFAULT NULL
)
RETURNS text
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = :"schema", pg_temp
-- Every call runs the same plan shapes; planning them again per call would cost more
-- than the call itself. The statements are all primary-key probes: JIT never pays.
SET plan_cache_mode = force_generic_plan
SET jit = off
-- Key probes only, whatever the statistics say: estimates for one thread's key are
-- always a row or two (a thread that grew since the last ANALYZE is not in them), and
-- with such estimates a cached plan has read a long thread whole through a bitmap scan
-- and a sort. With sequential and bitmap scans off, every lookup walks its index.
SET enable_seqscan = off
SET enable_bitmapscan = off
AS $$
DECLARE
    -- Reads rebuild a delta from its chain: at most this many links per value.
    c_max_depth CONSTANT integer := 32;
    v_versions  jsonb := p_checkpoint -> 'channel_versions';
    v_n         integer := coalesce(cardinality(p_channels), 0);
    v_check     record;
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
    IF p_parent_checkpoint_id IS NOT NULL AND _bad_id(p_parent_checkpoint_id) THEN
        PERFORM _check_id(p_parent_checkpoint_id, 'parent_checkpoint_id');
    END IF;
    IF p_checkpoint IS NULL OR jsonb_typeof(p_checkpoint) <> 'object' THEN
        PERFORM _check_object(p_checkpoint, 'checkpoint');
    END IF;
    IF p_metadata IS NULL OR jsonb_typeof(p_metadata) <> 'object' THEN
        PERFORM _check_object(p_metadata, 'metadata');
    END IF;
    IF p_checkpoint ? 'id' AND p_checkpoint ->> 'id' IS DISTINCT FROM p_checkpoint_id THEN
        RAISE EXCEPTION 'checkpoint.id % does not match checkpoint_id %', p_checkpoint ->> 'id', p_checkpoint_id
            USING ERRCODE = 'LG002',
                  DETAIL = format('checkpoint %s of thread %s', p_checkpoint_id, p_thread_id),
                  HINT = 'Pass the id of the checkpoint document as p_checkpoint_id.';
    END IF;
    v_versions := coalesce(v_versions, '{}');
    IF jsonb_typeof(v_versions) <> 'object' THEN
        RAISE EXCEPTION 'checkpoint.channel_versions must be a JSON object'
            USING ERRCODE = 'LG002',
                  DETAIL = format('checkpoint %s of thread %s', p_checkpoint_id, p_thread_id),
                  HINT = 'channel_versions maps each channel name to its version.';
    END IF;
    IF p_channels IS NULL OR p_types IS NULL OR p_values IS NULL OR p_blobs IS NULL
       OR cardinality(p_types) <> v_n OR cardinality(p_values) <> v_n OR cardinality(p_blobs) <> v_n THEN
        PERFORM _check_payload('channel value', p_channels, p_types, p_values, p_blobs);
    END IF;
    IF p_base_versions IS NOT NULL AND cardinality(p_base_versions) <> v_n THEN
        RAISE EXCEPTION 'p_base_versions has % elements for % values', cardinality(p_base_versions), v_n
            USING ERRCODE = 'LG002',
                  HINT = 'Element i names the stored version value i extends, or is NULL for a whole value; pass NULL for no tails at all.';
    END IF;

    -- Locks the thread row too: concurrent saves of a thread queue here, and each check
    -- below sees what the one before committed. updated_at is kept to the second (the
    -- retention policies count in days): a save within the same second only locks the
    -- row, which writes a lock record instead of a new row version.
    INSERT INTO threads AS t (thread_id) VALUES (p_thread_id)
    ON CONFLICT (thread_id) DO UPDATE SET updated_at = now()
        WHERE t.updated_at < now() - interval '1 second';

    -- One statement checks everything that could be wrong and, only if nothing is,
    -- stores the values and the document; the errors are raised below in a fixed order
    -- (malformed, lease, own ancestor, parent, removed, base, exclusive mode), and a
    -- refused save has stored nothing. (thread, ns, channel, version) identifies a
    -- value, so a retried save stores nothing twice. A tail whose chain would grow past
    -- c_max_depth is joined to its base's whole value here, once every c_max_depth saves
    -- of the channel.
    WITH incoming AS MATERIALIZED (
        -- The values, each with the chain length of the base a tail names: one key probe
        -- per tail (LATERAL ... LIMIT 1; a join here would be planned as a scan of the
        -- thread's values), read once for the checks and the insert.
        SELECT u.ord, u.channel, v_versions ->> u.channel AS version, u.type, u.value, u.blob, u.base,
               b.delta_depth AS base_depth
        FROM unnest(p_channels, p_types, p_values, p_blobs, p_base_versions)
             WITH ORDINALITY AS u (channel, type, value, blob, base, ord)
        LEFT JOIN LATERAL (
            SELECT b.delta_depth
            FROM checkpoint_blobs AS b
            WHERE u.base IS NOT NULL
              AND b.thread_id = p_thread_id AND b.checkpoint_ns = p_checkpoint_ns
              AND b.channel = u.channel AND b.version = u.base
            LIMIT 1) AS b ON true
    ), checks AS MATERIALIZED (
        SELECT
            (SELECT i.ord
             FROM incoming AS i
             WHERE i.channel IS NULL OR i.channel = '' OR i.type IS NULL OR i.type = ''
                OR NOT CASE i.type
                           WHEN 'json'  THEN i.value IS NOT NULL AND i.blob IS NULL
                           WHEN 'empty' THEN i.value IS NULL AND i.blob IS NULL
                           ELSE i.value IS NULL AND i.blob IS NOT NULL
                       END
                OR i.version IS NULL
                OR (i.base IS NOT NULL AND (i.type <> 'json' OR jsonb_typeof(i.value) <> 'array'))
             ORDER BY i.ord LIMIT 1) AS malformed,
            (SELECT i.channel
             FROM incoming AS i
             WHERE i.base IS NOT NULL AND i.base_depth IS NULL
             ORDER BY i.ord LIMIT 1) AS missing_base,
            l.owner AS lease_owner, l.expires_at AS lease_expires_at,
            -- The newest checkpoint at or before the parent's id, kept only if it is the
            -- parent (see get_checkpoint): only the primary key gives that order.
            p_parent_checkpoint_id IS NOT NULL AND (
                SELECT c.checkpoint_id FROM checkpoints AS c
                WHERE c.thread_id = p_thread_id AND c.checkpoint_ns = p_checkpoint_ns
                  AND c.checkpoint_id <= p_parent_checkpoint_id
                ORDER BY c.checkpoint_id DESC
                LIMIT 1) IS DISTINCT FROM p_parent_checkpoint_id AS parent_gone,
            -- A checkpoint may not become its own ancestor: a parent chain that loops
            -- would send every lineage walk round it. Only a checkpoint that exists can
            -- be an ancestor of its parent, so a new one costs one key probe, and the
            -- walk up from the parent runs only for a re-save that changes the parent.
            CASE WHEN p_parent_checkpoint_id IS NULL THEN false
                 WHEN p_parent_checkpoint_id = p_checkpoint_id THEN true
                 WHEN NOT EXISTS (
                     SELECT FROM checkpoints AS c
                     WHERE c.thread_id = p_thread_id AND c.checkpoint_ns = p_checkpoint_ns
                       AND c.checkpoint_id = p_checkpoint_id
                       AND c.parent_checkpoint_id IS DISTINCT FROM p_parent_checkpoint_id) THEN false
                 ELSE EXISTS (SELECT FROM _ancestors(p_thread_id, p_checkpoint_ns, p_parent_checkpoint_id) AS a
                              WHERE a.checkpoint_id = p_checkpoint_id)
            END AS own_ancestor,
            -- A checkpoint that was removed (see removed_checkpoints) is not saved again
            -- by a late retry of its put. An id newer than every removal of the
            -- namespace is one index probe that finds nothing.
            CASE WHEN EXISTS (
                     SELECT FROM removed_checkpoints AS r
                     WHERE r.thread_id = p_thread_id AND r.checkpoint_ns = p_checkpoint_ns
                       AND r.last_id >= p_checkpoint_id AND r.first_id <= p_checkpoint_id
                       AND p_checkpoint_id = ANY (r.checkpoint_ids))
                 THEN NOT EXISTS (
                     SELECT FROM checkpoints AS c
                     WHERE c.thread_id = p_thread_id AND c.checkpoint_ns = p_checkpoint_ns
                       AND c.checkpoint_id = p_checkpoint_id)
                 ELSE false
            END AS removed,
            -- Exclusive mode (see put_checkpoint): a save must extend the head of its
            -- branch; a child the parent already has is a rival, unless this is a retry.
            CASE WHEN p_exclusive AND coalesce(p_metadata ->> 'source', '') NOT IN ('update', 'fork') THEN (
                SELECT c.checkpoint_id
                FROM checkpoints AS c
                WHERE c.thread_id = p_thread_id AND c.checkpoint_ns = p_checkpoint_ns
                  AND (c.parent_checkpoint_id = p_parent_checkpoint_id OR p_parent_checkpoint_id IS NULL)
                  AND (SELECT s.checkpoint_id FROM checkpoints AS s
                       WHERE s.thread_id = p_thread_id AND s.checkpoint_ns = p_checkpoint_ns
                         AND s.checkpoint_id <= p_checkpoint_id
                       ORDER BY s.checkpoint_id DESC
                       LIMIT 1) IS DISTINCT FROM p_checkpoint_id
                ORDER BY c.checkpoint_id DESC
                LIMIT 1) END AS rival
        FROM (SELECT) AS one
        LEFT JOIN thread_leases AS l
          ON l.thread_id = p_thread_id AND l.expires_at > clock_timestamp()
         AND l.owner IS DISTINCT FROM p_lease_owner
    ), valid AS (
        SELECT FROM checks AS k
        WHERE k.malformed IS NULL AND k.missing_base IS NULL AND k.lease_owner IS NULL
          AND k.lease_expires_at IS NULL AND NOT k.parent_gone AND k.rival IS NULL
          AND NOT k.own_ancestor AND NOT k.removed
    ), stored_values AS (
        INSERT INTO checkpoint_blobs AS b
            (thread_id, checkpoint_ns, channel, version, type, value, blob, base_version, delta_depth)
        SELECT p_thread_id, p_checkpoint_ns, i.channel, i.version, i.type,
               CASE WHEN i.base IS NULL OR i.base_depth + 1 < c_max_depth THEN i.value
                    ELSE _blob_value(p_thread_id, p_checkpoint_ns, i.channel, i.base) || i.value END,
               i.blob,
               CASE WHEN i.base_depth + 1 < c_max_depth THEN i.base END,
               -- A whole array's chain length is 0, unless the thread compresses: then
               -- it is left open for the encoding trigger (which fires only then) to
               -- store it as a delta if it extends the version before. A joined chain
               -- stays whole. "The thread compresses" is _compression_enabled's rule,
               -- written out: calling that PL/pgSQL function is the per-save cost this
               -- avoids, and a SQL function with subqueries would not be inlined.
               CASE WHEN i.base_depth + 1 < c_max_depth THEN i.base_depth + 1
                    WHEN i.base IS NOT NULL THEN 0
                    WHEN i.type = 'json' AND jsonb_typeof(i.value) = 'array'
                         AND NOT coalesce((SELECT t.compression FROM thread_settings AS t WHERE t.thread_id = p_thread_id),
                                          (SELECT s.compression FROM settings AS s WHERE s.singleton),
                                          false) THEN 0 END
        FROM incoming AS i
        -- An empty marker is no row (see checkpoint_blobs_skip_empty): left out here, so
        -- that no save of this function calls that trigger's PL/pgSQL function either.
        WHERE EXISTS (SELECT FROM valid) AND i.type <> 'empty'
        ON CONFLICT (thread_id, checkpoint_ns, channel, version) DO NOTHING
    ), stored AS (
        INSERT INTO checkpoints (thread_id, checkpoint_ns, checkpoint_id, parent_checkpoint_id, checkpoint, metadata)
        SELECT p_thread_id, p_checkpoint_ns, p_checkpoint_id, p_parent_checkpoint_id, p_checkpoint - 'channel_values', p_metadata
        FROM valid
        ON CONFLICT (thread_id, checkpoint_ns, checkpoint_id) DO UPDATE
            SET parent_checkpoint_id = EXCLUDED.parent_checkpoint_id,
                checkpoint = EXCLUDED.checkpoint,
                metadata = EXCLUDED.metadata
    )
    SELECT * INTO v_check FROM checks;

    IF v_check.malformed IS NOT NULL THEN
        PERFORM _check_payload('channel value', p_channels, p_types, p_values, p_blobs);
        IF v_versions ->> p_channels[v_check.malformed] IS NULL THEN
            RAISE EXCEPTION 'channel % has no version in checkpoint.channel_versions', p_channels[v_check.malformed]
                USING ERRCODE = 'LG002',
                      DETAIL = format('checkpoint %s of thread %s', p_checkpoint_id, p_thread_id),
                      HINT = 'Send values only for the channels listed in channel_versions (LangGraph''s new_versions).';
        END IF;
        RAISE EXCEPTION 'channel % is sent as an appended tail but is not a JSON array', p_channels[v_check.malformed]
            USING ERRCODE = 'LG002',
                  DETAIL = format('checkpoint %s of thread %s, base version %s', p_checkpoint_id, p_thread_id,
                                  p_base_versions[v_check.malformed]),
                  HINT = 'A value with a base version must be type json and a JSON array of the appended elements.';
    END IF;
    IF v_check.lease_owner IS NOT NULL OR v_check.lease_expires_at IS NOT NULL THEN
        RAISE EXCEPTION 'thread % is leased by %', p_thread_id, v_check.lease_owner
            USING ERRCODE = 'LG006',
                  DETAIL = format('The lease expires at %s; this save came from %s.', v_check.lease_expires_at,
                                  coalesce(quote_literal(p_lease_owner), 'no lease owner')),
                  HINT = 'Save as the lease owner (p_lease_owner), or wait for the lease to expire.';
    END IF;
    IF v_check.own_ancestor THEN
        RAISE EXCEPTION 'checkpoint % of thread % would be its own ancestor', p_checkpoint_id, p_thread_id
            USING ERRCODE = 'LG003',
                  DETAIL = format('namespace %L, parent %s', p_checkpoint_ns, p_parent_checkpoint_id),
                  HINT = 'A checkpoint''s parent must be a checkpoint it was made from: not itself, nor one made after it. Save it with its original parent, or under a new id.';
    END IF;
    IF v_check.parent_gone THEN
        RAISE EXCEPTION 'parent checkpoint % of thread % no longer exists', p_parent_checkpoint_id, p_thread_id
            USING ERRCODE = 'LG008',
                  DETAIL = format('namespace %L', p_checkpoint_ns),
                  HINT = 'The thread was deleted or pruned while this run was going; start the run again from the thread''s current state.';
    END IF;
    IF v_check.removed THEN
        RAISE EXCEPTION 'checkpoint % of thread % was removed; refusing to save it again', p_checkpoint_id, p_thread_id
            USING ERRCODE = 'LG008',
                  DETAIL = format('namespace %L', p_checkpoint_ns),
                  HINT = 'The checkpoint was deleted, pruned or expired by retention while this run was going; start the run again from the thread''s current state.';
    END IF;
    IF v_check.missing_base IS NOT NULL THEN
        RAISE EXCEPTION 'channel % extends version % of thread %, which is not stored as a JSON array',
                v_check.missing_base, p_base_versions[array_position(p_channels, v_check.missing_base)], p_thread_id
            USING ERRCODE = 'LG009',
                  DETAIL = format('namespace %L, checkpoint %s', p_checkpoint_ns, p_checkpoint_id),
                  HINT = 'The base was removed (retention, prune) or never written by this path. Send the whole value (NULL base version).';
    END IF;

    IF v_check.rival IS NOT NULL THEN
        RAISE EXCEPTION 'checkpoint % would fork thread %: % already continues from %',
                p_checkpoint_id, p_thread_id, v_check.rival, coalesce(p_parent_checkpoint_id, 'the start')
            USING ERRCODE = 'LG005',
                  DETAIL = format('namespace %L', p_checkpoint_ns),
                  HINT = 'Another instance advanced this thread. Reload its latest checkpoint and run again, or take a lease (acquire_lease) so only one instance runs it.';
    END IF;
    RETURN p_checkpoint_id;
END
$$;

REVOKE ALL ON FUNCTION :"schema".put_checkpoint_v2(text, text, text, text, jsonb, jsonb, text[], text[], jsonb[], bytea[], text[], boolean, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION :"schema".put_checkpoint_v2(text, text, text, text, jsonb, jsonb, text[], text[], jsonb[], bytea[], text[], boolean, text) TO :"client_role";

COMMENT ON FUNCTION :"schema".put_checkpoint_v2(text, text, text, text, jsonb, jsonb, text[], text[], jsonb[], bytea[], text[], boolean, text) IS
$c$Saves one checkpoint and the values of its changed channels, atomically, and returns its id.
As put_checkpoint, plus p_base_versions: NULL, or one element per value, NULL for a whole value
or the version of the same channel (thread, namespace) that value i extends. A value with a base
version is type json and a JSON array of the elements appended to the value stored at that
version; it is stored as a delta (checkpoint_blobs.base_version) without the base being read,
and reads return the whole list. Every 32nd link of a chain is stored whole.
Parameters: p_thread_id, p_checkpoint_ns ('' for the root graph), p_checkpoint_id,
p_parent_checkpoint_id (NULL for a root), p_checkpoint (its channel_values key is ignored),
p_metadata (object), the parallel arrays p_channels, p_types ('json', 'empty' or a serializer
type), p_values (JSONB for type json), p_blobs (bytes for serializer types), p_base_versions,
p_exclusive (refuse to fork the thread; see put_checkpoint), p_lease_owner (see put_checkpoint).
Raises LG001 (empty or over-long id, NULL or over-long namespace), LG002 (non-object document or
metadata, malformed or unversioned values, a tail that is not a JSON array, checkpoint.id not
matching p_checkpoint_id), LG003 (the checkpoint would be its own ancestor: a parent equal to
it, or one descended from it), LG005 (exclusive mode: the save would fork the thread), LG006
(another owner holds a live lease), LG008 (the parent checkpoint no longer exists, or this
checkpoint was removed: see removed_checkpoints), LG009 (a base version is not stored as a JSON
array of known chain length: send the whole value). A refused save stores nothing.$c$;

COMMIT;
