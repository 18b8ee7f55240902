-- Deploy langgraph_checkpoint:column_threads_removed_through to pg
-- requires: table_threads

BEGIN;

-- put_writes must see a removal that committed while it waited for the thread row
-- (removals lock it FOR UPDATE, writes FOR KEY SHARE). The row it then locks is the
-- newest version, so a value kept in the row itself is current where a query of
-- another table in the same statement would still use the snapshot from before the
-- wait. _delete_checkpoints raises it to the greatest id it removed; a write for a
-- newer id (every write of a live run) needs nothing else, and only an id at or below
-- it is looked up in removed_checkpoints. Never lowered: it only decides whether to
-- look. No default, so adding it rewrites nothing; not indexed, so the updates that
-- set it stay HOT.
ALTER TABLE :"schema".threads ADD COLUMN removed_through text COLLATE "C";

COMMENT ON COLUMN :"schema".threads.removed_through IS
  'The greatest checkpoint id _delete_checkpoints removed from the thread (NULL: none). Writes for ids at or below it are checked against removed_checkpoints.';

COMMIT;
