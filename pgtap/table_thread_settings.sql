-- pgTAP tests for the table_thread_settings change: per-thread overrides.
BEGIN;
SELECT plan(5);

SELECT has_table('langgraph', 'thread_settings', 'table thread_settings exists');
SELECT columns_are('langgraph', 'thread_settings', ARRAY['thread_id', 'compression', 'ttl', 'pinned', 'refresh_on_read', 'read_at'], 'thread_settings has exactly its columns');
SELECT col_is_pk('langgraph', 'thread_settings', 'thread_id', 'one row per thread');
SELECT table_privs_are('langgraph', 'thread_settings', 'langgraph_client', ARRAY[]::text[], 'the client role has no privileges on thread_settings');
INSERT INTO langgraph.threads (thread_id) VALUES ('pgtap-thread-settings');
INSERT INTO langgraph.thread_settings VALUES ('pgtap-thread-settings', true);
DELETE FROM langgraph.threads WHERE thread_id = 'pgtap-thread-settings';
SELECT is((SELECT count(*)::int FROM langgraph.thread_settings WHERE thread_id = 'pgtap-thread-settings'), 0,
          'a thread''s settings go with it');

SELECT * FROM finish();
ROLLBACK;
