-- Deploy langgraph_checkpoint:function_batch_save_checkpoints to pg
-- requires: function_put_checkpoint
\set client_role :schema '_client'

BEGIN;

CREATE FUNCTION :"schema".batch_save_checkpoints(
    p_thread_ids     text[],
    p_checkpoint_ns  text[],
    p_checkpoint_ids text[],
    p_parent_ids     text[],
    p_checkpoints    jsonb[],
    p_metadata       jsonb[],
    p_value_owners   integer[] DEFAULT '{}',
    p_channels       text[]    DEFAULT '{}',
    p_types          text[]    DEFAULT '{}',
    p_values         jsonb[]   DEFAULT '{}',
    p_blobs          bytea[]   DEFAULT '{}',
    p_exclusive      boolean   DEFAULT false,
    p_lease_owner    text      DEFAULT NULL
)
RETURNS text[]
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = :"schema", pg_temp
AS $$
DECLARE
    v_n integer := cardinality(p_checkpoint_ids);
    v_item record;
    v_ids text[] := '{}';
BEGIN
    IF p_thread_ids IS NULL OR p_checkpoint_ns IS NULL OR p_checkpoint_ids IS NULL OR p_parent_ids IS NULL
       OR p_checkpoints IS NULL OR p_metadata IS NULL
       OR cardinality(p_thread_ids) <> v_n OR cardinality(p_checkpoint_ns) <> v_n
       OR cardinality(p_parent_ids) <> v_n OR cardinality(p_checkpoints) <> v_n
       OR cardinality(p_metadata) <> v_n THEN
        RAISE EXCEPTION 'checkpoint arrays must be non-NULL and of equal length'
            USING ERRCODE = 'LG002',
                  HINT = 'Element i of p_thread_ids, p_checkpoint_ns, p_checkpoint_ids, p_parent_ids, p_checkpoints and p_metadata describes checkpoint i.';
    END IF;
    IF p_value_owners IS NULL OR cardinality(p_value_owners) <> cardinality(p_channels)
       OR EXISTS (SELECT FROM unnest(p_value_owners) AS o WHERE o IS NULL OR o < 1 OR o > v_n) THEN
        RAISE EXCEPTION 'p_value_owners must give, for each value, the 1-based index of its checkpoint'
            USING ERRCODE = 'LG002',
                  HINT = 'Value j belongs to checkpoint p_value_owners[j].';
    END IF;
    PERFORM _check_payload('channel value', p_channels, p_types, p_values, p_blobs);

    -- Lock every thread of the batch up front, in one order, so two batches that
    -- share threads cannot deadlock.
    INSERT INTO threads (thread_id)
    SELECT DISTINCT t FROM unnest(p_thread_ids) AS t WHERE t IS NOT NULL AND t <> '' ORDER BY 1
    ON CONFLICT (thread_id) DO UPDATE SET updated_at = now();

    -- Each checkpoint goes through put_checkpoint, with every check a single save has,
    -- in the order given, so a batch may hold a chain (a parent before its child).
    FOR v_item IN
        SELECT i.ord, i.thread_id, i.checkpoint_ns, i.checkpoint_id, i.parent_id, i.checkpoint, i.metadata,
               coalesce(v.channels, '{}') AS channels, coalesce(v.types, '{}') AS types,
               coalesce(v.vals, '{}') AS vals, coalesce(v.blobs, '{}') AS blobs
        FROM unnest(p_thread_ids, p_checkpoint_ns, p_checkpoint_ids, p_parent_ids, p_checkpoints, p_metadata)
             WITH ORDINALITY AS i (thread_id, checkpoint_ns, checkpoint_id, parent_id, checkpoint, metadata, ord)
        LEFT JOIN (
            SELECT u.owner,
                   array_agg(u.channel ORDER BY u.pos) AS channels,
                   array_agg(u.type    ORDER BY u.pos) AS types,
                   array_agg(u.value   ORDER BY u.pos) AS vals,
                   array_agg(u.blob    ORDER BY u.pos) AS blobs
            FROM unnest(p_value_owners, p_channels, p_types, p_values, p_blobs)
                 WITH ORDINALITY AS u (owner, channel, type, value, blob, pos)
            GROUP BY u.owner
        ) AS v ON v.owner = i.ord
        ORDER BY i.ord
    LOOP
        v_ids := v_ids || put_checkpoint(
            v_item.thread_id, v_item.checkpoint_ns, v_item.checkpoint_id, v_item.parent_id,
            v_item.checkpoint, v_item.metadata, v_item.channels, v_item.types, v_item.vals, v_item.blobs,
            p_exclusive, p_lease_owner);
    END LOOP;
    RETURN v_ids;
END
$$;

REVOKE ALL ON FUNCTION :"schema".batch_save_checkpoints(text[], text[], text[], text[], jsonb[], jsonb[], integer[], text[], text[], jsonb[], bytea[], boolean, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION :"schema".batch_save_checkpoints(text[], text[], text[], text[], jsonb[], jsonb[], integer[], text[], text[], jsonb[], bytea[], boolean, text) TO :"client_role";

COMMENT ON FUNCTION :"schema".batch_save_checkpoints(text[], text[], text[], text[], jsonb[], jsonb[], integer[], text[], text[], jsonb[], bytea[], boolean, text) IS
$c$Saves N checkpoints, across any threads, in one call and one transaction: all or none. Returns
their ids in order. Retrying the same batch is harmless (each save is idempotent).
Parameters: parallel arrays with one element per checkpoint (p_thread_ids, p_checkpoint_ns,
p_checkpoint_ids, p_parent_ids, p_checkpoints, p_metadata, as in put_checkpoint), then the values
of all checkpoints flattened into p_channels, p_types, p_values, p_blobs with p_value_owners[j]
the 1-based index of the checkpoint value j belongs to; p_exclusive and p_lease_owner apply to
every save. Checkpoints are saved in array order, so a parent may precede its child in one batch.
Raises LG002 (arrays of different lengths, bad owners, malformed values) and whatever
put_checkpoint raises for an element (LG001, LG002, LG005, LG006, LG008).$c$;

COMMIT;
