-- Revert langgraph_checkpoint:table_checkpoint_blobs from pg

BEGIN;

DROP TABLE :"schema".checkpoint_blobs;

COMMIT;
