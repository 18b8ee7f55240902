-- pgTAP tests for the roles change: the NOLOGIN client and reader roles, and what
-- each of them (and a role with no grants at all) may do once the API is deployed.
BEGIN;
SELECT plan(30);

-- Structure ------------------------------------------------------------------
SELECT has_role('langgraph_client', 'the client role exists');
SELECT has_role('langgraph_reader', 'the reader role exists');
SELECT is((SELECT rolcanlogin FROM pg_roles WHERE rolname = 'langgraph_client'), false, 'the client role cannot log in');
SELECT is((SELECT rolcanlogin FROM pg_roles WHERE rolname = 'langgraph_reader'), false, 'the reader role cannot log in');
SELECT isnt_superuser('langgraph_client', 'the client role is not a superuser');
SELECT isnt_superuser('langgraph_reader', 'the reader role is not a superuser');
SELECT is_member_of('langgraph_reader', 'langgraph_client', 'the client role is a member of the reader role');
SELECT ok(NOT pg_has_role('langgraph_reader', 'langgraph_client', 'MEMBER'), 'the reader role is not a member of the client role');
SELECT ok(shobj_description((SELECT oid FROM pg_roles WHERE rolname = 'langgraph_client'), 'pg_authid') IS NOT NULL,
          'the client role has a comment');
SELECT ok(shobj_description((SELECT oid FROM pg_roles WHERE rolname = 'langgraph_reader'), 'pg_authid') IS NOT NULL,
          'the reader role has a comment');

-- Behaviour: an application login role granted the client role ---------------
CREATE ROLE pgtap_roles_app LOGIN;
CREATE ROLE pgtap_roles_ro LOGIN;
CREATE ROLE pgtap_roles_nobody LOGIN;
GRANT langgraph_client TO pgtap_roles_app;
GRANT langgraph_reader TO pgtap_roles_ro;
-- pgTAP keeps its state in temporary tables; the roles we switch to must reach them.
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA pg_temp TO pgtap_roles_app, pgtap_roles_ro, pgtap_roles_nobody;
GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA pg_temp TO pgtap_roles_app, pgtap_roles_ro, pgtap_roles_nobody;

SET ROLE pgtap_roles_app;
SELECT lives_ok($$SELECT langgraph.put_checkpoint('pgtap-roles-1', '', 'cp-0001', NULL,
                      '{"channel_versions": {"a": "1"}}', '{"step": 0}',
                      ARRAY['a'], ARRAY['json'], ARRAY['{"v": 1}'::jsonb], ARRAY[NULL::bytea])$$,
                'the client login can call put_checkpoint');
SELECT lives_ok($$SELECT langgraph.put_writes('pgtap-roles-1', '', 'cp-0001', 'task-1',
                      ARRAY['a'], ARRAY['json'], ARRAY['2'::jsonb], ARRAY[NULL::bytea])$$,
                'the client login can call put_writes');
SELECT is((SELECT checkpoint_id FROM langgraph.get_checkpoint('pgtap-roles-1')), 'cp-0001',
          'the client login reads its checkpoint back through get_checkpoint');
SELECT lives_ok($$SELECT langgraph.save_checkpoint('pgtap-roles-1', '{"a": {"v": 1}}')$$,
                'the client login can call save_checkpoint');
SELECT throws_ok('SELECT * FROM langgraph.checkpoints', '42501', NULL,
                 'the client login cannot SELECT from a table');
SELECT throws_ok($$INSERT INTO langgraph.threads (thread_id) VALUES ('pgtap-roles-2')$$, '42501', NULL,
                 'the client login cannot INSERT into a table');
SELECT throws_ok('SELECT * FROM langgraph.checkpoint_tuples', '42501', NULL,
                 'the client login cannot SELECT from the view');
SELECT throws_ok($$SELECT langgraph._check_id('x', 'thread_id')$$, '42501', NULL,
                 'the client login cannot call an internal function');
RESET ROLE;

-- Behaviour: a login role granted only the reader role -----------------------
SET ROLE pgtap_roles_ro;
SELECT lives_ok($$SELECT * FROM langgraph.get_checkpoint('pgtap-roles-1')$$, 'the reader login can call get_checkpoint');
SELECT lives_ok($$SELECT * FROM langgraph.list_checkpoints('pgtap-roles-1')$$, 'the reader login can call list_checkpoints');
SELECT lives_ok($$SELECT langgraph.load_checkpoint('pgtap-roles-1')$$, 'the reader login can call load_checkpoint');
SELECT lives_ok($$SELECT langgraph.schema_version()$$, 'the reader login can call schema_version');
SELECT lives_ok($$SELECT * FROM langgraph.get_delta_channel_history('pgtap-roles-1', '', NULL, ARRAY['a'])$$,
                'the reader login can call get_delta_channel_history');
SELECT throws_ok($$SELECT langgraph.put_checkpoint('pgtap-roles-1', '', 'cp-0002', NULL, '{}')$$, '42501', NULL,
                 'the reader login cannot call put_checkpoint');
SELECT throws_ok($$SELECT langgraph.delete_thread('pgtap-roles-1')$$, '42501', NULL,
                 'the reader login cannot call delete_thread');
SELECT throws_ok('SELECT * FROM langgraph.checkpoints', '42501', NULL,
                 'the reader login cannot SELECT from a table');
RESET ROLE;

-- Behaviour: a login role with no grants (PUBLIC only) -----------------------
SET ROLE pgtap_roles_nobody;
SELECT throws_ok($$SELECT langgraph.schema_version()$$, '42501', NULL,
                 'a role without grants cannot call schema_version');
SELECT throws_ok($$SELECT * FROM langgraph.get_checkpoint('pgtap-roles-1')$$, '42501', NULL,
                 'a role without grants cannot call get_checkpoint');
RESET ROLE;
SELECT ok(NOT has_schema_privilege('pgtap_roles_nobody', 'langgraph', 'USAGE'),
          'a role without grants has no USAGE on the schema');
SELECT is((SELECT count(*) FROM langgraph.checkpoints WHERE thread_id = 'pgtap-roles-1'), 2::bigint,
          'the rejected calls stored nothing: only the client''s two checkpoints exist');

SELECT * FROM finish();
ROLLBACK;
