-- Deploy langgraph_checkpoint:function__threads_query to pg
-- requires: column_thread_settings_retention
-- requires: index_threads_created
-- requires: function__blob_value
-- requires: table_checkpoint_writes
-- requires: function__validation

BEGIN;

-- The query behind search_threads and count_threads, built with only the filters that
-- were given. One query with "p IS NULL OR ..." for every filter would get one plan for
-- all combinations, and that plan could use neither the metadata GIN index nor the
-- created_at index; a query without the unused predicates is planned for what it asks.
-- Its parameters are positional and always the same seven ($1 metadata, $2 values,
-- $3 status, $4 created since, $5 created before, $6 updated since, $7 updated before),
-- so callers pass all seven with EXECUTE ... USING and may append predicates on $8 on.
--
-- A thread's state is its latest checkpoint in the root namespace (what
-- graph.get_state() loads): its channel values, and its status, derived
-- from that checkpoint's pending writes the way LangGraph leaves them: a task that
-- failed wrote __error__, one that called interrupt() wrote __interrupt__.
CREATE FUNCTION :"schema"._threads_query(
    p_metadata       jsonb,
    p_values         jsonb,
    p_status         text,
    p_created_since  timestamptz,
    p_created_before timestamptz,
    p_updated_since  timestamptz,
    p_updated_before timestamptz
)
RETURNS text
LANGUAGE plpgsql IMMUTABLE
SET search_path = :"schema", pg_temp
AS $$
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
$$;

REVOKE ALL ON FUNCTION :"schema"._threads_query(jsonb, jsonb, text, timestamptz, timestamptz, timestamptz, timestamptz) FROM PUBLIC;

COMMENT ON FUNCTION :"schema"._threads_query(jsonb, jsonb, text, timestamptz, timestamptz, timestamptz, timestamptz) IS
$c$Internal, for search_threads and count_threads: the text of the query that selects threads
(thread_id, created_at, updated_at, checkpoint_id, metadata, status, ttl, pinned,
refresh_on_read, expires_at) with only the given filters, as positional parameters $1..$7 in
the order of its arguments, to run with EXECUTE ... USING all seven. Raises LG002 (a filter
that is not a JSON object), LG003 (unknown status).$c$;

COMMIT;
