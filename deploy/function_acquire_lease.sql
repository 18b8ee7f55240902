-- Deploy langgraph_checkpoint:function_acquire_lease to pg
-- requires: table_thread_leases
-- requires: function__validation
\set client_role :schema '_client'

BEGIN;

CREATE FUNCTION :"schema"._check_ttl(p_ttl interval)
RETURNS void
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF p_ttl IS NULL OR p_ttl <= interval '0' OR p_ttl > interval '1 day' THEN
        RAISE EXCEPTION 'lease ttl must be positive and at most 1 day, got %', coalesce(p_ttl::text, 'NULL')
            USING ERRCODE = 'LG003',
                  HINT = 'Use a short ttl such as interval ''30 seconds'' and renew it while working.';
    END IF;
END
$$;

CREATE FUNCTION :"schema".acquire_lease(p_thread_id text, p_owner text, p_ttl interval DEFAULT interval '30 seconds')
RETURNS timestamptz
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = :"schema", pg_temp
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

REVOKE ALL ON FUNCTION :"schema"._check_ttl(interval) FROM PUBLIC;
REVOKE ALL ON FUNCTION :"schema".acquire_lease(text, text, interval) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION :"schema".acquire_lease(text, text, interval) TO :"client_role";

COMMENT ON FUNCTION :"schema"._check_ttl(interval) IS 'Internal. Raises LG003 unless 0 < p_ttl <= 1 day.';
COMMENT ON FUNCTION :"schema".acquire_lease(text, text, interval) IS
$c$Takes the lease on a thread for p_owner until now + p_ttl and returns its expiry. Succeeds when
the thread has no lease, an expired one, or one p_owner already holds (then it extends it).
While the lease is live, put_checkpoint refuses saves from any other owner.
Parameters: p_thread_id, p_owner (an instance id, e.g. host:pid), p_ttl (default 30 seconds, at most 1 day).
Raises LG001 (empty or over-long id or owner), LG003 (ttl out of range), LG006 (leased by another owner).$c$;

COMMIT;
