-- Revert langgraph_checkpoint:roles from pg
\set client_role :schema '_client'
\set reader_role :schema '_reader'

BEGIN;

-- Roles may still own privileges in other databases of the cluster; DROP ROLE then
-- fails loudly, which is what a DBA wants rather than a silent half-revert.
DROP ROLE IF EXISTS :"client_role";
DROP ROLE IF EXISTS :"reader_role";

COMMIT;
