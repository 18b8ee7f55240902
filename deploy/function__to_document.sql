-- Deploy langgraph_checkpoint:function__to_document to pg
-- requires: view_checkpoint_tuples

BEGIN;

CREATE FUNCTION :"schema"._value_document(p_type text, p_value jsonb, p_blob bytea)
RETURNS jsonb
LANGUAGE sql IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT CASE p_type
        WHEN 'json' THEN p_value
        WHEN 'empty' THEN NULL
        ELSE jsonb_build_object('$type', p_type, '$base64', translate(encode(p_blob, 'base64'), E'\n', ''))
    END
$$;

-- The JSONB API's view of a checkpoint. A value the client could not express as JSON
-- appears as {"$type": <serializer type>, "$base64": <bytes>} so the document is
-- still complete.
CREATE FUNCTION :"schema"._to_document(t :"schema".checkpoint_tuples)
RETURNS jsonb
LANGUAGE sql IMMUTABLE PARALLEL SAFE
SET search_path = :"schema", pg_temp
AS $$
    SELECT jsonb_build_object(
        'thread_id', t.thread_id,
        'checkpoint_ns', t.checkpoint_ns,
        'checkpoint_id', t.checkpoint_id,
        'parent_checkpoint_id', t.parent_checkpoint_id,
        'created_at', t.created_at,
        'metadata', t.metadata,
        'checkpoint', t.checkpoint,
        'state', (
            SELECT coalesce(jsonb_object_agg(u.name, _value_document(u.type, u.value, u.blob)), '{}')
            FROM unnest(t.channel_names, t.channel_types, t.channel_values, t.channel_blobs)
                 AS u (name, type, value, blob)),
        'pending_writes', (
            SELECT coalesce(jsonb_agg(jsonb_build_object(
                       'task_id', u.task_id,
                       'channel', u.channel,
                       'value', _value_document(u.type, u.value, u.blob),
                       'task_path', u.task_path) ORDER BY u.ord), '[]')
            FROM unnest(t.write_task_ids, t.write_channels, t.write_types, t.write_values,
                        t.write_blobs, t.write_task_paths) WITH ORDINALITY
                 AS u (task_id, channel, type, value, blob, task_path, ord)))
$$;


REVOKE ALL ON FUNCTION :"schema"._to_document(:"schema".checkpoint_tuples) FROM PUBLIC;
REVOKE ALL ON FUNCTION :"schema"._value_document(text, jsonb, bytea) FROM PUBLIC;

COMMENT ON FUNCTION :"schema"._to_document(:"schema".checkpoint_tuples) IS
  'Internal. Renders a checkpoint_tuples row as the JSONB document load_checkpoint returns.';
COMMENT ON FUNCTION :"schema"._value_document(text, jsonb, bytea) IS
  'Internal. A stored value as JSONB: the value itself for type json, {"$type", "$base64"} for serializer bytes.';

COMMIT;
