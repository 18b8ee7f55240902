-- Deploy langgraph_checkpoint:function_renew_lease to pg
-- requires: table_thread_leases
-- requires: function_acquire_lease
\set client_role :schema '_client'

BEGIN;

CREATE FUNCTION :"schema".renew_lease(p_thread_id text, p_owner text, p_ttl interval DEFAULT interval '30 seconds')
RETURNS timestamptz
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = :"schema", pg_temp
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

REVOKE ALL ON FUNCTION :"schema".renew_lease(text, text, interval) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION :"schema".renew_lease(text, text, interval) TO :"client_role";

COMMENT ON FUNCTION :"schema".renew_lease(text, text, interval) IS
$c$Extends p_owner's live lease on a thread to now + p_ttl and returns the new expiry.
Parameters: p_thread_id, p_owner, p_ttl (default 30 seconds).
Raises LG001 (empty or over-long id), LG003 (ttl out of range), LG006 (p_owner holds no live lease).$c$;

COMMIT;
