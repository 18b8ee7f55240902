-- Verify langgraph_checkpoint_proxy:proxy_cross_functions on pg
\set reader_role :schema '_reader'

BEGIN;

SELECT 1 / pg_catalog.has_function_privilege(:'reader_role',
    format('%I.list_checkpoints(text, text, text, jsonb, text, integer)', :'schema'), 'execute')::int;
SELECT format('%I._px_list_checkpoints_all(text, text, text, jsonb, text, integer)', :'schema')::regprocedure;
SELECT format('%I.stats()', :'schema')::regprocedure;
SELECT format('%I.list_checkpoints_v2(text, text, text, jsonb, text, integer)', :'schema')::regprocedure;
SELECT format('%I.copy_thread(text, text)', :'schema')::regprocedure;
SELECT 1 / pg_catalog.has_function_privilege(:'reader_role',
    format('%I.search_threads(jsonb, jsonb, text, timestamptz, timestamptz, timestamptz, timestamptz, timestamptz, text, integer)', :'schema'),
    'execute')::int;
SELECT format('%I._px_count_threads(jsonb, jsonb, text, timestamptz, timestamptz, timestamptz, timestamptz)', :'schema')::regprocedure;

ROLLBACK;
