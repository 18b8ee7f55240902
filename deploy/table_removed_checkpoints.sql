-- Deploy langgraph_checkpoint:table_removed_checkpoints to pg
-- requires: table_threads

BEGIN;

-- What was removed, so that a late write for it can be refused. A run can still be
-- writing to a checkpoint that delete_checkpoint, delete_for_runs, prune_checkpoints
-- or retention removes under it (they all go through _delete_checkpoints); without a
-- record, put_writes could not tell such a write from one that legitimately arrives
-- before its checkpoint (LangGraph's async durability), and it would leave writes
-- that no checkpoint owns. Whole threads have their own tombstone (deleted_threads).
--
-- One row per removal, per thread and namespace: the ids removed, and their range so
-- that a lookup for an id outside it (every checkpoint of a live run is newer than
-- what was removed) reads no array. That costs about 40 bytes per removed checkpoint
-- (the array is compressed once it is large) instead of a row and an index entry each.
-- Rows go with their thread (ON DELETE CASCADE) and are purged with the tombstones,
-- after the retention procedures' tombstone_days.
CREATE TABLE :"schema".removed_checkpoints (
    thread_id      text COLLATE "C"   NOT NULL,
    checkpoint_ns  text COLLATE "C"   NOT NULL,
    first_id       text COLLATE "C"   NOT NULL,
    last_id        text COLLATE "C"   NOT NULL,
    checkpoint_ids text[] COLLATE "C" NOT NULL,
    removed_at     timestamptz        NOT NULL DEFAULT clock_timestamp(),
    CONSTRAINT removed_checkpoints_thread_fkey FOREIGN KEY (thread_id)
        REFERENCES :"schema".threads (thread_id) ON DELETE CASCADE,
    CONSTRAINT removed_checkpoints_range CHECK (first_id <= last_id)
);

-- A lookup is "rows of this namespace whose range reaches up to the id": for an id
-- newer than every removal, one index probe that finds nothing.
CREATE INDEX removed_checkpoints_lookup_idx
    ON :"schema".removed_checkpoints (thread_id, checkpoint_ns, last_id);
-- Purging is a range scan over time; rows arrive in removed_at order.
CREATE INDEX removed_checkpoints_removed_at_brin
    ON :"schema".removed_checkpoints USING brin (removed_at);

COMMENT ON TABLE :"schema".removed_checkpoints IS
  'Checkpoints removed by _delete_checkpoints (delete_checkpoint, delete_for_runs, prune_checkpoints, retention), one row per thread, namespace and removal. put_writes and the saves refuse a checkpoint id listed here that does not exist (LG008). Purged after the retention procedures'' tombstone_days.';
COMMENT ON COLUMN :"schema".removed_checkpoints.checkpoint_ids IS
  'The ids removed; first_id and last_id are their least and greatest, so a lookup outside the range reads no array.';

COMMIT;
