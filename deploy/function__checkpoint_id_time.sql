-- Deploy langgraph_checkpoint:function__checkpoint_id_time to pg
-- requires: schema

BEGIN;

-- LangGraph's checkpoint ids are UUIDv6 (RFC 9562): time_high (32 bits), time_mid
-- (16), the version nibble 6, time_low (12): a 60-bit count of 100-nanosecond
-- intervals since 1582-10-15. Tombstone checks compare it with deleted_at.
CREATE FUNCTION :"schema"._checkpoint_id_time(p_checkpoint_id text)
RETURNS timestamptz
LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT to_timestamp(
               (('x' || substr(p_checkpoint_id, 1, 8) || substr(p_checkpoint_id, 10, 4)
                     || substr(p_checkpoint_id, 16, 3))::bit(60)::bigint
                - 122192928000000000)::numeric / 10000000)
    WHERE p_checkpoint_id ~* '^[0-9a-f]{8}-[0-9a-f]{4}-6[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}$'
$$;

REVOKE ALL ON FUNCTION :"schema"._checkpoint_id_time(text) FROM PUBLIC;

COMMENT ON FUNCTION :"schema"._checkpoint_id_time(text) IS
  'Internal. The creation time encoded in a UUIDv6 checkpoint id; NULL for an id that is not a UUIDv6 (callers treat it as older than any deletion).';

COMMIT;
