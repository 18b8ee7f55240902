-- Deploy langgraph_checkpoint:trigger_checkpoint_blobs_delta_encode to pg
-- requires: function__delta_encode
-- requires: function_set_compression
-- requires: column_checkpoint_blobs_delta_depth

BEGIN;

-- Compression is a storage concern, like TOAST, so it sits under every writer of
-- checkpoint_blobs instead of in each of them. The base is the newest earlier version
-- of the same channel; in a linear thread that is the parent's. On a branch it may
-- not be, and then the prefix comparison fails and the value is stored whole:
-- _delta_encode never trusts the choice of base.
-- Reworked: the function also records delta_depth for what it encodes, so a client
-- may send appended tails on top of it (put_checkpoint_v2); with compression off it
-- records 0 for the whole array, so a value saved by batch_save_checkpoints or
-- put_checkpoint can be extended by a tail too. The trigger now fires only for rows
-- whose delta_depth is not set: put_checkpoint_v2 sets it (0 for a whole array) unless
-- the thread compresses, so with compression off (the default) no save of it calls
-- this PL/pgSQL function at all.
CREATE OR REPLACE FUNCTION :"schema"._checkpoint_blobs_delta_encode()
RETURNS trigger
LANGUAGE plpgsql VOLATILE
SET search_path = :"schema", pg_temp
AS $$
DECLARE
    v_base_version text;
BEGIN
    -- The trigger's WHEN clause already admits only whole JSON arrays of unknown length.
    IF NOT _compression_enabled(NEW.thread_id) THEN
        NEW.delta_depth := 0;
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
    IF NEW.base_version IS NOT NULL THEN
        -- One link longer than its base; NULL (unknown) if the base's length is unknown.
        NEW.delta_depth := (
            SELECT b.delta_depth + 1
            FROM checkpoint_blobs AS b
            WHERE b.thread_id = NEW.thread_id AND b.checkpoint_ns = NEW.checkpoint_ns
              AND b.channel = NEW.channel AND b.version = NEW.base_version);
    ELSE
        NEW.delta_depth := 0;
    END IF;
    RETURN NEW;
END
$$;

REVOKE ALL ON FUNCTION :"schema"._checkpoint_blobs_delta_encode() FROM PUBLIC;

DROP TRIGGER checkpoint_blobs_delta_encode ON :"schema".checkpoint_blobs;
CREATE TRIGGER checkpoint_blobs_delta_encode
    BEFORE INSERT ON :"schema".checkpoint_blobs
    FOR EACH ROW
    -- Only whole JSON arrays whose writer left their chain length open.
    WHEN (NEW.type = 'json' AND NEW.base_version IS NULL AND NEW.delta_depth IS NULL
          AND jsonb_typeof(NEW.value) = 'array')
    EXECUTE FUNCTION :"schema"._checkpoint_blobs_delta_encode();

COMMENT ON FUNCTION :"schema"._checkpoint_blobs_delta_encode() IS
  'Internal trigger function, for whole JSON arrays stored without a delta_depth. With compression on for the thread, stores one that extends the newest earlier version of its channel as the appended elements (see _delta_encode); either way records the chain length in delta_depth (0 for a whole value).';

COMMIT;
