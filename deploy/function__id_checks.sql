-- Deploy langgraph_checkpoint:function__id_checks to pg
-- requires: schema

BEGIN;

-- The tests every API function makes of its identifiers, written once. They are
-- predicates, not checks: a caller tests one and, only when it is true, calls
-- _check_id / _check_ns (function__validation) to raise the error, so a valid call
-- never pays for a PL/pgSQL call. They cost nothing because the planner inlines them
-- into the caller's expression, and an inlined IF condition is still a PL/pgSQL
-- simple expression. Inlining needs a LANGUAGE sql function with a single RETURN, no
-- SET clause (so no pinned search_path: the body names pg_catalog itself), not STRICT
-- (the body is not strict: NULL is bad), not SECURITY DEFINER, and not more volatile
-- than its body. pgtap/function__id_checks.sql asserts that they inline.
CREATE FUNCTION :"schema"._bad_id(p_value text)
RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN p_value IS NULL
    OR p_value OPERATOR(pg_catalog.=) ''::pg_catalog.text
    OR pg_catalog.length(p_value) OPERATOR(pg_catalog.>) 1024;

CREATE FUNCTION :"schema"._bad_ns(p_value text)
RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN p_value IS NULL
    OR pg_catalog.length(p_value) OPERATOR(pg_catalog.>) 1024;

REVOKE ALL ON FUNCTION :"schema"._bad_id(text) FROM PUBLIC;
REVOKE ALL ON FUNCTION :"schema"._bad_ns(text) FROM PUBLIC;

COMMENT ON FUNCTION :"schema"._bad_id(text) IS 'Internal. True if p_value is not a valid identifier: NULL, empty or longer than 1024 characters (_check_id raises LG001 for exactly these). Inlined into its caller.';
COMMENT ON FUNCTION :"schema"._bad_ns(text) IS 'Internal. True if p_value is not a valid namespace: NULL or longer than 1024 characters (_check_ns raises LG001 for exactly these). Inlined into its caller.';

COMMIT;
