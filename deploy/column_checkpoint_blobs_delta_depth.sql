-- Deploy langgraph_checkpoint:column_checkpoint_blobs_delta_depth to pg
-- requires: column_checkpoint_blobs_base_version

BEGIN;

-- A save that sends only the appended tail of a list (put_checkpoint_v2) must know,
-- without walking or reading the base, that the base is a JSON array and how long its
-- chain is, so that reads stay bounded. delta_depth says both: 0 for a whole JSON
-- array, n for a delta whose chain to a whole value has n links, NULL when nothing
-- says the value is an array (any other value, and rows written before this column or
-- by a path that does not set it). A NULL base is refused (LG009) and the client sends
-- the whole value, so no row needs a backfill. No rewrite: the column has no default.
ALTER TABLE :"schema".checkpoint_blobs
    ADD COLUMN delta_depth smallint,
    ADD CONSTRAINT checkpoint_blobs_delta_depth CHECK (
        CASE WHEN base_version IS NULL THEN delta_depth IS NULL OR (delta_depth = 0 AND type = 'json')
             ELSE delta_depth IS NULL OR delta_depth >= 1 END);

COMMENT ON COLUMN :"schema".checkpoint_blobs.delta_depth IS
  '0: value is a whole JSON array. n >= 1: value extends base_version and its chain has n links. NULL: not known to be an array, so no delta may extend it.';

COMMIT;
