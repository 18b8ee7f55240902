-- Deploy langgraph_checkpoint:function__new_checkpoint_id to pg
-- requires: schema

BEGIN;

-- LangGraph orders checkpoints by id, and its ids are UUIDv6 (RFC 9562): the 60-bit
-- Gregorian timestamp, most significant bits first, so text order is time order.
-- save_checkpoint must mint ids that sort with the ones Python makes.
CREATE FUNCTION :"schema"._new_checkpoint_id()
RETURNS text
LANGUAGE sql VOLATILE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
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

REVOKE ALL ON FUNCTION :"schema"._new_checkpoint_id() FROM PUBLIC;

COMMENT ON FUNCTION :"schema"._new_checkpoint_id() IS
  'Internal. Returns a new UUIDv6 string from clock_timestamp(), ordered like the ids LangGraph generates.';

COMMIT;
