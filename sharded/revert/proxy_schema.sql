-- Revert langgraph_checkpoint_proxy:proxy_schema from pg

BEGIN;

DROP SCHEMA :"schema" CASCADE;
-- The roles are shared with the partitions when they are in the same cluster, and the
-- extension with the SQL/MED server (the cluster configuration): both stay.

COMMIT;
