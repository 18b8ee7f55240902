-- Revert langgraph_checkpoint:trigger_checkpoint_blobs_delta_encode from pg

BEGIN;

DROP TRIGGER checkpoint_blobs_delta_encode ON :"schema".checkpoint_blobs;
DROP FUNCTION :"schema"._checkpoint_blobs_delta_encode();

COMMIT;
