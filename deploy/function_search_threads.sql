-- Deploy langgraph_checkpoint:function_search_threads to pg
-- requires: function__threads_query
\set reader_role :schema '_reader'

BEGIN;

-- Threads newest first, a page at a time. The page is a keyset on (created_at,
-- thread_id), read backward through threads_created_idx: the caller passes the last row
-- of the previous page, so page 1,000 costs what page 1 does, and threads created while
-- a client pages never shift it. created_at never changes, so the order is stable.
CREATE FUNCTION :"schema".search_threads(
    p_metadata          jsonb       DEFAULT NULL,
    p_values            jsonb       DEFAULT NULL,
    p_status            text        DEFAULT NULL,
    p_created_since     timestamptz DEFAULT NULL,
    p_created_before    timestamptz DEFAULT NULL,
    p_updated_since     timestamptz DEFAULT NULL,
    p_updated_before    timestamptz DEFAULT NULL,
    p_cursor_created_at timestamptz DEFAULT NULL,
    p_cursor_thread_id  text        DEFAULT NULL,
    p_limit             integer     DEFAULT 20
)
RETURNS TABLE (
    thread_id       text,
    created_at      timestamptz,
    updated_at      timestamptz,
    checkpoint_id   text,
    metadata        jsonb,
    status          text,
    ttl             interval,
    pinned          boolean,
    refresh_on_read boolean,
    expires_at      timestamptz
)
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = :"schema", pg_temp
SET jit = off
AS $$
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
$$;

REVOKE ALL ON FUNCTION :"schema".search_threads(jsonb, jsonb, text, timestamptz, timestamptz, timestamptz, timestamptz, timestamptz, text, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION :"schema".search_threads(jsonb, jsonb, text, timestamptz, timestamptz, timestamptz, timestamptz, timestamptz, text, integer) TO :"reader_role";

COMMENT ON FUNCTION :"schema".search_threads(jsonb, jsonb, text, timestamptz, timestamptz, timestamptz, timestamptz, timestamptz, text, integer) IS
$c$Threads, newest first (created_at DESC, thread_id DESC), filtered by their checkpoints:
one row per thread with thread_id, created_at, updated_at, checkpoint_id and
metadata of that checkpoint (NULL when it has none), status ('error' when its pending writes hold
__error__, else 'interrupted' when they hold __interrupt__, else 'idle'), and its retention: ttl,
pinned, refresh_on_read, expires_at (when its own TTL runs out; NULL without one or pinned).
Parameters, all optional: p_metadata (the metadata of one of its root checkpoints contains
this object: LangGraph copies a run's config metadata into each checkpoint of the run), p_values
(each key is a channel whose latest JSON value contains the given value), p_status,
p_created_since / p_created_before and p_updated_since / p_updated_before (half-open ranges:
since <= t < before), p_cursor_created_at with p_cursor_thread_id (the last row of the previous
page: rows after it), p_limit (default 20; NULL for all). Raises LG002 (a filter that is not a
JSON object), LG003 (unknown status, negative limit, half a cursor).$c$;

COMMIT;
