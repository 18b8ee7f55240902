-- Deploy langgraph_checkpoint:function_batch_save_checkpoints to pg
-- requires: function__save_checkpoints
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
BEGIN
    -- One set-based pass for the whole batch (see _save_checkpoints): a batch of N
    -- costs about what one save does, plus the rows themselves.
    PERFORM _save_checkpoints(
        p_thread_ids, p_checkpoint_ns, p_checkpoint_ids, p_parent_ids, p_checkpoints, p_metadata,
        p_value_owners, p_channels, p_types, p_values, p_blobs, coalesce(p_exclusive, false), p_lease_owner);
    RETURN p_checkpoint_ids;
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
Raises LG002 (arrays of different lengths, bad owners, malformed values), LG003 (the same
checkpoint twice in the batch) and what put_checkpoint raises for an element (LG001, LG002,
LG005, LG006, LG008); the DETAIL names the element where it helps.$c$;

COMMIT;
