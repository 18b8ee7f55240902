-- Deploy langgraph_checkpoint:function_put_checkpoint to pg
-- requires: function__save_checkpoints
\set client_role :schema '_client'

BEGIN;

-- Reworked after v1.0.0: only the comment changed. _save_checkpoints now also refuses
-- a checkpoint that would be its own ancestor (LG003) and the re-save of a removed one
-- (LG008).
CREATE OR REPLACE FUNCTION :"schema".put_checkpoint(
    p_thread_id            text,
    p_checkpoint_ns        text,
    p_checkpoint_id        text,
    p_parent_checkpoint_id text,
    p_checkpoint           jsonb,
    p_metadata             jsonb   DEFAULT '{}',
    p_channels             text[]  DEFAULT '{}',
    p_types                text[]  DEFAULT '{}',
    p_values               jsonb[] DEFAULT '{}',
    p_blobs                bytea[] DEFAULT '{}',
    p_exclusive            boolean DEFAULT false,
    p_lease_owner          text    DEFAULT NULL
)
RETURNS text
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = :"schema", pg_temp
-- Every call runs the same plan shape; planning it again per call would cost more
-- than the call itself.
SET plan_cache_mode = force_generic_plan
AS $$
BEGIN
    PERFORM _save_checkpoints(
        ARRAY[p_thread_id], ARRAY[p_checkpoint_ns], ARRAY[p_checkpoint_id], ARRAY[p_parent_checkpoint_id],
        ARRAY[p_checkpoint], ARRAY[p_metadata],
        array_fill(1, ARRAY[coalesce(cardinality(p_channels), 0)]), p_channels, p_types, p_values, p_blobs,
        coalesce(p_exclusive, false), p_lease_owner);
    RETURN p_checkpoint_id;
END
$$;

REVOKE ALL ON FUNCTION :"schema".put_checkpoint(text, text, text, text, jsonb, jsonb, text[], text[], jsonb[], bytea[], boolean, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION :"schema".put_checkpoint(text, text, text, text, jsonb, jsonb, text[], text[], jsonb[], bytea[], boolean, text) TO :"client_role";

COMMENT ON FUNCTION :"schema".put_checkpoint(text, text, text, text, jsonb, jsonb, text[], text[], jsonb[], bytea[], boolean, text) IS
$c$Saves one checkpoint and the values of its changed channels, atomically, and returns its id.
Parameters: p_thread_id, p_checkpoint_ns ('' for the root graph), p_checkpoint_id,
p_parent_checkpoint_id (NULL for a root), p_checkpoint (LangGraph's checkpoint document; its
channel_values key, if any, is ignored), p_metadata (object), and four parallel arrays describing
the changed channel values: p_channels (names, each listed in p_checkpoint->channel_versions),
p_types ('json', 'empty' or a serializer type), p_values (JSONB for type json, else NULL) and
p_blobs (bytes for serializer types, else NULL). Values already stored at the same version are
kept; saving an existing id replaces its document and metadata. p_exclusive (default false)
refuses a save whose parent already has another child, or a parentless save into a namespace
that has checkpoints; saves whose metadata source is 'update' or 'fork' (explicit time travel)
and retries of a checkpoint already saved are exempt. p_lease_owner names the caller for
thread leases: a live lease of another owner refuses the save.
Raises LG001 (empty or over-long id, NULL or over-long namespace), LG002 (non-object document or metadata, malformed or
unversioned values, checkpoint.id not matching p_checkpoint_id), LG005 (exclusive mode: the
save would fork the thread), LG006 (another owner holds a live lease), LG008 (the parent
checkpoint no longer exists: the thread was deleted or pruned meanwhile; or this checkpoint was
removed, see removed_checkpoints), LG003 (the checkpoint would be its own ancestor: a parent
equal to it, or one descended from it). A refused save stores nothing.$c$;

COMMIT;
