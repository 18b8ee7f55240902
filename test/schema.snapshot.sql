CREATE SCHEMA langgraph;

COMMENT ON SCHEMA langgraph IS 'langgraph-checkpoint-plpgsql: LangGraph checkpoints. The API is the functions; the tables are private.';

CREATE FUNCTION langgraph._ancestors(p_thread_id text, p_checkpoint_ns text, p_checkpoint_id text, p_max_depth integer DEFAULT NULL::integer) RETURNS TABLE(depth integer, checkpoint_id text, parent_checkpoint_id text, metadata jsonb, created_at timestamp with time zone)
    LANGUAGE plpgsql STABLE
    SET search_path TO 'langgraph', 'pg_temp'
    SET plan_cache_mode TO 'force_generic_plan'
    AS $$
#variable_conflict use_column
BEGIN
    -- PL/pgSQL so the plan is made once per session; it is the same for every call.
    RETURN QUERY
    WITH RECURSIVE chain AS (
        SELECT 0 AS depth, c.checkpoint_id, c.parent_checkpoint_id, c.metadata, c.created_at,
               c.checkpoint_id AS mark, 0 AS mark_depth, NULL::integer AS loop_length
        FROM checkpoints AS c
        WHERE c.thread_id = p_thread_id AND c.checkpoint_ns = p_checkpoint_ns
          AND c.checkpoint_id = p_checkpoint_id
      UNION ALL
        SELECT chain.depth + 1, p.checkpoint_id, p.parent_checkpoint_id, p.metadata, p.created_at,
               -- depth + 1 is a power of two: the mark moves here.
               CASE WHEN (chain.depth + 1) & chain.depth = 0 THEN p.checkpoint_id ELSE chain.mark END,
               CASE WHEN (chain.depth + 1) & chain.depth = 0 THEN chain.depth + 1 ELSE chain.mark_depth END,
               CASE WHEN p.checkpoint_id = chain.mark THEN chain.depth + 1 - chain.mark_depth END
        FROM chain
        JOIN checkpoints AS p
          ON p.thread_id = p_thread_id AND p.checkpoint_ns = p_checkpoint_ns
         AND p.checkpoint_id = chain.parent_checkpoint_id
        WHERE chain.loop_length IS NULL
          AND (p_max_depth IS NULL OR chain.depth < p_max_depth)
    )
    SELECT chain.depth, chain.checkpoint_id::text, chain.parent_checkpoint_id::text, chain.metadata, chain.created_at
    FROM chain
    WHERE chain.loop_length IS NULL
      -- Only a walk that went round a loop computes this (an InitPlan run on first use):
      -- the loop starts at the first depth whose checkpoint comes back loop_length later.
      AND (NOT EXISTS (SELECT FROM chain AS l WHERE l.loop_length IS NOT NULL)
           OR chain.depth < (SELECT min(a.depth) + min(l.loop_length)
                             FROM chain AS l
                             CROSS JOIN chain AS a
                             JOIN chain AS b ON b.depth = a.depth + l.loop_length AND b.checkpoint_id = a.checkpoint_id
                             WHERE l.loop_length IS NOT NULL));
END
$$;

COMMENT ON FUNCTION langgraph._ancestors(p_thread_id text, p_checkpoint_ns text, p_checkpoint_id text, p_max_depth integer) IS 'Internal. The checkpoint and its ancestors up the parent chain (depth 0 = the checkpoint), at most p_max_depth steps up, each checkpoint once. Bound: the checkpoints of the namespace; a loop in the chain (only possible through a hand edit: saves refuse one) ends the walk where it closes.';

CREATE FUNCTION langgraph._bad_id(p_value text) RETURNS boolean
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN ((p_value IS NULL) OR (p_value = ''::text) OR (length(p_value) > 1024));

COMMENT ON FUNCTION langgraph._bad_id(p_value text) IS 'Internal. True if p_value is not a valid identifier: NULL, empty or longer than 1024 characters (_check_id raises LG001 for exactly these). Inlined into its caller.';

CREATE FUNCTION langgraph._bad_ns(p_value text) RETURNS boolean
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN ((p_value IS NULL) OR (length(p_value) > 1024));

COMMENT ON FUNCTION langgraph._bad_ns(p_value text) IS 'Internal. True if p_value is not a valid namespace: NULL or longer than 1024 characters (_check_ns raises LG001 for exactly these). Inlined into its caller.';

CREATE FUNCTION langgraph._bad_checkpoint(p_thread_id text, p_checkpoint_ns text, p_checkpoint_id text, p_parent_id text, p_checkpoint jsonb, p_metadata jsonb) RETURNS boolean
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN (langgraph._bad_id(p_thread_id) OR langgraph._bad_ns(p_checkpoint_ns) OR langgraph._bad_id(p_checkpoint_id) OR ((p_parent_id IS NOT NULL) AND langgraph._bad_id(p_parent_id)) OR (p_checkpoint IS NULL) OR (jsonb_typeof(p_checkpoint) <> 'object'::text) OR (p_metadata IS NULL) OR (jsonb_typeof(p_metadata) <> 'object'::text) OR ((p_checkpoint ? 'id'::text) AND ((p_checkpoint ->> 'id'::text) IS DISTINCT FROM p_checkpoint_id)) OR (jsonb_typeof(COALESCE((p_checkpoint -> 'channel_versions'::text), '{}'::jsonb)) <> 'object'::text));

COMMENT ON FUNCTION langgraph._bad_checkpoint(p_thread_id text, p_checkpoint_ns text, p_checkpoint_id text, p_parent_id text, p_checkpoint jsonb, p_metadata jsonb) IS 'Internal. True if a checkpoint given to _save_checkpoints is malformed: a bad id or namespace, a document or metadata that is not an object, a document id other than p_checkpoint_id, or channel_versions that is not an object. Inlined into its caller.';

CREATE FUNCTION langgraph._blob_value(p_thread_id text, p_checkpoint_ns text, p_channel text, p_version text) RETURNS jsonb
    LANGUAGE sql STABLE PARALLEL SAFE
    SET search_path TO 'langgraph', 'pg_temp'
    AS $$
    WITH RECURSIVE chain AS (
        SELECT b.value, b.base_version, 0 AS depth
        FROM checkpoint_blobs AS b
        WHERE b.thread_id = p_thread_id AND b.checkpoint_ns = p_checkpoint_ns
          AND b.channel = p_channel AND b.version = p_version
      UNION ALL
        SELECT b.value, b.base_version, chain.depth + 1
        FROM chain
        JOIN checkpoint_blobs AS b
          ON b.thread_id = p_thread_id AND b.checkpoint_ns = p_checkpoint_ns
         AND b.channel = p_channel AND b.version = chain.base_version
        WHERE chain.depth < 32
    )
    SELECT CASE
        WHEN (SELECT max(depth) FROM chain) = 0 THEN (SELECT value FROM chain)
        ELSE (SELECT jsonb_agg(e.elem ORDER BY chain.depth DESC, e.ord)
              FROM chain CROSS JOIN LATERAL jsonb_array_elements(chain.value) WITH ORDINALITY AS e (elem, ord))
    END
$$;

COMMENT ON FUNCTION langgraph._blob_value(p_thread_id text, p_checkpoint_ns text, p_channel text, p_version text) IS 'Internal. The whole JSONB value of a channel at a version, rebuilding a delta-encoded value (base_version) from its chain. NULL when there is no such row or it holds no JSON value. Bound: 32 links.';

CREATE FUNCTION langgraph._check_id(p_value text, p_name text) RETURNS void
    LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
BEGIN
    IF p_value IS NULL OR p_value = '' THEN
        RAISE EXCEPTION '% must be a non-empty string', p_name
            USING ERRCODE = 'LG001',
                  HINT = format('Pass a non-empty %s of at most 1024 characters.', p_name);
    END IF;
    IF length(p_value) > 1024 THEN
        RAISE EXCEPTION '% is % characters long; the limit is 1024', p_name, length(p_value)
            USING ERRCODE = 'LG001',
                  HINT = 'Use a shorter identifier, e.g. a UUID.';
    END IF;
END
$$;

COMMENT ON FUNCTION langgraph._check_id(p_value text, p_name text) IS 'Internal. Raises LG001 unless p_value is a non-empty identifier of at most 1024 characters.';

CREATE FUNCTION langgraph._check_limit(p_limit integer) RETURNS void
    LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
BEGIN
    IF p_limit < 0 THEN
        RAISE EXCEPTION 'limit must not be negative, got %', p_limit
            USING ERRCODE = 'LG003',
                  HINT = 'Pass NULL for no limit, or a count of at least 0.';
    END IF;
END
$$;

COMMENT ON FUNCTION langgraph._check_limit(p_limit integer) IS 'Internal. Raises LG003 if p_limit is negative.';

CREATE FUNCTION langgraph._check_ns(p_value text) RETURNS void
    LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
BEGIN
    IF p_value IS NULL THEN
        RAISE EXCEPTION 'checkpoint_ns must not be NULL'
            USING ERRCODE = 'LG001',
                  HINT = 'The root namespace is the empty string ''''.';
    END IF;
    IF length(p_value) > 1024 THEN
        RAISE EXCEPTION 'checkpoint_ns is % characters long; the limit is 1024', length(p_value)
            USING ERRCODE = 'LG001',
                  HINT = 'Namespaces are LangGraph subgraph paths; this one is too long.';
    END IF;
END
$$;

COMMENT ON FUNCTION langgraph._check_ns(p_value text) IS 'Internal. Raises LG001 if the namespace is NULL or longer than 1024 characters.';

CREATE FUNCTION langgraph._check_object(p_value jsonb, p_name text) RETURNS void
    LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
BEGIN
    IF p_value IS NULL OR jsonb_typeof(p_value) <> 'object' THEN
        RAISE EXCEPTION '% must be a JSON object, got %', p_name, coalesce(jsonb_typeof(p_value), 'NULL')
            USING ERRCODE = 'LG002',
                  HINT = format('Pass a JSONB object for %s, e.g. ''{}''::jsonb.', p_name);
    END IF;
END
$$;

COMMENT ON FUNCTION langgraph._check_object(p_value jsonb, p_name text) IS 'Internal. Raises LG002 unless p_value is a JSON object.';

CREATE FUNCTION langgraph._check_payload(p_what text, p_names text[], p_types text[], p_values jsonb[], p_blobs bytea[]) RETURNS void
    LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
DECLARE
    v_bad integer;
BEGIN
    IF p_names IS NULL OR p_types IS NULL OR p_values IS NULL OR p_blobs IS NULL
       OR cardinality(p_types) <> cardinality(p_names)
       OR cardinality(p_values) <> cardinality(p_names)
       OR cardinality(p_blobs) <> cardinality(p_names) THEN
        RAISE EXCEPTION '% arrays must be non-NULL and of equal length', p_what
            USING ERRCODE = 'LG002',
                  DETAIL = format('names: %s, types: %s, values: %s, blobs: %s',
                                  cardinality(p_names), cardinality(p_types),
                                  cardinality(p_values), cardinality(p_blobs)),
                  HINT = 'Element i of each array describes the same value; pad with NULL.';
    END IF;
    SELECT u.ord INTO v_bad
    FROM unnest(p_names, p_types, p_values, p_blobs) WITH ORDINALITY AS u (name, type, value, blob, ord)
    WHERE u.name IS NULL OR u.name = '' OR u.type IS NULL OR u.type = ''
       OR NOT CASE u.type
                  WHEN 'json'  THEN u.value IS NOT NULL AND u.blob IS NULL
                  WHEN 'empty' THEN u.value IS NULL AND u.blob IS NULL
                  ELSE u.value IS NULL AND u.blob IS NOT NULL
              END
    ORDER BY u.ord
    LIMIT 1;
    IF v_bad IS NOT NULL THEN
        RAISE EXCEPTION '% element % is malformed', p_what, v_bad
            USING ERRCODE = 'LG002',
                  DETAIL = format('name %L, type %L', p_names[v_bad], p_types[v_bad]),
                  HINT = 'Each element needs a name and a type; type json takes a value, type empty nothing, any other type a blob.';
    END IF;
END
$$;

COMMENT ON FUNCTION langgraph._check_payload(p_what text, p_names text[], p_types text[], p_values jsonb[], p_blobs bytea[]) IS 'Internal. Raises LG002 unless the parallel value arrays are of equal length and every element is well formed.';

CREATE FUNCTION langgraph._check_ttl(p_ttl interval) RETURNS void
    LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
BEGIN
    IF p_ttl IS NULL OR p_ttl <= interval '0' OR p_ttl > interval '1 day' THEN
        RAISE EXCEPTION 'lease ttl must be positive and at most 1 day, got %', coalesce(p_ttl::text, 'NULL')
            USING ERRCODE = 'LG003',
                  HINT = 'Use a short ttl such as interval ''30 seconds'' and renew it while working.';
    END IF;
END
$$;

COMMENT ON FUNCTION langgraph._check_ttl(p_ttl interval) IS 'Internal. Raises LG003 unless 0 < p_ttl <= 1 day.';

CREATE FUNCTION langgraph._checkpoint_blobs_delta_encode() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path TO 'langgraph', 'pg_temp'
    AS $$
DECLARE
    v_base_version text;
BEGIN
    -- The trigger's WHEN clause already admits only whole JSON arrays of unknown length.
    IF NOT _compression_enabled(NEW.thread_id) THEN
        NEW.delta_depth := 0;
        RETURN NEW;
    END IF;
    SELECT b.version INTO v_base_version
    FROM checkpoint_blobs AS b
    WHERE b.thread_id = NEW.thread_id AND b.checkpoint_ns = NEW.checkpoint_ns
      AND b.channel = NEW.channel AND b.version < NEW.version AND b.type = 'json'
    ORDER BY b.version DESC
    LIMIT 1;
    SELECT e.value, e.base_version INTO NEW.value, NEW.base_version
    FROM _delta_encode(NEW.thread_id, NEW.checkpoint_ns, NEW.channel, v_base_version, NEW.value) AS e;
    IF NEW.base_version IS NOT NULL THEN
        -- One link longer than its base; NULL (unknown) if the base's length is unknown.
        NEW.delta_depth := (
            SELECT b.delta_depth + 1
            FROM checkpoint_blobs AS b
            WHERE b.thread_id = NEW.thread_id AND b.checkpoint_ns = NEW.checkpoint_ns
              AND b.channel = NEW.channel AND b.version = NEW.base_version);
    ELSE
        NEW.delta_depth := 0;
    END IF;
    RETURN NEW;
END
$$;

COMMENT ON FUNCTION langgraph._checkpoint_blobs_delta_encode() IS 'Internal trigger function, for whole JSON arrays stored without a delta_depth. With compression on for the thread, stores one that extends the newest earlier version of its channel as the appended elements (see _delta_encode); either way records the chain length in delta_depth (0 for a whole value).';

CREATE FUNCTION langgraph._checkpoint_blobs_skip_empty() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path TO 'langgraph', 'pg_temp'
    AS $$
BEGIN
    -- NULL from a BEFORE ROW trigger: the row is not inserted (and, under ON CONFLICT,
    -- not compared either), and the statement goes on with the next.
    RETURN NULL;
END
$$;

COMMENT ON FUNCTION langgraph._checkpoint_blobs_skip_empty() IS 'Internal trigger function. Drops the row it is called for: the empty marker of a channel, which readers treat as no row.';

CREATE FUNCTION langgraph._checkpoint_id_time(p_checkpoint_id text) RETURNS timestamp with time zone
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $_$
    SELECT to_timestamp(
               (('x' || substr(p_checkpoint_id, 1, 8) || substr(p_checkpoint_id, 10, 4)
                     || substr(p_checkpoint_id, 16, 3))::bit(60)::bigint
                - 122192928000000000)::numeric / 10000000)
    WHERE p_checkpoint_id ~* '^[0-9a-f]{8}-[0-9a-f]{4}-6[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}$'
$_$;

COMMENT ON FUNCTION langgraph._checkpoint_id_time(p_checkpoint_id text) IS 'Internal. The creation time encoded in a UUIDv6 checkpoint id; NULL for an id that is not a UUIDv6 (callers treat it as older than any deletion).';

CREATE FUNCTION langgraph._checkpoint_page(p_thread_id text, p_checkpoint_ns text, p_checkpoint_id text, p_filter jsonb, p_before text, p_limit integer, OUT thread_ids text[], OUT checkpoint_nss text[], OUT checkpoint_ids text[]) RETURNS record
    LANGUAGE plpgsql STABLE
    SET search_path TO 'langgraph', 'pg_temp'
    SET plan_cache_mode TO 'force_generic_plan'
    SET jit TO 'off'
    AS $_$
DECLARE
    -- Conditions on checkpoints AS c, other than the thread and the namespace.
    v_where text := '';
    v_keys text;
    -- What the filter's metadata must contain: its keys whose value is not null, for
    -- the GIN index; the exact test below then treats a missing key as null.
    v_contains jsonb;
BEGIN
    IF p_thread_id IS NOT NULL AND _bad_id(p_thread_id) THEN
        PERFORM _check_id(p_thread_id, 'thread_id');
    END IF;
    IF p_checkpoint_ns IS NOT NULL AND _bad_ns(p_checkpoint_ns) THEN
        PERFORM _check_ns(p_checkpoint_ns);
    END IF;
    IF p_checkpoint_id IS NOT NULL THEN
        IF _bad_id(p_checkpoint_id) THEN
            PERFORM _check_id(p_checkpoint_id, 'checkpoint_id');
        END IF;
        v_where := v_where || ' AND c.checkpoint_id = $3';
    END IF;
    IF p_filter IS NOT NULL THEN
        PERFORM _check_object(p_filter, 'filter');
        -- LangGraph's filter (InMemorySaver's): each top-level key of the filter equals
        -- the metadata's value for it, a missing key counting as null. Containment alone
        -- would also match {"tags": ["a"]} against ["a", "b"], and never a null.
        SELECT coalesce(jsonb_object_agg(f.key, f.value), '{}') INTO v_contains
        FROM jsonb_each(p_filter) AS f WHERE f.value <> 'null';
        v_where := v_where || ' AND c.metadata @> $7 AND NOT EXISTS (SELECT FROM jsonb_each($4) AS f'
                           || ' WHERE coalesce(c.metadata -> f.key, ''null'') <> f.value)';
    END IF;
    IF p_before IS NOT NULL THEN
        IF _bad_id(p_before) THEN
            PERFORM _check_id(p_before, 'before');
        END IF;
        v_where := v_where || ' AND c.checkpoint_id < $5';
    END IF;
    PERFORM _check_limit(p_limit);

    -- First the page of keys, from checkpoints alone and through an index; the values
    -- and writes of a checkpoint_tuples row are built below only for the rows returned.
    -- Each key list is ordered as the result is: checkpoint_id DESC, thread_id, checkpoint_ns.
    IF p_thread_id IS NOT NULL AND p_checkpoint_ns IS NOT NULL AND p_checkpoint_id IS NULL AND p_filter IS NULL THEN
        -- What LangGraph asks for almost always: one thread and namespace, maybe a page
        -- before a cursor. A backward scan of the primary key that stops after p_limit
        -- entries. Static queries, so their plans are cached.
        IF p_before IS NULL THEN
            SELECT array_agg(k.checkpoint_id ORDER BY k.checkpoint_id DESC) INTO checkpoint_ids
            FROM (SELECT c.checkpoint_id FROM checkpoints AS c
                  WHERE c.thread_id = p_thread_id AND c.checkpoint_ns = p_checkpoint_ns
                  ORDER BY c.checkpoint_id DESC
                  LIMIT p_limit) AS k;
        ELSE
            SELECT array_agg(k.checkpoint_id ORDER BY k.checkpoint_id DESC) INTO checkpoint_ids
            FROM (SELECT c.checkpoint_id FROM checkpoints AS c
                  WHERE c.thread_id = p_thread_id AND c.checkpoint_ns = p_checkpoint_ns
                    AND c.checkpoint_id < p_before
                  ORDER BY c.checkpoint_id DESC
                  LIMIT p_limit) AS k;
        END IF;
        thread_ids := array_fill(p_thread_id, ARRAY[coalesce(cardinality(checkpoint_ids), 0)]);
        checkpoint_nss := array_fill(p_checkpoint_ns, ARRAY[coalesce(cardinality(checkpoint_ids), 0)]);
    ELSE
        -- Any other combination is composed with only the conditions in use, so each gets
        -- the index that fits it instead of one generic plan full of "$n IS NULL OR ..."
        -- branches; EXECUTE plans it with the values, which lets the planner weigh a
        -- filter's selectivity.
        IF p_thread_id IS NOT NULL AND p_checkpoint_ns IS NULL THEN
            -- A thread in every namespace. The primary key is (thread_id, checkpoint_ns,
            -- checkpoint_id): skip from one namespace of the thread to the next (one probe
            -- each), take each namespace's newest p_limit by a backward scan, and keep the
            -- newest p_limit of those. The cost grows with the thread's namespaces and the
            -- page, not with its checkpoints.
            v_keys := format(
                $q$WITH RECURSIVE namespaces AS (
                       (SELECT c.checkpoint_ns FROM checkpoints AS c
                        WHERE c.thread_id = $1 ORDER BY c.checkpoint_ns LIMIT 1)
                     UNION ALL
                       SELECT (SELECT c.checkpoint_ns FROM checkpoints AS c
                               WHERE c.thread_id = $1 AND c.checkpoint_ns > n.checkpoint_ns
                               ORDER BY c.checkpoint_ns LIMIT 1)
                       FROM namespaces AS n WHERE n.checkpoint_ns IS NOT NULL
                   )
                   SELECT k.* FROM namespaces AS n
                   CROSS JOIN LATERAL (
                       SELECT c.thread_id, c.checkpoint_ns, c.checkpoint_id FROM checkpoints AS c
                       WHERE c.thread_id = $1 AND c.checkpoint_ns = n.checkpoint_ns%s
                       ORDER BY c.checkpoint_id DESC LIMIT $6) AS k$q$, v_where);
        ELSE
            -- One namespace of a thread: the primary key again. Across threads: with a
            -- filter, the GIN index on metadata finds the matches and only their keys are
            -- sorted; without one no index orders checkpoint ids across threads, so this
            -- scans checkpoints and keeps the top p_limit keys, one pass of the table.
            v_keys := format(
                'SELECT c.thread_id, c.checkpoint_ns, c.checkpoint_id FROM checkpoints AS c WHERE true%s%s%s',
                CASE WHEN p_thread_id IS NOT NULL THEN ' AND c.thread_id = $1' END,
                CASE WHEN p_checkpoint_ns IS NOT NULL THEN ' AND c.checkpoint_ns = $2' END,
                v_where);
        END IF;
        EXECUTE format(
            $q$SELECT array_agg(k.thread_id ORDER BY k.checkpoint_id DESC, k.thread_id, k.checkpoint_ns),
                      array_agg(k.checkpoint_ns ORDER BY k.checkpoint_id DESC, k.thread_id, k.checkpoint_ns),
                      array_agg(k.checkpoint_id ORDER BY k.checkpoint_id DESC, k.thread_id, k.checkpoint_ns)
               FROM (SELECT * FROM (%s) AS k ORDER BY k.checkpoint_id DESC, k.thread_id, k.checkpoint_ns LIMIT $6) AS k$q$,
            v_keys)
        INTO thread_ids, checkpoint_nss, checkpoint_ids
        USING p_thread_id, p_checkpoint_ns, p_checkpoint_id, p_filter, p_before, p_limit, v_contains;
    END IF;
END
$_$;

COMMENT ON FUNCTION langgraph._checkpoint_page(p_thread_id text, p_checkpoint_ns text, p_checkpoint_id text, p_filter jsonb, p_before text, p_limit integer, OUT thread_ids text[], OUT checkpoint_nss text[], OUT checkpoint_ids text[]) IS 'Internal. The keys of the checkpoints list_checkpoints(p_thread_id, p_checkpoint_ns,
p_checkpoint_id, p_filter, p_before, p_limit) returns, as three parallel arrays (thread_ids,
checkpoint_nss, checkpoint_ids) in the result''s order: checkpoint id descending, then thread id
and namespace. p_filter matches as LangGraph''s InMemorySaver does: each top-level key equals the
metadata''s value for it, a missing key counting as null. Selected from checkpoints alone, through the primary key or the metadata GIN index.
Bound of its one recursive query (the skip scan over a thread''s namespaces): each namespace of
the thread once, in strictly increasing order.
Raises LG001 (empty or over-long id), LG002 (p_filter not an object), LG003 (negative p_limit).';

CREATE FUNCTION langgraph._cleanup_checkpoints_batch(p_run_id bigint, p_cutoff timestamp with time zone, p_keep_last integer, p_after text, p_batch_size integer) RETURNS TABLE(next_after text, removed bigint, skipped integer, done boolean)
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'langgraph', 'pg_temp'
    AS $$
DECLARE
    v_budget integer := p_batch_size;
    v_examined integer := 0;
    v_cut boolean := false;
    v_thread_id text;
    v_ns text;
    v_keep text[];
    v_doomed text[];
    v_thread_cutoff timestamptz;
    v_pinned boolean;
BEGIN
    next_after := p_after;
    removed := 0;
    skipped := 0;
    FOR v_thread_id IN
        SELECT t.thread_id
        FROM threads AS t
        LEFT JOIN thread_settings AS s ON s.thread_id = t.thread_id
        WHERE (p_after IS NULL OR t.thread_id > p_after)
          AND s.pinned IS NOT TRUE
          AND EXISTS (SELECT FROM checkpoints AS c
                      WHERE c.thread_id = t.thread_id
                        AND (coalesce(now() - s.ttl, p_cutoff) IS NULL OR c.created_at < coalesce(now() - s.ttl, p_cutoff)))
        ORDER BY t.thread_id
        LIMIT p_batch_size
    LOOP
        v_examined := v_examined + 1;
        PERFORM FROM threads AS t WHERE t.thread_id = v_thread_id FOR UPDATE SKIP LOCKED;
        IF NOT FOUND THEN
            skipped := skipped + 1;
            next_after := v_thread_id;
            CONTINUE;
        END IF;
        -- Read again under the lock: a pin or a TTL set since the scan counts.
        SELECT CASE WHEN s.ttl IS NULL THEN p_cutoff ELSE now() - s.ttl END, coalesce(s.pinned, false)
        INTO v_thread_cutoff, v_pinned
        FROM (SELECT) AS one LEFT JOIN thread_settings AS s ON s.thread_id = v_thread_id;
        IF v_pinned THEN
            next_after := v_thread_id;
            CONTINUE;
        END IF;

        FOR v_ns IN
            SELECT DISTINCT c.checkpoint_ns FROM checkpoints AS c WHERE c.thread_id = v_thread_id
        LOOP
            WITH latest AS MATERIALIZED (
                SELECT c.checkpoint_id, c.parent_checkpoint_id,
                       ARRAY(SELECT jsonb_object_keys(
                                 CASE WHEN jsonb_typeof(c.metadata -> 'counters_since_delta_snapshot') = 'object'
                                      THEN c.metadata -> 'counters_since_delta_snapshot' ELSE '{}' END)) AS delta_channels
                FROM checkpoints AS c
                WHERE c.thread_id = v_thread_id AND c.checkpoint_ns = v_ns
                ORDER BY c.checkpoint_id DESC
                LIMIT p_keep_last
            )
            SELECT array_agg(k.checkpoint_id) INTO v_keep
            FROM (
                SELECT l.checkpoint_id FROM latest AS l
                UNION
                SELECT d.checkpoint_id
                FROM latest AS l
                CROSS JOIN LATERAL _delta_chain(v_thread_id, v_ns, l.parent_checkpoint_id, l.delta_channels) AS d
            ) AS k;

            v_doomed := ARRAY(
                SELECT c.checkpoint_id
                FROM checkpoints AS c
                WHERE c.thread_id = v_thread_id AND c.checkpoint_ns = v_ns
                  AND (v_thread_cutoff IS NULL OR c.created_at < v_thread_cutoff)
                  AND c.checkpoint_id <> ALL (coalesce(v_keep, '{}'))
                ORDER BY c.checkpoint_id
                LIMIT v_budget);
            CONTINUE WHEN cardinality(v_doomed) = 0;

            removed := removed + _delete_checkpoints(v_thread_id, v_ns, v_doomed);
            v_budget := v_budget - cardinality(v_doomed);
            IF v_budget <= 0 THEN
                v_cut := true;
                EXIT;
            END IF;
        END LOOP;
        EXIT WHEN v_cut;
        next_after := v_thread_id;
    END LOOP;

    done := NOT v_cut AND v_examined < p_batch_size;
    UPDATE cleanup_runs AS r
    SET batches = r.batches + 1,
        checkpoints_removed = r.checkpoints_removed + removed,
        threads_skipped = r.threads_skipped + skipped
    WHERE r.run_id = p_run_id;
    RETURN NEXT;
END
$$;

COMMENT ON FUNCTION langgraph._cleanup_checkpoints_batch(p_run_id bigint, p_cutoff timestamp with time zone, p_keep_last integer, p_after text, p_batch_size integer) IS 'Internal, for cleanup_old_checkpoints: one batch. Visits threads after p_after (in thread_id
order, at most p_batch_size of them) that are not pinned and have checkpoints created before
their cutoff: now() minus the thread''s own ttl when it has one (thread_settings), else p_cutoff
(any, when NULL); skips those locked by writers; in each namespace keeps the latest p_keep_last
checkpoints and their DeltaChannel ancestors and deletes up to p_batch_size of the others that
are older than the cutoff, with their writes and orphaned values. Returns the cursor for the next batch
(next_after), checkpoints removed, threads skipped, and whether the run is done; adds the counts
to cleanup_runs row p_run_id. Raises nothing of its own.';

CREATE FUNCTION langgraph._cleanup_orphan_writes_batch(p_run_id bigint, p_cutoff timestamp with time zone, p_after text, p_batch_size integer) RETURNS TABLE(next_after text, removed bigint, skipped integer, done boolean)
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'langgraph', 'pg_temp'
    AS $$
DECLARE
    v_examined integer := 0;
    v_thread_id text;
    v_removed bigint;
BEGIN
    next_after := p_after;
    removed := 0;
    skipped := 0;
    FOR v_thread_id IN
        SELECT DISTINCT w.thread_id
        FROM checkpoint_writes AS w
        WHERE (p_after IS NULL OR w.thread_id > p_after)
          AND w.created_at < p_cutoff
          AND NOT EXISTS (SELECT FROM checkpoints AS c
                          WHERE c.thread_id = w.thread_id AND c.checkpoint_ns = w.checkpoint_ns
                            AND c.checkpoint_id = w.checkpoint_id)
        ORDER BY w.thread_id
        LIMIT p_batch_size
    LOOP
        v_examined := v_examined + 1;
        next_after := v_thread_id;
        PERFORM FROM threads AS t WHERE t.thread_id = v_thread_id FOR UPDATE SKIP LOCKED;
        IF NOT FOUND THEN
            skipped := skipped + 1;
            CONTINUE;
        END IF;
        DELETE FROM checkpoint_writes AS w
        WHERE w.thread_id = v_thread_id
          AND w.created_at < p_cutoff
          AND NOT EXISTS (SELECT FROM checkpoints AS c
                          WHERE c.thread_id = w.thread_id AND c.checkpoint_ns = w.checkpoint_ns
                            AND c.checkpoint_id = w.checkpoint_id);
        GET DIAGNOSTICS v_removed = ROW_COUNT;
        removed := removed + v_removed;
    END LOOP;

    done := v_examined < p_batch_size;
    UPDATE cleanup_runs AS r
    SET batches = r.batches + 1,
        threads_skipped = r.threads_skipped + skipped
    WHERE r.run_id = p_run_id;
    RETURN NEXT;
END
$$;

COMMENT ON FUNCTION langgraph._cleanup_orphan_writes_batch(p_run_id bigint, p_cutoff timestamp with time zone, p_after text, p_batch_size integer) IS 'Internal, for cleanup_old_checkpoints: one batch of removing pending writes whose checkpoint
does not exist and that were written before p_cutoff. Visits the threads after p_after (in
thread_id order, at most p_batch_size of them) that have such writes; skips those locked by
writers. Returns the cursor for the next batch (next_after), writes removed, threads skipped,
and whether the run is done; adds the batch and the skipped threads to cleanup_runs row
p_run_id. Raises nothing of its own.';

CREATE FUNCTION langgraph._cleanup_run_begin(p_procedure text, p_parameters jsonb) RETURNS bigint
    LANGUAGE sql SECURITY DEFINER
    SET search_path TO 'langgraph', 'pg_temp'
    AS $$
    INSERT INTO cleanup_runs (procedure, parameters) VALUES (p_procedure, p_parameters)
    RETURNING run_id
$$;

COMMENT ON FUNCTION langgraph._cleanup_run_begin(p_procedure text, p_parameters jsonb) IS 'Internal, for the retention procedures. Records the start of a run in cleanup_runs and returns its run_id.';

CREATE FUNCTION langgraph._cleanup_run_finish(p_run_id bigint, p_purge_before timestamp with time zone) RETURNS bigint
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'langgraph', 'pg_temp'
    AS $$
DECLARE
    v_purged bigint := 0;
BEGIN
    IF p_purge_before IS NOT NULL THEN
        DELETE FROM deleted_threads WHERE deleted_at < p_purge_before;
        GET DIAGNOSTICS v_purged = ROW_COUNT;
        WITH gone AS (
            DELETE FROM removed_checkpoints WHERE removed_at < p_purge_before RETURNING 1
        )
        SELECT v_purged + count(*) INTO v_purged FROM gone;
        DELETE FROM cleanup_runs WHERE started_at < p_purge_before AND run_id <> p_run_id;
    END IF;
    UPDATE cleanup_runs
    SET finished_at = clock_timestamp(), tombstones_purged = v_purged
    WHERE run_id = p_run_id;
    RETURN v_purged;
END
$$;

COMMENT ON FUNCTION langgraph._cleanup_run_finish(p_run_id bigint, p_purge_before timestamp with time zone) IS 'Internal, for the retention procedures. Sets finished_at of run p_run_id; when p_purge_before is not NULL, first deletes tombstones (deleted_threads and removed_checkpoints rows) and cleanup_runs rows older than it. Returns the number of tombstones purged.';

CREATE FUNCTION langgraph._compression_enabled(p_thread_id text) RETURNS boolean
    LANGUAGE plpgsql STABLE
    SET search_path TO 'langgraph', 'pg_temp'
    AS $$
BEGIN
    -- PL/pgSQL, not SQL: it runs for every JSON array a save stores, and a SQL
    -- function with a SET clause would be planned again on each of those calls.
    RETURN coalesce((SELECT t.compression FROM thread_settings AS t WHERE t.thread_id = p_thread_id),
                    (SELECT s.compression FROM settings AS s WHERE s.singleton),
                    false);
END
$$;

COMMENT ON FUNCTION langgraph._compression_enabled(p_thread_id text) IS 'Internal. Whether compression is on for the thread: its thread_settings row, else the global settings row.';

CREATE FUNCTION langgraph._copy_checkpoints(p_source_thread_id text, p_target_thread_id text, p_checkpoint_ns text, p_checkpoint_ids text[]) RETURNS bigint
    LANGUAGE plpgsql
    SET search_path TO 'langgraph', 'pg_temp'
    AS $$
DECLARE
    v_copied bigint;
BEGIN
    INSERT INTO threads (thread_id) VALUES (p_target_thread_id)
    ON CONFLICT (thread_id) DO UPDATE SET updated_at = now();

    -- One statement: the set to copy is read once and feeds all three inserts.
    WITH copy_set AS (
        SELECT c.checkpoint_ns, c.checkpoint_id, c.parent_checkpoint_id, c.checkpoint, c.metadata, c.created_at
        FROM checkpoints AS c
        WHERE c.thread_id = p_source_thread_id
          AND (p_checkpoint_ns IS NULL OR c.checkpoint_ns = p_checkpoint_ns)
          AND (p_checkpoint_ids IS NULL OR c.checkpoint_id = ANY (p_checkpoint_ids))
    ), wanted_values (checkpoint_ns, channel, version) AS (
        -- The values the copied checkpoints reference, and the bases a delta-encoded
        -- one extends (its whole chain), so the copy reads the same values.
        WITH RECURSIVE chain (checkpoint_ns, channel, version) AS (
            SELECT s.checkpoint_ns, v.key COLLATE "C", v.value COLLATE "C"
            FROM copy_set AS s
            CROSS JOIN jsonb_each_text(s.checkpoint -> 'channel_versions') AS v
          UNION
            SELECT d.checkpoint_ns, d.channel, d.base_version
            FROM chain
            JOIN checkpoint_blobs AS d
              ON d.thread_id = p_source_thread_id AND d.checkpoint_ns = chain.checkpoint_ns
             AND d.channel = chain.channel AND d.version = chain.version
            WHERE d.base_version IS NOT NULL)
        SELECT * FROM chain
    ), copied_values AS (
        -- The delta trigger leaves rows that carry a base_version as they are, and the
        -- foreign key to the base is checked at the end of the statement. Chains keep
        -- their lengths (delta_depth), so a copied thread takes appended tails too.
        INSERT INTO checkpoint_blobs (thread_id, checkpoint_ns, channel, version, type, value, blob, base_version, delta_depth)
        SELECT p_target_thread_id, b.checkpoint_ns, b.channel, b.version, b.type, b.value, b.blob, b.base_version, b.delta_depth
        FROM checkpoint_blobs AS b
        WHERE b.thread_id = p_source_thread_id
          AND (b.checkpoint_ns, b.channel, b.version) IN (SELECT * FROM wanted_values)
        ON CONFLICT (thread_id, checkpoint_ns, channel, version) DO NOTHING
    ), copied_writes AS (
        INSERT INTO checkpoint_writes (thread_id, checkpoint_ns, checkpoint_id, task_id, idx, channel, type, value, blob, task_path, created_at)
        SELECT p_target_thread_id, w.checkpoint_ns, w.checkpoint_id, w.task_id, w.idx, w.channel, w.type, w.value, w.blob, w.task_path, w.created_at
        FROM checkpoint_writes AS w
        JOIN copy_set AS s ON s.checkpoint_ns = w.checkpoint_ns AND s.checkpoint_id = w.checkpoint_id
        WHERE w.thread_id = p_source_thread_id
        ON CONFLICT (thread_id, checkpoint_ns, checkpoint_id, task_id, idx) DO NOTHING
    ), copied AS (
        INSERT INTO checkpoints (thread_id, checkpoint_ns, checkpoint_id, parent_checkpoint_id, checkpoint, metadata, created_at)
        SELECT p_target_thread_id, s.checkpoint_ns, s.checkpoint_id, s.parent_checkpoint_id, s.checkpoint, s.metadata, s.created_at
        FROM copy_set AS s
        ON CONFLICT (thread_id, checkpoint_ns, checkpoint_id) DO NOTHING
        RETURNING 1
    )
    SELECT count(*) INTO v_copied FROM copied;
    RETURN v_copied;
END
$$;

COMMENT ON FUNCTION langgraph._copy_checkpoints(p_source_thread_id text, p_target_thread_id text, p_checkpoint_ns text, p_checkpoint_ids text[]) IS 'Internal. Copies checkpoints of one thread (a namespace and id subset, or all when NULL) with their writes and referenced values into another thread; returns the number of checkpoints copied. Callers lock the source thread row. Its walk over the values the copies reference (with the bases of delta-encoded ones) is bounded by the source namespace''s values: UNION drops rows already seen, so even a looped base chain ends.';

CREATE FUNCTION langgraph._delete_checkpoints(p_thread_id text, p_checkpoint_ns text, p_checkpoint_ids text[]) RETURNS bigint
    LANGUAGE plpgsql
    SET search_path TO 'langgraph', 'pg_temp'
    AS $$
DECLARE
    v_deleted bigint;
    v_removed text[];
BEGIN
    WITH gone AS (
        DELETE FROM checkpoints
        WHERE thread_id = p_thread_id AND checkpoint_ns = p_checkpoint_ns AND checkpoint_id = ANY (p_checkpoint_ids)
        RETURNING checkpoint_id
    )
    SELECT count(*), array_agg(gone.checkpoint_id ORDER BY gone.checkpoint_id) INTO v_deleted, v_removed
    FROM gone;
    IF v_deleted = 0 THEN
        RETURN 0;
    END IF;

    INSERT INTO removed_checkpoints (thread_id, checkpoint_ns, first_id, last_id, checkpoint_ids)
    VALUES (p_thread_id, p_checkpoint_ns, v_removed[1], v_removed[v_deleted], v_removed);
    UPDATE threads AS t SET removed_through = v_removed[v_deleted]
    WHERE t.thread_id = p_thread_id
      AND (t.removed_through IS NULL OR t.removed_through < v_removed[v_deleted]);

    DELETE FROM checkpoint_writes
    WHERE thread_id = p_thread_id AND checkpoint_ns = p_checkpoint_ns AND checkpoint_id = ANY (p_checkpoint_ids);

    UPDATE checkpoints SET parent_checkpoint_id = NULL
    WHERE thread_id = p_thread_id AND checkpoint_ns = p_checkpoint_ns
      AND parent_checkpoint_id = ANY (p_checkpoint_ids);

    -- One pass over the namespace's checkpoints builds the set of referenced
    -- versions, plus the bases that delta-encoded values among them extend (see
    -- column_checkpoint_blobs_base_version); the anti-join is hashed.
    DELETE FROM checkpoint_blobs AS b
    WHERE b.thread_id = p_thread_id AND b.checkpoint_ns = p_checkpoint_ns
      AND (b.channel, b.version) NOT IN (
          WITH RECURSIVE live (channel, version) AS (
              SELECT v.key COLLATE "C", v.value COLLATE "C"
              FROM checkpoints AS c
              CROSS JOIN jsonb_each_text(c.checkpoint -> 'channel_versions') AS v
              WHERE c.thread_id = p_thread_id AND c.checkpoint_ns = p_checkpoint_ns
            UNION
              SELECT d.channel, d.base_version
              FROM live
              JOIN checkpoint_blobs AS d
                ON d.thread_id = p_thread_id AND d.checkpoint_ns = p_checkpoint_ns
               AND d.channel = live.channel AND d.version = live.version
              WHERE d.base_version IS NOT NULL)
          SELECT live.channel, live.version FROM live);
    RETURN v_deleted;
END
$$;

COMMENT ON FUNCTION langgraph._delete_checkpoints(p_thread_id text, p_checkpoint_ns text, p_checkpoint_ids text[]) IS 'Internal. Deletes the listed checkpoints of one namespace with their writes and the values nothing else references; orphaned children become roots. Records the ids deleted in removed_checkpoints and raises threads.removed_through, so late writes and saves for them get LG008. Returns the number of checkpoints deleted. Callers must hold the thread row lock. Its walk over the values still referenced (with their delta bases) is bounded by the namespace''s values: UNION drops rows already seen.';

CREATE FUNCTION langgraph._delta_chain(p_thread_id text, p_checkpoint_ns text, p_start_id text, p_channels text[]) RETURNS TABLE(checkpoint_id text, depth integer, versions jsonb, needed text[], seeded text[])
    LANGUAGE plpgsql STABLE
    SET search_path TO 'langgraph', 'pg_temp'
    SET plan_cache_mode TO 'force_generic_plan'
    AS $$
#variable_conflict use_column
BEGIN
    -- PL/pgSQL so the plan is made once per session; it is the same for every call.
    RETURN QUERY
    WITH RECURSIVE chain AS (
        SELECT c.checkpoint_id, c.parent_checkpoint_id, 1 AS depth,
               c.checkpoint -> 'channel_versions' AS versions,
               p_channels AS needed,
               c.checkpoint_id AS mark, 1 AS mark_depth, NULL::integer AS loop_length
        FROM checkpoints AS c
        WHERE c.thread_id = p_thread_id AND c.checkpoint_ns = p_checkpoint_ns
          AND c.checkpoint_id = p_start_id AND cardinality(p_channels) > 0
      UNION ALL
        SELECT p.checkpoint_id, p.parent_checkpoint_id, chain.depth + 1,
               p.checkpoint -> 'channel_versions',
               ARRAY(SELECT ch FROM unnest(chain.needed) AS ch
                     WHERE NOT _stores_value(p_thread_id, p_checkpoint_ns, ch, chain.versions ->> ch)),
               CASE WHEN (chain.depth + 1) & chain.depth = 0 THEN p.checkpoint_id ELSE chain.mark END,
               CASE WHEN (chain.depth + 1) & chain.depth = 0 THEN chain.depth + 1 ELSE chain.mark_depth END,
               CASE WHEN p.checkpoint_id = chain.mark THEN chain.depth + 1 - chain.mark_depth END
        FROM chain
        JOIN checkpoints AS p
          ON p.thread_id = p_thread_id AND p.checkpoint_ns = p_checkpoint_ns
         AND p.checkpoint_id = chain.parent_checkpoint_id
        WHERE chain.loop_length IS NULL
          AND EXISTS (SELECT FROM unnest(chain.needed) AS ch
                      WHERE NOT _stores_value(p_thread_id, p_checkpoint_ns, ch, chain.versions ->> ch))
    )
    SELECT chain.checkpoint_id::text, chain.depth, chain.versions, chain.needed,
           ARRAY(SELECT ch FROM unnest(chain.needed) AS ch
                 WHERE _stores_value(p_thread_id, p_checkpoint_ns, ch, chain.versions ->> ch))
    FROM chain
    WHERE chain.loop_length IS NULL
      AND (NOT EXISTS (SELECT FROM chain AS l WHERE l.loop_length IS NOT NULL)
           OR chain.depth < (SELECT min(a.depth) + min(l.loop_length)
                             FROM chain AS l
                             CROSS JOIN chain AS a
                             JOIN chain AS b ON b.depth = a.depth + l.loop_length AND b.checkpoint_id = a.checkpoint_id
                             WHERE l.loop_length IS NOT NULL));
END
$$;

COMMENT ON FUNCTION langgraph._delta_chain(p_thread_id text, p_checkpoint_ns text, p_start_id text, p_channels text[]) IS 'Internal. Walks the parent chain from p_start_id until each channel in p_channels has found a stored value; one row per checkpoint visited, with the channels still needed there and those seeded there. Bound: each checkpoint of the namespace once; a loop in the chain (a hand edit) ends the walk where it closes.';

CREATE FUNCTION langgraph._delta_encode(p_thread_id text, p_checkpoint_ns text, p_channel text, p_base_version text, p_value jsonb, OUT value jsonb, OUT base_version text) RETURNS record
    LANGUAGE plpgsql STABLE
    SET search_path TO 'langgraph', 'pg_temp'
    AS $_$
DECLARE
    c_max_chain CONSTANT integer := 32;
    v_depth integer;
    v_base jsonb;
    v_base_length integer;
BEGIN
    value := p_value;
    base_version := NULL;
    IF p_base_version IS NULL OR jsonb_typeof(p_value) IS DISTINCT FROM 'array' THEN
        RETURN;
    END IF;

    -- Length of the base's chain: a new link must not make it longer than the limit.
    WITH RECURSIVE chain AS (
        SELECT b.base_version, 0 AS depth
        FROM checkpoint_blobs AS b
        WHERE b.thread_id = p_thread_id AND b.checkpoint_ns = p_checkpoint_ns
          AND b.channel = p_channel AND b.version = p_base_version AND b.type = 'json'
      UNION ALL
        SELECT b.base_version, chain.depth + 1
        FROM chain
        JOIN checkpoint_blobs AS b
          ON b.thread_id = p_thread_id AND b.checkpoint_ns = p_checkpoint_ns
         AND b.channel = p_channel AND b.version = chain.base_version
        -- Bound: past the limit the answer is the same, and a loop cannot run away.
        WHERE chain.depth < c_max_chain
    )
    SELECT max(depth) INTO v_depth FROM chain;
    IF v_depth IS NULL OR v_depth + 1 >= c_max_chain THEN
        RETURN;
    END IF;

    v_base := _blob_value(p_thread_id, p_checkpoint_ns, p_channel, p_base_version);
    IF jsonb_typeof(v_base) IS DISTINCT FROM 'array' THEN
        RETURN;
    END IF;
    v_base_length := jsonb_array_length(v_base);
    IF v_base_length = 0 OR jsonb_array_length(p_value) <= v_base_length THEN
        RETURN;
    END IF;
    IF jsonb_path_query_array(p_value, format('$[0 to %s]', v_base_length - 1)::jsonpath) = v_base THEN
        value := jsonb_path_query_array(p_value, format('$[%s to last]', v_base_length)::jsonpath);
        base_version := p_base_version;
    END IF;
END
$_$;

COMMENT ON FUNCTION langgraph._delta_encode(p_thread_id text, p_checkpoint_ns text, p_channel text, p_base_version text, p_value jsonb, OUT value jsonb, OUT base_version text) IS 'Internal, for put_checkpoint with compression on. Returns (value, base_version) to store for channel p_channel: the appended elements and p_base_version when p_value extends the array stored at p_base_version (chains at most 32 long), else p_value and NULL.';

CREATE FUNCTION langgraph._expire_threads_batch(p_run_id bigint, p_idle_before timestamp with time zone, p_after text, p_batch_size integer) RETURNS TABLE(next_after text, threads_removed integer, checkpoints_removed bigint, skipped integer, done boolean)
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'langgraph', 'pg_temp'
    AS $$
DECLARE
    v_examined integer := 0;
    v_thread_id text;
    v_updated_at timestamptz;
BEGIN
    next_after := p_after;
    threads_removed := 0;
    checkpoints_removed := 0;
    skipped := 0;
    FOR v_thread_id IN
        SELECT t.thread_id
        FROM threads AS t
        LEFT JOIN thread_settings AS s ON s.thread_id = t.thread_id
        WHERE (p_after IS NULL OR t.thread_id > p_after)
          AND s.pinned IS NOT TRUE
          AND _thread_last_active(t.updated_at, s.refresh_on_read, s.read_at) < coalesce(now() - s.ttl, p_idle_before)
        ORDER BY t.thread_id
        LIMIT p_batch_size
    LOOP
        v_examined := v_examined + 1;
        next_after := v_thread_id;
        -- A writer holding the thread is using it: skip, do not wait. A save that
        -- committed since the scan makes the thread live again.
        SELECT t.updated_at INTO v_updated_at
        FROM threads AS t WHERE t.thread_id = v_thread_id FOR UPDATE SKIP LOCKED;
        IF NOT FOUND THEN
            skipped := skipped + 1;
            CONTINUE;
        END IF;
        -- Settings (a pin, a read) committed since the scan count too.
        CONTINUE WHEN NOT EXISTS (
            SELECT FROM (SELECT v_updated_at AS updated_at) AS t
            LEFT JOIN thread_settings AS s ON s.thread_id = v_thread_id
            WHERE s.pinned IS NOT TRUE
              AND _thread_last_active(t.updated_at, s.refresh_on_read, s.read_at) < coalesce(now() - s.ttl, p_idle_before));
        -- delete_thread also leaves the tombstone that keeps late writes out.
        checkpoints_removed := checkpoints_removed + delete_thread(v_thread_id);
        threads_removed := threads_removed + 1;
    END LOOP;

    done := v_examined < p_batch_size;
    UPDATE cleanup_runs AS r
    SET batches = r.batches + 1,
        checkpoints_removed = r.checkpoints_removed + _expire_threads_batch.checkpoints_removed,
        threads_removed = r.threads_removed + _expire_threads_batch.threads_removed,
        threads_skipped = r.threads_skipped + skipped
    WHERE r.run_id = p_run_id;
    RETURN NEXT;
END
$$;

COMMENT ON FUNCTION langgraph._expire_threads_batch(p_run_id bigint, p_idle_before timestamp with time zone, p_after text, p_batch_size integer) IS 'Internal, for expire_idle_threads: one batch. Visits up to p_batch_size threads after p_after (in
thread_id order) that are not pinned and whose last activity (updated_at, or read_at when the
thread refreshes on read) is before p_idle_before, or before now() minus the thread''s own ttl
when it has one (thread_settings); skips those a writer holds, and
deletes the others whole through delete_thread (which tombstones them). Returns the cursor for
the next batch (next_after), threads and checkpoints removed, threads skipped, and whether the
run is done; adds the counts to cleanup_runs row p_run_id. Raises nothing of its own.';

CREATE FUNCTION langgraph._new_checkpoint_id() RETURNS text
    LANGUAGE sql PARALLEL SAFE
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $$
    SELECT lpad(to_hex(t.ts >> 28), 8, '0') || '-'
        || lpad(to_hex((t.ts >> 12) & 65535), 4, '0') || '-'
        || '6' || lpad(to_hex(t.ts & 4095), 3, '0') || '-'
        || to_hex(8 + floor(random() * 4)::int) || lpad(to_hex(floor(random() * 4096)::int), 3, '0') || '-'
        || lpad(to_hex(floor(random() * 281474976710656)::bigint), 12, '0')
    FROM (
        -- 100-nanosecond intervals since 1582-10-15, the UUID epoch.
        SELECT (extract(epoch FROM clock_timestamp()) * 10000000)::bigint + 122192928000000000 AS ts
    ) AS t
$$;

COMMENT ON FUNCTION langgraph._new_checkpoint_id() IS 'Internal. Returns a new UUIDv6 string from clock_timestamp(), ordered like the ids LangGraph generates.';

CREATE FUNCTION langgraph._resolve_checkpoint(p_thread_id text, p_checkpoint_ns text, p_checkpoint_id text) RETURNS text
    LANGUAGE plpgsql STABLE
    SET search_path TO 'langgraph', 'pg_temp'
    AS $$
DECLARE
    v_id text;
BEGIN
    PERFORM _check_id(p_thread_id, 'thread_id');
    PERFORM _check_ns(p_checkpoint_ns);
    IF p_checkpoint_id IS NOT NULL THEN
        PERFORM _check_id(p_checkpoint_id, 'checkpoint_id');
    END IF;
    SELECT c.checkpoint_id INTO v_id
    FROM checkpoints AS c
    WHERE c.thread_id = p_thread_id AND c.checkpoint_ns = p_checkpoint_ns
      AND (p_checkpoint_id IS NULL OR c.checkpoint_id = p_checkpoint_id)
    ORDER BY c.checkpoint_id DESC
    LIMIT 1;
    IF v_id IS NULL THEN
        RAISE EXCEPTION 'checkpoint % not found in thread % (namespace %)',
                coalesce(p_checkpoint_id, '(latest)'), p_thread_id, quote_literal(p_checkpoint_ns)
            USING ERRCODE = 'LG004',
                  HINT = 'list_checkpoints(p_thread_id => ...) shows the ids that exist.';
    END IF;
    RETURN v_id;
END
$$;

COMMENT ON FUNCTION langgraph._resolve_checkpoint(p_thread_id text, p_checkpoint_ns text, p_checkpoint_id text) IS 'Internal. Returns p_checkpoint_id if it exists (or the latest id when NULL); raises LG001/LG004.';

CREATE FUNCTION langgraph._save_checkpoints(p_thread_ids text[], p_checkpoint_ns text[], p_checkpoint_ids text[], p_parent_ids text[], p_checkpoints jsonb[], p_metadata jsonb[], p_value_owners integer[], p_channels text[], p_types text[], p_values jsonb[], p_blobs bytea[], p_exclusive boolean, p_lease_owner text) RETURNS void
    LANGUAGE plpgsql
    SET search_path TO 'langgraph', 'pg_temp'
    SET plan_cache_mode TO 'force_generic_plan'
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

COMMENT ON FUNCTION langgraph._save_checkpoints(p_thread_ids text[], p_checkpoint_ns text[], p_checkpoint_ids text[], p_parent_ids text[], p_checkpoints jsonb[], p_metadata jsonb[], p_value_owners integer[], p_channels text[], p_types text[], p_values jsonb[], p_blobs bytea[], p_exclusive boolean, p_lease_owner text) IS 'Internal. The save path of put_checkpoint and batch_save_checkpoints: validates, locks the threads, checks leases, parents, lineage and exclusive mode, and stores N checkpoints with their values in set-based statements. Raises LG001, LG002, LG003 (a checkpoint twice in one call, or one that would be its own ancestor), LG005, LG006, LG008 (a parent gone, or a removed checkpoint saved again).';

CREATE FUNCTION langgraph._stores_value(p_thread_id text, p_checkpoint_ns text, p_channel text, p_version text) RETURNS boolean
    LANGUAGE plpgsql STABLE
    SET search_path TO 'langgraph', 'pg_temp'
    AS $$
BEGIN
    -- PL/pgSQL rather than SQL: its plan is cached for the session, where a SQL
    -- function's would be made again on every call of a recursive walk.
    RETURN p_version IS NOT NULL AND EXISTS (
        SELECT FROM checkpoint_blobs AS b
        WHERE b.thread_id = p_thread_id AND b.checkpoint_ns = p_checkpoint_ns
          AND b.channel = p_channel AND b.version = p_version AND b.type <> 'empty');
END
$$;

COMMENT ON FUNCTION langgraph._stores_value(p_thread_id text, p_checkpoint_ns text, p_channel text, p_version text) IS 'Internal. True when a value (not the empty marker) is stored for the channel at that version.';

CREATE FUNCTION langgraph._thread_last_active(p_updated_at timestamp with time zone, p_refresh_on_read boolean, p_read_at timestamp with time zone) RETURNS timestamp with time zone
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN GREATEST(p_updated_at, CASE WHEN p_refresh_on_read THEN p_read_at ELSE NULL::timestamp with time zone END);

COMMENT ON FUNCTION langgraph._thread_last_active(p_updated_at timestamp with time zone, p_refresh_on_read boolean, p_read_at timestamp with time zone) IS 'Internal. When a thread was last active: threads.updated_at, or thread_settings.read_at when later and the thread refreshes on read. Raises nothing.';

CREATE FUNCTION langgraph._threads_query(p_metadata jsonb, p_values jsonb, p_status text, p_created_since timestamp with time zone, p_created_before timestamp with time zone, p_updated_since timestamp with time zone, p_updated_before timestamp with time zone) RETURNS text
    LANGUAGE plpgsql IMMUTABLE
    SET search_path TO 'langgraph', 'pg_temp'
    AS $_$
DECLARE
    v_sql text;
BEGIN
    IF p_metadata IS NOT NULL THEN
        PERFORM _check_object(p_metadata, 'metadata filter');
    END IF;
    IF p_values IS NOT NULL THEN
        PERFORM _check_object(p_values, 'values filter');
    END IF;
    IF p_status IS NOT NULL AND p_status NOT IN ('idle', 'interrupted', 'error') THEN
        RAISE EXCEPTION 'unknown thread status %', quote_literal(p_status)
            USING ERRCODE = 'LG003',
                  HINT = 'A thread''s status is ''idle'', ''interrupted'' or ''error''; NULL matches all.';
    END IF;

    v_sql := $q$
SELECT t.thread_id, t.created_at, t.updated_at, l.checkpoint_id, l.metadata, st.status,
       ts.ttl, coalesce(ts.pinned, false) AS pinned, coalesce(ts.refresh_on_read, false) AS refresh_on_read,
       CASE WHEN ts.ttl IS NOT NULL AND NOT ts.pinned
            THEN _thread_last_active(t.updated_at, ts.refresh_on_read, ts.read_at) + ts.ttl
       END AS expires_at
FROM threads AS t
LEFT JOIN thread_settings AS ts ON ts.thread_id = t.thread_id
LEFT JOIN LATERAL (
    SELECT c.checkpoint_id, c.metadata, c.checkpoint -> 'channel_versions' AS versions
    FROM checkpoints AS c
    WHERE c.thread_id = t.thread_id AND c.checkpoint_ns = ''
    ORDER BY c.checkpoint_id DESC
    LIMIT 1
) AS l ON true
CROSS JOIN LATERAL (
    -- An aggregate over the checkpoint's writes, not EXISTS: EXISTS may be planned as
    -- one hashed scan of every __error__ write in the table, where this stays one
    -- primary-key range of the checkpoint per thread.
    SELECT CASE WHEN bool_or(w.channel = '__error__') THEN 'error'
                WHEN bool_or(w.channel = '__interrupt__') THEN 'interrupted'
                ELSE 'idle' END AS status
    FROM checkpoint_writes AS w
    WHERE w.thread_id = t.thread_id AND w.checkpoint_ns = '' AND w.checkpoint_id = l.checkpoint_id
      AND w.channel IN ('__error__', '__interrupt__')
) AS st
WHERE true$q$;
    IF p_metadata IS NOT NULL THEN
        -- Any root checkpoint of the thread: LangGraph writes a run's config metadata
        -- into each checkpoint of that run, and a later run (a resume) may not repeat
        -- it, so the latest alone would lose the thread. The GIN index finds them.
        v_sql := v_sql || $q$
  AND t.thread_id IN (SELECT m.thread_id FROM checkpoints AS m WHERE m.metadata @> $1 AND m.checkpoint_ns = '')$q$;
    END IF;
    IF p_values IS NOT NULL THEN
        -- Only JSON values can match: a serialized (blob) value reads as NULL.
        v_sql := v_sql || $q$
  AND NOT EXISTS (SELECT FROM jsonb_each($2) AS f (channel, value)
                  WHERE (_blob_value(t.thread_id, '', f.channel, l.versions ->> f.channel) @> f.value) IS NOT TRUE)$q$;
    END IF;
    IF p_status IS NOT NULL THEN
        v_sql := v_sql || $q$
  AND st.status = $3$q$;
    END IF;
    IF p_created_since IS NOT NULL THEN
        v_sql := v_sql || $q$
  AND t.created_at >= $4$q$;
    END IF;
    IF p_created_before IS NOT NULL THEN
        v_sql := v_sql || $q$
  AND t.created_at < $5$q$;
    END IF;
    IF p_updated_since IS NOT NULL THEN
        v_sql := v_sql || $q$
  AND t.updated_at >= $6$q$;
    END IF;
    IF p_updated_before IS NOT NULL THEN
        v_sql := v_sql || $q$
  AND t.updated_at < $7$q$;
    END IF;
    RETURN v_sql;
END
$_$;

COMMENT ON FUNCTION langgraph._threads_query(p_metadata jsonb, p_values jsonb, p_status text, p_created_since timestamp with time zone, p_created_before timestamp with time zone, p_updated_since timestamp with time zone, p_updated_before timestamp with time zone) IS 'Internal, for search_threads and count_threads: the text of the query that selects threads
(thread_id, created_at, updated_at, checkpoint_id, metadata, status, ttl, pinned,
refresh_on_read, expires_at) with only the given filters, as positional parameters $1..$7 in
the order of its arguments, to run with EXECUTE ... USING all seven. Raises LG002 (a filter
that is not a JSON object), LG003 (unknown status).';

CREATE TABLE langgraph.checkpoint_blobs (
    thread_id text NOT NULL COLLATE pg_catalog."C",
    checkpoint_ns text DEFAULT ''::text NOT NULL COLLATE pg_catalog."C",
    channel text NOT NULL COLLATE pg_catalog."C",
    version text NOT NULL COLLATE pg_catalog."C",
    type text NOT NULL,
    value jsonb,
    blob bytea,
    base_version text COLLATE pg_catalog."C",
    delta_depth smallint,
    CONSTRAINT checkpoint_blobs_base_is_json_array CHECK (((base_version IS NULL) OR ((type = 'json'::text) AND (jsonb_typeof(value) = 'array'::text)))),
    CONSTRAINT checkpoint_blobs_delta_depth CHECK (
CASE
    WHEN (base_version IS NULL) THEN ((delta_depth IS NULL) OR ((delta_depth = 0) AND (type = 'json'::text)))
    ELSE ((delta_depth IS NULL) OR (delta_depth >= 1))
END),
    CONSTRAINT checkpoint_blobs_payload CHECK (
CASE type
    WHEN 'json'::text THEN ((value IS NOT NULL) AND (blob IS NULL))
    WHEN 'empty'::text THEN ((value IS NULL) AND (blob IS NULL))
    ELSE ((value IS NULL) AND (blob IS NOT NULL))
END)
);

COMMENT ON TABLE langgraph.checkpoint_blobs IS 'Channel values, one row per (thread, namespace, channel, version). type = json: value is JSONB; type = empty: no value; otherwise blob holds the serializer''s bytes.';

COMMENT ON COLUMN langgraph.checkpoint_blobs.base_version IS 'NULL: value is the whole value. Otherwise value is a JSON array of the elements appended to the value stored at base_version (same thread, namespace, channel); _blob_value() rebuilds the whole value.';

COMMENT ON COLUMN langgraph.checkpoint_blobs.delta_depth IS '0: value is a whole JSON array. n >= 1: value extends base_version and its chain has n links. NULL: not known to be an array, so no delta may extend it.';

CREATE TABLE langgraph.checkpoint_writes (
    thread_id text NOT NULL COLLATE pg_catalog."C",
    checkpoint_ns text DEFAULT ''::text NOT NULL COLLATE pg_catalog."C",
    checkpoint_id text NOT NULL COLLATE pg_catalog."C",
    task_id text NOT NULL COLLATE pg_catalog."C",
    idx integer NOT NULL,
    channel text NOT NULL COLLATE pg_catalog."C",
    type text NOT NULL,
    value jsonb,
    blob bytea,
    task_path text DEFAULT ''::text NOT NULL COLLATE pg_catalog."C",
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT checkpoint_writes_payload CHECK (
CASE type
    WHEN 'json'::text THEN ((value IS NOT NULL) AND (blob IS NULL))
    WHEN 'empty'::text THEN ((value IS NULL) AND (blob IS NULL))
    ELSE ((value IS NULL) AND (blob IS NOT NULL))
END)
);

COMMENT ON TABLE langgraph.checkpoint_writes IS 'Pending writes per (thread, namespace, checkpoint, task_id, idx). LangGraph''s special writes (__error__, __scheduled__, __interrupt__, __resume__) use idx -1..-4 and replace on retry.';

CREATE TABLE langgraph.checkpoints (
    thread_id text NOT NULL COLLATE pg_catalog."C",
    checkpoint_ns text DEFAULT ''::text NOT NULL COLLATE pg_catalog."C",
    checkpoint_id text NOT NULL COLLATE pg_catalog."C",
    parent_checkpoint_id text COLLATE pg_catalog."C",
    checkpoint jsonb NOT NULL,
    metadata jsonb DEFAULT '{}'::jsonb NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT checkpoints_checkpoint_is_object CHECK ((jsonb_typeof(checkpoint) = 'object'::text)),
    CONSTRAINT checkpoints_metadata_is_object CHECK ((jsonb_typeof(metadata) = 'object'::text))
);

COMMENT ON TABLE langgraph.checkpoints IS 'LangGraph checkpoints. checkpoint holds the checkpoint document without channel_values (those live in checkpoint_blobs, keyed by checkpoint->channel_versions).';

COMMENT ON COLUMN langgraph.checkpoints.parent_checkpoint_id IS 'The checkpoint this one was made from, in the same thread and namespace; NULL for a root.';

CREATE VIEW langgraph.checkpoint_tuples AS
 SELECT c.thread_id,
    c.checkpoint_ns,
    c.checkpoint_id,
    c.parent_checkpoint_id,
    c.checkpoint,
    c.metadata,
    c.created_at,
    vals.channel_names,
    vals.channel_types,
    vals.channel_values,
    vals.channel_blobs,
    pw.write_task_ids,
    pw.write_channels,
    pw.write_types,
    pw.write_values,
    pw.write_blobs,
    pw.write_task_paths
   FROM ((langgraph.checkpoints c
     CROSS JOIN LATERAL ( SELECT COALESCE(array_agg(b.channel ORDER BY b.channel), '{}'::text[]) AS channel_names,
            COALESCE(array_agg(b.type ORDER BY b.channel), '{}'::text[]) AS channel_types,
            COALESCE(array_agg(b.value ORDER BY b.channel), '{}'::jsonb[]) AS channel_values,
            COALESCE(array_agg(b.blob ORDER BY b.channel), '{}'::bytea[]) AS channel_blobs
           FROM (jsonb_each_text((c.checkpoint -> 'channel_versions'::text)) v(channel, version)
             CROSS JOIN LATERAL ( SELECT b_1.channel,
                    b_1.type,
                        CASE
                            WHEN (b_1.base_version IS NULL) THEN b_1.value
                            ELSE langgraph._blob_value(b_1.thread_id, b_1.checkpoint_ns, b_1.channel, b_1.version)
                        END AS value,
                    b_1.blob
                   FROM langgraph.checkpoint_blobs b_1
                  WHERE ((b_1.thread_id = c.thread_id) AND (b_1.checkpoint_ns = c.checkpoint_ns) AND (b_1.channel = v.channel) AND (b_1.version = v.version) AND (b_1.type <> 'empty'::text))
                 LIMIT 1) b)) vals)
     CROSS JOIN LATERAL ( SELECT COALESCE(array_agg(w.task_id ORDER BY w.task_path, w.task_id, w.idx), '{}'::text[]) AS write_task_ids,
            COALESCE(array_agg(w.channel ORDER BY w.task_path, w.task_id, w.idx), '{}'::text[]) AS write_channels,
            COALESCE(array_agg(w.type ORDER BY w.task_path, w.task_id, w.idx), '{}'::text[]) AS write_types,
            COALESCE(array_agg(w.value ORDER BY w.task_path, w.task_id, w.idx), '{}'::jsonb[]) AS write_values,
            COALESCE(array_agg(w.blob ORDER BY w.task_path, w.task_id, w.idx), '{}'::bytea[]) AS write_blobs,
            COALESCE(array_agg(w.task_path ORDER BY w.task_path, w.task_id, w.idx), '{}'::text[]) AS write_task_paths
           FROM langgraph.checkpoint_writes w
          WHERE ((w.thread_id = c.thread_id) AND (w.checkpoint_ns = c.checkpoint_ns) AND (w.checkpoint_id = c.checkpoint_id))) pw);

COMMENT ON VIEW langgraph.checkpoint_tuples IS 'Internal: a checkpoint with its channel values and pending writes as parallel arrays. Its row type is what get_checkpoint and list_checkpoints return. Not granted to any role.';

CREATE FUNCTION langgraph._to_document(t langgraph.checkpoint_tuples) RETURNS jsonb
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    SET search_path TO 'langgraph', 'pg_temp'
    AS $$
    SELECT jsonb_build_object(
        'thread_id', t.thread_id,
        'checkpoint_ns', t.checkpoint_ns,
        'checkpoint_id', t.checkpoint_id,
        'parent_checkpoint_id', t.parent_checkpoint_id,
        'created_at', t.created_at,
        'metadata', t.metadata,
        'checkpoint', t.checkpoint,
        'state', (
            SELECT coalesce(jsonb_object_agg(u.name, _value_document(u.type, u.value, u.blob)), '{}')
            FROM unnest(t.channel_names, t.channel_types, t.channel_values, t.channel_blobs)
                 AS u (name, type, value, blob)),
        'pending_writes', (
            SELECT coalesce(jsonb_agg(jsonb_build_object(
                       'task_id', u.task_id,
                       'channel', u.channel,
                       'value', _value_document(u.type, u.value, u.blob),
                       'task_path', u.task_path) ORDER BY u.ord), '[]')
            FROM unnest(t.write_task_ids, t.write_channels, t.write_types, t.write_values,
                        t.write_blobs, t.write_task_paths) WITH ORDINALITY
                 AS u (task_id, channel, type, value, blob, task_path, ord)))
$$;

COMMENT ON FUNCTION langgraph._to_document(t langgraph.checkpoint_tuples) IS 'Internal. Renders a checkpoint_tuples row as the JSONB document load_checkpoint returns.';

CREATE FUNCTION langgraph._value_document(p_type text, p_value jsonb, p_blob bytea) RETURNS jsonb
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    SET search_path TO 'pg_catalog', 'pg_temp'
    AS $_$
    SELECT CASE p_type
        WHEN 'json' THEN p_value
        WHEN 'empty' THEN NULL
        ELSE jsonb_build_object('$type', p_type, '$base64', translate(encode(p_blob, 'base64'), E'\n', ''))
    END
$_$;

COMMENT ON FUNCTION langgraph._value_document(p_type text, p_value jsonb, p_blob bytea) IS 'Internal. A stored value as JSONB: the value itself for type json, {"$type", "$base64"} for serializer bytes.';

CREATE FUNCTION langgraph.acquire_lease(p_thread_id text, p_owner text, p_ttl interval DEFAULT '00:00:30'::interval) RETURNS timestamp with time zone
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'langgraph', 'pg_temp'
    AS $$
DECLARE
    v_expires_at timestamptz;
    v_holder record;
BEGIN
    PERFORM _check_id(p_thread_id, 'thread_id');
    PERFORM _check_id(p_owner, 'owner');
    PERFORM _check_ttl(p_ttl);

    -- Taking a free or expired lease and re-taking one's own are the same upsert;
    -- a live lease of another owner makes the WHERE false and nothing is returned.
    INSERT INTO thread_leases AS l (thread_id, owner, acquired_at, expires_at)
    VALUES (p_thread_id, p_owner, clock_timestamp(), clock_timestamp() + p_ttl)
    ON CONFLICT (thread_id) DO UPDATE
        SET owner = EXCLUDED.owner,
            acquired_at = CASE WHEN l.owner = EXCLUDED.owner AND l.expires_at > clock_timestamp()
                               THEN l.acquired_at ELSE EXCLUDED.acquired_at END,
            expires_at = EXCLUDED.expires_at
        WHERE l.owner = EXCLUDED.owner OR l.expires_at <= clock_timestamp()
    RETURNING l.expires_at INTO v_expires_at;

    IF v_expires_at IS NULL THEN
        SELECT owner, expires_at INTO v_holder FROM thread_leases WHERE thread_id = p_thread_id;
        RAISE EXCEPTION 'thread % is leased by %', p_thread_id, v_holder.owner
            USING ERRCODE = 'LG006',
                  DETAIL = format('The lease expires at %s.', v_holder.expires_at),
                  HINT = 'Retry after the lease expires, or have its owner release it.';
    END IF;
    RETURN v_expires_at;
END
$$;

COMMENT ON FUNCTION langgraph.acquire_lease(p_thread_id text, p_owner text, p_ttl interval) IS 'Takes the lease on a thread for p_owner until now + p_ttl and returns its expiry. Succeeds when
the thread has no lease, an expired one, or one p_owner already holds (then it extends it).
While the lease is live, put_checkpoint refuses saves from any other owner.
Parameters: p_thread_id, p_owner (an instance id, e.g. host:pid), p_ttl (default 30 seconds, at most 1 day).
Raises LG001 (empty or over-long id or owner), LG003 (ttl out of range), LG006 (leased by another owner).';

CREATE FUNCTION langgraph.batch_save_checkpoints(p_thread_ids text[], p_checkpoint_ns text[], p_checkpoint_ids text[], p_parent_ids text[], p_checkpoints jsonb[], p_metadata jsonb[], p_value_owners integer[] DEFAULT '{}'::integer[], p_channels text[] DEFAULT '{}'::text[], p_types text[] DEFAULT '{}'::text[], p_values jsonb[] DEFAULT '{}'::jsonb[], p_blobs bytea[] DEFAULT '{}'::bytea[], p_exclusive boolean DEFAULT false, p_lease_owner text DEFAULT NULL::text) RETURNS text[]
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'langgraph', 'pg_temp'
    AS $$
BEGIN
    -- One set-based pass for the whole batch (see _save_checkpoints): a batch of N
    -- costs about what one save does, plus the rows themselves.
    PERFORM _save_checkpoints(
        p_thread_ids, p_checkpoint_ns, p_checkpoint_ids, p_parent_ids, p_checkpoints, p_metadata,
        p_value_owners, p_channels, p_types, p_values, p_blobs, coalesce(p_exclusive, false), p_lease_owner);
    RETURN p_checkpoint_ids;
END
$$;

COMMENT ON FUNCTION langgraph.batch_save_checkpoints(p_thread_ids text[], p_checkpoint_ns text[], p_checkpoint_ids text[], p_parent_ids text[], p_checkpoints jsonb[], p_metadata jsonb[], p_value_owners integer[], p_channels text[], p_types text[], p_values jsonb[], p_blobs bytea[], p_exclusive boolean, p_lease_owner text) IS 'Saves N checkpoints, across any threads, in one call and one transaction: all or none. Returns
their ids in order. Retrying the same batch is harmless (each save is idempotent).
Parameters: parallel arrays with one element per checkpoint (p_thread_ids, p_checkpoint_ns,
p_checkpoint_ids, p_parent_ids, p_checkpoints, p_metadata, as in put_checkpoint), then the values
of all checkpoints flattened into p_channels, p_types, p_values, p_blobs with p_value_owners[j]
the 1-based index of the checkpoint value j belongs to; p_exclusive and p_lease_owner apply to
every save. Checkpoints are saved in array order, so a parent may precede its child in one batch.
Raises LG002 (arrays of different lengths, bad owners, malformed values), LG003 (the same
checkpoint twice in the batch, or checkpoints whose parents would close a loop, within the batch
or with stored ones) and what put_checkpoint raises for an element (LG001, LG002, LG003, LG005,
LG006, LG008); the DETAIL names the element where it helps.';

CREATE FUNCTION langgraph.calculate_state_size(p_thread_id text, p_checkpoint_id text DEFAULT NULL::text, p_checkpoint_ns text DEFAULT ''::text) RETURNS TABLE(raw_bytes bigint, stored_bytes bigint)
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO 'langgraph', 'pg_temp'
    AS $$
DECLARE
    v_checkpoint record;
BEGIN
    PERFORM _check_id(p_thread_id, 'thread_id');
    PERFORM _check_ns(p_checkpoint_ns);
    IF p_checkpoint_id IS NOT NULL THEN
        PERFORM _check_id(p_checkpoint_id, 'checkpoint_id');
    END IF;

    SELECT c.checkpoint_id, c.checkpoint, c.metadata INTO v_checkpoint
    FROM checkpoints AS c
    WHERE c.thread_id = p_thread_id AND c.checkpoint_ns = p_checkpoint_ns
      AND (p_checkpoint_id IS NULL OR c.checkpoint_id = p_checkpoint_id)
    ORDER BY c.checkpoint_id DESC
    LIMIT 1;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'no checkpoint % in thread % namespace %',
                coalesce(p_checkpoint_id, '(latest)'), p_thread_id, quote_literal(p_checkpoint_ns)
            USING ERRCODE = 'LG004',
                  HINT = 'Check the thread id, namespace and checkpoint id; list_checkpoints shows what exists.';
    END IF;

    RETURN QUERY
    WITH parts (raw, stored) AS (
        SELECT octet_length(v_checkpoint.checkpoint::text) + octet_length(v_checkpoint.metadata::text),
               pg_column_size(v_checkpoint.checkpoint) + pg_column_size(v_checkpoint.metadata)
      UNION ALL
        SELECT CASE WHEN b.type = 'json'
                    THEN octet_length(_blob_value(p_thread_id, p_checkpoint_ns, b.channel, b.version)::text)
                    ELSE coalesce(octet_length(b.blob), 0) END,
               coalesce(pg_column_size(b.value), 0) + coalesce(pg_column_size(b.blob), 0)
        FROM jsonb_each_text(v_checkpoint.checkpoint -> 'channel_versions') AS v (channel, version)
        JOIN checkpoint_blobs AS b
          ON b.thread_id = p_thread_id AND b.checkpoint_ns = p_checkpoint_ns
         AND b.channel = v.channel AND b.version = v.version
      UNION ALL
        SELECT coalesce(octet_length(w.value::text), 0) + coalesce(octet_length(w.blob), 0),
               coalesce(pg_column_size(w.value), 0) + coalesce(pg_column_size(w.blob), 0)
        FROM checkpoint_writes AS w
        WHERE w.thread_id = p_thread_id AND w.checkpoint_ns = p_checkpoint_ns
          AND w.checkpoint_id = v_checkpoint.checkpoint_id
    )
    SELECT sum(parts.raw)::bigint, sum(parts.stored)::bigint FROM parts;
END
$$;

COMMENT ON FUNCTION langgraph.calculate_state_size(p_thread_id text, p_checkpoint_id text, p_checkpoint_ns text) IS 'Reports the size of one checkpoint''s state: its document and metadata, its channel values and
its pending writes. Returns one row (raw_bytes: as JSON text and blob bytes, what a client
loads; stored_bytes: what those rows take on disk after compression, a delta-encoded value
counting only its delta). Parameters: p_thread_id, p_checkpoint_id (default NULL: the latest),
p_checkpoint_ns (default ''''). Raises LG001 (empty or over-long id), LG004 (no such checkpoint).';

CREATE PROCEDURE langgraph.cleanup_old_checkpoints(IN retention_days integer, IN batch_size integer DEFAULT 1000, IN keep_last integer DEFAULT 1, IN tombstone_days integer DEFAULT 30, INOUT removed bigint DEFAULT NULL::bigint, INOUT skipped bigint DEFAULT NULL::bigint)
    LANGUAGE plpgsql
    AS $$
DECLARE
    v_run_id bigint;
    v_cutoff timestamptz;
    v_after text;
    v_batch record;
    v_orphans bigint := 0::bigint;
BEGIN
    -- now() minus more days than this leaves the timestamp range (4713 BC).
    IF retention_days < 0 OR retention_days > 1000000 THEN
        RAISE EXCEPTION 'retention_days must be between 0 and 1000000, got %', retention_days
            USING ERRCODE = 'LG003',
                  HINT = 'Pass the age in days beyond which checkpoints go, or NULL to keep only the last keep_last.';
    END IF;
    IF batch_size IS NULL OR batch_size < 1 THEN
        RAISE EXCEPTION 'batch_size must be at least 1, got %', coalesce(batch_size::text, 'NULL')
            USING ERRCODE = 'LG003',
                  HINT = 'About 1000 checkpoints per transaction keeps locks short.';
    END IF;
    IF keep_last IS NULL OR keep_last < 1 THEN
        RAISE EXCEPTION 'keep_last must be at least 1, got %', coalesce(keep_last::text, 'NULL')
            USING ERRCODE = 'LG003',
                  HINT = 'The latest checkpoint is what a thread resumes from; to remove whole threads use expire_idle_threads.';
    END IF;
    IF tombstone_days < 0 OR tombstone_days > 1000000 THEN
        RAISE EXCEPTION 'tombstone_days must be between 0 and 1000000, got %', tombstone_days
            USING ERRCODE = 'LG003',
                  HINT = 'Pass NULL to keep tombstones and run history forever.';
    END IF;

    v_cutoff := now() - make_interval(days => retention_days);
    v_run_id := langgraph._cleanup_run_begin('cleanup_old_checkpoints', jsonb_build_object(
        'retention_days', retention_days, 'batch_size', batch_size, 'keep_last', keep_last,
        'tombstone_days', tombstone_days, 'cutoff', v_cutoff));
    COMMIT;

    removed := 0;
    skipped := 0;
    LOOP
        SELECT * INTO v_batch
        FROM langgraph._cleanup_checkpoints_batch(v_run_id, v_cutoff, keep_last, v_after, batch_size);
        COMMIT;
        removed := removed + v_batch.removed;
        skipped := skipped + v_batch.skipped;
        v_after := v_batch.next_after;
        EXIT WHEN v_batch.done;
    END LOOP;

    v_after := NULL;
    LOOP
        SELECT * INTO v_batch
        FROM langgraph._cleanup_orphan_writes_batch(
            v_run_id, least(coalesce(v_cutoff, now()), now() - interval '1 hour'), v_after, batch_size);
        COMMIT;
        v_orphans := v_orphans + v_batch.removed;
        skipped := skipped + v_batch.skipped;
        v_after := v_batch.next_after;
        EXIT WHEN v_batch.done;
    END LOOP;

    PERFORM langgraph._cleanup_run_finish(v_run_id, now() - make_interval(days => tombstone_days));
    COMMIT;
    RAISE NOTICE 'cleanup_old_checkpoints: removed % checkpoints and % orphaned writes, skipped % busy threads (run %)',
        removed, v_orphans, skipped, v_run_id;
END
$$;

COMMENT ON PROCEDURE langgraph.cleanup_old_checkpoints(IN retention_days integer, IN batch_size integer, IN keep_last integer, IN tombstone_days integer, INOUT removed bigint, INOUT skipped bigint) IS 'Retention by age, in batches with a COMMIT after each: CALL langgraph.cleanup_old_checkpoints(30).
Parameters: retention_days (checkpoints created more than this many days ago go; NULL: no age
limit, keep only the last keep_last; a thread with its own TTL (set_thread_ttl) loses those older
than that TTL instead, and the checkpoints of a pinned thread (pin_thread) all stay), batch_size (default 1000: checkpoints deleted and threads
visited per transaction), keep_last (default 1: per thread and namespace the latest keep_last
checkpoints stay whatever their age, with the ancestors their DeltaChannels need), tombstone_days
(default 30: tombstones and cleanup_runs rows older than this are purged; NULL keeps them).
Pending writes and values go with their checkpoints; pending writes whose checkpoint never
landed go once they are older than the cutoff and at least an hour old. Threads a writer holds
are skipped, not waited for. Returns removed (checkpoints deleted) and skipped (threads skipped) and records the
run in cleanup_runs. Must be called outside a transaction block (autocommit; pg_cron does).
Raises LG003 (retention_days or tombstone_days negative or over 1000000, batch_size or keep_last
below 1).';

CREATE FUNCTION langgraph.cleanup_progress() RETURNS TABLE(run_id bigint, procedure text, parameters jsonb, started_at timestamp with time zone, batches integer, checkpoints_removed bigint, threads_removed bigint, threads_skipped bigint)
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path TO 'langgraph', 'pg_temp'
    AS $$
    SELECT r.run_id, r.procedure, r.parameters, r.started_at, r.batches,
           r.checkpoints_removed, r.threads_removed, r.threads_skipped
    FROM cleanup_runs AS r
    WHERE r.finished_at IS NULL
    ORDER BY r.run_id DESC
$$;

COMMENT ON FUNCTION langgraph.cleanup_progress() IS 'Retention runs not finished (in progress, or interrupted), newest first: run_id, procedure
(cleanup_old_checkpoints or expire_idle_threads), parameters, started_at, and the counters
committed so far (batches, checkpoints_removed, threads_removed, threads_skipped). No
parameters. Raises nothing.';

CREATE FUNCTION langgraph.copy_thread(p_source_thread_id text, p_target_thread_id text) RETURNS bigint
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'langgraph', 'pg_temp'
    AS $$
DECLARE
    v_copied bigint;
BEGIN
    PERFORM _check_id(p_source_thread_id, 'source_thread_id');
    PERFORM _check_id(p_target_thread_id, 'target_thread_id');
    IF p_source_thread_id = p_target_thread_id THEN
        RAISE EXCEPTION 'cannot copy thread % onto itself', p_source_thread_id
            USING ERRCODE = 'LG003',
                  HINT = 'Pass a different target_thread_id.';
    END IF;
    -- Share-lock the source so it cannot be deleted halfway through the copy.
    PERFORM FROM threads WHERE thread_id = p_source_thread_id FOR SHARE;
    IF NOT FOUND THEN
        RETURN 0;
    END IF;

    -- The whole history is copied, every namespace and every ancestor, so lineage
    -- and DeltaChannel chains work in the copy as in the source.
    v_copied := _copy_checkpoints(p_source_thread_id, p_target_thread_id, NULL, NULL);
    RETURN v_copied;
END
$$;

COMMENT ON FUNCTION langgraph.copy_thread(p_source_thread_id text, p_target_thread_id text) IS 'Copies every checkpoint of a thread (all namespaces, full lineage), its channel values and
pending writes into another thread, keeping ids, metadata and created_at. Rows the target
already has are left as they are. Returns the number of checkpoints copied (0 when the source
does not exist).
Parameters: p_source_thread_id, p_target_thread_id.
Raises LG001 (empty or over-long id), LG003 (source and target are the same).';

CREATE FUNCTION langgraph.count_threads(p_metadata jsonb DEFAULT NULL::jsonb, p_values jsonb DEFAULT NULL::jsonb, p_status text DEFAULT NULL::text, p_created_since timestamp with time zone DEFAULT NULL::timestamp with time zone, p_created_before timestamp with time zone DEFAULT NULL::timestamp with time zone, p_updated_since timestamp with time zone DEFAULT NULL::timestamp with time zone, p_updated_before timestamp with time zone DEFAULT NULL::timestamp with time zone) RETURNS bigint
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO 'langgraph', 'pg_temp'
    SET jit TO 'off'
    AS $$
DECLARE
    v_count bigint;
BEGIN
    EXECUTE 'SELECT count(*) FROM ('
        || _threads_query(p_metadata, p_values, p_status, p_created_since, p_created_before, p_updated_since, p_updated_before)
        || E'\n) AS matching'
    INTO v_count
    USING p_metadata, p_values, p_status, p_created_since, p_created_before, p_updated_since, p_updated_before;
    RETURN v_count;
END
$$;

COMMENT ON FUNCTION langgraph.count_threads(p_metadata jsonb, p_values jsonb, p_status text, p_created_since timestamp with time zone, p_created_before timestamp with time zone, p_updated_since timestamp with time zone, p_updated_before timestamp with time zone) IS 'The number of threads search_threads returns for the same filters, over all pages. Parameters,
all optional and as in search_threads: p_metadata, p_values, p_status, p_created_since,
p_created_before, p_updated_since, p_updated_before. Raises LG002 (a filter that is not a JSON
object), LG003 (unknown status).';

CREATE FUNCTION langgraph.delete_checkpoint(p_thread_id text, p_checkpoint_id text, p_checkpoint_ns text DEFAULT ''::text) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'langgraph', 'pg_temp'
    AS $$
DECLARE
    v_parent_id text;
BEGIN
    PERFORM _check_id(p_thread_id, 'thread_id');
    PERFORM _check_id(p_checkpoint_id, 'checkpoint_id');
    PERFORM _check_ns(p_checkpoint_ns);

    -- Serialise with saves of the same thread.
    PERFORM FROM threads WHERE thread_id = p_thread_id FOR UPDATE;

    SELECT c.parent_checkpoint_id INTO v_parent_id
    FROM checkpoints AS c
    WHERE c.thread_id = p_thread_id AND c.checkpoint_ns = p_checkpoint_ns AND c.checkpoint_id = p_checkpoint_id;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'checkpoint % not found in thread % (namespace %)', p_checkpoint_id, p_thread_id, quote_literal(p_checkpoint_ns)
            USING ERRCODE = 'LG004',
                  HINT = 'list_checkpoints(p_thread_id => ...) shows the ids that exist.';
    END IF;

    -- Children now hang off the deleted checkpoint's parent, so lineage stays connected.
    UPDATE checkpoints SET parent_checkpoint_id = v_parent_id
    WHERE thread_id = p_thread_id AND checkpoint_ns = p_checkpoint_ns AND parent_checkpoint_id = p_checkpoint_id;

    -- The checkpoint, its writes and the values nothing else references (delta
    -- bases that remaining values extend included) go the way every deletion does.
    PERFORM _delete_checkpoints(p_thread_id, p_checkpoint_ns, ARRAY[p_checkpoint_id]);
END
$$;

COMMENT ON FUNCTION langgraph.delete_checkpoint(p_thread_id text, p_checkpoint_id text, p_checkpoint_ns text) IS 'JSONB API for services: deletes one checkpoint, its pending writes and the channel values no
other checkpoint uses. Its children are re-parented to its parent.
Parameters: p_thread_id, p_checkpoint_id, p_checkpoint_ns (default '''').
Raises LG001 (empty or over-long id), LG004 (no such checkpoint).';

CREATE FUNCTION langgraph.delete_for_runs(p_run_ids text[]) RETURNS bigint
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'langgraph', 'pg_temp'
    AS $$
DECLARE
    v_deleted bigint := 0;
    v_group record;
BEGIN
    IF p_run_ids IS NULL OR array_position(p_run_ids, NULL) IS NOT NULL THEN
        RAISE EXCEPTION 'run_ids must be an array of run ids without NULLs'
            USING ERRCODE = 'LG003',
                  HINT = 'Pass ARRAY[''<run id>''] or ''{}''.';
    END IF;
    IF cardinality(p_run_ids) = 0 THEN
        RETURN 0;
    END IF;

    -- Lock the threads involved in one order, so two overlapping calls cannot deadlock.
    PERFORM FROM threads AS t
    WHERE t.thread_id IN (
        SELECT c.thread_id FROM checkpoints AS c
        JOIN unnest(p_run_ids) AS r (run_id) ON c.metadata @> jsonb_build_object('run_id', r.run_id))
    ORDER BY t.thread_id
    FOR UPDATE;

    FOR v_group IN
        SELECT c.thread_id, c.checkpoint_ns, array_agg(c.checkpoint_id) AS ids
        FROM checkpoints AS c
        JOIN unnest(p_run_ids) AS r (run_id) ON c.metadata @> jsonb_build_object('run_id', r.run_id)
        GROUP BY c.thread_id, c.checkpoint_ns
        ORDER BY c.thread_id, c.checkpoint_ns
    LOOP
        v_deleted := v_deleted + _delete_checkpoints(v_group.thread_id, v_group.checkpoint_ns, v_group.ids);
    END LOOP;
    RETURN v_deleted;
END
$$;

COMMENT ON FUNCTION langgraph.delete_for_runs(p_run_ids text[]) IS 'Deletes every checkpoint whose metadata run_id is in p_run_ids, in any thread, with its pending
writes and the values no remaining checkpoint uses. A checkpoint whose parent is deleted becomes
a root. Returns the number of checkpoints deleted. Deleting a run that a live thread''s
DeltaChannel history depends on loses that history (see docs/operations.md).
Parameter: p_run_ids. Raises LG003 (NULL array or NULL element).';

CREATE FUNCTION langgraph.delete_thread(p_thread_id text) RETURNS bigint
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'langgraph', 'pg_temp'
    AS $$
DECLARE
    v_deleted bigint;
BEGIN
    PERFORM _check_id(p_thread_id, 'thread_id');
    -- Wait for writers of the thread to finish (put_writes holds FOR KEY SHARE), and
    -- keep new ones out until the tombstone commits with the deletion.
    PERFORM FROM threads WHERE thread_id = p_thread_id FOR UPDATE;
    WITH gone AS (
        DELETE FROM checkpoints WHERE thread_id = p_thread_id RETURNING 1
    )
    SELECT count(*) INTO v_deleted FROM gone;
    -- The thread row's foreign keys cascade to its values and pending writes.
    DELETE FROM threads WHERE thread_id = p_thread_id;
    -- Tombstone even an unknown id: a run may have writes in flight for a thread whose
    -- first checkpoint has not committed yet. clock_timestamp(), not now(): ids minted
    -- while this transaction ran belong to the deleted thread too.
    INSERT INTO deleted_threads AS d (thread_id, deleted_at) VALUES (p_thread_id, clock_timestamp())
    ON CONFLICT (thread_id) DO UPDATE SET deleted_at = EXCLUDED.deleted_at;
    RETURN v_deleted;
END
$$;

COMMENT ON FUNCTION langgraph.delete_thread(p_thread_id text) IS 'Deletes a thread: every checkpoint in every namespace, its channel values and pending writes.
Parameter: p_thread_id. Returns the number of checkpoints deleted (0 for an unknown thread).
Leaves a tombstone in deleted_threads (refreshed if there is one): late put_writes for the
deleted checkpoints fail with LG008; a new put with no parent starts the thread afresh.
Raises LG001 (empty or over-long id).';

CREATE PROCEDURE langgraph.expire_idle_threads(IN idle interval, IN batch_size integer DEFAULT 100, IN tombstone_days integer DEFAULT 30, INOUT removed bigint DEFAULT NULL::bigint, INOUT skipped bigint DEFAULT NULL::bigint)
    LANGUAGE plpgsql
    AS $$
DECLARE
    v_run_id bigint;
    v_idle_before timestamptz;
    v_after text;
    v_checkpoints bigint := 0;
    v_batch record;
BEGIN
    -- now() minus more than this leaves the timestamp range (4713 BC).
    IF idle IS NULL OR idle < interval '0' OR idle > interval '1000000 days' THEN
        RAISE EXCEPTION 'idle must be an interval between 0 and 1000000 days, got %', coalesce(idle::text, 'NULL')
            USING ERRCODE = 'LG003',
                  HINT = 'For example interval ''90 days'': threads with no checkpoint saved for that long go.';
    END IF;
    IF batch_size IS NULL OR batch_size < 1 THEN
        RAISE EXCEPTION 'batch_size must be at least 1, got %', coalesce(batch_size::text, 'NULL')
            USING ERRCODE = 'LG003',
                  HINT = 'About 100 threads per transaction keeps locks short.';
    END IF;
    IF tombstone_days < 0 OR tombstone_days > 1000000 THEN
        RAISE EXCEPTION 'tombstone_days must be between 0 and 1000000, got %', tombstone_days
            USING ERRCODE = 'LG003',
                  HINT = 'Pass NULL to keep tombstones and run history forever.';
    END IF;

    v_idle_before := now() - idle;
    v_run_id := langgraph._cleanup_run_begin('expire_idle_threads', jsonb_build_object(
        'idle', idle, 'batch_size', batch_size, 'tombstone_days', tombstone_days,
        'idle_before', v_idle_before));
    COMMIT;

    removed := 0;
    skipped := 0;
    LOOP
        SELECT * INTO v_batch
        FROM langgraph._expire_threads_batch(v_run_id, v_idle_before, v_after, batch_size);
        COMMIT;
        removed := removed + v_batch.threads_removed;
        skipped := skipped + v_batch.skipped;
        v_checkpoints := v_checkpoints + v_batch.checkpoints_removed;
        v_after := v_batch.next_after;
        EXIT WHEN v_batch.done;
    END LOOP;

    PERFORM langgraph._cleanup_run_finish(v_run_id, now() - make_interval(days => tombstone_days));
    COMMIT;
    RAISE NOTICE 'expire_idle_threads: removed % threads (% checkpoints), skipped % busy threads (run %)',
        removed, v_checkpoints, skipped, v_run_id;
END
$$;

COMMENT ON PROCEDURE langgraph.expire_idle_threads(IN idle interval, IN batch_size integer, IN tombstone_days integer, INOUT removed bigint, INOUT skipped bigint) IS 'Whole-thread TTL, in batches with a COMMIT after each: CALL langgraph.expire_idle_threads(''90 days'').
Parameters: idle (threads whose last checkpoint was saved longer ago than this, by
threads.updated_at, are deleted whole and tombstoned like delete_thread does; a thread with its
own TTL (set_thread_ttl) goes after that TTL instead, a thread that refreshes on read counts
its last touch_thread read as activity, and a pinned thread (pin_thread) never goes), batch_size
(default 100 threads per transaction), tombstone_days (default 30: tombstones and cleanup_runs
rows older than this are purged; NULL keeps them). Threads a writer holds are skipped, not
waited for. Returns removed (threads deleted) and skipped (threads skipped) and records the run
in cleanup_runs. Must be called outside a transaction block (autocommit; pg_cron does).
Raises LG003 (idle NULL, negative or over 1000000 days, batch_size below 1, tombstone_days
negative or over 1000000).';

CREATE FUNCTION langgraph.find_branch_point(p_thread_id text, p_checkpoint_id_a text, p_checkpoint_id_b text, p_checkpoint_ns text DEFAULT ''::text) RETURNS text
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO 'langgraph', 'pg_temp'
    AS $$
DECLARE
    v_a text;
    v_b text;
    v_common text;
BEGIN
    PERFORM _check_id(p_checkpoint_id_a, 'checkpoint_id_a');
    PERFORM _check_id(p_checkpoint_id_b, 'checkpoint_id_b');
    v_a := _resolve_checkpoint(p_thread_id, p_checkpoint_ns, p_checkpoint_id_a);
    v_b := _resolve_checkpoint(p_thread_id, p_checkpoint_ns, p_checkpoint_id_b);
    SELECT a.checkpoint_id INTO v_common
    FROM _ancestors(p_thread_id, p_checkpoint_ns, v_a) AS a
    JOIN _ancestors(p_thread_id, p_checkpoint_ns, v_b) AS b ON b.checkpoint_id = a.checkpoint_id
    ORDER BY a.depth
    LIMIT 1;
    RETURN v_common;
END
$$;

COMMENT ON FUNCTION langgraph.find_branch_point(p_thread_id text, p_checkpoint_id_a text, p_checkpoint_id_b text, p_checkpoint_ns text) IS 'Returns the nearest common ancestor of two checkpoints of a thread (the checkpoint where their
branches split; one of them if it descends from the other), or NULL when they share none.
Parameters: p_thread_id, p_checkpoint_id_a, p_checkpoint_id_b, p_checkpoint_ns (default '''').
Raises LG001 (empty or over-long id), LG004 (either checkpoint not found).';

CREATE FUNCTION langgraph.fork_thread(p_source_thread_id text, p_checkpoint_id text, p_target_thread_id text, p_checkpoint_ns text DEFAULT ''::text) RETURNS bigint
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'langgraph', 'pg_temp'
    AS $$
DECLARE
    v_start text;
BEGIN
    PERFORM _check_id(p_target_thread_id, 'target_thread_id');
    IF p_source_thread_id = p_target_thread_id THEN
        RAISE EXCEPTION 'cannot fork thread % into itself', p_source_thread_id
            USING ERRCODE = 'LG003',
                  HINT = 'Fork into a new thread id; to branch inside a thread, save a checkpoint whose parent is the old one.';
    END IF;
    PERFORM FROM threads WHERE thread_id = p_source_thread_id FOR SHARE;
    v_start := _resolve_checkpoint(p_source_thread_id, p_checkpoint_ns, p_checkpoint_id);
    IF EXISTS (SELECT FROM checkpoints WHERE thread_id = p_target_thread_id) THEN
        RAISE EXCEPTION 'target thread % already has checkpoints', p_target_thread_id
            USING ERRCODE = 'LG003',
                  HINT = 'Fork into a thread id that is not in use, or delete_thread() it first.';
    END IF;
    -- The path from the root to the checkpoint: the fork's history is exactly what
    -- led to it, and the checkpoint is the fork's latest.
    RETURN _copy_checkpoints(
        p_source_thread_id, p_target_thread_id, p_checkpoint_ns,
        ARRAY(SELECT a.checkpoint_id FROM _ancestors(p_source_thread_id, p_checkpoint_ns, v_start) AS a));
END
$$;

COMMENT ON FUNCTION langgraph.fork_thread(p_source_thread_id text, p_checkpoint_id text, p_target_thread_id text, p_checkpoint_ns text) IS 'Forks a thread at a checkpoint into a new thread: copies the checkpoint and its ancestors (the
path from the root), with their metadata, pending writes and channel values, keeping their ids.
The checkpoint becomes the new thread''s latest, so running the graph on the new thread resumes
from it. Only the given namespace is copied (use copy_thread for a whole thread with subgraphs).
Returns the number of checkpoints copied.
Parameters: p_source_thread_id, p_checkpoint_id (NULL: the latest), p_target_thread_id,
p_checkpoint_ns (default '''').
Raises LG001 (empty or over-long id), LG003 (target is the source or already has checkpoints),
LG004 (no such checkpoint).';

CREATE FUNCTION langgraph.get_ancestors(p_thread_id text, p_checkpoint_ns text DEFAULT ''::text, p_checkpoint_id text DEFAULT NULL::text, p_max_depth integer DEFAULT NULL::integer) RETURNS TABLE(depth integer, checkpoint_id text, parent_checkpoint_id text, metadata jsonb, created_at timestamp with time zone)
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO 'langgraph', 'pg_temp'
    SET plan_cache_mode TO 'force_generic_plan'
    AS $$
DECLARE
    v_start text;
BEGIN
    PERFORM _check_limit(p_max_depth);
    v_start := _resolve_checkpoint(p_thread_id, p_checkpoint_ns, p_checkpoint_id);
    RETURN QUERY
        SELECT * FROM _ancestors(p_thread_id, p_checkpoint_ns, v_start, p_max_depth) AS a
        ORDER BY a.depth;
END
$$;

COMMENT ON FUNCTION langgraph.get_ancestors(p_thread_id text, p_checkpoint_ns text, p_checkpoint_id text, p_max_depth integer) IS 'Returns a checkpoint (depth 0) and its ancestors, nearest first, up to the root or p_max_depth
steps: depth, checkpoint_id, parent_checkpoint_id, metadata, created_at. One recursive,
index-driven query: its cost is the depth walked. Each checkpoint appears once: the walk visits
at most the namespace''s checkpoints, and ends where a parent chain made to loop by hand closes.
Parameters: p_thread_id, p_checkpoint_ns (default ''''), p_checkpoint_id (default NULL: the latest),
p_max_depth (default NULL: to the root).
Raises LG001 (empty or over-long id), LG003 (negative p_max_depth), LG004 (no such checkpoint).';

CREATE FUNCTION langgraph.get_checkpoint(p_thread_id text, p_checkpoint_ns text DEFAULT ''::text, p_checkpoint_id text DEFAULT NULL::text) RETURNS SETOF langgraph.checkpoint_tuples
    LANGUAGE plpgsql STABLE SECURITY DEFINER ROWS 1
    SET search_path TO 'langgraph', 'pg_temp'
    SET plan_cache_mode TO 'force_generic_plan'
    SET jit TO 'off'
    AS $$
BEGIN
    -- The checkers raise the error; calling them only when a test fails keeps a
    -- valid call free of their cost (each call is a query of its own).
    IF _bad_id(p_thread_id) THEN
        PERFORM _check_id(p_thread_id, 'thread_id');
    END IF;
    IF _bad_ns(p_checkpoint_ns) THEN
        PERFORM _check_ns(p_checkpoint_ns);
    END IF;
    IF p_checkpoint_id IS NULL THEN
        -- Backward scan of the primary key: the newest checkpoint is the first entry.
        RETURN QUERY
            SELECT * FROM checkpoint_tuples AS t
            WHERE t.thread_id = p_thread_id AND t.checkpoint_ns = p_checkpoint_ns
            ORDER BY t.checkpoint_id DESC
            LIMIT 1;
    ELSE
        IF _bad_id(p_checkpoint_id) THEN
            PERFORM _check_id(p_checkpoint_id, 'checkpoint_id');
        END IF;
        -- The newest checkpoint at or before the id, kept only if it is that id. Asked
        -- for "checkpoint_id = p_checkpoint_id", the generic plan may take
        -- checkpoints_parent_idx for (thread_id, checkpoint_ns), which it believes as good
        -- as unique, and read every checkpoint of the namespace (v1.0.0 did, on a
        -- database with many namespaces); only the primary key gives this order without
        -- a sort, so the probe stays one backward step of it.
        RETURN QUERY
            SELECT * FROM (
                SELECT * FROM checkpoint_tuples AS t
                WHERE t.thread_id = p_thread_id AND t.checkpoint_ns = p_checkpoint_ns
                  AND t.checkpoint_id <= p_checkpoint_id
                ORDER BY t.checkpoint_id DESC
                LIMIT 1) AS t
            WHERE t.checkpoint_id = p_checkpoint_id;
    END IF;
END
$$;

COMMENT ON FUNCTION langgraph.get_checkpoint(p_thread_id text, p_checkpoint_ns text, p_checkpoint_id text) IS 'Returns one checkpoint with its channel values, pending writes and parent id, as one row of
checkpoint_tuples, or no row if there is none.
Parameters: p_thread_id, p_checkpoint_ns (default '''', the root graph), p_checkpoint_id (default
NULL: the latest checkpoint of the thread and namespace). Costs the same on a thread of any length:
it builds the values and writes of the returned checkpoint only.
Raises LG001 (empty or over-long id).';

CREATE FUNCTION langgraph.get_checkpoint_v2(p_thread_id text, p_checkpoint_ns text DEFAULT ''::text, p_checkpoint_id text DEFAULT NULL::text, p_known_channels text[] DEFAULT NULL::text[], p_known_versions text[] DEFAULT NULL::text[]) RETURNS TABLE(thread_id text, checkpoint_ns text, checkpoint_id text, parent_checkpoint_id text, checkpoint jsonb, metadata jsonb, piece_channels text[], piece_types text[], piece_values jsonb[], piece_blobs bytea[], piece_extends text[], write_task_ids text[], write_channels text[], write_types text[], write_values jsonb[], write_blobs bytea[], write_task_paths text[])
    LANGUAGE plpgsql STABLE SECURITY DEFINER ROWS 1
    SET search_path TO 'langgraph', 'pg_temp'
    SET plan_cache_mode TO 'force_generic_plan'
    SET jit TO 'off'
    SET enable_seqscan TO 'off'
    SET enable_bitmapscan TO 'off'
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

COMMENT ON FUNCTION langgraph.get_checkpoint_v2(p_thread_id text, p_checkpoint_ns text, p_checkpoint_id text, p_known_channels text[], p_known_versions text[]) IS 'Returns one checkpoint (the latest of the thread and namespace, or p_checkpoint_id) with its
pending writes and its channel values as stored pieces, or no row if there is none.
Parameters: p_thread_id, p_checkpoint_ns (default ''''), p_checkpoint_id (default NULL: the
latest), p_known_channels and p_known_versions (default NULL: parallel arrays naming versions
the caller already holds, element i one version of channel i; a channel may appear once per
version held).
Pieces (piece_channels, piece_types, piece_values, piece_blobs, piece_extends) are ordered by
channel, oldest first. A channel''s value is its pieces'' JSON arrays concatenated in order; its
first piece extends nothing (NULL: a whole value) or a held version (prepend what the caller
holds of it): the first held version on the chain. A channel at a held version has no pieces. A value is at most 32 pieces.
get_checkpoint returns the same checkpoint with whole values. Costs the same on a thread of any
length. Raises LG001 (empty or over-long id), LG002 (known arrays of different lengths).';

CREATE FUNCTION langgraph.get_delta_channel_history(p_thread_id text, p_checkpoint_ns text, p_checkpoint_id text, p_channels text[]) RETURNS TABLE(channel text, has_seed boolean, seed_type text, seed_value jsonb, seed_blob bytea, write_task_ids text[], write_types text[], write_values jsonb[], write_blobs bytea[])
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO 'langgraph', 'pg_temp'
    SET plan_cache_mode TO 'force_generic_plan'
    AS $$
DECLARE
    v_parent_id text;
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
    IF p_channels IS NULL OR array_position(p_channels, NULL) IS NOT NULL THEN
        RAISE EXCEPTION 'channels must be an array of channel names without NULLs'
            USING ERRCODE = 'LG003',
                  HINT = 'Pass ARRAY[''messages''] or ''{}''.';
    END IF;

    -- Writes stored at the target itself are pending for its next superstep, so the
    -- walk starts at its parent.
    SELECT c.parent_checkpoint_id INTO v_parent_id
    FROM checkpoints AS c
    WHERE c.thread_id = p_thread_id AND c.checkpoint_ns = p_checkpoint_ns
      AND (p_checkpoint_id IS NULL OR c.checkpoint_id = p_checkpoint_id)
    ORDER BY c.checkpoint_id DESC
    LIMIT 1;

    RETURN QUERY
    WITH chain AS MATERIALIZED (
        SELECT * FROM _delta_chain(p_thread_id, p_checkpoint_ns, v_parent_id, p_channels)
    )
    SELECT ch.name, seed.type IS NOT NULL, seed.type, seed.value, seed.blob,
           coalesce(w.task_ids, '{}'), coalesce(w.types, '{}'), coalesce(w.vals, '{}'), coalesce(w.blobs, '{}')
    FROM unnest(p_channels) WITH ORDINALITY AS ch (name, ord)
    LEFT JOIN LATERAL (
        SELECT b.type,
               CASE WHEN b.base_version IS NULL THEN b.value
                    ELSE _blob_value(b.thread_id, b.checkpoint_ns, b.channel, b.version) END AS value,
               b.blob
        FROM chain
        JOIN checkpoint_blobs AS b
          ON b.thread_id = p_thread_id AND b.checkpoint_ns = p_checkpoint_ns
         AND b.channel = ch.name AND b.version = chain.versions ->> ch.name
        WHERE ch.name = ANY (chain.seeded)
        LIMIT 1
    ) AS seed ON true
    LEFT JOIN LATERAL (
        -- Oldest checkpoint first; within one, LangGraph's writes_sort_key order.
        SELECT array_agg(x.task_id ORDER BY chain.depth DESC, x.task_path, x.task_id, x.idx) AS task_ids,
               array_agg(x.type    ORDER BY chain.depth DESC, x.task_path, x.task_id, x.idx) AS types,
               array_agg(x.value   ORDER BY chain.depth DESC, x.task_path, x.task_id, x.idx) AS vals,
               array_agg(x.blob    ORDER BY chain.depth DESC, x.task_path, x.task_id, x.idx) AS blobs
        FROM chain
        JOIN checkpoint_writes AS x
          ON x.thread_id = p_thread_id AND x.checkpoint_ns = p_checkpoint_ns
         AND x.checkpoint_id = chain.checkpoint_id AND x.channel = ch.name
        WHERE ch.name = ANY (chain.needed)
    ) AS w ON true
    ORDER BY ch.ord;
END
$$;

COMMENT ON FUNCTION langgraph.get_delta_channel_history(p_thread_id text, p_checkpoint_ns text, p_checkpoint_id text, p_channels text[]) IS 'Returns, for each channel in p_channels, what LangGraph''s DeltaChannel needs to rebuild it at a
checkpoint: the writes to it along the parent chain (oldest first, each checkpoint''s in
(task_path, task_id, idx) order; the target''s own writes excluded) and the seed, the value
stored at the nearest ancestor that has one (has_seed false when the walk reached the root).
One row per requested channel, in the order given; one recursive, index-driven walk for all.
Parameters: p_thread_id, p_checkpoint_ns, p_checkpoint_id (NULL: the latest), p_channels.
Raises LG001 (empty or over-long id), LG003 (p_channels NULL or containing NULL).';

CREATE FUNCTION langgraph.get_descendants(p_thread_id text, p_checkpoint_ns text, p_checkpoint_id text, p_max_depth integer DEFAULT NULL::integer) RETURNS TABLE(depth integer, checkpoint_id text, parent_checkpoint_id text, metadata jsonb, created_at timestamp with time zone)
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO 'langgraph', 'pg_temp'
    AS $$
DECLARE
    v_start text;
BEGIN
    PERFORM _check_limit(p_max_depth);
    IF p_checkpoint_id IS NULL THEN
        PERFORM _check_id(p_checkpoint_id, 'checkpoint_id');
    END IF;
    v_start := _resolve_checkpoint(p_thread_id, p_checkpoint_ns, p_checkpoint_id);
    -- Walks down through checkpoints_parent_idx, one index probe per checkpoint found.
    RETURN QUERY
        WITH RECURSIVE tree AS (
            SELECT 0 AS depth, c.checkpoint_id, c.parent_checkpoint_id, c.metadata, c.created_at
            FROM checkpoints AS c
            WHERE c.thread_id = p_thread_id AND c.checkpoint_ns = p_checkpoint_ns
              AND c.checkpoint_id = v_start
          UNION ALL
            SELECT tree.depth + 1, k.checkpoint_id, k.parent_checkpoint_id, k.metadata, k.created_at
            FROM tree
            JOIN checkpoints AS k
              ON k.thread_id = p_thread_id AND k.checkpoint_ns = p_checkpoint_ns
             AND k.parent_checkpoint_id = tree.checkpoint_id
            WHERE (p_max_depth IS NULL OR tree.depth < p_max_depth)
              AND k.checkpoint_id <> v_start
        )
        SELECT tree.depth, tree.checkpoint_id::text, tree.parent_checkpoint_id::text, tree.metadata, tree.created_at
        FROM tree
        ORDER BY tree.depth, tree.checkpoint_id;
END
$$;

COMMENT ON FUNCTION langgraph.get_descendants(p_thread_id text, p_checkpoint_ns text, p_checkpoint_id text, p_max_depth integer) IS 'Returns a checkpoint (depth 0) and every checkpoint descended from it, on all branches, by depth
then id: depth, checkpoint_id, parent_checkpoint_id, metadata, created_at.
Parameters: p_thread_id, p_checkpoint_ns, p_checkpoint_id, p_max_depth (default NULL: all).
Each checkpoint appears once: the walk visits at most the namespace''s checkpoints, even on a
parent chain made to loop by hand.
Raises LG001 (empty, NULL or over-long id), LG003 (negative p_max_depth), LG004 (no such checkpoint).';

CREATE FUNCTION langgraph.list_branches(p_thread_id text, p_checkpoint_ns text DEFAULT ''::text) RETURNS TABLE(head_checkpoint_id text, branch_point_id text, length integer, is_latest boolean, metadata jsonb, created_at timestamp with time zone)
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO 'langgraph', 'pg_temp'
    AS $$
BEGIN
    PERFORM _check_id(p_thread_id, 'thread_id');
    PERFORM _check_ns(p_checkpoint_ns);
    -- A head is a checkpoint nothing continues from. From each head, walk up until a
    -- checkpoint with more than one child (where the branch split off) or the root;
    -- length counts the checkpoints on the branch below that point.
    RETURN QUERY
        WITH RECURSIVE heads AS (
            SELECT c.checkpoint_id, c.parent_checkpoint_id, c.metadata, c.created_at
            FROM checkpoints AS c
            WHERE c.thread_id = p_thread_id AND c.checkpoint_ns = p_checkpoint_ns
              AND NOT EXISTS (
                  SELECT FROM checkpoints AS k
                  WHERE k.thread_id = p_thread_id AND k.checkpoint_ns = p_checkpoint_ns
                    AND k.parent_checkpoint_id = c.checkpoint_id)
        ), walk AS (
            SELECT h.checkpoint_id AS head, h.parent_checkpoint_id AS next_id, 1 AS length, false AS done
            FROM heads AS h
          UNION ALL
            SELECT w.head, p.parent_checkpoint_id, w.length + 1, false
            FROM walk AS w
            JOIN checkpoints AS p
              ON p.thread_id = p_thread_id AND p.checkpoint_ns = p_checkpoint_ns
             AND p.checkpoint_id = w.next_id
            WHERE (SELECT count(*) FROM checkpoints AS k
                   WHERE k.thread_id = p_thread_id AND k.checkpoint_ns = p_checkpoint_ns
                     AND k.parent_checkpoint_id = p.checkpoint_id) < 2
        ), ends AS (
            SELECT DISTINCT ON (w.head) w.head, w.next_id, w.length
            FROM walk AS w
            ORDER BY w.head, w.length DESC
        )
        SELECT h.checkpoint_id::text, e.next_id::text, e.length,
               h.checkpoint_id = (SELECT max(c.checkpoint_id) FROM checkpoints AS c
                                  WHERE c.thread_id = p_thread_id AND c.checkpoint_ns = p_checkpoint_ns),
               h.metadata, h.created_at
        FROM heads AS h
        JOIN ends AS e ON e.head = h.checkpoint_id
        ORDER BY h.checkpoint_id DESC;
END
$$;

COMMENT ON FUNCTION langgraph.list_branches(p_thread_id text, p_checkpoint_ns text) IS 'Returns the heads (leaves) of every branch of a thread''s namespace, newest first:
head_checkpoint_id; branch_point_id, the checkpoint the branch split off from (NULL when the
branch reaches the root without splitting); length, the checkpoints on the branch below that
point; is_latest, true for the head get_checkpoint loads; the head''s metadata and created_at.
Parameters: p_thread_id, p_checkpoint_ns (default '''').
Bound: each checkpoint of the namespace is walked at most once, even on a parent chain made to
loop by hand (its checkpoints then belong to no branch).
Raises LG001 (empty or over-long id).';

CREATE FUNCTION langgraph.list_checkpoints(p_thread_id text DEFAULT NULL::text, p_checkpoint_ns text DEFAULT NULL::text, p_checkpoint_id text DEFAULT NULL::text, p_filter jsonb DEFAULT NULL::jsonb, p_before text DEFAULT NULL::text, p_limit integer DEFAULT NULL::integer) RETURNS SETOF langgraph.checkpoint_tuples
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO 'langgraph', 'pg_temp'
    SET plan_cache_mode TO 'force_generic_plan'
    SET jit TO 'off'
    AS $$
DECLARE
    v_page record;
BEGIN
    -- First the page of keys, from checkpoints alone and through an index (see
    -- _checkpoint_page); the values and writes of a checkpoint_tuples row are built below
    -- only for the rows returned.
    SELECT * INTO v_page
    FROM _checkpoint_page(p_thread_id, p_checkpoint_ns, p_checkpoint_id, p_filter, p_before, p_limit);

    -- One row per key, in the keys' order (WITH ORDINALITY is known to be sorted, so
    -- this adds no sort). Each is a lateral probe of the primary key that LIMIT 1 keeps
    -- from being flattened into a join building rows off the page. The probe asks for
    -- the newest checkpoint at or before the key, then keeps it only if it is the key:
    -- with "checkpoint_id = key" the planner sees (thread_id, checkpoint_ns) as good as
    -- unique, and may probe checkpoints_parent_idx on those two columns instead, reading
    -- the namespace's every checkpoint (it did, measured); only the primary key gives
    -- "ORDER BY checkpoint_id DESC" without a sort, so this plan always wins.
    RETURN QUERY
        SELECT t.*
        FROM unnest(v_page.thread_ids, v_page.checkpoint_nss, v_page.checkpoint_ids) WITH ORDINALITY
             AS k (thread_id, checkpoint_ns, checkpoint_id, ord)
        CROSS JOIN LATERAL (
            SELECT * FROM checkpoint_tuples AS t
            WHERE t.thread_id = k.thread_id AND t.checkpoint_ns = k.checkpoint_ns
              AND t.checkpoint_id <= k.checkpoint_id
            ORDER BY t.checkpoint_id DESC
            LIMIT 1) AS t
        WHERE t.checkpoint_id = k.checkpoint_id
        ORDER BY k.ord;
END
$$;

COMMENT ON FUNCTION langgraph.list_checkpoints(p_thread_id text, p_checkpoint_ns text, p_checkpoint_id text, p_filter jsonb, p_before text, p_limit integer) IS 'Returns checkpoints newest first (by checkpoint id, then thread id and namespace) as rows of
checkpoint_tuples. Selects the page of keys through an index first and builds rows only for it:
a thread costs its namespaces plus the page, a filter across threads the GIN index''s matches;
across all threads without a filter it scans checkpoints once.
Parameters, all optional (NULL = no condition): p_thread_id (NULL: across all threads),
p_checkpoint_ns, p_checkpoint_id, p_filter (a JSON object: each of its top-level keys must equal
the metadata''s value for it, a missing key counting as null),
p_before (only ids lower than this one), p_limit (at most this many rows).
Raises LG001 (empty or over-long id), LG002 (p_filter not an object), LG003 (negative p_limit).';

CREATE FUNCTION langgraph.list_checkpoints_v2(p_thread_id text DEFAULT NULL::text, p_checkpoint_ns text DEFAULT NULL::text, p_checkpoint_id text DEFAULT NULL::text, p_filter jsonb DEFAULT NULL::jsonb, p_before text DEFAULT NULL::text, p_limit integer DEFAULT NULL::integer) RETURNS SETOF langgraph.checkpoint_tuples
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO 'langgraph', 'pg_temp'
    SET plan_cache_mode TO 'force_generic_plan'
    SET jit TO 'off'
    AS $$
DECLARE
    v_page record;
BEGIN
    SELECT * INTO v_page
    FROM _checkpoint_page(p_thread_id, p_checkpoint_ns, p_checkpoint_id, p_filter, p_before, p_limit);

    RETURN QUERY
        WITH page AS MATERIALIZED (
            -- The checkpoints of the page, probed by primary key as in list_checkpoints.
            SELECT k.ord, c.thread_id, c.checkpoint_ns, c.checkpoint_id, c.parent_checkpoint_id,
                   c.checkpoint, c.metadata, c.created_at
            FROM unnest(v_page.thread_ids, v_page.checkpoint_nss, v_page.checkpoint_ids) WITH ORDINALITY
                 AS k (thread_id, checkpoint_ns, checkpoint_id, ord)
            CROSS JOIN LATERAL (
                SELECT c.* FROM checkpoints AS c
                WHERE c.thread_id = k.thread_id AND c.checkpoint_ns = k.checkpoint_ns
                  AND c.checkpoint_id <= k.checkpoint_id
                ORDER BY c.checkpoint_id DESC
                LIMIT 1) AS c
            WHERE c.checkpoint_id = k.checkpoint_id
        ), named AS (
            -- Every channel version each row names that differs from the one the row
            -- before it (of the same thread and namespace) named: lag over the page's
            -- rows, so the window sorts one row per checkpoint, not one per channel.
            SELECT p.ord, p.thread_id, p.checkpoint_ns, v.channel, v.version
            FROM (SELECT p.ord, p.thread_id, p.checkpoint_ns, p.checkpoint -> 'channel_versions' AS versions,
                         lag(p.checkpoint -> 'channel_versions')
                             OVER (PARTITION BY p.thread_id, p.checkpoint_ns ORDER BY p.ord) AS previous
                  FROM page AS p) AS p
            CROSS JOIN LATERAL jsonb_each_text(p.versions) AS v (channel, version)
            WHERE p.previous ->> v.channel IS DISTINCT FROM v.version
        ), vals AS (
            SELECT f.ord,
                   array_agg(b.channel ORDER BY b.channel) AS channel_names,
                   array_agg(b.type    ORDER BY b.channel) AS channel_types,
                   array_agg(b.value   ORDER BY b.channel) AS channel_values,
                   array_agg(b.blob    ORDER BY b.channel) AS channel_blobs
            FROM named AS f
            CROSS JOIN LATERAL (
                SELECT b.channel, b.type,
                       CASE WHEN b.base_version IS NULL THEN b.value
                            ELSE _blob_value(b.thread_id, b.checkpoint_ns, b.channel, b.version) END AS value,
                       b.blob
                FROM checkpoint_blobs AS b
                WHERE b.thread_id = f.thread_id AND b.checkpoint_ns = f.checkpoint_ns
                  AND b.channel = f.channel AND b.version = f.version
                  AND b.type <> 'empty'
                LIMIT 1) AS b
            GROUP BY f.ord
        )
        SELECT p.thread_id, p.checkpoint_ns, p.checkpoint_id, p.parent_checkpoint_id,
               p.checkpoint, p.metadata, p.created_at,
               coalesce(v.channel_names, '{}'), coalesce(v.channel_types, '{}'),
               coalesce(v.channel_values, '{}'), coalesce(v.channel_blobs, '{}'),
               w.write_task_ids, w.write_channels, w.write_types, w.write_values, w.write_blobs,
               w.write_task_paths
        FROM page AS p
        LEFT JOIN vals AS v ON v.ord = p.ord
        -- The pending writes, aggregated as checkpoint_tuples aggregates them.
        CROSS JOIN LATERAL (
            SELECT coalesce(array_agg(w.task_id   ORDER BY w.task_path, w.task_id, w.idx), '{}') AS write_task_ids,
                   coalesce(array_agg(w.channel   ORDER BY w.task_path, w.task_id, w.idx), '{}') AS write_channels,
                   coalesce(array_agg(w.type      ORDER BY w.task_path, w.task_id, w.idx), '{}') AS write_types,
                   coalesce(array_agg(w.value     ORDER BY w.task_path, w.task_id, w.idx), '{}') AS write_values,
                   coalesce(array_agg(w.blob      ORDER BY w.task_path, w.task_id, w.idx), '{}') AS write_blobs,
                   coalesce(array_agg(w.task_path ORDER BY w.task_path, w.task_id, w.idx), '{}') AS write_task_paths
            FROM checkpoint_writes AS w
            WHERE w.thread_id = p.thread_id AND w.checkpoint_ns = p.checkpoint_ns
              AND w.checkpoint_id = p.checkpoint_id) AS w
        ORDER BY p.ord;
END
$$;

COMMENT ON FUNCTION langgraph.list_checkpoints_v2(p_thread_id text, p_checkpoint_ns text, p_checkpoint_id text, p_filter jsonb, p_before text, p_limit integer) IS 'Returns what list_checkpoints returns, with the same parameters and in the same order, except
that a row carries a channel''s value only where it changed: its channel_names, channel_types,
channel_values and channel_blobs hold the channels whose version differs from the version the
previous row of the result for the same thread and namespace named (or that it did not name).
A channel in a row''s checkpoint.channel_versions without a value there has the value the
previous row had for the same version, or none (an empty channel).
Pending writes are in every row, as in list_checkpoints.
Parameters, all optional (NULL = no condition): p_thread_id (NULL: across all threads),
p_checkpoint_ns, p_checkpoint_id, p_filter (a JSON object: each of its top-level keys must equal
the metadata''s value for it, a missing key counting as null),
p_before (only ids lower than this one), p_limit (at most this many rows).
Raises LG001 (empty or over-long id), LG002 (p_filter not an object), LG003 (negative p_limit).';

CREATE FUNCTION langgraph.load_checkpoint(p_thread_id text, p_checkpoint_id text DEFAULT NULL::text, p_checkpoint_ns text DEFAULT ''::text) RETURNS jsonb
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO 'langgraph', 'pg_temp'
    AS $$
DECLARE
    v_document jsonb;
BEGIN
    SELECT _to_document(t) INTO v_document
    FROM get_checkpoint(p_thread_id, p_checkpoint_ns, p_checkpoint_id) AS t;
    IF v_document IS NULL AND p_checkpoint_id IS NOT NULL THEN
        RAISE EXCEPTION 'checkpoint % not found in thread % (namespace %)', p_checkpoint_id, p_thread_id, quote_literal(p_checkpoint_ns)
            USING ERRCODE = 'LG004',
                  HINT = 'list_checkpoints(p_thread_id => ...) shows the ids that exist.';
    END IF;
    RETURN v_document;
END
$$;

COMMENT ON FUNCTION langgraph.load_checkpoint(p_thread_id text, p_checkpoint_id text, p_checkpoint_ns text) IS 'JSONB API for services: returns one checkpoint as a document with keys thread_id, checkpoint_ns,
checkpoint_id, parent_checkpoint_id, created_at, metadata, checkpoint, state (channel -> value)
and pending_writes (array of {task_id, channel, value, task_path}). Values that are not JSON
appear as {"$type": ..., "$base64": ...}.
Parameters: p_thread_id, p_checkpoint_id (default NULL: the latest), p_checkpoint_ns (default '''').
Returns NULL when the thread has no checkpoint.
Raises LG001 (empty or over-long id), LG004 (p_checkpoint_id given and not found).';

CREATE FUNCTION langgraph.pin_thread(p_thread_id text, p_pinned boolean DEFAULT true) RETURNS boolean
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'langgraph', 'pg_temp'
    AS $$
BEGIN
    PERFORM _check_id(p_thread_id, 'thread_id');
    IF p_pinned IS NULL THEN
        RAISE EXCEPTION 'pinned must be true or false'
            USING ERRCODE = 'LG003',
                  HINT = 'pin_thread(id) pins a thread, pin_thread(id, false) unpins it.';
    END IF;
    INSERT INTO threads (thread_id) VALUES (p_thread_id) ON CONFLICT (thread_id) DO NOTHING;
    INSERT INTO thread_settings AS s (thread_id, pinned) VALUES (p_thread_id, p_pinned)
    ON CONFLICT (thread_id) DO UPDATE SET pinned = EXCLUDED.pinned;
    RETURN p_pinned;
END
$$;

COMMENT ON FUNCTION langgraph.pin_thread(p_thread_id text, p_pinned boolean) IS 'Pins or unpins a thread. Retention leaves a pinned thread alone: expire_idle_threads does not
delete it and cleanup_old_checkpoints keeps all its checkpoints, whatever their TTL; delete_thread
and prune_checkpoints still work on it. Parameters: p_thread_id, p_pinned (default true; false
unpins). Creates the thread''s row if it has none yet. Returns p_pinned. Raises LG001 (empty or
over-long thread id), LG003 (NULL p_pinned).';

CREATE FUNCTION langgraph.prune_checkpoints(p_thread_ids text[], p_strategy text DEFAULT 'keep_latest'::text) RETURNS bigint
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'langgraph', 'pg_temp'
    AS $$
DECLARE
    v_deleted bigint := 0;
    v_thread_id text;
    v_latest record;
    v_keep text[];
BEGIN
    IF p_strategy IS NULL OR p_strategy NOT IN ('keep_latest', 'delete') THEN
        RAISE EXCEPTION 'unknown prune strategy %', coalesce(quote_literal(p_strategy), 'NULL')
            USING ERRCODE = 'LG003',
                  HINT = 'Use ''keep_latest'' or ''delete''.';
    END IF;
    IF p_thread_ids IS NULL THEN
        RAISE EXCEPTION 'thread_ids must not be NULL'
            USING ERRCODE = 'LG003',
                  HINT = 'Pass ARRAY[''<thread id>''] or ''{}''.';
    END IF;
    FOREACH v_thread_id IN ARRAY p_thread_ids LOOP
        PERFORM _check_id(v_thread_id, 'thread_id');
    END LOOP;

    PERFORM FROM threads WHERE thread_id = ANY (p_thread_ids) ORDER BY thread_id FOR UPDATE;

    FOR v_thread_id IN SELECT DISTINCT t FROM unnest(p_thread_ids) AS t ORDER BY 1 LOOP
        IF p_strategy = 'delete' THEN
            v_deleted := v_deleted + delete_thread(v_thread_id);
            CONTINUE;
        END IF;
        -- keep_latest: the latest checkpoint of each namespace, plus the ancestors its
        -- DeltaChannels are rebuilt from (metadata.counters_since_delta_snapshot names
        -- them), so pruning never empties a delta channel.
        FOR v_latest IN
            SELECT DISTINCT ON (c.checkpoint_ns) c.checkpoint_ns, c.checkpoint_id, c.parent_checkpoint_id,
                   ARRAY(SELECT jsonb_object_keys(
                             CASE WHEN jsonb_typeof(c.metadata -> 'counters_since_delta_snapshot') = 'object'
                                  THEN c.metadata -> 'counters_since_delta_snapshot' ELSE '{}' END)) AS delta_channels
            FROM checkpoints AS c
            WHERE c.thread_id = v_thread_id
            ORDER BY c.checkpoint_ns, c.checkpoint_id DESC
        LOOP
            v_keep := ARRAY[v_latest.checkpoint_id]
                || ARRAY(SELECT d.checkpoint_id
                         FROM _delta_chain(v_thread_id, v_latest.checkpoint_ns, v_latest.parent_checkpoint_id,
                                           v_latest.delta_channels) AS d);
            v_deleted := v_deleted + _delete_checkpoints(
                v_thread_id, v_latest.checkpoint_ns,
                ARRAY(SELECT c.checkpoint_id FROM checkpoints AS c
                      WHERE c.thread_id = v_thread_id AND c.checkpoint_ns = v_latest.checkpoint_ns
                        AND c.checkpoint_id <> ALL (v_keep)));
        END LOOP;
    END LOOP;
    RETURN v_deleted;
END
$$;

COMMENT ON FUNCTION langgraph.prune_checkpoints(p_thread_ids text[], p_strategy text) IS 'Prunes threads in one transaction and returns the number of checkpoints deleted.
Parameters: p_thread_ids, p_strategy: ''keep_latest'' (default) keeps the latest checkpoint of each
namespace with its pending writes and values, plus the ancestors (and their writes) its
DeltaChannels are rebuilt from; every other checkpoint goes, and a kept checkpoint whose parent
goes becomes a root. ''delete'' deletes the threads.
Raises LG001 (empty or over-long id), LG003 (unknown strategy, NULL array).';

CREATE FUNCTION langgraph.put_checkpoint(p_thread_id text, p_checkpoint_ns text, p_checkpoint_id text, p_parent_checkpoint_id text, p_checkpoint jsonb, p_metadata jsonb DEFAULT '{}'::jsonb, p_channels text[] DEFAULT '{}'::text[], p_types text[] DEFAULT '{}'::text[], p_values jsonb[] DEFAULT '{}'::jsonb[], p_blobs bytea[] DEFAULT '{}'::bytea[], p_exclusive boolean DEFAULT false, p_lease_owner text DEFAULT NULL::text) RETURNS text
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'langgraph', 'pg_temp'
    SET plan_cache_mode TO 'force_generic_plan'
    AS $$
BEGIN
    PERFORM _save_checkpoints(
        ARRAY[p_thread_id], ARRAY[p_checkpoint_ns], ARRAY[p_checkpoint_id], ARRAY[p_parent_checkpoint_id],
        ARRAY[p_checkpoint], ARRAY[p_metadata],
        array_fill(1, ARRAY[coalesce(cardinality(p_channels), 0)]), p_channels, p_types, p_values, p_blobs,
        coalesce(p_exclusive, false), p_lease_owner);
    RETURN p_checkpoint_id;
END
$$;

COMMENT ON FUNCTION langgraph.put_checkpoint(p_thread_id text, p_checkpoint_ns text, p_checkpoint_id text, p_parent_checkpoint_id text, p_checkpoint jsonb, p_metadata jsonb, p_channels text[], p_types text[], p_values jsonb[], p_blobs bytea[], p_exclusive boolean, p_lease_owner text) IS 'Saves one checkpoint and the values of its changed channels, atomically, and returns its id.
Parameters: p_thread_id, p_checkpoint_ns ('''' for the root graph), p_checkpoint_id,
p_parent_checkpoint_id (NULL for a root), p_checkpoint (LangGraph''s checkpoint document; its
channel_values key, if any, is ignored), p_metadata (object), and four parallel arrays describing
the changed channel values: p_channels (names, each listed in p_checkpoint->channel_versions),
p_types (''json'', ''empty'' or a serializer type), p_values (JSONB for type json, else NULL) and
p_blobs (bytes for serializer types, else NULL). Values already stored at the same version are
kept; saving an existing id replaces its document and metadata. p_exclusive (default false)
refuses a save whose parent already has another child, or a parentless save into a namespace
that has checkpoints; saves whose metadata source is ''update'' or ''fork'' (explicit time travel)
and retries of a checkpoint already saved are exempt. p_lease_owner names the caller for
thread leases: a live lease of another owner refuses the save.
Raises LG001 (empty or over-long id, NULL or over-long namespace), LG002 (non-object document or metadata, malformed or
unversioned values, checkpoint.id not matching p_checkpoint_id), LG005 (exclusive mode: the
save would fork the thread), LG006 (another owner holds a live lease), LG008 (the parent
checkpoint no longer exists: the thread was deleted or pruned meanwhile; or this checkpoint was
removed, see removed_checkpoints), LG003 (the checkpoint would be its own ancestor: a parent
equal to it, or one descended from it). A refused save stores nothing.';

CREATE FUNCTION langgraph.put_checkpoint_v2(p_thread_id text, p_checkpoint_ns text, p_checkpoint_id text, p_parent_checkpoint_id text, p_checkpoint jsonb, p_metadata jsonb DEFAULT '{}'::jsonb, p_channels text[] DEFAULT '{}'::text[], p_types text[] DEFAULT '{}'::text[], p_values jsonb[] DEFAULT '{}'::jsonb[], p_blobs bytea[] DEFAULT '{}'::bytea[], p_base_versions text[] DEFAULT NULL::text[], p_exclusive boolean DEFAULT false, p_lease_owner text DEFAULT NULL::text) RETURNS text
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'langgraph', 'pg_temp'
    SET plan_cache_mode TO 'force_generic_plan'
    SET jit TO 'off'
    SET enable_seqscan TO 'off'
    SET enable_bitmapscan TO 'off'
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

COMMENT ON FUNCTION langgraph.put_checkpoint_v2(p_thread_id text, p_checkpoint_ns text, p_checkpoint_id text, p_parent_checkpoint_id text, p_checkpoint jsonb, p_metadata jsonb, p_channels text[], p_types text[], p_values jsonb[], p_blobs bytea[], p_base_versions text[], p_exclusive boolean, p_lease_owner text) IS 'Saves one checkpoint and the values of its changed channels, atomically, and returns its id.
As put_checkpoint, plus p_base_versions: NULL, or one element per value, NULL for a whole value
or the version of the same channel (thread, namespace) that value i extends. A value with a base
version is type json and a JSON array of the elements appended to the value stored at that
version; it is stored as a delta (checkpoint_blobs.base_version) without the base being read,
and reads return the whole list. Every 32nd link of a chain is stored whole.
Parameters: p_thread_id, p_checkpoint_ns ('''' for the root graph), p_checkpoint_id,
p_parent_checkpoint_id (NULL for a root), p_checkpoint (its channel_values key is ignored),
p_metadata (object), the parallel arrays p_channels, p_types (''json'', ''empty'' or a serializer
type), p_values (JSONB for type json), p_blobs (bytes for serializer types), p_base_versions,
p_exclusive (refuse to fork the thread; see put_checkpoint), p_lease_owner (see put_checkpoint).
Raises LG001 (empty or over-long id, NULL or over-long namespace), LG002 (non-object document or
metadata, malformed or unversioned values, a tail that is not a JSON array, checkpoint.id not
matching p_checkpoint_id), LG003 (the checkpoint would be its own ancestor: a parent equal to
it, or one descended from it), LG005 (exclusive mode: the save would fork the thread), LG006
(another owner holds a live lease), LG008 (the parent checkpoint no longer exists, or this
checkpoint was removed: see removed_checkpoints), LG009 (a base version is not stored as a JSON
array of known chain length: send the whole value). A refused save stores nothing.';

CREATE FUNCTION langgraph.put_writes(p_thread_id text, p_checkpoint_ns text, p_checkpoint_id text, p_task_id text, p_channels text[], p_types text[], p_values jsonb[], p_blobs bytea[], p_task_path text DEFAULT ''::text) RETURNS integer
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'langgraph', 'pg_temp'
    SET plan_cache_mode TO 'force_generic_plan'
    SET enable_seqscan TO 'off'
    SET enable_bitmapscan TO 'off'
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

COMMENT ON FUNCTION langgraph.put_writes(p_thread_id text, p_checkpoint_ns text, p_checkpoint_id text, p_task_id text, p_channels text[], p_types text[], p_values jsonb[], p_blobs bytea[], p_task_path text) IS 'Stores the writes of one task against a checkpoint and returns how many rows it inserted or replaced.
Parameters: p_thread_id, p_checkpoint_ns, p_checkpoint_id, p_task_id, the parallel arrays
p_channels, p_types, p_values, p_blobs (as in put_checkpoint; element i is write number i), and
p_task_path (default ''''). Regular writes take idx 0..n-1 and are idempotent per (task_id, idx):
a retry stores nothing new. When every write is special (__error__, __scheduled__,
__interrupt__, __resume__) they take idx -1..-4 and replace what that task stored before.
The checkpoint need not exist yet: LangGraph''s async durability may deliver writes first.
Writes for a missing checkpoint of a deleted thread (see deleted_threads) whose id was minted
before the deletion are refused, so a late write never recreates half a thread; so are writes
for a checkpoint that was removed (delete_checkpoint, delete_for_runs, prune_checkpoints,
retention: see removed_checkpoints) and does not exist again. A refused call stores nothing.
Raises LG001 (empty or over-long id, NULL task_path), LG002 (malformed value arrays),
LG008 (the thread was deleted after this checkpoint was created, or the checkpoint was removed).';

CREATE FUNCTION langgraph.release_lease(p_thread_id text, p_owner text) RETURNS boolean
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'langgraph', 'pg_temp'
    AS $$
BEGIN
    PERFORM _check_id(p_thread_id, 'thread_id');
    PERFORM _check_id(p_owner, 'owner');
    DELETE FROM thread_leases WHERE thread_id = p_thread_id AND owner = p_owner;
    RETURN FOUND;
END
$$;

COMMENT ON FUNCTION langgraph.release_lease(p_thread_id text, p_owner text) IS 'Releases p_owner''s lease on a thread; returns true if there was one to release.
Parameters: p_thread_id, p_owner.
Raises LG001 (empty or over-long id).';

CREATE FUNCTION langgraph.renew_lease(p_thread_id text, p_owner text, p_ttl interval DEFAULT '00:00:30'::interval) RETURNS timestamp with time zone
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'langgraph', 'pg_temp'
    AS $$
DECLARE
    v_expires_at timestamptz;
BEGIN
    PERFORM _check_id(p_thread_id, 'thread_id');
    PERFORM _check_id(p_owner, 'owner');
    PERFORM _check_ttl(p_ttl);
    UPDATE thread_leases SET expires_at = clock_timestamp() + p_ttl
    WHERE thread_id = p_thread_id AND owner = p_owner AND expires_at > clock_timestamp()
    RETURNING expires_at INTO v_expires_at;
    IF v_expires_at IS NULL THEN
        RAISE EXCEPTION '% does not hold a live lease on thread %', p_owner, p_thread_id
            USING ERRCODE = 'LG006',
                  HINT = 'The lease expired or belongs to another owner; acquire_lease() takes it again if it is free.';
    END IF;
    RETURN v_expires_at;
END
$$;

COMMENT ON FUNCTION langgraph.renew_lease(p_thread_id text, p_owner text, p_ttl interval) IS 'Extends p_owner''s live lease on a thread to now + p_ttl and returns the new expiry.
Parameters: p_thread_id, p_owner, p_ttl (default 30 seconds).
Raises LG001 (empty or over-long id), LG003 (ttl out of range), LG006 (p_owner holds no live lease).';

CREATE FUNCTION langgraph.save_checkpoint(p_thread_id text, p_state jsonb, p_metadata jsonb DEFAULT '{}'::jsonb, p_checkpoint_ns text DEFAULT ''::text, p_lease_owner text DEFAULT NULL::text) RETURNS text
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'langgraph', 'pg_temp'
    AS $$
DECLARE
    v_parent_id       text;
    v_parent_versions jsonb := '{}'::jsonb;
    v_parent_step     jsonb;
    v_id              text;
    v_versions        jsonb;
    v_changed         text[];
    v_values          jsonb[];
BEGIN
    PERFORM _check_id(p_thread_id, 'thread_id');
    PERFORM _check_ns(p_checkpoint_ns);
    PERFORM _check_object(p_state, 'state');
    PERFORM _check_object(p_metadata, 'metadata');

    -- Lock the thread so concurrent saves append one after the other instead of
    -- both taking the same parent.
    INSERT INTO threads (thread_id) VALUES (p_thread_id)
    ON CONFLICT (thread_id) DO UPDATE SET updated_at = now();

    SELECT c.checkpoint_id, coalesce(c.checkpoint -> 'channel_versions', '{}'), c.metadata -> 'step'
      INTO v_parent_id, v_parent_versions, v_parent_step
    FROM checkpoints AS c
    WHERE c.thread_id = p_thread_id AND c.checkpoint_ns = p_checkpoint_ns
    ORDER BY c.checkpoint_id DESC
    LIMIT 1;

    -- A key whose value equals the parent's keeps the parent's version (and its stored
    -- row); any other key gets the next version, in the format the Python client uses.
    SELECT jsonb_object_agg(s.key, CASE WHEN s.same THEN to_jsonb(s.prev_version) ELSE to_jsonb(s.next_version) END),
           coalesce(array_agg(s.key ORDER BY s.key) FILTER (WHERE NOT s.same), '{}'),
           coalesce(array_agg(s.value ORDER BY s.key) FILTER (WHERE NOT s.same), '{}')
      INTO v_versions, v_changed, v_values
    FROM (
        SELECT e.key, e.value, pv.prev_version,
               coalesce(b.type = 'json'
                        AND CASE WHEN b.base_version IS NULL THEN b.value
                                 ELSE _blob_value(b.thread_id, b.checkpoint_ns, b.channel, b.version) END = e.value,
                        false) AS same,
               lpad((coalesce(substring(pv.prev_version FROM '^[0-9]+')::numeric, 0) + 1)::text, 32, '0')
                   || '.' || lpad(floor(random() * 1e16)::bigint::text, 16, '0') AS next_version
        FROM jsonb_each(p_state) AS e
        CROSS JOIN LATERAL (SELECT v_parent_versions ->> e.key AS prev_version) AS pv
        LEFT JOIN checkpoint_blobs AS b
               ON b.thread_id = p_thread_id AND b.checkpoint_ns = p_checkpoint_ns
              AND b.channel = e.key AND b.version = pv.prev_version
    ) AS s;

    v_id := _new_checkpoint_id();
    RETURN put_checkpoint(
        p_thread_id, p_checkpoint_ns, v_id, v_parent_id,
        jsonb_build_object(
            'v', 4,
            'id', v_id,
            'ts', to_jsonb(clock_timestamp()),
            'channel_versions', coalesce(v_versions, '{}'),
            'versions_seen', '{}'::jsonb,
            'updated_channels', to_jsonb(v_changed)),
        jsonb_build_object(
            'source', 'update',
            'step', CASE WHEN jsonb_typeof(v_parent_step) = 'number' THEN (v_parent_step::numeric + 1)::int ELSE -1 END,
            'parents', '{}'::jsonb) || p_metadata,
        v_changed,
        array_fill('json'::text, ARRAY[cardinality(v_changed)]),
        v_values,
        array_fill(NULL::bytea, ARRAY[cardinality(v_changed)]),
        p_lease_owner => p_lease_owner);
END
$$;

COMMENT ON FUNCTION langgraph.save_checkpoint(p_thread_id text, p_state jsonb, p_metadata jsonb, p_checkpoint_ns text, p_lease_owner text) IS 'JSONB API for services: saves p_state as the next checkpoint of a thread and returns its new id.
Parameters: p_thread_id, p_state (a JSON object; each top-level key is a channel), p_metadata
(default ''{}'', merged over {"source": "update", "step": <parent step + 1>}), p_checkpoint_ns
(default ''''), p_lease_owner (default NULL: the caller holds no lease). The parent is the
thread''s latest checkpoint; keys whose value is unchanged are not
stored again. The result is an ordinary checkpoint that LangGraph clients load like their own.
Raises LG001 (empty or over-long id), LG002 (state or metadata not an object), LG006 (another
owner holds a live lease on the thread).';

CREATE FUNCTION langgraph.schedule_cleanup(cron_expression text, retention_days integer, job_name text DEFAULT 'langgraph-cleanup'::text) RETURNS bigint
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'langgraph', 'pg_temp'
    AS $$
DECLARE
    v_cron_database text := current_setting('cron.database_name', true);
    v_command text;
BEGIN
    IF NOT EXISTS (SELECT FROM pg_catalog.pg_extension WHERE extname = 'pg_cron') THEN
        RAISE EXCEPTION 'pg_cron is not installed in database %', current_database()
            USING ERRCODE = 'LG007',
                  DETAIL = CASE WHEN v_cron_database IS NOT NULL AND v_cron_database <> current_database()
                                THEN format('pg_cron is loaded but runs in database %s (cron.database_name).', v_cron_database)
                                ELSE 'The pg_cron extension is not created in this database.' END,
                  HINT = CASE WHEN v_cron_database IS NOT NULL AND v_cron_database <> current_database()
                              THEN format('In database %s run: SELECT cron.schedule_in_database(%L, %L, %L, %L);',
                                          v_cron_database, job_name, cron_expression,
                                          format('CALL %I.cleanup_old_checkpoints(%s)', current_schema(), retention_days),
                                          current_database())
                              ELSE format('Add pg_cron to shared_preload_libraries, set cron.database_name = %L, restart '
                                          'PostgreSQL, then run CREATE EXTENSION pg_cron; in that database. Without pg_cron, '
                                          'call %I.cleanup_old_checkpoints from your own scheduler or the client''s auto_cleanup.',
                                          current_database(), current_schema()) END;
    END IF;
    IF cron_expression IS NULL OR btrim(cron_expression) = '' THEN
        RAISE EXCEPTION 'cron_expression must be a cron schedule'
            USING ERRCODE = 'LG003',
                  HINT = 'For example ''17 3 * * *'' (every day at 03:17).';
    END IF;
    IF retention_days IS NULL OR retention_days < 0 OR retention_days > 1000000 THEN
        RAISE EXCEPTION 'retention_days must be a number of days between 0 and 1000000, got %', coalesce(retention_days::text, 'NULL')
            USING ERRCODE = 'LG003',
                  HINT = 'For example 30: checkpoints older than 30 days go, each thread keeping its latest.';
    END IF;
    IF job_name IS NULL OR job_name = '' THEN
        RAISE EXCEPTION 'job_name must be a non-empty string'
            USING ERRCODE = 'LG003',
                  HINT = 'Omit it for the default job name.';
    END IF;

    -- current_schema() is this deployment's schema: search_path is pinned to it.
    v_command := format('CALL %I.cleanup_old_checkpoints(%s)', current_schema(), retention_days);
    -- Scheduling a job of the same name again replaces it (pg_cron upserts by name).
    RETURN cron.schedule(job_name, cron_expression, v_command);
EXCEPTION WHEN invalid_parameter_value THEN
    -- pg_cron's own error for a schedule it cannot parse, in the API's code.
    RAISE EXCEPTION 'cron_expression % is not a pg_cron schedule', cron_expression
        USING ERRCODE = 'LG003',
              DETAIL = SQLERRM,
              HINT = 'Five cron fields, e.g. ''17 3 * * *'' (every day at 03:17), ''@daily'' or ''30 seconds''.';
END
$$;

COMMENT ON FUNCTION langgraph.schedule_cleanup(cron_expression text, retention_days integer, job_name text) IS 'Schedules CALL <schema>.cleanup_old_checkpoints(retention_days) with pg_cron and returns the job id.
Parameters: cron_expression (pg_cron schedule, e.g. ''17 3 * * *''), retention_days (as in
cleanup_old_checkpoints), job_name (default ''<schema>-cleanup''; scheduling the same name again
replaces the job). The job runs as the schema owner in this database. Owner only unless granted.
Raises LG007 (pg_cron not installed here; the hint says how to install it, or the
cron.schedule_in_database call to make when pg_cron lives in another database), LG003 (empty
cron_expression or job_name, a schedule pg_cron cannot parse, retention_days NULL, negative or
over 1000000).';

CREATE FUNCTION langgraph.schema_version() RETURNS integer
    LANGUAGE sql IMMUTABLE SECURITY DEFINER PARALLEL SAFE
    SET search_path TO 'langgraph', 'pg_temp'
    AS $$ SELECT 2 $$;

COMMENT ON FUNCTION langgraph.schema_version() IS 'Returns the version of the deployed SQL API (an integer that grows with every release that changes it). Clients refuse to run against an older one. Raises nothing.';

CREATE FUNCTION langgraph.search_threads(p_metadata jsonb DEFAULT NULL::jsonb, p_values jsonb DEFAULT NULL::jsonb, p_status text DEFAULT NULL::text, p_created_since timestamp with time zone DEFAULT NULL::timestamp with time zone, p_created_before timestamp with time zone DEFAULT NULL::timestamp with time zone, p_updated_since timestamp with time zone DEFAULT NULL::timestamp with time zone, p_updated_before timestamp with time zone DEFAULT NULL::timestamp with time zone, p_cursor_created_at timestamp with time zone DEFAULT NULL::timestamp with time zone, p_cursor_thread_id text DEFAULT NULL::text, p_limit integer DEFAULT 20) RETURNS TABLE(thread_id text, created_at timestamp with time zone, updated_at timestamp with time zone, checkpoint_id text, metadata jsonb, status text, ttl interval, pinned boolean, refresh_on_read boolean, expires_at timestamp with time zone)
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO 'langgraph', 'pg_temp'
    SET jit TO 'off'
    AS $_$
BEGIN
    PERFORM _check_limit(p_limit);
    IF (p_cursor_created_at IS NULL) <> (p_cursor_thread_id IS NULL) THEN
        RAISE EXCEPTION 'a cursor needs both p_cursor_created_at and p_cursor_thread_id'
            USING ERRCODE = 'LG003',
                  HINT = 'Pass the created_at and thread_id of the last row of the previous page, or neither for the first page.';
    END IF;
    RETURN QUERY EXECUTE
        _threads_query(p_metadata, p_values, p_status, p_created_since, p_created_before, p_updated_since, p_updated_before)
        || CASE WHEN p_cursor_thread_id IS NULL THEN ''
                ELSE E'\n  AND (t.created_at, t.thread_id) < ($8, $9)' END
        || E'\nORDER BY t.created_at DESC, t.thread_id DESC'
        || CASE WHEN p_limit IS NULL THEN '' ELSE E'\nLIMIT $10' END
    USING p_metadata, p_values, p_status, p_created_since, p_created_before, p_updated_since, p_updated_before,
          p_cursor_created_at, p_cursor_thread_id, p_limit;
END
$_$;

COMMENT ON FUNCTION langgraph.search_threads(p_metadata jsonb, p_values jsonb, p_status text, p_created_since timestamp with time zone, p_created_before timestamp with time zone, p_updated_since timestamp with time zone, p_updated_before timestamp with time zone, p_cursor_created_at timestamp with time zone, p_cursor_thread_id text, p_limit integer) IS 'Threads, newest first (created_at DESC, thread_id DESC), filtered by their checkpoints:
one row per thread with thread_id, created_at, updated_at, checkpoint_id and
metadata of that checkpoint (NULL when it has none), status (''error'' when its pending writes hold
__error__, else ''interrupted'' when they hold __interrupt__, else ''idle''), and its retention: ttl,
pinned, refresh_on_read, expires_at (when its own TTL runs out; NULL without one or pinned).
Parameters, all optional: p_metadata (the metadata of one of its root checkpoints contains
this object: LangGraph copies a run''s config metadata into each checkpoint of the run), p_values
(each key is a channel whose latest JSON value contains the given value), p_status,
p_created_since / p_created_before and p_updated_since / p_updated_before (half-open ranges:
since <= t < before), p_cursor_created_at with p_cursor_thread_id (the last row of the previous
page: rows after it), p_limit (default 20; NULL for all). Raises LG002 (a filter that is not a
JSON object), LG003 (unknown status, negative limit, half a cursor).';

CREATE FUNCTION langgraph.set_compression(p_enabled boolean, p_thread_id text DEFAULT NULL::text) RETURNS boolean
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'langgraph', 'pg_temp'
    AS $$
BEGIN
    IF p_thread_id IS NULL THEN
        IF p_enabled IS NULL THEN
            RAISE EXCEPTION 'the global compression setting must be true or false'
                USING ERRCODE = 'LG003',
                      HINT = 'NULL is only for a thread: it removes the thread''s own setting.';
        END IF;
        UPDATE settings SET compression = p_enabled, updated_at = now() WHERE singleton;
        RETURN p_enabled;
    END IF;

    PERFORM _check_id(p_thread_id, 'thread_id');
    IF p_enabled IS NULL THEN
        -- Only the compression override goes: the row may hold retention settings.
        UPDATE thread_settings SET compression = NULL WHERE thread_id = p_thread_id;
    ELSE
        -- A setting may come before the thread's first checkpoint.
        INSERT INTO threads (thread_id) VALUES (p_thread_id) ON CONFLICT (thread_id) DO NOTHING;
        INSERT INTO thread_settings AS t (thread_id, compression) VALUES (p_thread_id, p_enabled)
        ON CONFLICT (thread_id) DO UPDATE SET compression = EXCLUDED.compression;
    END IF;
    RETURN _compression_enabled(p_thread_id);
END
$$;

COMMENT ON FUNCTION langgraph.set_compression(p_enabled boolean, p_thread_id text) IS 'Turns storage compression on or off, globally or for one thread, and returns the setting now in
force for that scope. With compression on, a channel value that is a JSON array extending the
parent checkpoint''s value (a chat''s messages) is stored as the appended elements only; loads
are unchanged and SQL still reads whole values (_blob_value). It applies to values written
from then on; stored values stay as they are and read the same either way.
Parameters: p_enabled (true/false; NULL with a thread removes the thread''s own compression setting, keeping
its retention settings),
p_thread_id (default NULL: the global setting that threads without their own follow).
Raises LG001 (empty or over-long thread id), LG003 (NULL p_enabled without a thread).';

CREATE FUNCTION langgraph.set_thread_ttl(p_thread_id text, p_ttl interval, p_refresh_on_read boolean DEFAULT false) RETURNS timestamp with time zone
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'langgraph', 'pg_temp'
    AS $$
DECLARE
    v_expires_at timestamptz;
BEGIN
    PERFORM _check_id(p_thread_id, 'thread_id');
    IF p_ttl <= interval '0' THEN
        RAISE EXCEPTION 'a thread''s ttl must be positive, got %', p_ttl
            USING ERRCODE = 'LG003',
                  HINT = 'Pass an interval such as ''7 days'', or NULL to follow the retention procedures'' parameters.';
    END IF;
    IF p_refresh_on_read IS NULL THEN
        RAISE EXCEPTION 'refresh_on_read must be true or false'
            USING ERRCODE = 'LG003',
                  HINT = 'true: a read recorded with touch_thread restarts the idle clock; false: only saves do.';
    END IF;
    -- A setting may come before the thread's first checkpoint, as set_compression allows.
    INSERT INTO threads (thread_id) VALUES (p_thread_id) ON CONFLICT (thread_id) DO NOTHING;
    INSERT INTO thread_settings AS s (thread_id, ttl, refresh_on_read)
    VALUES (p_thread_id, p_ttl, p_refresh_on_read)
    ON CONFLICT (thread_id) DO UPDATE SET ttl = EXCLUDED.ttl, refresh_on_read = EXCLUDED.refresh_on_read;

    SELECT _thread_last_active(t.updated_at, s.refresh_on_read, s.read_at) + s.ttl INTO v_expires_at
    FROM threads AS t JOIN thread_settings AS s USING (thread_id)
    WHERE t.thread_id = p_thread_id AND NOT s.pinned;
    RETURN v_expires_at;
END
$$;

COMMENT ON FUNCTION langgraph.set_thread_ttl(p_thread_id text, p_ttl interval, p_refresh_on_read boolean) IS 'Gives a thread its own time to live, replacing the global policy for it: expire_idle_threads
deletes it once it has been inactive for p_ttl (whatever its idle parameter), and
cleanup_old_checkpoints removes its checkpoints older than p_ttl (whatever retention_days).
Parameters: p_thread_id, p_ttl (a positive interval; NULL removes the thread''s TTL),
p_refresh_on_read (default false; true: reads recorded with touch_thread restart the clock,
not only saves). Creates the thread''s row if it has none yet. Returns when the thread now
expires (last activity + p_ttl), NULL without a TTL or when pinned. Raises LG001 (empty or
over-long thread id), LG003 (p_ttl not positive, NULL p_refresh_on_read).';

CREATE FUNCTION langgraph.stats() RETURNS jsonb
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO 'langgraph', 'pg_temp'
    AS $$
DECLARE
    v_tables jsonb := '[]'::jsonb;
    v_table record;
    v_rows bigint;
    v_checkpoints record;
BEGIN
    FOR v_table IN
        SELECT c.oid, c.relname::text AS name
        FROM pg_catalog.pg_class AS c
        WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind IN ('r', 'p')
        ORDER BY c.relname
    LOOP
        EXECUTE format('SELECT count(*) FROM %I.%I', current_schema(), v_table.name) INTO v_rows;
        v_tables := v_tables || jsonb_build_object(
            'table', v_table.name,
            'rows', v_rows,
            'total_bytes', pg_catalog.pg_total_relation_size(v_table.oid),
            'table_bytes', pg_catalog.pg_relation_size(v_table.oid),
            'toast_bytes', pg_catalog.pg_total_relation_size(v_table.oid)
                           - pg_catalog.pg_relation_size(v_table.oid, 'main')
                           - pg_catalog.pg_relation_size(v_table.oid, 'fsm')
                           - pg_catalog.pg_relation_size(v_table.oid, 'vm')
                           - pg_catalog.pg_indexes_size(v_table.oid),
            'index_bytes', pg_catalog.pg_indexes_size(v_table.oid));
    END LOOP;

    SELECT count(*) AS n, min(c.created_at) AS oldest, max(c.created_at) AS newest
      INTO v_checkpoints
    FROM checkpoints AS c;

    RETURN jsonb_build_object(
        'schema', current_schema(),
        'tables', v_tables,
        'total_bytes', (SELECT sum((t ->> 'total_bytes')::bigint) FROM jsonb_array_elements(v_tables) AS t),
        'threads', (SELECT count(*) FROM threads),
        'checkpoints', v_checkpoints.n,
        'oldest_checkpoint_at', v_checkpoints.oldest,
        'newest_checkpoint_at', v_checkpoints.newest,
        'deleted_threads', (SELECT count(*) FROM deleted_threads),
        'last_cleanup', (SELECT to_jsonb(r) FROM cleanup_runs AS r WHERE r.finished_at IS NOT NULL
                         ORDER BY r.run_id DESC LIMIT 1),
        'cleanups_running', (SELECT count(*) FROM cleanup_runs AS r WHERE r.finished_at IS NULL));
END
$$;

COMMENT ON FUNCTION langgraph.stats() IS 'Returns storage and retention statistics as one JSONB object: schema; tables (per table of the
schema: table, rows, total_bytes, table_bytes, toast_bytes, index_bytes); total_bytes; threads;
checkpoints; oldest_checkpoint_at and newest_checkpoint_at (by created_at, NULL when empty);
deleted_threads (tombstones); last_cleanup (the latest finished cleanup_runs row, or NULL);
cleanups_running (runs not finished: in progress or interrupted). Counts are exact, so the call
reads every table once. No parameters. Raises nothing.';

CREATE FUNCTION langgraph.touch_thread(p_thread_id text) RETURNS boolean
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'langgraph', 'pg_temp'
    AS $$
BEGIN
    PERFORM _check_id(p_thread_id, 'thread_id');
    UPDATE thread_settings AS s SET read_at = now()
    WHERE s.thread_id = p_thread_id AND s.refresh_on_read
      AND (s.read_at IS NULL OR s.read_at < now() - interval '1 second');
    IF FOUND THEN
        RETURN true;
    END IF;
    RETURN EXISTS (SELECT FROM thread_settings AS s WHERE s.thread_id = p_thread_id AND s.refresh_on_read);
END
$$;

COMMENT ON FUNCTION langgraph.touch_thread(p_thread_id text) IS 'Records a read of a thread: for a thread set to refresh on read (set_thread_ttl(...,
p_refresh_on_read => true)) its idle clock restarts now, for the TTL and for expire_idle_threads;
for any other thread nothing is written. Parameters: p_thread_id. Returns true when the thread
refreshes on read (its read time is now, to the second), false otherwise. Raises LG001 (empty or
over-long thread id).';

CREATE FUNCTION langgraph.unschedule_cleanup(job_name text DEFAULT 'langgraph-cleanup'::text) RETURNS boolean
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'langgraph', 'pg_temp'
    AS $$
DECLARE
    v_job_id bigint;
BEGIN
    IF NOT EXISTS (SELECT FROM pg_catalog.pg_extension WHERE extname = 'pg_cron') THEN
        RAISE EXCEPTION 'pg_cron is not installed in database %', current_database()
            USING ERRCODE = 'LG007',
                  HINT = 'Nothing can be scheduled here without pg_cron; if it runs in another database (cron.database_name), unschedule there with cron.unschedule(<job name>).';
    END IF;
    -- schedule_cleanup's jobs belong to the owner, who is current_user here.
    SELECT j.jobid INTO v_job_id FROM cron.job AS j
    WHERE j.jobname = job_name AND j.username = current_user;
    IF NOT FOUND THEN
        RETURN false;
    END IF;
    RETURN cron.unschedule(v_job_id);
END
$$;

COMMENT ON FUNCTION langgraph.unschedule_cleanup(job_name text) IS 'Removes the pg_cron job that schedule_cleanup created. Parameter: job_name (default
''<schema>-cleanup''). Returns true if a job was removed, false if there was none by that name.
Owner only unless granted. Raises LG007 (pg_cron not installed in this database).';

CREATE TABLE langgraph.cleanup_runs (
    run_id bigint NOT NULL,
    procedure text NOT NULL,
    parameters jsonb DEFAULT '{}'::jsonb NOT NULL,
    started_at timestamp with time zone DEFAULT clock_timestamp() NOT NULL,
    finished_at timestamp with time zone,
    batches integer DEFAULT 0 NOT NULL,
    checkpoints_removed bigint DEFAULT 0 NOT NULL,
    threads_removed bigint DEFAULT 0 NOT NULL,
    threads_skipped bigint DEFAULT 0 NOT NULL,
    tombstones_purged bigint DEFAULT 0 NOT NULL,
    CONSTRAINT cleanup_runs_procedure CHECK ((procedure = ANY (ARRAY['cleanup_old_checkpoints'::text, 'expire_idle_threads'::text])))
);

COMMENT ON TABLE langgraph.cleanup_runs IS 'Retention runs: what each call of cleanup_old_checkpoints or expire_idle_threads removed. finished_at is NULL while a run is going or if it was interrupted. stats() reports the latest.';

COMMENT ON COLUMN langgraph.cleanup_runs.threads_skipped IS 'Threads left for the next run because a writer held them when the run came by.';

ALTER TABLE langgraph.cleanup_runs ALTER COLUMN run_id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME langgraph.cleanup_runs_run_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);

CREATE TABLE langgraph.deleted_threads (
    thread_id text NOT NULL COLLATE pg_catalog."C",
    deleted_at timestamp with time zone DEFAULT clock_timestamp() NOT NULL
);

COMMENT ON TABLE langgraph.deleted_threads IS 'Tombstones: threads removed by delete_thread or retention, and when. Late writes for checkpoints created before deleted_at are refused with LG008. Purged after the retention procedures'' tombstone_days.';

COMMENT ON COLUMN langgraph.deleted_threads.deleted_at IS 'clock_timestamp() at the deletion; checkpoint ids (UUIDv6) minted up to this instant count as the deleted thread''s.';

CREATE TABLE langgraph.removed_checkpoints (
    thread_id text NOT NULL COLLATE pg_catalog."C",
    checkpoint_ns text NOT NULL COLLATE pg_catalog."C",
    first_id text NOT NULL COLLATE pg_catalog."C",
    last_id text NOT NULL COLLATE pg_catalog."C",
    checkpoint_ids text[] NOT NULL COLLATE pg_catalog."C",
    removed_at timestamp with time zone DEFAULT clock_timestamp() NOT NULL,
    CONSTRAINT removed_checkpoints_range CHECK ((first_id <= last_id))
);

COMMENT ON TABLE langgraph.removed_checkpoints IS 'Checkpoints removed by _delete_checkpoints (delete_checkpoint, delete_for_runs, prune_checkpoints, retention), one row per thread, namespace and removal. put_writes and the saves refuse a checkpoint id listed here that does not exist (LG008). Purged after the retention procedures'' tombstone_days.';

COMMENT ON COLUMN langgraph.removed_checkpoints.checkpoint_ids IS 'The ids removed; first_id and last_id are their least and greatest, so a lookup outside the range reads no array.';

CREATE TABLE langgraph.settings (
    singleton boolean DEFAULT true NOT NULL,
    compression boolean DEFAULT false NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT settings_singleton CHECK (singleton)
);

COMMENT ON TABLE langgraph.settings IS 'Deployment-wide settings, one row. Change them with set_compression.';

COMMENT ON COLUMN langgraph.settings.compression IS 'Default for threads without their own setting: store append-only JSON arrays as deltas (see checkpoint_blobs.base_version).';

CREATE TABLE langgraph.thread_leases (
    thread_id text NOT NULL COLLATE pg_catalog."C",
    owner text NOT NULL COLLATE pg_catalog."C",
    acquired_at timestamp with time zone DEFAULT clock_timestamp() NOT NULL,
    expires_at timestamp with time zone NOT NULL,
    CONSTRAINT thread_leases_expiry_after_acquire CHECK ((expires_at > acquired_at))
);

COMMENT ON TABLE langgraph.thread_leases IS 'Per-thread leases for multi-instance coordination: while a lease is live (expires_at in the future) only its owner may save checkpoints to the thread.';

CREATE TABLE langgraph.thread_settings (
    thread_id text NOT NULL COLLATE pg_catalog."C",
    compression boolean,
    ttl interval,
    pinned boolean DEFAULT false NOT NULL,
    refresh_on_read boolean DEFAULT false NOT NULL,
    read_at timestamp with time zone,
    CONSTRAINT thread_settings_ttl_positive CHECK ((ttl > '00:00:00'::interval))
);

COMMENT ON TABLE langgraph.thread_settings IS 'Per-thread overrides of settings: compression (set_compression), retention (set_thread_ttl, pin_thread, touch_thread). NULL or default columns follow the global setting.';

COMMENT ON COLUMN langgraph.thread_settings.compression IS 'The thread''s compression setting; NULL follows the global settings row.';

COMMENT ON COLUMN langgraph.thread_settings.ttl IS 'The thread''s own time to live, replacing the global policy of the retention procedures: expire_idle_threads deletes the thread once its last activity is older than this, cleanup_old_checkpoints removes its checkpoints older than this. NULL follows the procedures'' parameters.';

COMMENT ON COLUMN langgraph.thread_settings.pinned IS 'Retention leaves a pinned thread alone: neither expire_idle_threads nor cleanup_old_checkpoints touches it.';

COMMENT ON COLUMN langgraph.thread_settings.refresh_on_read IS 'Whether a read recorded by touch_thread restarts the thread''s idle clock (last activity is the later of updated_at and read_at).';

COMMENT ON COLUMN langgraph.thread_settings.read_at IS 'When touch_thread last recorded a read of a thread that refreshes on read.';

CREATE TABLE langgraph.threads (
    thread_id text NOT NULL COLLATE pg_catalog."C",
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    removed_through text COLLATE pg_catalog."C"
);

COMMENT ON TABLE langgraph.threads IS 'One row per thread. Every other table references it with ON DELETE CASCADE, so deleting the row deletes the thread.';

COMMENT ON COLUMN langgraph.threads.updated_at IS 'When the last checkpoint of the thread was saved.';

COMMENT ON COLUMN langgraph.threads.removed_through IS 'The greatest checkpoint id _delete_checkpoints removed from the thread (NULL: none). Writes for ids at or below it are checked against removed_checkpoints.';

ALTER TABLE ONLY langgraph.checkpoint_blobs
    ADD CONSTRAINT checkpoint_blobs_pkey PRIMARY KEY (thread_id, checkpoint_ns, channel, version);

ALTER TABLE ONLY langgraph.checkpoint_writes
    ADD CONSTRAINT checkpoint_writes_pkey PRIMARY KEY (thread_id, checkpoint_ns, checkpoint_id, task_id, idx);

ALTER TABLE ONLY langgraph.checkpoints
    ADD CONSTRAINT checkpoints_pkey PRIMARY KEY (thread_id, checkpoint_ns, checkpoint_id);

ALTER TABLE ONLY langgraph.cleanup_runs
    ADD CONSTRAINT cleanup_runs_pkey PRIMARY KEY (run_id);

ALTER TABLE ONLY langgraph.deleted_threads
    ADD CONSTRAINT deleted_threads_pkey PRIMARY KEY (thread_id);

ALTER TABLE ONLY langgraph.settings
    ADD CONSTRAINT settings_pkey PRIMARY KEY (singleton);

ALTER TABLE ONLY langgraph.thread_leases
    ADD CONSTRAINT thread_leases_pkey PRIMARY KEY (thread_id);

ALTER TABLE ONLY langgraph.thread_settings
    ADD CONSTRAINT thread_settings_pkey PRIMARY KEY (thread_id);

ALTER TABLE ONLY langgraph.threads
    ADD CONSTRAINT threads_pkey PRIMARY KEY (thread_id);

CREATE INDEX checkpoint_blobs_base_idx ON langgraph.checkpoint_blobs USING btree (thread_id, checkpoint_ns, channel, base_version) WHERE (base_version IS NOT NULL);

CREATE INDEX checkpoints_children_idx ON langgraph.checkpoints USING btree (thread_id, checkpoint_ns, parent_checkpoint_id) WHERE (parent_checkpoint_id IS NOT NULL);

COMMENT ON INDEX langgraph.checkpoints_children_idx IS 'Children of a checkpoint (get_descendants, list_branches, exclusive mode, deletions); partial so that no lookup by checkpoint id can take it.';

CREATE INDEX checkpoints_created_at_brin ON langgraph.checkpoints USING brin (created_at);

CREATE INDEX checkpoints_metadata_gin ON langgraph.checkpoints USING gin (metadata jsonb_path_ops);

CREATE INDEX deleted_threads_deleted_at_idx ON langgraph.deleted_threads USING btree (deleted_at);

CREATE INDEX removed_checkpoints_lookup_idx ON langgraph.removed_checkpoints USING btree (thread_id, checkpoint_ns, last_id);

CREATE INDEX removed_checkpoints_removed_at_brin ON langgraph.removed_checkpoints USING brin (removed_at);

CREATE INDEX threads_created_idx ON langgraph.threads USING btree (created_at, thread_id);

COMMENT ON INDEX langgraph.threads_created_idx IS 'search_threads and count_threads: newest-first keyset paging and created_at ranges.';

CREATE TRIGGER checkpoint_blobs_delta_encode BEFORE INSERT ON langgraph.checkpoint_blobs FOR EACH ROW WHEN (((new.type = 'json'::text) AND (new.base_version IS NULL) AND (new.delta_depth IS NULL) AND (jsonb_typeof(new.value) = 'array'::text))) EXECUTE FUNCTION langgraph._checkpoint_blobs_delta_encode();

CREATE TRIGGER checkpoint_blobs_skip_empty BEFORE INSERT ON langgraph.checkpoint_blobs FOR EACH ROW WHEN (((new.type = 'empty'::text) AND (new.value IS NULL) AND (new.blob IS NULL))) EXECUTE FUNCTION langgraph._checkpoint_blobs_skip_empty();

COMMENT ON TRIGGER checkpoint_blobs_skip_empty ON langgraph.checkpoint_blobs IS 'Stores no row for type empty (no value): a channel version without a row reads as empty.';

ALTER TABLE ONLY langgraph.checkpoint_blobs
    ADD CONSTRAINT checkpoint_blobs_base_fkey FOREIGN KEY (thread_id, checkpoint_ns, channel, base_version) REFERENCES langgraph.checkpoint_blobs(thread_id, checkpoint_ns, channel, version);

ALTER TABLE ONLY langgraph.checkpoint_blobs
    ADD CONSTRAINT checkpoint_blobs_thread_fkey FOREIGN KEY (thread_id) REFERENCES langgraph.threads(thread_id) ON DELETE CASCADE;

ALTER TABLE ONLY langgraph.checkpoint_writes
    ADD CONSTRAINT checkpoint_writes_thread_fkey FOREIGN KEY (thread_id) REFERENCES langgraph.threads(thread_id) ON DELETE CASCADE;

ALTER TABLE ONLY langgraph.checkpoints
    ADD CONSTRAINT checkpoints_thread_fkey FOREIGN KEY (thread_id) REFERENCES langgraph.threads(thread_id) ON DELETE CASCADE;

ALTER TABLE ONLY langgraph.removed_checkpoints
    ADD CONSTRAINT removed_checkpoints_thread_fkey FOREIGN KEY (thread_id) REFERENCES langgraph.threads(thread_id) ON DELETE CASCADE;

ALTER TABLE ONLY langgraph.thread_settings
    ADD CONSTRAINT thread_settings_thread_fkey FOREIGN KEY (thread_id) REFERENCES langgraph.threads(thread_id) ON DELETE CASCADE;
