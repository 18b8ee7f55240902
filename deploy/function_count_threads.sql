-- Deploy langgraph_checkpoint:function_count_threads to pg
-- requires: function__threads_query
\set reader_role :schema '_reader'

BEGIN;

-- The total behind a paged search_threads (its filters, no cursor, no limit). An exact
-- count reads every matching thread: with no filter that is the whole threads table
-- (one row per thread), so a dashboard should count with a filter that narrows it.
CREATE FUNCTION :"schema".count_threads(
    p_metadata       jsonb       DEFAULT NULL,
    p_values         jsonb       DEFAULT NULL,
    p_status         text        DEFAULT NULL,
    p_created_since  timestamptz DEFAULT NULL,
    p_created_before timestamptz DEFAULT NULL,
    p_updated_since  timestamptz DEFAULT NULL,
    p_updated_before timestamptz DEFAULT NULL
)
RETURNS bigint
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = :"schema", pg_temp
SET jit = off
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

REVOKE ALL ON FUNCTION :"schema".count_threads(jsonb, jsonb, text, timestamptz, timestamptz, timestamptz, timestamptz) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION :"schema".count_threads(jsonb, jsonb, text, timestamptz, timestamptz, timestamptz, timestamptz) TO :"reader_role";

COMMENT ON FUNCTION :"schema".count_threads(jsonb, jsonb, text, timestamptz, timestamptz, timestamptz, timestamptz) IS
$c$The number of threads search_threads returns for the same filters, over all pages. Parameters,
all optional and as in search_threads: p_metadata, p_values, p_status, p_created_since,
p_created_before, p_updated_since, p_updated_before. Raises LG002 (a filter that is not a JSON
object), LG003 (unknown status).$c$;

COMMIT;
