-- pgTAP tests for the function_save_checkpoint change: JSONB API: save a state document as the next checkpoint.
BEGIN;
SELECT plan(41);

-- Structure ------------------------------------------------------------------
SELECT has_function('langgraph', 'save_checkpoint', ARRAY['text', 'jsonb', 'jsonb', 'text', 'text'], 'save_checkpoint(text, jsonb, jsonb, text, text) exists');
SELECT function_returns('langgraph', 'save_checkpoint', ARRAY['text', 'jsonb', 'jsonb', 'text', 'text'], 'text', 'save_checkpoint returns text');
SELECT function_lang_is('langgraph', 'save_checkpoint', ARRAY['text', 'jsonb', 'jsonb', 'text', 'text'], 'plpgsql', 'save_checkpoint is written in plpgsql');
SELECT volatility_is('langgraph', 'save_checkpoint', ARRAY['text', 'jsonb', 'jsonb', 'text', 'text'], 'volatile', 'save_checkpoint is VOLATILE');
SELECT is_definer('langgraph', 'save_checkpoint', ARRAY['text', 'jsonb', 'jsonb', 'text', 'text'], 'save_checkpoint is SECURITY DEFINER');
SELECT ok((SELECT 'search_path=langgraph, pg_temp' = ANY (proconfig) FROM pg_proc WHERE oid = 'langgraph.save_checkpoint(text, jsonb, jsonb, text, text)'::regprocedure),
          'save_checkpoint pins search_path to its schema and pg_temp');
SELECT function_privs_are('langgraph', 'save_checkpoint', ARRAY['text', 'jsonb', 'jsonb', 'text', 'text'], 'public', ARRAY[]::text[], 'PUBLIC cannot call save_checkpoint');
SELECT function_privs_are('langgraph', 'save_checkpoint', ARRAY['text', 'jsonb', 'jsonb', 'text', 'text'], 'langgraph_reader', ARRAY[]::text[], 'the reader role cannot call save_checkpoint');
SELECT function_privs_are('langgraph', 'save_checkpoint', ARRAY['text', 'jsonb', 'jsonb', 'text', 'text'], 'langgraph_client', ARRAY['EXECUTE'], 'the client role may call save_checkpoint');
SELECT ok(has_function_privilege('langgraph_client', 'langgraph.save_checkpoint(text, jsonb, jsonb, text, text)', 'execute'),
          'has_function_privilege agrees: the client role may call save_checkpoint');
SELECT ok(obj_description('langgraph.save_checkpoint(text, jsonb, jsonb, text, text)'::regprocedure, 'pg_proc') ~ 'Raises', 'the comment on save_checkpoint names what it raises');

-- Behaviour ------------------------------------------------------------------
CREATE TEMP TABLE pgtap_save_ids (n integer PRIMARY KEY, id text);
INSERT INTO pgtap_save_ids VALUES (1, langgraph.save_checkpoint('pgtap-save-checkpoint-1', '{"a": 1, "b": [1, 2]}'));
SELECT matches((SELECT id FROM pgtap_save_ids WHERE n = 1), '^[0-9a-f]{8}-[0-9a-f]{4}-6[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$',
               'save_checkpoint returns a new UUIDv6 checkpoint id');
SELECT is((SELECT ROW(parent_checkpoint_id, metadata)::text FROM langgraph.checkpoints
           WHERE thread_id = 'pgtap-save-checkpoint-1' AND checkpoint_id = (SELECT id FROM pgtap_save_ids WHERE n = 1)),
          ROW(NULL::text, '{"source": "update", "step": -1, "parents": {}}'::jsonb)::text,
          'the first save is a root with step -1 and source update');
SELECT is((SELECT checkpoint ->> 'id' FROM langgraph.checkpoints WHERE thread_id = 'pgtap-save-checkpoint-1'),
          (SELECT id FROM pgtap_save_ids WHERE n = 1), 'the document carries its own id');
SELECT is((SELECT array_agg(k ORDER BY k) FROM langgraph.checkpoints, jsonb_object_keys(checkpoint) AS k
           WHERE thread_id = 'pgtap-save-checkpoint-1'),
          ARRAY['channel_versions', 'id', 'ts', 'updated_channels', 'v', 'versions_seen'], 'the document has LangGraph''s keys');
SELECT is((SELECT array_agg(ROW(channel, type, value)::text ORDER BY channel) FROM langgraph.checkpoint_blobs
           WHERE thread_id = 'pgtap-save-checkpoint-1'),
          ARRAY[ROW('a', 'json', '1'::jsonb)::text, ROW('b', 'json', '[1, 2]'::jsonb)::text], 'each key is stored as a json value');

INSERT INTO pgtap_save_ids VALUES (2, langgraph.save_checkpoint('pgtap-save-checkpoint-1', '{"a": 1, "b": [1, 2, 3], "c": "new"}',
                                                                '{"source": "api", "run_id": "pgtap-save-run"}'));
CREATE TEMP TABLE pgtap_save_cp AS
SELECT c.checkpoint_id, c.parent_checkpoint_id, c.metadata, c.checkpoint
FROM langgraph.checkpoints AS c WHERE c.thread_id = 'pgtap-save-checkpoint-1';
SELECT is((SELECT parent_checkpoint_id FROM pgtap_save_cp WHERE checkpoint_id = (SELECT id FROM pgtap_save_ids WHERE n = 2)),
          (SELECT id FROM pgtap_save_ids WHERE n = 1), 'the parent is the previous latest checkpoint');
SELECT cmp_ok((SELECT id FROM pgtap_save_ids WHERE n = 2) COLLATE "C", '>', (SELECT id FROM pgtap_save_ids WHERE n = 1) COLLATE "C",
              'the new id sorts after its parent');
SELECT is((SELECT metadata FROM pgtap_save_cp WHERE checkpoint_id = (SELECT id FROM pgtap_save_ids WHERE n = 2)),
          '{"source": "api", "step": 0, "parents": {}, "run_id": "pgtap-save-run"}'::jsonb,
          'metadata: step is the parent''s + 1 and p_metadata is merged over the defaults');
SELECT is((SELECT checkpoint -> 'channel_versions' -> 'a' FROM pgtap_save_cp WHERE checkpoint_id = (SELECT id FROM pgtap_save_ids WHERE n = 2)),
          (SELECT checkpoint -> 'channel_versions' -> 'a' FROM pgtap_save_cp WHERE checkpoint_id = (SELECT id FROM pgtap_save_ids WHERE n = 1)),
          'an unchanged key keeps its version');
SELECT isnt((SELECT checkpoint -> 'channel_versions' -> 'b' FROM pgtap_save_cp WHERE checkpoint_id = (SELECT id FROM pgtap_save_ids WHERE n = 2)),
            (SELECT checkpoint -> 'channel_versions' -> 'b' FROM pgtap_save_cp WHERE checkpoint_id = (SELECT id FROM pgtap_save_ids WHERE n = 1)),
            'a changed key gets a new version');
SELECT cmp_ok((SELECT checkpoint -> 'channel_versions' ->> 'b' FROM pgtap_save_cp WHERE checkpoint_id = (SELECT id FROM pgtap_save_ids WHERE n = 2)) COLLATE "C",
              '>', (SELECT checkpoint -> 'channel_versions' ->> 'b' FROM pgtap_save_cp WHERE checkpoint_id = (SELECT id FROM pgtap_save_ids WHERE n = 1)) COLLATE "C",
              'the new version sorts after the old one');
SELECT is((SELECT checkpoint -> 'updated_channels' FROM pgtap_save_cp WHERE checkpoint_id = (SELECT id FROM pgtap_save_ids WHERE n = 2)),
          '["b", "c"]'::jsonb, 'updated_channels lists the changed and new keys');
SELECT is((SELECT count(*) FROM langgraph.checkpoint_blobs WHERE thread_id = 'pgtap-save-checkpoint-1'), 4::bigint,
          'only changed keys are stored again (a once, b twice, c once)');
SELECT is((SELECT channel_values FROM langgraph.get_checkpoint('pgtap-save-checkpoint-1')),
          ARRAY['1'::jsonb, '[1, 2, 3]', '"new"'], 'the saved state reads back through get_checkpoint');
SELECT is((SELECT channel_values FROM langgraph.get_checkpoint('pgtap-save-checkpoint-1', '', (SELECT id FROM pgtap_save_ids WHERE n = 1))),
          ARRAY['1'::jsonb, '[1, 2]'], 'the parent still reads its own state');
SELECT is((SELECT count(*) FROM langgraph.checkpoints WHERE thread_id = 'pgtap-save-checkpoint-1'), 2::bigint, 'one checkpoint per save');
INSERT INTO pgtap_save_ids VALUES (3, langgraph.save_checkpoint('pgtap-save-checkpoint-1', '{}', p_checkpoint_ns => 'child:1'));
SELECT is((SELECT ROW(checkpoint_ns, parent_checkpoint_id, checkpoint -> 'channel_versions')::text FROM langgraph.checkpoints
           WHERE thread_id = 'pgtap-save-checkpoint-1' AND checkpoint_id = (SELECT id FROM pgtap_save_ids WHERE n = 3)),
          ROW('child:1', NULL::text, '{}'::jsonb)::text, 'a namespace has its own lineage; an empty state saves no values');
-- With compression on the unchanged-key comparison sees whole values, not deltas.
SELECT langgraph.set_compression(true, 'pgtap-save-checkpoint-3');
SELECT langgraph.save_checkpoint('pgtap-save-checkpoint-3', '{"m": [1]}');
SELECT langgraph.save_checkpoint('pgtap-save-checkpoint-3', '{"m": [1, 2]}');
SELECT langgraph.save_checkpoint('pgtap-save-checkpoint-3', '{"m": [1, 2]}');
SELECT is((SELECT count(*) FROM langgraph.checkpoint_blobs WHERE thread_id = 'pgtap-save-checkpoint-3'), 2::bigint,
          'with compression on an unchanged appended array is not stored again');

-- Errors ---------------------------------------------------------------------
SELECT throws_ok($$SELECT langgraph.save_checkpoint(NULL, '{}')$$, 'LG001', NULL, 'LG001: NULL thread_id');
SELECT throws_ok($$SELECT langgraph.save_checkpoint('', '{}')$$, 'LG001', NULL, 'LG001: empty thread_id');
SELECT throws_ok($$SELECT langgraph.save_checkpoint(repeat('t', 1025), '{}')$$, 'LG001', NULL, 'LG001: thread_id over 1024 characters');
SELECT throws_ok($$SELECT langgraph.save_checkpoint('pgtap-save-checkpoint-1', '{}', '{}', NULL)$$, 'LG001', NULL, 'LG001: NULL namespace');
SELECT throws_ok($$SELECT langgraph.save_checkpoint('pgtap-save-checkpoint-1', '[1]')$$, 'LG002', NULL, 'LG002: state is not an object');
SELECT throws_ok($$SELECT langgraph.save_checkpoint('pgtap-save-checkpoint-1', NULL)$$, 'LG002', NULL, 'LG002: state is NULL');
SELECT throws_ok($$SELECT langgraph.save_checkpoint('pgtap-save-checkpoint-1', '{}', '"m"')$$, 'LG002', NULL, 'LG002: metadata is not an object');
INSERT INTO langgraph.thread_leases (thread_id, owner, expires_at)
VALUES ('pgtap-save-checkpoint-1', 'pgtap-owner-a', clock_timestamp() + interval '1 hour');
SELECT throws_ok($$SELECT langgraph.save_checkpoint('pgtap-save-checkpoint-1', '{"a": 2}', p_lease_owner => 'pgtap-owner-b')$$, 'LG006', NULL,
                 'LG006: another owner holds a live lease');
SELECT is((SELECT count(*) FROM langgraph.checkpoints WHERE thread_id = 'pgtap-save-checkpoint-1'), 3::bigint, 'the rejected calls saved nothing');
SELECT lives_ok($$SELECT langgraph.save_checkpoint('pgtap-save-checkpoint-1', '{"a": 2}', p_lease_owner => 'pgtap-owner-a')$$,
                'the lease owner may save');
DELETE FROM langgraph.thread_leases WHERE thread_id = 'pgtap-save-checkpoint-1';

-- Privileges ---------------------------------------------------------------------
CREATE ROLE pgtap_save_checkpoint_app LOGIN;
CREATE ROLE pgtap_save_checkpoint_ro LOGIN;
GRANT langgraph_client TO pgtap_save_checkpoint_app;
GRANT langgraph_reader TO pgtap_save_checkpoint_ro;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA pg_temp TO pgtap_save_checkpoint_app, pgtap_save_checkpoint_ro;
GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA pg_temp TO pgtap_save_checkpoint_app, pgtap_save_checkpoint_ro;
SET ROLE pgtap_save_checkpoint_app;
SELECT lives_ok($$SELECT langgraph.save_checkpoint('pgtap-save-checkpoint-2', '{"a": 1}')$$, 'a client login can call save_checkpoint');
RESET ROLE;
SET ROLE pgtap_save_checkpoint_ro;
SELECT throws_ok($$SELECT langgraph.save_checkpoint('pgtap-save-checkpoint-2', '{"a": 2}')$$, '42501', NULL, 'a reader login cannot');
RESET ROLE;

SELECT * FROM finish();
ROLLBACK;
