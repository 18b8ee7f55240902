-- Deploy langgraph_checkpoint:roles to pg
-- Roles are cluster-wide, so their names derive from the schema: two deployments in
-- two schemas get two pairs of roles. They are created only when missing, because a
-- second database in the same cluster may already have them.
\set client_role :schema '_client'
\set reader_role :schema '_reader'

BEGIN;

SELECT format('CREATE ROLE %I NOLOGIN', :'reader_role')
WHERE NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = :'reader_role')
\gexec

SELECT format('CREATE ROLE %I NOLOGIN', :'client_role')
WHERE NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = :'client_role')
\gexec

-- The client can do everything the reader can.
-- Re-deploying into a cluster that has the roles already would print a NOTICE.
SET LOCAL client_min_messages = warning;
GRANT :"reader_role" TO :"client_role";

COMMENT ON ROLE :"reader_role" IS 'langgraph-checkpoint: EXECUTE on the read functions of the API only.';
COMMENT ON ROLE :"client_role" IS 'langgraph-checkpoint: EXECUTE on the whole API; grant it to the application login role.';

COMMIT;
