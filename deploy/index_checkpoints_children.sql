-- Deploy langgraph_checkpoint:index_checkpoints_children to pg
-- requires: table_checkpoints

BEGIN;

-- checkpoints_parent_idx (thread_id, checkpoint_ns, parent_checkpoint_id) shares its
-- first two columns with the primary key. A cached generic plan that believes
-- (thread_id, checkpoint_ns) is as good as unique (the statistics of a database of many
-- short threads say so) may take it for a lookup by checkpoint id, or for the newest
-- checkpoint, and read a long thread's every checkpoint: measured at 82 buffers for
-- one row on a 2,000-checkpoint thread, inside put and get. As a partial index over
-- the checkpoints that have a parent, the planner can use it only for queries that
-- ask for a parent (parent_checkpoint_id = ..., which implies NOT NULL): the walks
-- that need children, and nothing else. Roots are never looked up by parent.
-- On a large table, build the new index first with CREATE INDEX CONCURRENTLY under
-- the same name; this script then only drops the old one (docs/operations.md).
CREATE INDEX IF NOT EXISTS checkpoints_children_idx
    ON :"schema".checkpoints (thread_id, checkpoint_ns, parent_checkpoint_id)
    WHERE parent_checkpoint_id IS NOT NULL;
DROP INDEX :"schema".checkpoints_parent_idx;

COMMENT ON INDEX :"schema".checkpoints_children_idx IS
  'Children of a checkpoint (get_descendants, list_branches, exclusive mode, deletions); partial so that no lookup by checkpoint id can take it.';

COMMIT;
