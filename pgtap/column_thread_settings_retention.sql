-- pgTAP tests for the column_thread_settings_retention change: per-thread retention
-- columns, and compression that may be left to the global setting.
BEGIN;
SELECT plan(9);

SELECT col_is_null('langgraph', 'thread_settings', 'compression', 'compression may be NULL: the thread follows the global setting');
SELECT col_type_is('langgraph', 'thread_settings', 'ttl', 'interval', 'ttl is an interval');
SELECT col_is_null('langgraph', 'thread_settings', 'ttl', 'ttl NULL: the retention procedures'' parameters apply');
SELECT col_not_null('langgraph', 'thread_settings', 'pinned', 'pinned is never NULL');
SELECT col_default_is('langgraph', 'thread_settings', 'pinned', 'false', 'threads are not pinned by default');
SELECT col_default_is('langgraph', 'thread_settings', 'refresh_on_read', 'false', 'reads do not count by default');
SELECT col_type_is('langgraph', 'thread_settings', 'read_at', 'timestamp with time zone', 'read_at is a timestamptz');

INSERT INTO langgraph.threads (thread_id) VALUES ('pgtap-retention-cols');
SELECT throws_ok($$INSERT INTO langgraph.thread_settings (thread_id, ttl) VALUES ('pgtap-retention-cols', interval '0')$$,
                 '23514', NULL, 'a TTL must be positive');
INSERT INTO langgraph.thread_settings (thread_id, ttl) VALUES ('pgtap-retention-cols', interval '1 day');
SELECT is(langgraph._compression_enabled('pgtap-retention-cols'),
          (SELECT compression FROM langgraph.settings WHERE singleton),
          'a row without a compression override follows the global setting');

SELECT * FROM finish();
ROLLBACK;
