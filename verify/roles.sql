-- Verify langgraph_checkpoint:roles on pg
\set client_role :schema '_client'
\set reader_role :schema '_reader'

BEGIN;

SELECT 1 / count(*) FROM pg_catalog.pg_roles WHERE rolname = :'client_role' AND NOT rolcanlogin;
SELECT 1 / count(*) FROM pg_catalog.pg_roles WHERE rolname = :'reader_role' AND NOT rolcanlogin;
SELECT 1 / count(*) WHERE pg_has_role(:'client_role', :'reader_role', 'MEMBER');

ROLLBACK;
