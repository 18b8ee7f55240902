-- pgTAP tests for the table_settings change: one row of deployment-wide settings.
BEGIN;
SELECT plan(6);

SELECT has_table('langgraph', 'settings', 'table settings exists');
SELECT columns_are('langgraph', 'settings', ARRAY['singleton', 'compression', 'updated_at'], 'settings has exactly its columns');
SELECT is((SELECT count(*)::int FROM langgraph.settings), 1, 'it has one row');
SELECT throws_ok($$INSERT INTO langgraph.settings (singleton) VALUES (false)$$, '23514', NULL, 'and cannot have another');
SELECT col_default_is('langgraph', 'settings', 'compression', 'false', 'compression is off by default');
SELECT table_privs_are('langgraph', 'settings', 'langgraph_client', ARRAY[]::text[], 'the client role has no privileges on settings');

SELECT * FROM finish();
ROLLBACK;
