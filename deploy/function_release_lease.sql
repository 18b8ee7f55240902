-- Deploy langgraph_checkpoint:function_release_lease to pg
-- requires: table_thread_leases
-- requires: function_acquire_lease
\set client_role :schema '_client'

BEGIN;

CREATE FUNCTION :"schema".release_lease(p_thread_id text, p_owner text)
RETURNS boolean
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = :"schema", pg_temp
AS $$
BEGIN
    PERFORM _check_id(p_thread_id, 'thread_id');
    PERFORM _check_id(p_owner, 'owner');
    DELETE FROM thread_leases WHERE thread_id = p_thread_id AND owner = p_owner;
    RETURN FOUND;
END
$$;

REVOKE ALL ON FUNCTION :"schema".release_lease(text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION :"schema".release_lease(text, text) TO :"client_role";

COMMENT ON FUNCTION :"schema".release_lease(text, text) IS
$c$Releases p_owner's lease on a thread; returns true if there was one to release.
Parameters: p_thread_id, p_owner.
Raises LG001 (empty or over-long id).$c$;

COMMIT;
