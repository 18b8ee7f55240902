-- Revert langgraph_checkpoint:function_save_checkpoint from pg: the v1.0.0 body
\set client_role :schema '_client'

BEGIN;

CREATE OR REPLACE FUNCTION :"schema".save_checkpoint(
    p_thread_id     text,
    p_state         jsonb,
    p_metadata      jsonb DEFAULT '{}',
    p_checkpoint_ns text  DEFAULT '',
    p_lease_owner   text  DEFAULT NULL
)
RETURNS text
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = :"schema", pg_temp
AS $$
DECLARE
    v_parent_id       text;
    v_parent_versions jsonb := '{}';
    v_parent_step     jsonb;
    v_id              text;
    v_versions        jsonb;
    v_changed         text[];
    v_values          jsonb[];
BEGIN
    PERFORM _check_id(p_thread_id, 'thread_id');
    PERFORM _check_ns(p_checkpoint_ns);
    PERFORM _check_object(p_state, 'state');
    PERFORM _check_object(p_metadata, 'metadata');

    -- Lock the thread so concurrent saves append one after the other instead of
    -- both taking the same parent.
    INSERT INTO threads (thread_id) VALUES (p_thread_id)
    ON CONFLICT (thread_id) DO UPDATE SET updated_at = now();

    SELECT c.checkpoint_id, coalesce(c.checkpoint -> 'channel_versions', '{}'), c.metadata -> 'step'
      INTO v_parent_id, v_parent_versions, v_parent_step
    FROM checkpoints AS c
    WHERE c.thread_id = p_thread_id AND c.checkpoint_ns = p_checkpoint_ns
    ORDER BY c.checkpoint_id DESC
    LIMIT 1;

    -- A key whose value equals the parent's keeps the parent's version (and its stored
    -- row); any other key gets the next version, in the format the Python client uses.
    SELECT jsonb_object_agg(s.key, CASE WHEN s.same THEN to_jsonb(s.prev_version) ELSE to_jsonb(s.next_version) END),
           coalesce(array_agg(s.key ORDER BY s.key) FILTER (WHERE NOT s.same), '{}'),
           coalesce(array_agg(s.value ORDER BY s.key) FILTER (WHERE NOT s.same), '{}')
      INTO v_versions, v_changed, v_values
    FROM (
        SELECT e.key, e.value, pv.prev_version,
               coalesce(b.type = 'json'
                        AND CASE WHEN b.base_version IS NULL THEN b.value
                                 ELSE _blob_value(b.thread_id, b.checkpoint_ns, b.channel, b.version) END = e.value,
                        false) AS same,
               lpad((coalesce(substring(pv.prev_version FROM '^[0-9]+')::numeric, 0) + 1)::text, 32, '0')
                   || '.' || lpad(floor(random() * 1e16)::bigint::text, 16, '0') AS next_version
        FROM jsonb_each(p_state) AS e
        CROSS JOIN LATERAL (SELECT v_parent_versions ->> e.key AS prev_version) AS pv
        LEFT JOIN checkpoint_blobs AS b
               ON b.thread_id = p_thread_id AND b.checkpoint_ns = p_checkpoint_ns
              AND b.channel = e.key AND b.version = pv.prev_version
    ) AS s;

    v_id := _new_checkpoint_id();
    RETURN put_checkpoint(
        p_thread_id, p_checkpoint_ns, v_id, v_parent_id,
        jsonb_build_object(
            'v', 4,
            'id', v_id,
            'ts', to_jsonb(clock_timestamp()),
            'channel_versions', coalesce(v_versions, '{}'),
            'versions_seen', '{}'::jsonb,
            'updated_channels', to_jsonb(v_changed)),
        jsonb_build_object(
            'source', 'update',
            'step', CASE WHEN jsonb_typeof(v_parent_step) = 'number' THEN (v_parent_step::numeric + 1)::int ELSE -1 END,
            'parents', '{}'::jsonb) || p_metadata,
        v_changed,
        array_fill('json'::text, ARRAY[cardinality(v_changed)]),
        v_values,
        array_fill(NULL::bytea, ARRAY[cardinality(v_changed)]),
        p_lease_owner => p_lease_owner);
END
$$;

REVOKE ALL ON FUNCTION :"schema".save_checkpoint(text, jsonb, jsonb, text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION :"schema".save_checkpoint(text, jsonb, jsonb, text, text) TO :"client_role";

COMMENT ON FUNCTION :"schema".save_checkpoint(text, jsonb, jsonb, text, text) IS
$c$JSONB API for services: saves p_state as the next checkpoint of a thread and returns its new id.
Parameters: p_thread_id, p_state (a JSON object; each top-level key is a channel), p_metadata
(default '{}', merged over {"source": "update", "step": <parent step + 1>}), p_checkpoint_ns
(default ''), p_lease_owner (default NULL: the caller holds no lease). The parent is the
thread's latest checkpoint; keys whose value is unchanged are not
stored again. The result is an ordinary checkpoint that LangGraph clients load like their own.
Raises LG001 (empty or over-long id), LG002 (state or metadata not an object), LG006 (another
owner holds a live lease on the thread).$c$;

COMMIT;
