-- Deploy langgraph_checkpoint:function_get_checkpoint_v2 to pg
-- requires: table_checkpoints
-- requires: table_checkpoint_blobs
-- requires: table_checkpoint_writes
-- requires: column_checkpoint_blobs_delta_depth
-- requires: function__validation
-- requires: function__id_checks
\set reader_role :schema '_reader'

BEGIN;

-- The read at the start of every LangGraph invoke. A long chat's messages are stored
-- as a chain of appended tails (put_checkpoint_v2); rebuilding the whole list on the
-- server and printing it as text costs O(conversation) per read, twice. This returns
-- the stored pieces as they are, oldest first, and the client joins them. A client
-- that already holds versions of a channel (it wrote or read them) names each in
-- p_known_channels / p_known_versions (a channel once per version): the walk down the
-- chain stops at the first held one, so only what was appended since comes back, and
-- a channel at a held version sends nothing at all.
CREATE FUNCTION :"schema".get_checkpoint_v2(
    p_thread_id      text,
    p_checkpoint_ns  text   DEFAULT '',
    p_checkpoint_id  text   DEFAULT NULL,
    p_known_channels text[] DEFAULT NULL,
    p_known_versions text[] DEFAULT NULL
)
RETURNS TABLE (
    thread_id            text,
    checkpoint_ns        text,
    checkpoint_id        text,
    parent_checkpoint_id text,
    checkpoint           jsonb,
    metadata             jsonb,
    piece_channels       text[],
    piece_types          text[],
    piece_values         jsonb[],
    piece_blobs          bytea[],
    piece_extends        text[],
    write_task_ids       text[],
    write_channels       text[],
    write_types          text[],
    write_values         jsonb[],
    write_blobs          bytea[],
    write_task_paths     text[]
)
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = :"schema", pg_temp
-- Primary-key probes only; a generic plan and no JIT (the recursive walk's estimates
-- would otherwise cross the JIT thresholds).
SET plan_cache_mode = force_generic_plan
SET jit = off
-- Key probes only, whatever the statistics say: estimates for one thread's key are
-- always a row or two (a thread that grew since the last ANALYZE is not in them), and
-- with such estimates a cached plan has read a long thread whole through a bitmap scan
-- and a sort. With sequential and bitmap scans off, every lookup walks its index.
SET enable_seqscan = off
SET enable_bitmapscan = off
ROWS 1
AS $$
DECLARE
    v_walk boolean;
BEGIN
    IF _bad_id(p_thread_id) THEN
        PERFORM _check_id(p_thread_id, 'thread_id');
    END IF;
    IF _bad_ns(p_checkpoint_ns) THEN
        PERFORM _check_ns(p_checkpoint_ns);
    END IF;
    IF p_checkpoint_id IS NOT NULL AND _bad_id(p_checkpoint_id) THEN
        PERFORM _check_id(p_checkpoint_id, 'checkpoint_id');
    END IF;
    IF cardinality(p_known_channels) IS DISTINCT FROM cardinality(p_known_versions) THEN
        RAISE EXCEPTION 'p_known_channels and p_known_versions must be of equal length'
            USING ERRCODE = 'LG002',
                  HINT = 'Element i of each names one channel and the version of it the caller holds.';
    END IF;

    -- One statement finds the checkpoint, its values and its pending writes. The
    -- checkpoint is one backward step of the primary key: the newest, or the newest at or
    -- before the id, kept only if it is that id (asked for "checkpoint_id = id", a generic
    -- plan could take another index; only the primary key gives this order). Of the two
    -- branches, the one-time filter on p_checkpoint_id runs one. Each value is its
    -- channel's at the checkpoint's version, unless the caller holds that version; every
    -- lookup is a LATERAL probe with LIMIT 1 (the keys are unique, and as a join a generic
    -- plan would hash the thread's every stored value). LangGraph replays a superstep's
    -- writes in (task_path, task_id, idx) order.
    SELECT c.checkpoint_id, c.parent_checkpoint_id, c.checkpoint, c.metadata,
           p.channels, p.types, p.vals, p.blobs, p.extends, p.walk,
           w.task_ids, w.channels, w.types, w.vals, w.blobs, w.task_paths
      INTO checkpoint_id, parent_checkpoint_id, checkpoint, metadata,
           piece_channels, piece_types, piece_values, piece_blobs, piece_extends, v_walk,
           write_task_ids, write_channels, write_types, write_values, write_blobs, write_task_paths
    FROM (
        (SELECT c.checkpoint_id, c.parent_checkpoint_id, c.checkpoint, c.metadata
         FROM checkpoints AS c
         WHERE p_checkpoint_id IS NULL AND c.thread_id = p_thread_id AND c.checkpoint_ns = p_checkpoint_ns
         ORDER BY c.checkpoint_id DESC
         LIMIT 1)
        UNION ALL
        (SELECT c.checkpoint_id, c.parent_checkpoint_id, c.checkpoint, c.metadata
         FROM checkpoints AS c
         WHERE p_checkpoint_id IS NOT NULL AND c.thread_id = p_thread_id AND c.checkpoint_ns = p_checkpoint_ns
           AND c.checkpoint_id <= p_checkpoint_id
         ORDER BY c.checkpoint_id DESC
         LIMIT 1)
    ) AS c
    -- Each aggregate takes the rows in the order its subquery sorts them: one sort per
    -- group of arrays instead of one per array (an ordered aggregate sets up a sort of
    -- its own on every call, which was a tenth of this function's time).
    CROSS JOIN LATERAL (
        SELECT coalesce(array_agg(f.channel), '{}') AS channels,
               coalesce(array_agg(f.type), '{}') AS types,
               coalesce(array_agg(f.value), '{}') AS vals,
               coalesce(array_agg(f.blob), '{}') AS blobs,
               coalesce(array_agg(f.base_version), '{}') AS extends,
               coalesce(bool_or(f.base_version IS NOT NULL AND NOT EXISTS (
                   SELECT FROM unnest(p_known_channels, p_known_versions) AS u (channel, version)
                   WHERE u.channel = f.channel AND u.version = f.base_version)), false) AS walk
        FROM (
            SELECT v.channel COLLATE "C" AS channel, b.type, b.value, b.blob, b.base_version
            FROM jsonb_each_text(c.checkpoint -> 'channel_versions') AS v (channel, version)
            CROSS JOIN LATERAL (
                SELECT EXISTS (SELECT FROM unnest(p_known_channels, p_known_versions) AS u (channel, version)
                               WHERE u.channel = v.channel AND u.version = v.version) AS held) AS k
            CROSS JOIN LATERAL (
                SELECT b.type, b.value, b.blob, b.base_version
                FROM checkpoint_blobs AS b
                WHERE b.thread_id = p_thread_id AND b.checkpoint_ns = p_checkpoint_ns
                  AND b.channel = v.channel AND b.version = v.version
                LIMIT 1) AS b
            WHERE b.type <> 'empty' AND NOT k.held
            ORDER BY 1
        ) AS f
    ) AS p
    CROSS JOIN LATERAL (
        SELECT coalesce(array_agg(x.task_id), '{}') AS task_ids,
               coalesce(array_agg(x.channel), '{}') AS channels,
               coalesce(array_agg(x.type), '{}') AS types,
               coalesce(array_agg(x.value), '{}') AS vals,
               coalesce(array_agg(x.blob), '{}') AS blobs,
               coalesce(array_agg(x.task_path), '{}') AS task_paths
        FROM (
            SELECT x.task_id, x.channel, x.type, x.value, x.blob, x.task_path
            FROM checkpoint_writes AS x
            WHERE x.thread_id = p_thread_id AND x.checkpoint_ns = p_checkpoint_ns
              AND x.checkpoint_id = c.checkpoint_id
            ORDER BY x.task_path, x.task_id, x.idx
        ) AS x
    ) AS w
    WHERE c.checkpoint_id = coalesce(p_checkpoint_id, c.checkpoint_id);
    IF NOT FOUND THEN
        RETURN;
    END IF;
    thread_id := p_thread_id;
    checkpoint_ns := p_checkpoint_ns;

    -- A delta whose base the caller does not hold: walk its chain down to a whole
    -- value or a held version (at most 32 links, see put_checkpoint_v2). A caller
    -- that wrote or read the previous version never needs this.
    IF v_walk THEN
        -- It starts from the first pieces just read (one per channel).
        WITH RECURSIVE walk AS (
            SELECT f.channel COLLATE "C" AS channel, f.type, f.value, f.blob, f.base_version COLLATE "C" AS base_version, 0 AS step
            FROM unnest(piece_channels, piece_types, piece_values, piece_blobs, piece_extends)
                 AS f (channel, type, value, blob, base_version)
          UNION ALL
            SELECT w.channel, b.type, b.value, b.blob, b.base_version, w.step + 1
            FROM walk AS w
            CROSS JOIN LATERAL (
                SELECT b.type, b.value, b.blob, b.base_version
                FROM checkpoint_blobs AS b
                WHERE b.thread_id = p_thread_id AND b.checkpoint_ns = p_checkpoint_ns
                  AND b.channel = w.channel AND b.version = w.base_version
                LIMIT 1) AS b
            -- Bound: the longest chain a save makes (32 links), so a loop cannot run away.
            WHERE w.step < 32 AND w.base_version IS NOT NULL
              AND NOT EXISTS (SELECT FROM unnest(p_known_channels, p_known_versions) AS u (channel, version)
                              WHERE u.channel = w.channel AND u.version = w.base_version)
        )
        -- One sort for the five arrays, as above (five ordered aggregates sorted the same
        -- rows five times: a fifth of a cold read's time on a short chat).
        SELECT array_agg(w.channel), array_agg(w.type), array_agg(w.value), array_agg(w.blob),
               array_agg(w.base_version)
          INTO piece_channels, piece_types, piece_values, piece_blobs, piece_extends
        FROM (SELECT * FROM walk ORDER BY channel, step DESC) AS w;
    END IF;

    RETURN NEXT;
END
$$;

REVOKE ALL ON FUNCTION :"schema".get_checkpoint_v2(text, text, text, text[], text[]) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION :"schema".get_checkpoint_v2(text, text, text, text[], text[]) TO :"reader_role";

COMMENT ON FUNCTION :"schema".get_checkpoint_v2(text, text, text, text[], text[]) IS
$c$Returns one checkpoint (the latest of the thread and namespace, or p_checkpoint_id) with its
pending writes and its channel values as stored pieces, or no row if there is none.
Parameters: p_thread_id, p_checkpoint_ns (default ''), p_checkpoint_id (default NULL: the
latest), p_known_channels and p_known_versions (default NULL: parallel arrays naming versions
the caller already holds, element i one version of channel i; a channel may appear once per
version held).
Pieces (piece_channels, piece_types, piece_values, piece_blobs, piece_extends) are ordered by
channel, oldest first. A channel's value is its pieces' JSON arrays concatenated in order; its
first piece extends nothing (NULL: a whole value) or a held version (prepend what the caller
holds of it): the first held version on the chain. A channel at a held version has no pieces. A value is at most 32 pieces.
get_checkpoint returns the same checkpoint with whole values. Costs the same on a thread of any
length. Raises LG001 (empty or over-long id), LG002 (known arrays of different lengths).$c$;

COMMIT;
