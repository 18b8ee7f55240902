-- Deploy langgraph_checkpoint:function__validation to pg
-- requires: schema
-- The internal argument checks every API function starts with. They live in one
-- change because they are one unit: the LG error class. Codes:
--   LG001 invalid identifier   LG002 invalid document   LG003 invalid argument
--   LG004 checkpoint not found

BEGIN;

CREATE FUNCTION :"schema"._check_id(p_value text, p_name text)
RETURNS void
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF p_value IS NULL OR p_value = '' THEN
        RAISE EXCEPTION '% must be a non-empty string', p_name
            USING ERRCODE = 'LG001',
                  HINT = format('Pass a non-empty %s of at most 1024 characters.', p_name);
    END IF;
    IF length(p_value) > 1024 THEN
        RAISE EXCEPTION '% is % characters long; the limit is 1024', p_name, length(p_value)
            USING ERRCODE = 'LG001',
                  HINT = 'Use a shorter identifier, e.g. a UUID.';
    END IF;
END
$$;

CREATE FUNCTION :"schema"._check_ns(p_value text)
RETURNS void
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF p_value IS NULL THEN
        RAISE EXCEPTION 'checkpoint_ns must not be NULL'
            USING ERRCODE = 'LG001',
                  HINT = 'The root namespace is the empty string ''''.';
    END IF;
    IF length(p_value) > 1024 THEN
        RAISE EXCEPTION 'checkpoint_ns is % characters long; the limit is 1024', length(p_value)
            USING ERRCODE = 'LG001',
                  HINT = 'Namespaces are LangGraph subgraph paths; this one is too long.';
    END IF;
END
$$;

CREATE FUNCTION :"schema"._check_object(p_value jsonb, p_name text)
RETURNS void
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF p_value IS NULL OR jsonb_typeof(p_value) <> 'object' THEN
        RAISE EXCEPTION '% must be a JSON object, got %', p_name, coalesce(jsonb_typeof(p_value), 'NULL')
            USING ERRCODE = 'LG002',
                  HINT = format('Pass a JSONB object for %s, e.g. ''{}''::jsonb.', p_name);
    END IF;
END
$$;

CREATE FUNCTION :"schema"._check_limit(p_limit integer)
RETURNS void
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF p_limit < 0 THEN
        RAISE EXCEPTION 'limit must not be negative, got %', p_limit
            USING ERRCODE = 'LG003',
                  HINT = 'Pass NULL for no limit, or a count of at least 0.';
    END IF;
END
$$;

-- Values travel as parallel arrays (names, types, jsonb values, bytea blobs) so binary
-- payloads need no base64 round trip. Each element must be well formed: type 'json'
-- carries a JSONB value, type 'empty' nothing, any other type a bytea blob.
CREATE FUNCTION :"schema"._check_payload(
    p_what text, p_names text[], p_types text[], p_values jsonb[], p_blobs bytea[])
RETURNS void
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    v_bad integer;
BEGIN
    IF p_names IS NULL OR p_types IS NULL OR p_values IS NULL OR p_blobs IS NULL
       OR cardinality(p_types) <> cardinality(p_names)
       OR cardinality(p_values) <> cardinality(p_names)
       OR cardinality(p_blobs) <> cardinality(p_names) THEN
        RAISE EXCEPTION '% arrays must be non-NULL and of equal length', p_what
            USING ERRCODE = 'LG002',
                  DETAIL = format('names: %s, types: %s, values: %s, blobs: %s',
                                  cardinality(p_names), cardinality(p_types),
                                  cardinality(p_values), cardinality(p_blobs)),
                  HINT = 'Element i of each array describes the same value; pad with NULL.';
    END IF;
    SELECT u.ord INTO v_bad
    FROM unnest(p_names, p_types, p_values, p_blobs) WITH ORDINALITY AS u (name, type, value, blob, ord)
    WHERE u.name IS NULL OR u.name = '' OR u.type IS NULL OR u.type = ''
       OR NOT CASE u.type
                  WHEN 'json'  THEN u.value IS NOT NULL AND u.blob IS NULL
                  WHEN 'empty' THEN u.value IS NULL AND u.blob IS NULL
                  ELSE u.value IS NULL AND u.blob IS NOT NULL
              END
    ORDER BY u.ord
    LIMIT 1;
    IF v_bad IS NOT NULL THEN
        RAISE EXCEPTION '% element % is malformed', p_what, v_bad
            USING ERRCODE = 'LG002',
                  DETAIL = format('name %L, type %L', p_names[v_bad], p_types[v_bad]),
                  HINT = 'Each element needs a name and a type; type json takes a value, type empty nothing, any other type a blob.';
    END IF;
END
$$;

REVOKE ALL ON FUNCTION :"schema"._check_id(text, text) FROM PUBLIC;
REVOKE ALL ON FUNCTION :"schema"._check_ns(text) FROM PUBLIC;
REVOKE ALL ON FUNCTION :"schema"._check_object(jsonb, text) FROM PUBLIC;
REVOKE ALL ON FUNCTION :"schema"._check_limit(integer) FROM PUBLIC;
REVOKE ALL ON FUNCTION :"schema"._check_payload(text, text[], text[], jsonb[], bytea[]) FROM PUBLIC;

COMMENT ON FUNCTION :"schema"._check_id(text, text) IS 'Internal. Raises LG001 unless p_value is a non-empty identifier of at most 1024 characters.';
COMMENT ON FUNCTION :"schema"._check_ns(text) IS 'Internal. Raises LG001 if the namespace is NULL or longer than 1024 characters.';
COMMENT ON FUNCTION :"schema"._check_object(jsonb, text) IS 'Internal. Raises LG002 unless p_value is a JSON object.';
COMMENT ON FUNCTION :"schema"._check_limit(integer) IS 'Internal. Raises LG003 if p_limit is negative.';
COMMENT ON FUNCTION :"schema"._check_payload(text, text[], text[], jsonb[], bytea[]) IS 'Internal. Raises LG002 unless the parallel value arrays are of equal length and every element is well formed.';

COMMIT;
