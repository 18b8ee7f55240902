-- Revert langgraph_checkpoint:trigger_checkpoint_blobs_delta_encode from pg: the v1.0.0 body

BEGIN;

-- The function and the trigger's WHEN clause go back.
-- Compression is a storage concern, like TOAST, so it sits under every writer of
-- checkpoint_blobs instead of in each of them. The base is the newest earlier version
-- of the same channel; in a linear thread that is the parent's. On a branch it may
-- not be, and then the prefix comparison fails and the value is stored whole:
-- _delta_encode never trusts the choice of base.
CREATE OR REPLACE FUNCTION :"schema"._checkpoint_blobs_delta_encode()
RETURNS trigger
LANGUAGE plpgsql VOLATILE
SET search_path = :"schema", pg_temp
AS $$
DECLARE
    v_base_version text;
BEGIN
    IF NEW.type <> 'json' OR NEW.base_version IS NOT NULL OR jsonb_typeof(NEW.value) <> 'array'
       OR NOT _compression_enabled(NEW.thread_id) THEN
        RETURN NEW;
    END IF;
    SELECT b.version INTO v_base_version
    FROM checkpoint_blobs AS b
    WHERE b.thread_id = NEW.thread_id AND b.checkpoint_ns = NEW.checkpoint_ns
      AND b.channel = NEW.channel AND b.version < NEW.version AND b.type = 'json'
    ORDER BY b.version DESC
    LIMIT 1;
    SELECT e.value, e.base_version INTO NEW.value, NEW.base_version
    FROM _delta_encode(NEW.thread_id, NEW.checkpoint_ns, NEW.channel, v_base_version, NEW.value) AS e;
    RETURN NEW;
END
$$;

REVOKE ALL ON FUNCTION :"schema"._checkpoint_blobs_delta_encode() FROM PUBLIC;

COMMENT ON FUNCTION :"schema"._checkpoint_blobs_delta_encode() IS
  'Internal trigger function. With compression on for the thread, stores a JSON array that extends the newest earlier version of its channel as the appended elements (see _delta_encode).';

DROP TRIGGER checkpoint_blobs_delta_encode ON :"schema".checkpoint_blobs;
CREATE TRIGGER checkpoint_blobs_delta_encode
    BEFORE INSERT ON :"schema".checkpoint_blobs
    FOR EACH ROW
    -- Only rows that could be encoded call the function at all.
    WHEN (NEW.type = 'json' AND NEW.base_version IS NULL AND jsonb_typeof(NEW.value) = 'array')
    EXECUTE FUNCTION :"schema"._checkpoint_blobs_delta_encode();

COMMIT;
