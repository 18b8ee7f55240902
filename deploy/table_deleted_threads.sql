-- Deploy langgraph_checkpoint:table_deleted_threads to pg
-- requires: schema

BEGIN;

-- A tombstone per deleted thread. A thread can be deleted while one of its runs is
-- still in flight (delete_thread from another service, or retention); without a
-- tombstone the run's next put_writes would recreate the thread row and leave writes
-- with no checkpoint. put_writes refuses writes for a missing checkpoint of a
-- tombstoned thread whose id is not newer than the deletion. The tombstone stays when
-- the thread id is used again (a put with no parent): the new run's checkpoint ids
-- are newer than the deletion, so its writes pass while the old run's stay refused.
CREATE TABLE :"schema".deleted_threads (
    thread_id  text COLLATE "C" NOT NULL,
    deleted_at timestamptz      NOT NULL DEFAULT clock_timestamp(),
    CONSTRAINT deleted_threads_pkey PRIMARY KEY (thread_id)
);

-- Purging old tombstones is a range scan.
CREATE INDEX deleted_threads_deleted_at_idx ON :"schema".deleted_threads (deleted_at);

COMMENT ON TABLE :"schema".deleted_threads IS
  'Tombstones: threads removed by delete_thread or retention, and when. Late writes for checkpoints created before deleted_at are refused with LG008. Purged after the retention procedures'' tombstone_days.';
COMMENT ON COLUMN :"schema".deleted_threads.deleted_at IS
  'clock_timestamp() at the deletion; checkpoint ids (UUIDv6) minted up to this instant count as the deleted thread''s.';

COMMIT;
