-- pgTAP tests for the column_checkpoint_blobs_delta_depth change: chain lengths of
-- delta-encoded values.
BEGIN;
SELECT plan(7);

SELECT has_column('langgraph', 'checkpoint_blobs', 'delta_depth', 'checkpoint_blobs has delta_depth');
SELECT col_type_is('langgraph', 'checkpoint_blobs', 'delta_depth', 'smallint', 'delta_depth is a smallint');
SELECT col_is_null('langgraph', 'checkpoint_blobs', 'delta_depth', 'delta_depth may be NULL (not known to be an array)');
SELECT col_hasnt_default('langgraph', 'checkpoint_blobs', 'delta_depth', 'delta_depth has no default, so adding it rewrote nothing');

INSERT INTO langgraph.threads (thread_id) VALUES ('pgtap-delta-depth');
INSERT INTO langgraph.checkpoint_blobs (thread_id, channel, version, type, value, delta_depth)
VALUES ('pgtap-delta-depth', 'm', '1', 'json', '[1]', 0);
SELECT throws_ok($$INSERT INTO langgraph.checkpoint_blobs (thread_id, channel, version, type, value, base_version, delta_depth)
                   VALUES ('pgtap-delta-depth', 'm', '2', 'json', '[2]', '1', 0)$$, '23514', NULL,
                 'a delta cannot claim depth 0');
SELECT throws_ok($$INSERT INTO langgraph.checkpoint_blobs (thread_id, channel, version, type, blob, delta_depth)
                   VALUES ('pgtap-delta-depth', 'b', '1', 'msgpack', '\x01', 0)$$, '23514', NULL,
                 'serializer bytes cannot claim to be a JSON array');
SELECT lives_ok($$INSERT INTO langgraph.checkpoint_blobs (thread_id, channel, version, type, value, base_version, delta_depth)
                  VALUES ('pgtap-delta-depth', 'm', '2', 'json', '[2]', '1', 1)$$, 'a delta one link deep is accepted');

SELECT * FROM finish();
ROLLBACK;
