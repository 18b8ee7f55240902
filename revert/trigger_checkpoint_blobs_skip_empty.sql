-- Revert langgraph_checkpoint:trigger_checkpoint_blobs_skip_empty from pg

BEGIN;

-- Values saved while the trigger was there have no row for an empty channel; every
-- reader of the schema before it reads them the same (a missing row is an empty channel).
DROP TRIGGER checkpoint_blobs_skip_empty ON :"schema".checkpoint_blobs;
DROP FUNCTION :"schema"._checkpoint_blobs_skip_empty();

COMMIT;
