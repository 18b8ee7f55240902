-- Deploy langgraph_checkpoint:schema to pg
-- requires: roles
\set client_role :schema '_client'
\set reader_role :schema '_reader'

BEGIN;

CREATE SCHEMA :"schema";

COMMENT ON SCHEMA :"schema" IS
  'langgraph-checkpoint-plpgsql: LangGraph checkpoints. The API is the functions; the tables are private.';

-- PUBLIC gets nothing here. Functions are revoked from PUBLIC one by one in their own
-- changes (REVOKE ALL ON FUNCTION ... FROM PUBLIC), so the deploying role's default
-- privileges elsewhere in the database are left alone.
REVOKE ALL ON SCHEMA :"schema" FROM PUBLIC;
GRANT USAGE ON SCHEMA :"schema" TO :"reader_role";

COMMIT;
