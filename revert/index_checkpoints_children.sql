-- Revert langgraph_checkpoint:index_checkpoints_children from pg

BEGIN;

CREATE INDEX checkpoints_parent_idx
    ON :"schema".checkpoints (thread_id, checkpoint_ns, parent_checkpoint_id);
DROP INDEX :"schema".checkpoints_children_idx;

COMMIT;
