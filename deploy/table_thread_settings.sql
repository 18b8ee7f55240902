-- Deploy langgraph_checkpoint:table_thread_settings to pg
-- requires: table_threads

BEGIN;

-- Per-thread overrides of settings; a thread without a row follows the global row.
-- It goes with its thread (ON DELETE CASCADE).
CREATE TABLE :"schema".thread_settings (
    thread_id   text COLLATE "C" NOT NULL,
    compression boolean          NOT NULL,
    CONSTRAINT thread_settings_pkey PRIMARY KEY (thread_id),
    CONSTRAINT thread_settings_thread_fkey FOREIGN KEY (thread_id)
        REFERENCES :"schema".threads (thread_id) ON DELETE CASCADE
);

COMMENT ON TABLE :"schema".thread_settings IS
  'Per-thread overrides of settings (compression). Set with set_compression(p_enabled, p_thread_id).';

COMMIT;
