-- Deploy langgraph_checkpoint:table_threads to pg
-- requires: schema

BEGIN;

CREATE TABLE :"schema".threads (
    thread_id  text COLLATE "C" NOT NULL,
    created_at timestamptz      NOT NULL DEFAULT now(),
    updated_at timestamptz      NOT NULL DEFAULT now(),
    CONSTRAINT threads_pkey PRIMARY KEY (thread_id)
);

-- updated_at is deliberately not indexed: put_checkpoint updates it on every save,
-- and an index on it would turn those HOT updates into index writes. Retention scans
-- this table, which holds one row per thread.

COMMENT ON TABLE :"schema".threads IS
  'One row per thread. Every other table references it with ON DELETE CASCADE, so deleting the row deletes the thread.';
COMMENT ON COLUMN :"schema".threads.updated_at IS 'When the last checkpoint of the thread was saved.';

COMMIT;
