-- Revert langgraph_checkpoint:column_checkpoint_blobs_base_version from pg
-- Refuses (division by zero) while delta-encoded values exist: expand them first with
-- UPDATE ... SET value = _blob_value(...), base_version = NULL.

BEGIN;

SELECT 1 / (NOT EXISTS (SELECT FROM :"schema".checkpoint_blobs WHERE base_version IS NOT NULL))::int;

ALTER TABLE :"schema".checkpoint_blobs
    DROP CONSTRAINT checkpoint_blobs_base_fkey,
    DROP CONSTRAINT checkpoint_blobs_base_is_json_array,
    DROP COLUMN base_version;

COMMIT;
