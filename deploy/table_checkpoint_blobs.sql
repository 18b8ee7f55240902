-- Deploy langgraph_checkpoint:table_checkpoint_blobs to pg
-- requires: table_threads

BEGIN;

-- A channel value is stored once per version: a checkpoint that leaves a channel
-- unchanged points at the existing row through checkpoint->channel_versions.
CREATE TABLE :"schema".checkpoint_blobs (
    thread_id     text COLLATE "C" NOT NULL,
    checkpoint_ns text COLLATE "C" NOT NULL DEFAULT '',
    channel       text COLLATE "C" NOT NULL,
    version       text COLLATE "C" NOT NULL,
    type          text             NOT NULL,
    value         jsonb,
    blob          bytea,
    CONSTRAINT checkpoint_blobs_pkey PRIMARY KEY (thread_id, checkpoint_ns, channel, version),
    CONSTRAINT checkpoint_blobs_thread_fkey FOREIGN KEY (thread_id)
        REFERENCES :"schema".threads (thread_id) ON DELETE CASCADE,
    -- type 'json': the value is readable JSONB; 'empty': the channel has no value;
    -- anything else is a serializer type tag and the bytes are in blob.
    CONSTRAINT checkpoint_blobs_payload CHECK (
        CASE type
            WHEN 'json'  THEN value IS NOT NULL AND blob IS NULL
            WHEN 'empty' THEN value IS NULL AND blob IS NULL
            ELSE value IS NULL AND blob IS NOT NULL
        END)
);

COMMENT ON TABLE :"schema".checkpoint_blobs IS
  'Channel values, one row per (thread, namespace, channel, version). type = json: value is JSONB; type = empty: no value; otherwise blob holds the serializer''s bytes.';

COMMIT;
