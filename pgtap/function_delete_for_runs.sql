-- pgTAP tests for the function_delete_for_runs change: delete the checkpoints of runs.
BEGIN;
SELECT plan(25);

-- Structure ------------------------------------------------------------------
SELECT has_function('langgraph', 'delete_for_runs', ARRAY['text[]'], 'delete_for_runs(text[]) exists');
SELECT function_returns('langgraph', 'delete_for_runs', ARRAY['text[]'], 'bigint', 'delete_for_runs returns bigint');
SELECT function_lang_is('langgraph', 'delete_for_runs', ARRAY['text[]'], 'plpgsql', 'delete_for_runs is written in plpgsql');
SELECT volatility_is('langgraph', 'delete_for_runs', ARRAY['text[]'], 'volatile', 'delete_for_runs is VOLATILE');
SELECT is_definer('langgraph', 'delete_for_runs', ARRAY['text[]'], 'delete_for_runs is SECURITY DEFINER');
SELECT ok((SELECT 'search_path=langgraph, pg_temp' = ANY (proconfig) FROM pg_proc WHERE oid = 'langgraph.delete_for_runs(text[])'::regprocedure),
          'delete_for_runs pins search_path to its schema and pg_temp');
SELECT function_privs_are('langgraph', 'delete_for_runs', ARRAY['text[]'], 'public', ARRAY[]::text[], 'PUBLIC cannot call delete_for_runs');
SELECT function_privs_are('langgraph', 'delete_for_runs', ARRAY['text[]'], 'langgraph_reader', ARRAY[]::text[], 'the reader role cannot call delete_for_runs');
SELECT function_privs_are('langgraph', 'delete_for_runs', ARRAY['text[]'], 'langgraph_client', ARRAY['EXECUTE'], 'the client role may call delete_for_runs');
SELECT ok(has_function_privilege('langgraph_client', 'langgraph.delete_for_runs(text[])', 'execute'),
          'has_function_privilege agrees: the client role may call delete_for_runs');
SELECT ok(obj_description('langgraph.delete_for_runs(text[])'::regprocedure, 'pg_proc') ~ 'Raises', 'the comment on delete_for_runs names what it raises');

-- Behaviour ------------------------------------------------------------------
-- Thread 1: cp-0001, cp-0002 of run 1, cp-0003 of run 2. Thread 2: cp-0001 of run 1, cp-0002 of run 3.
SELECT langgraph.put_checkpoint('pgtap-delete-for-runs-1', '', 'cp-0001', NULL, '{"channel_versions": {"a": "1"}}', '{"run_id": "pgtap-dfr-run-1"}',
    ARRAY['a'], ARRAY['json'], ARRAY['1'::jsonb], ARRAY[NULL::bytea]);
SELECT langgraph.put_checkpoint('pgtap-delete-for-runs-1', '', 'cp-0002', 'cp-0001', '{"channel_versions": {"a": "2"}}', '{"run_id": "pgtap-dfr-run-1"}',
    ARRAY['a'], ARRAY['json'], ARRAY['2'::jsonb], ARRAY[NULL::bytea]);
SELECT langgraph.put_checkpoint('pgtap-delete-for-runs-1', '', 'cp-0003', 'cp-0002', '{"channel_versions": {"a": "2", "b": "1"}}', '{"run_id": "pgtap-dfr-run-2"}',
    ARRAY['b'], ARRAY['json'], ARRAY['1'::jsonb], ARRAY[NULL::bytea]);
SELECT langgraph.put_checkpoint('pgtap-delete-for-runs-2', '', 'cp-0001', NULL, '{}', '{"run_id": "pgtap-dfr-run-1"}');
SELECT langgraph.put_checkpoint('pgtap-delete-for-runs-2', '', 'cp-0002', 'cp-0001', '{}', '{"run_id": "pgtap-dfr-run-3"}');
SELECT langgraph.put_writes('pgtap-delete-for-runs-1', '', 'cp-0002', 'task-a', ARRAY['a'], ARRAY['json'], ARRAY['3'::jsonb], ARRAY[NULL::bytea]);
SELECT langgraph.put_writes('pgtap-delete-for-runs-1', '', 'cp-0003', 'task-a', ARRAY['a'], ARRAY['json'], ARRAY['4'::jsonb], ARRAY[NULL::bytea]);

SELECT is(langgraph.delete_for_runs(ARRAY['pgtap-dfr-run-1']), 3::bigint, 'returns the number of checkpoints of the run deleted, in every thread');
SELECT is(ARRAY(SELECT thread_id || '/' || checkpoint_id FROM langgraph.checkpoints WHERE thread_id LIKE 'pgtap-delete-for-runs-%' ORDER BY 1),
          ARRAY['pgtap-delete-for-runs-1/cp-0003', 'pgtap-delete-for-runs-2/cp-0002'], 'checkpoints of other runs are intact');
SELECT is((SELECT array_agg(parent_checkpoint_id) FROM langgraph.checkpoints WHERE thread_id LIKE 'pgtap-delete-for-runs-%'),
          ARRAY[NULL, NULL]::text[], 'children whose parent was deleted become roots');
SELECT is(ARRAY(SELECT checkpoint_id::text FROM langgraph.checkpoint_writes WHERE thread_id = 'pgtap-delete-for-runs-1'),
          ARRAY['cp-0003'], 'writes of deleted checkpoints are gone, the others kept');
SELECT is(ARRAY(SELECT channel || '@' || version FROM langgraph.checkpoint_blobs WHERE thread_id = 'pgtap-delete-for-runs-1' ORDER BY 1),
          ARRAY['a@2', 'b@1'], 'values still referenced are kept, the rest gone');
SELECT is((SELECT channel_values FROM langgraph.get_checkpoint('pgtap-delete-for-runs-1')), ARRAY['2'::jsonb, '1'],
          'the surviving checkpoint still reads its values');
SELECT is(langgraph.delete_for_runs(ARRAY['pgtap-dfr-run-1']), 0::bigint, 'deleting the run again deletes nothing');
SELECT is(langgraph.delete_for_runs('{}'), 0::bigint, 'an empty list deletes nothing');
SELECT is(langgraph.delete_for_runs(ARRAY['pgtap-dfr-run-unknown']), 0::bigint, 'an unknown run deletes nothing');
SELECT is(langgraph.delete_for_runs(ARRAY['pgtap-dfr-run-2', 'pgtap-dfr-run-3']), 2::bigint, 'several runs at once');

-- Errors ---------------------------------------------------------------------
SELECT langgraph.put_checkpoint('pgtap-delete-for-runs-3', '', 'cp-0001', NULL, '{}', '{"run_id": "pgtap-dfr-run-4"}');
SELECT throws_ok($$SELECT langgraph.delete_for_runs(NULL)$$, 'LG003', NULL, 'LG003: NULL array');
SELECT throws_ok($$SELECT langgraph.delete_for_runs(ARRAY['pgtap-dfr-run-4', NULL])$$, 'LG003', NULL, 'LG003: a NULL run id');
SELECT is((SELECT count(*) FROM langgraph.checkpoints WHERE thread_id = 'pgtap-delete-for-runs-3'), 1::bigint, 'the rejected call deleted nothing');

-- Privileges, as a reader login ------------------------------------------------
CREATE ROLE pgtap_delete_for_runs_ro LOGIN;
GRANT langgraph_reader TO pgtap_delete_for_runs_ro;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA pg_temp TO pgtap_delete_for_runs_ro;
GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA pg_temp TO pgtap_delete_for_runs_ro;
SET ROLE pgtap_delete_for_runs_ro;
SELECT throws_ok($$SELECT langgraph.delete_for_runs(ARRAY['pgtap-dfr-run-4'])$$, '42501', NULL, 'a reader login cannot call delete_for_runs');
RESET ROLE;

SELECT * FROM finish();
ROLLBACK;
