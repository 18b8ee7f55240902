-- pgTAP tests for the function_delete_checkpoint change: JSONB API: delete one checkpoint.
BEGIN;
SELECT plan(34);

-- Structure ------------------------------------------------------------------
SELECT has_function('langgraph', 'delete_checkpoint', ARRAY['text', 'text', 'text'], 'delete_checkpoint(text, text, text) exists');
SELECT function_returns('langgraph', 'delete_checkpoint', ARRAY['text', 'text', 'text'], 'void', 'delete_checkpoint returns void');
SELECT function_lang_is('langgraph', 'delete_checkpoint', ARRAY['text', 'text', 'text'], 'plpgsql', 'delete_checkpoint is written in plpgsql');
SELECT volatility_is('langgraph', 'delete_checkpoint', ARRAY['text', 'text', 'text'], 'volatile', 'delete_checkpoint is VOLATILE');
SELECT is_definer('langgraph', 'delete_checkpoint', ARRAY['text', 'text', 'text'], 'delete_checkpoint is SECURITY DEFINER');
SELECT ok((SELECT 'search_path=langgraph, pg_temp' = ANY (proconfig) FROM pg_proc WHERE oid = 'langgraph.delete_checkpoint(text, text, text)'::regprocedure),
          'delete_checkpoint pins search_path to its schema and pg_temp');
SELECT function_privs_are('langgraph', 'delete_checkpoint', ARRAY['text', 'text', 'text'], 'public', ARRAY[]::text[], 'PUBLIC cannot call delete_checkpoint');
SELECT function_privs_are('langgraph', 'delete_checkpoint', ARRAY['text', 'text', 'text'], 'langgraph_reader', ARRAY[]::text[], 'the reader role cannot call delete_checkpoint');
SELECT function_privs_are('langgraph', 'delete_checkpoint', ARRAY['text', 'text', 'text'], 'langgraph_client', ARRAY['EXECUTE'], 'the client role may call delete_checkpoint');
SELECT ok(has_function_privilege('langgraph_client', 'langgraph.delete_checkpoint(text, text, text)', 'execute'),
          'has_function_privilege agrees: the client role may call delete_checkpoint');
SELECT ok(obj_description('langgraph.delete_checkpoint(text, text, text)'::regprocedure, 'pg_proc') ~ 'Raises', 'the comment on delete_checkpoint names what it raises');

-- Behaviour ------------------------------------------------------------------
-- cp-0001 <- cp-0002 <- cp-0003; a is stored at cp-0001 and shared, b changes at every step.
SELECT langgraph.put_checkpoint('pgtap-delete-checkpoint-1', '', 'cp-0001', NULL, '{"channel_versions": {"a": "1", "b": "1"}}', '{}',
    ARRAY['a', 'b'], ARRAY['json', 'json'], ARRAY['"a1"'::jsonb, '"b1"'], ARRAY[NULL::bytea, NULL]);
SELECT langgraph.put_checkpoint('pgtap-delete-checkpoint-1', '', 'cp-0002', 'cp-0001', '{"channel_versions": {"a": "1", "b": "2"}}', '{}',
    ARRAY['b'], ARRAY['json'], ARRAY['"b2"'::jsonb], ARRAY[NULL::bytea]);
SELECT langgraph.put_checkpoint('pgtap-delete-checkpoint-1', '', 'cp-0003', 'cp-0002', '{"channel_versions": {"a": "1", "b": "3"}}', '{}',
    ARRAY['b'], ARRAY['json'], ARRAY['"b3"'::jsonb], ARRAY[NULL::bytea]);
SELECT langgraph.put_checkpoint('pgtap-delete-checkpoint-1', 'child:1', 'cp-0002', NULL, '{"channel_versions": {"b": "2"}}', '{}',
    ARRAY['b'], ARRAY['json'], ARRAY['"child"'::jsonb], ARRAY[NULL::bytea]);
SELECT langgraph.put_writes('pgtap-delete-checkpoint-1', '', 'cp-0002', 'task-a', ARRAY['b'], ARRAY['json'], ARRAY['"w"'::jsonb], ARRAY[NULL::bytea]);
SELECT langgraph.put_writes('pgtap-delete-checkpoint-1', '', 'cp-0003', 'task-a', ARRAY['b'], ARRAY['json'], ARRAY['"w"'::jsonb], ARRAY[NULL::bytea]);

SELECT lives_ok($$SELECT langgraph.delete_checkpoint('pgtap-delete-checkpoint-1', 'cp-0002')$$, 'a middle checkpoint is deleted');
SELECT is(ARRAY(SELECT checkpoint_id::text FROM langgraph.checkpoints WHERE thread_id = 'pgtap-delete-checkpoint-1' AND checkpoint_ns = '' ORDER BY 1),
          ARRAY['cp-0001', 'cp-0003'], 'only that checkpoint is gone');
SELECT is((SELECT parent_checkpoint_id FROM langgraph.checkpoints WHERE thread_id = 'pgtap-delete-checkpoint-1' AND checkpoint_id = 'cp-0003' AND checkpoint_ns = ''),
          'cp-0001', 'its child is re-parented to its parent');
SELECT is(ARRAY(SELECT checkpoint_id::text FROM langgraph.checkpoint_writes WHERE thread_id = 'pgtap-delete-checkpoint-1' ORDER BY 1),
          ARRAY['cp-0003'], 'its pending writes are gone, the others kept');
SELECT is(ARRAY(SELECT channel || '@' || version FROM langgraph.checkpoint_blobs WHERE thread_id = 'pgtap-delete-checkpoint-1' AND checkpoint_ns = '' ORDER BY 1),
          ARRAY['a@1', 'b@1', 'b@3'], 'the value only it referenced (b@2) is gone; shared values stay');
SELECT is((SELECT ROW(count(*), min(value::text))::text FROM langgraph.checkpoint_blobs WHERE thread_id = 'pgtap-delete-checkpoint-1' AND checkpoint_ns = 'child:1'),
          ROW(1, '"child"')::text, 'the same id and version in another namespace are untouched');
SELECT is((SELECT channel_values FROM langgraph.get_checkpoint('pgtap-delete-checkpoint-1', '', 'cp-0003')), ARRAY['"a1"'::jsonb, '"b3"'],
          'the child still reads all its values');
SELECT lives_ok($$SELECT langgraph.delete_checkpoint('pgtap-delete-checkpoint-1', 'cp-0001', '')$$, 'the root is deleted');
SELECT is((SELECT parent_checkpoint_id FROM langgraph.checkpoints WHERE thread_id = 'pgtap-delete-checkpoint-1' AND checkpoint_id = 'cp-0003' AND checkpoint_ns = ''),
          NULL, 'the root''s child becomes a root');
SELECT is(ARRAY(SELECT channel || '@' || version FROM langgraph.checkpoint_blobs WHERE thread_id = 'pgtap-delete-checkpoint-1' AND checkpoint_ns = '' ORDER BY 1),
          ARRAY['a@1', 'b@3'], 'a value still referenced by the child (a@1) is kept');
SELECT lives_ok($$SELECT langgraph.delete_checkpoint('pgtap-delete-checkpoint-1', 'cp-0002', 'child:1')$$, 'a subgraph checkpoint is deleted by namespace');
SELECT is((SELECT count(*) FROM langgraph.checkpoint_blobs WHERE thread_id = 'pgtap-delete-checkpoint-1' AND checkpoint_ns = 'child:1'), 0::bigint,
          'with its values');

-- Errors ---------------------------------------------------------------------
CREATE TEMP TABLE pgtap_delete_checkpoint_before AS
SELECT (SELECT count(*) FROM langgraph.checkpoints WHERE thread_id = 'pgtap-delete-checkpoint-1')
     + (SELECT count(*) FROM langgraph.checkpoint_blobs WHERE thread_id = 'pgtap-delete-checkpoint-1')
     + (SELECT count(*) FROM langgraph.checkpoint_writes WHERE thread_id = 'pgtap-delete-checkpoint-1') AS n;
SELECT throws_ok($$SELECT langgraph.delete_checkpoint('pgtap-delete-checkpoint-1', 'cp-unknown')$$, 'LG004', NULL, 'LG004: unknown checkpoint id');
SELECT throws_ok($$SELECT langgraph.delete_checkpoint('pgtap-delete-checkpoint-1', 'cp-0002')$$, 'LG004', NULL, 'LG004: an id deleted before');
SELECT throws_ok($$SELECT langgraph.delete_checkpoint('pgtap-delete-checkpoint-1', 'cp-0003', 'child:1')$$, 'LG004', NULL,
                 'LG004: an id from another namespace');
SELECT throws_ok($$SELECT langgraph.delete_checkpoint('pgtap-delete-checkpoint-unknown', 'cp-0001')$$, 'LG004', NULL, 'LG004: an unknown thread');
SELECT throws_ok($$SELECT langgraph.delete_checkpoint(NULL, 'cp-0003')$$, 'LG001', NULL, 'LG001: NULL thread_id');
SELECT throws_ok($$SELECT langgraph.delete_checkpoint('', 'cp-0003')$$, 'LG001', NULL, 'LG001: empty thread_id');
SELECT throws_ok($$SELECT langgraph.delete_checkpoint('pgtap-delete-checkpoint-1', NULL)$$, 'LG001', NULL, 'LG001: NULL checkpoint_id');
SELECT throws_ok($$SELECT langgraph.delete_checkpoint('pgtap-delete-checkpoint-1', repeat('c', 1025))$$, 'LG001', NULL,
                 'LG001: checkpoint_id over 1024 characters');
SELECT throws_ok($$SELECT langgraph.delete_checkpoint('pgtap-delete-checkpoint-1', 'cp-0003', NULL)$$, 'LG001', NULL, 'LG001: NULL namespace');
SELECT is((SELECT (SELECT count(*) FROM langgraph.checkpoints WHERE thread_id = 'pgtap-delete-checkpoint-1')
                + (SELECT count(*) FROM langgraph.checkpoint_blobs WHERE thread_id = 'pgtap-delete-checkpoint-1')
                + (SELECT count(*) FROM langgraph.checkpoint_writes WHERE thread_id = 'pgtap-delete-checkpoint-1')),
          (SELECT n FROM pgtap_delete_checkpoint_before), 'the rejected calls deleted nothing');

-- Privileges, as a reader login ------------------------------------------------
CREATE ROLE pgtap_delete_checkpoint_ro LOGIN;
GRANT langgraph_reader TO pgtap_delete_checkpoint_ro;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA pg_temp TO pgtap_delete_checkpoint_ro;
GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA pg_temp TO pgtap_delete_checkpoint_ro;
SET ROLE pgtap_delete_checkpoint_ro;
SELECT throws_ok($$SELECT langgraph.delete_checkpoint('pgtap-delete-checkpoint-1', 'cp-0003')$$, '42501', NULL, 'a reader login cannot call delete_checkpoint');
RESET ROLE;

SELECT * FROM finish();
ROLLBACK;
