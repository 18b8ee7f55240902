-- Verify langgraph_checkpoint:function__checkpoint_id_time on pg

BEGIN;

-- 1ef4f797-8335-6428-8001-8a1503f9b875 was minted at 2024-07-31 20:14:19.8041645 UTC.
SELECT 1 / (abs(extract(epoch FROM :"schema"._checkpoint_id_time('1ef4f797-8335-6428-8001-8a1503f9b875'))
              - extract(epoch FROM timestamptz '2024-07-31 20:14:19.804164+00')) < 0.001)::int;
SELECT 1 / (:"schema"._checkpoint_id_time('not-a-uuid') IS NULL)::int;

ROLLBACK;
