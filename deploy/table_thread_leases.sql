-- Deploy langgraph_checkpoint:table_thread_leases to pg
-- requires: schema

BEGIN;

-- At most one live lease per thread. No foreign key to threads: an instance takes the
-- lease before it saves the thread's first checkpoint.
CREATE TABLE :"schema".thread_leases (
    thread_id   text COLLATE "C" NOT NULL,
    owner       text COLLATE "C" NOT NULL,
    acquired_at timestamptz      NOT NULL DEFAULT clock_timestamp(),
    expires_at  timestamptz      NOT NULL,
    CONSTRAINT thread_leases_pkey PRIMARY KEY (thread_id),
    CONSTRAINT thread_leases_expiry_after_acquire CHECK (expires_at > acquired_at)
);

COMMENT ON TABLE :"schema".thread_leases IS
  'Per-thread leases for multi-instance coordination: while a lease is live (expires_at in the future) only its owner may save checkpoints to the thread.';

COMMIT;
