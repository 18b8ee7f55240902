-- Revert langgraph_checkpoint:schema from pg
\set reader_role :schema '_reader'

BEGIN;

REVOKE ALL ON SCHEMA :"schema" FROM :"reader_role";
DROP SCHEMA :"schema";

COMMIT;
