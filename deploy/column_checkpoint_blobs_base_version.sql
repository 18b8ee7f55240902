-- Deploy langgraph_checkpoint:column_checkpoint_blobs_base_version to pg
-- requires: table_checkpoint_blobs

BEGIN;

-- Storage compression for append-only channels. LangGraph stores a channel's whole
-- value at every version, so a chat's `messages` list costs O(n^2) bytes over a
-- thread; per-value compression (pglz, lz4, zstd) cannot remove that, as measured in
-- docs/performance.md. With compression on, a JSON array that extends the value at
-- the parent's version is stored as the appended elements only, with base_version
-- naming the version it extends. Values stay JSONB and SQL reads the whole value
-- through _blob_value(). A NULL base_version (the default) is a whole value, so rows
-- written before this column existed, or with compression off, are unchanged.
ALTER TABLE :"schema".checkpoint_blobs
    ADD COLUMN base_version text COLLATE "C",
    ADD CONSTRAINT checkpoint_blobs_base_is_json_array CHECK (
        base_version IS NULL OR (type = 'json' AND jsonb_typeof(value) = 'array')),
    ADD CONSTRAINT checkpoint_blobs_base_fkey FOREIGN KEY (thread_id, checkpoint_ns, channel, base_version)
        REFERENCES :"schema".checkpoint_blobs (thread_id, checkpoint_ns, channel, version);

-- The foreign key (checked at statement end, so a base and its deltas can go together)
-- makes deleting a base that a kept value still extends an error, never a silent loss.
-- Its referencing side, so deleting a value checks its dependants by index.
CREATE INDEX checkpoint_blobs_base_idx ON :"schema".checkpoint_blobs (thread_id, checkpoint_ns, channel, base_version)
    WHERE base_version IS NOT NULL;

COMMENT ON COLUMN :"schema".checkpoint_blobs.base_version IS
  'NULL: value is the whole value. Otherwise value is a JSON array of the elements appended to the value stored at base_version (same thread, namespace, channel); _blob_value() rebuilds the whole value.';

COMMIT;
