-- Revert langgraph_checkpoint:column_thread_settings_retention from pg

BEGIN;

DROP FUNCTION :"schema"._thread_last_active(timestamptz, boolean, timestamptz);

-- Rows that only held retention settings have no compression override to keep.
DELETE FROM :"schema".thread_settings WHERE compression IS NULL;
ALTER TABLE :"schema".thread_settings
    DROP CONSTRAINT thread_settings_ttl_positive,
    DROP COLUMN read_at,
    DROP COLUMN refresh_on_read,
    DROP COLUMN pinned,
    DROP COLUMN ttl,
    ALTER COLUMN compression SET NOT NULL;

COMMENT ON TABLE :"schema".thread_settings IS
  'Per-thread overrides of settings (compression). Set with set_compression(p_enabled, p_thread_id).';
COMMENT ON COLUMN :"schema".thread_settings.compression IS NULL;

COMMIT;
