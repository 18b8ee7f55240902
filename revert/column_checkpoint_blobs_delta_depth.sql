-- Revert langgraph_checkpoint:column_checkpoint_blobs_delta_depth from pg

BEGIN;

ALTER TABLE :"schema".checkpoint_blobs
    DROP CONSTRAINT checkpoint_blobs_delta_depth,
    DROP COLUMN delta_depth;

COMMIT;
