-- Verify langgraph_checkpoint_proxy:proxy_schema on pg

BEGIN;

SELECT 1 / count(*)::int FROM pg_catalog.pg_extension WHERE extname = 'plproxy';
SELECT format('%I.checkpoint_tuples', :'schema')::regtype;
SELECT format('%I._partition_of(text)', :'schema')::regprocedure;
SELECT format('%I._batch_hash(text[])', :'schema')::regprocedure;
SELECT format('%I._raise_proxy_error(text, text, text)', :'schema')::regprocedure;

ROLLBACK;
