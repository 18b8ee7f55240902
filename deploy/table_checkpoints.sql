-- Deploy langgraph_checkpoint:table_checkpoints to pg
-- requires: table_threads

BEGIN;

-- Ids are compared byte-wise (COLLATE "C"): LangGraph checkpoint ids are UUIDv6
-- strings whose byte order is time order, and Python sorts strings the same way.
CREATE TABLE :"schema".checkpoints (
    thread_id            text COLLATE "C" NOT NULL,
    checkpoint_ns        text COLLATE "C" NOT NULL DEFAULT '',
    checkpoint_id        text COLLATE "C" NOT NULL,
    parent_checkpoint_id text COLLATE "C",
    checkpoint           jsonb            NOT NULL,
    metadata             jsonb            NOT NULL DEFAULT '{}',
    created_at           timestamptz      NOT NULL DEFAULT now(),
    CONSTRAINT checkpoints_pkey PRIMARY KEY (thread_id, checkpoint_ns, checkpoint_id),
    CONSTRAINT checkpoints_thread_fkey FOREIGN KEY (thread_id)
        REFERENCES :"schema".threads (thread_id) ON DELETE CASCADE,
    CONSTRAINT checkpoints_checkpoint_is_object CHECK (jsonb_typeof(checkpoint) = 'object'),
    CONSTRAINT checkpoints_metadata_is_object CHECK (jsonb_typeof(metadata) = 'object')
);

-- The primary key serves "latest of a thread/namespace" (backward scan) and lookup by id.
-- Children of a checkpoint, for descendant and branch walks:
CREATE INDEX checkpoints_parent_idx
    ON :"schema".checkpoints (thread_id, checkpoint_ns, parent_checkpoint_id);
-- Time-range scans for retention; rows arrive in created_at order, so BRIN stays tight.
CREATE INDEX checkpoints_created_at_brin
    ON :"schema".checkpoints USING brin (created_at);
-- Metadata containment filters (list_checkpoints p_filter, delete_for_runs by run_id).
CREATE INDEX checkpoints_metadata_gin
    ON :"schema".checkpoints USING gin (metadata jsonb_path_ops);

COMMENT ON TABLE :"schema".checkpoints IS
  'LangGraph checkpoints. checkpoint holds the checkpoint document without channel_values (those live in checkpoint_blobs, keyed by checkpoint->channel_versions).';
COMMENT ON COLUMN :"schema".checkpoints.parent_checkpoint_id IS 'The checkpoint this one was made from, in the same thread and namespace; NULL for a root.';

COMMIT;
