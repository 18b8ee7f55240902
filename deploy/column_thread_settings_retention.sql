-- Deploy langgraph_checkpoint:column_thread_settings_retention to pg
-- requires: table_thread_settings

BEGIN;

-- Per-thread retention lives beside the per-thread compression override: one row of
-- overrides per thread, gone with the thread. A thread may now have retention settings
-- and follow the global compression setting, so compression NULL means "not
-- overridden" (_compression_enabled already falls back to the global row on NULL).
ALTER TABLE :"schema".thread_settings
    ALTER COLUMN compression DROP NOT NULL,
    ADD COLUMN ttl             interval,
    ADD COLUMN pinned          boolean     NOT NULL DEFAULT false,
    ADD COLUMN refresh_on_read boolean     NOT NULL DEFAULT false,
    ADD COLUMN read_at         timestamptz,
    ADD CONSTRAINT thread_settings_ttl_positive CHECK (ttl > interval '0');

-- The moment a thread's idle clock starts from: its last save, or its last recorded
-- read when reads count. SQL and without a SET clause so that it inlines into the
-- retention queries and search_threads.
CREATE FUNCTION :"schema"._thread_last_active(p_updated_at timestamptz, p_refresh_on_read boolean, p_read_at timestamptz)
RETURNS timestamptz
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN greatest(p_updated_at, CASE WHEN p_refresh_on_read THEN p_read_at END);

REVOKE ALL ON FUNCTION :"schema"._thread_last_active(timestamptz, boolean, timestamptz) FROM PUBLIC;
COMMENT ON FUNCTION :"schema"._thread_last_active(timestamptz, boolean, timestamptz) IS
  'Internal. When a thread was last active: threads.updated_at, or thread_settings.read_at when later and the thread refreshes on read. Raises nothing.';

COMMENT ON TABLE :"schema".thread_settings IS
  'Per-thread overrides of settings: compression (set_compression), retention (set_thread_ttl, pin_thread, touch_thread). NULL or default columns follow the global setting.';
COMMENT ON COLUMN :"schema".thread_settings.compression IS 'The thread''s compression setting; NULL follows the global settings row.';
COMMENT ON COLUMN :"schema".thread_settings.ttl IS
  'The thread''s own time to live, replacing the global policy of the retention procedures: expire_idle_threads deletes the thread once its last activity is older than this, cleanup_old_checkpoints removes its checkpoints older than this. NULL follows the procedures'' parameters.';
COMMENT ON COLUMN :"schema".thread_settings.pinned IS 'Retention leaves a pinned thread alone: neither expire_idle_threads nor cleanup_old_checkpoints touches it.';
COMMENT ON COLUMN :"schema".thread_settings.refresh_on_read IS 'Whether a read recorded by touch_thread restarts the thread''s idle clock (last activity is the later of updated_at and read_at).';
COMMENT ON COLUMN :"schema".thread_settings.read_at IS 'When touch_thread last recorded a read of a thread that refreshes on read.';

COMMIT;
