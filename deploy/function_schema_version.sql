-- Deploy langgraph_checkpoint:function_schema_version to pg
-- requires: schema
\set reader_role :schema '_reader'

BEGIN;

CREATE OR REPLACE FUNCTION :"schema".schema_version()
RETURNS integer
LANGUAGE sql IMMUTABLE PARALLEL SAFE SECURITY DEFINER
-- It reads no table; it is a definer with a pinned search_path anyway, like every
-- function of the API, so the rule has no exception to remember.
SET search_path = :"schema", pg_temp
-- 2: put_checkpoint_v2 and get_checkpoint_v2 (appended tails), checkpoint_blobs.delta_depth.
AS $$ SELECT 2 $$;

REVOKE ALL ON FUNCTION :"schema".schema_version() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION :"schema".schema_version() TO :"reader_role";

COMMENT ON FUNCTION :"schema".schema_version() IS
  'Returns the version of the deployed SQL API (an integer that grows with every release that changes it). Clients refuse to run against an older one. Raises nothing.';

COMMIT;
