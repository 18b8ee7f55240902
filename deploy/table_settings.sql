-- Deploy langgraph_checkpoint:table_settings to pg
-- requires: schema

BEGIN;

-- Deployment-wide settings: one row, changed through functions (set_compression).
CREATE TABLE :"schema".settings (
    singleton   boolean     NOT NULL DEFAULT true,
    compression boolean     NOT NULL DEFAULT false,
    updated_at  timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT settings_pkey PRIMARY KEY (singleton),
    CONSTRAINT settings_singleton CHECK (singleton)
);

INSERT INTO :"schema".settings DEFAULT VALUES;

COMMENT ON TABLE :"schema".settings IS 'Deployment-wide settings, one row. Change them with set_compression.';
COMMENT ON COLUMN :"schema".settings.compression IS
  'Default for threads without their own setting: store append-only JSON arrays as deltas (see checkpoint_blobs.base_version).';

COMMIT;
