-- pgTAP tests for the function_schema_version change: the API version clients check.
BEGIN;
SELECT plan(10);

SELECT has_function('langgraph', 'schema_version', ARRAY[]::text[], 'schema_version() exists');
SELECT function_returns('langgraph', 'schema_version', ARRAY[]::text[], 'integer', 'schema_version returns integer');
SELECT volatility_is('langgraph', 'schema_version', ARRAY[]::text[], 'immutable', 'schema_version is IMMUTABLE');
SELECT is_definer('langgraph', 'schema_version', ARRAY[]::text[], 'schema_version is SECURITY DEFINER like every API function');
SELECT function_privs_are('langgraph', 'schema_version', ARRAY[]::text[], 'public', ARRAY[]::text[], 'PUBLIC cannot call schema_version');
SELECT function_privs_are('langgraph', 'schema_version', ARRAY[]::text[], 'langgraph_reader', ARRAY['EXECUTE'],
                          'the reader role may call schema_version');
SELECT function_privs_are('langgraph', 'schema_version', ARRAY[]::text[], 'langgraph_client', ARRAY['EXECUTE'],
                          'the client role may call schema_version (through the reader role)');
SELECT ok(has_function_privilege('langgraph_client', 'langgraph.schema_version()', 'execute'),
          'has_function_privilege agrees for the client role');

SELECT is(langgraph.schema_version(), 2, 'the deployed API is version 2 (put_checkpoint_v2, get_checkpoint_v2)');
SELECT cmp_ok(langgraph.schema_version(), '>=', 1, 'the version is a positive integer');

SELECT * FROM finish();
ROLLBACK;
