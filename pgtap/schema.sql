-- pgTAP tests for the schema change: the schema exists and only the API roles may use it.
BEGIN;
SELECT plan(9);

SELECT has_schema('langgraph', 'the langgraph schema exists');
SELECT schema_privs_are('langgraph', 'public', ARRAY[]::text[], 'PUBLIC has no privileges on the schema');
SELECT schema_privs_are('langgraph', 'langgraph_reader', ARRAY['USAGE'], 'the reader role has USAGE only');
SELECT schema_privs_are('langgraph', 'langgraph_client', ARRAY['USAGE'], 'the client role has USAGE (through the reader) only');
SELECT ok(NOT has_schema_privilege('langgraph_client', 'langgraph', 'CREATE'), 'the client role cannot create objects in the schema');
SELECT isnt((SELECT pg_get_userbyid(nspowner) FROM pg_namespace WHERE nspname = 'langgraph'), 'langgraph_client',
            'the client role does not own the schema');
SELECT isnt((SELECT pg_get_userbyid(nspowner) FROM pg_namespace WHERE nspname = 'langgraph'), 'langgraph_reader',
            'the reader role does not own the schema');
SELECT ok(obj_description('langgraph'::regnamespace, 'pg_namespace') IS NOT NULL, 'the schema has a comment');

CREATE ROLE pgtap_schema_nobody;
SELECT ok(NOT has_schema_privilege('pgtap_schema_nobody', 'langgraph', 'USAGE'),
          'a role with no grants cannot use the schema');

SELECT * FROM finish();
ROLLBACK;
