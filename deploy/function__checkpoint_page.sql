-- Deploy langgraph_checkpoint:function__checkpoint_page to pg
-- requires: table_checkpoints
-- requires: function__validation
-- requires: function__id_checks

BEGIN;

-- The page of keys that list_checkpoints and list_checkpoints_v2 return rows for: the
-- arguments checked, then the keys selected from checkpoints alone, through an index.
-- Both callers then build values and writes for these keys only.
CREATE FUNCTION :"schema"._checkpoint_page(
    p_thread_id       text,
    p_checkpoint_ns   text,
    p_checkpoint_id   text,
    p_filter          jsonb,
    p_before          text,
    p_limit           integer,
    OUT thread_ids     text[],
    OUT checkpoint_nss text[],
    OUT checkpoint_ids text[]
)
LANGUAGE plpgsql STABLE
SET search_path = :"schema", pg_temp
SET plan_cache_mode = force_generic_plan
-- See list_checkpoints: nothing an API read runs is worth compiling.
SET jit = off
AS $$
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
$$;

REVOKE ALL ON FUNCTION :"schema"._checkpoint_page(text, text, text, jsonb, text, integer) FROM PUBLIC;

COMMENT ON FUNCTION :"schema"._checkpoint_page(text, text, text, jsonb, text, integer) IS
$c$Internal. The keys of the checkpoints list_checkpoints(p_thread_id, p_checkpoint_ns,
p_checkpoint_id, p_filter, p_before, p_limit) returns, as three parallel arrays (thread_ids,
checkpoint_nss, checkpoint_ids) in the result's order: checkpoint id descending, then thread id
and namespace. p_filter matches as LangGraph's InMemorySaver does: each top-level key equals the
metadata's value for it, a missing key counting as null. Selected from checkpoints alone, through the primary key or the metadata GIN index.
Bound of its one recursive query (the skip scan over a thread's namespaces): each namespace of
the thread once, in strictly increasing order.
Raises LG001 (empty or over-long id), LG002 (p_filter not an object), LG003 (negative p_limit).$c$;

COMMIT;
