-- pgTAP tests for the function_stats change: one JSONB document for monitoring.
BEGIN;
SELECT plan(12);

SELECT has_function('langgraph', 'stats', ARRAY[]::text[], 'stats() exists');
SELECT function_returns('langgraph', 'stats', ARRAY[]::text[], 'jsonb', 'it returns jsonb');
SELECT is_definer('langgraph', 'stats', ARRAY[]::text[], 'it is SECURITY DEFINER');
SELECT volatility_is('langgraph', 'stats', ARRAY[]::text[], 'stable', 'it is STABLE');
SELECT function_privs_are('langgraph', 'stats', ARRAY[]::text[], 'langgraph_reader', ARRAY['EXECUTE'], 'the reader role can call it');
SELECT function_privs_are('langgraph', 'stats', ARRAY[]::text[], 'public', ARRAY[]::text[], 'PUBLIC cannot');

SELECT langgraph.stats() AS before \gset
SELECT langgraph.put_checkpoint('pgtap-stats-1', '', 'cp-001', NULL, '{"channel_versions": {"c": "1"}}', '{}',
    ARRAY['c'], ARRAY['json'], ARRAY[to_jsonb(repeat('x', 5000))], ARRAY[NULL::bytea]);
UPDATE langgraph.checkpoints SET created_at = '1999-12-31 00:00:00+00' WHERE thread_id = 'pgtap-stats-1';
SELECT langgraph.stats() AS after \gset

SELECT is((SELECT array_agg(t ->> 'table' ORDER BY t ->> 'table') FROM jsonb_array_elements(:'after'::jsonb -> 'tables') AS t)
          @> ARRAY['checkpoint_blobs', 'checkpoint_writes', 'checkpoints', 'cleanup_runs', 'deleted_threads', 'threads'],
          true, 'every table of the schema is listed');
SELECT ok((SELECT bool_and(t ? 'rows' AND t ? 'total_bytes' AND t ? 'table_bytes' AND t ? 'toast_bytes' AND t ? 'index_bytes')
           FROM jsonb_array_elements(:'after'::jsonb -> 'tables') AS t), 'each with rows and bytes');
SELECT is((:'after'::jsonb ->> 'threads')::bigint - (:'before'::jsonb ->> 'threads')::bigint, 1::bigint, 'threads counts threads');
SELECT is((:'after'::jsonb ->> 'checkpoints')::bigint - (:'before'::jsonb ->> 'checkpoints')::bigint, 1::bigint, 'checkpoints counts checkpoints');
SELECT is((:'after'::jsonb ->> 'oldest_checkpoint_at')::timestamptz, '1999-12-31 00:00:00+00'::timestamptz,
          'oldest_checkpoint_at is the oldest created_at');
SELECT ok(:'after'::jsonb ? 'last_cleanup' AND :'after'::jsonb ? 'cleanups_running' AND :'after'::jsonb ? 'deleted_threads',
          'retention bookkeeping is reported');

SELECT * FROM finish();
ROLLBACK;
