-- Deploy langgraph_checkpoint:trigger_checkpoint_blobs_skip_empty to pg
-- requires: table_checkpoint_blobs

BEGIN;

-- LangGraph saves an 'empty' marker for a channel whose version moved on while its value
-- went away (the trigger channels of a fan-out, the input after it was read): three of
-- the thirteen values of a chat turn, each a row of about 130 bytes and a primary-key
-- entry of about 100, to say that there is nothing. Every reader treats a channel whose version
-- has no row exactly as one whose row is the marker (it is left out of the state, as
-- LangGraph leaves it out), so the row is never stored. Like the delta encoding, this
-- sits under every writer of checkpoint_blobs; its WHEN clause admits only well-formed
-- markers (no value, no bytes), so a malformed row still meets the table's CHECK, and
-- every other row pays only that test. Rows stored before this change stay; they read
-- the same.
CREATE FUNCTION :"schema"._checkpoint_blobs_skip_empty()
RETURNS trigger
LANGUAGE plpgsql VOLATILE
SET search_path = :"schema", pg_temp
AS $$
BEGIN
    -- NULL from a BEFORE ROW trigger: the row is not inserted (and, under ON CONFLICT,
    -- not compared either), and the statement goes on with the next.
    RETURN NULL;
END
$$;

CREATE TRIGGER checkpoint_blobs_skip_empty
    BEFORE INSERT ON :"schema".checkpoint_blobs
    FOR EACH ROW
    WHEN (NEW.type = 'empty' AND NEW.value IS NULL AND NEW.blob IS NULL)
    EXECUTE FUNCTION :"schema"._checkpoint_blobs_skip_empty();

REVOKE ALL ON FUNCTION :"schema"._checkpoint_blobs_skip_empty() FROM PUBLIC;

COMMENT ON FUNCTION :"schema"._checkpoint_blobs_skip_empty() IS
  'Internal trigger function. Drops the row it is called for: the empty marker of a channel, which readers treat as no row.';
COMMENT ON TRIGGER checkpoint_blobs_skip_empty ON :"schema".checkpoint_blobs IS
  'Stores no row for type empty (no value): a channel version without a row reads as empty.';

COMMIT;
