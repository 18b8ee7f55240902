-- pgTAP tests for the function_put_checkpoint change: save one checkpoint and the values of its changed channels.
BEGIN;
SELECT plan(66);

-- Structure ------------------------------------------------------------------
SELECT has_function('langgraph', 'put_checkpoint', ARRAY['text', 'text', 'text', 'text', 'jsonb', 'jsonb', 'text[]', 'text[]', 'jsonb[]', 'bytea[]', 'boolean', 'text'], 'put_checkpoint(text, text, text, text, jsonb, jsonb, text[], text[], jsonb[], bytea[], boolean, text) exists');
SELECT function_returns('langgraph', 'put_checkpoint', ARRAY['text', 'text', 'text', 'text', 'jsonb', 'jsonb', 'text[]', 'text[]', 'jsonb[]', 'bytea[]', 'boolean', 'text'], 'text', 'put_checkpoint returns text');
SELECT function_lang_is('langgraph', 'put_checkpoint', ARRAY['text', 'text', 'text', 'text', 'jsonb', 'jsonb', 'text[]', 'text[]', 'jsonb[]', 'bytea[]', 'boolean', 'text'], 'plpgsql', 'put_checkpoint is written in plpgsql');
SELECT volatility_is('langgraph', 'put_checkpoint', ARRAY['text', 'text', 'text', 'text', 'jsonb', 'jsonb', 'text[]', 'text[]', 'jsonb[]', 'bytea[]', 'boolean', 'text'], 'volatile', 'put_checkpoint is VOLATILE');
SELECT is_definer('langgraph', 'put_checkpoint', ARRAY['text', 'text', 'text', 'text', 'jsonb', 'jsonb', 'text[]', 'text[]', 'jsonb[]', 'bytea[]', 'boolean', 'text'], 'put_checkpoint is SECURITY DEFINER');
SELECT ok((SELECT 'search_path=langgraph, pg_temp' = ANY (proconfig) FROM pg_proc WHERE oid = 'langgraph.put_checkpoint(text, text, text, text, jsonb, jsonb, text[], text[], jsonb[], bytea[], boolean, text)'::regprocedure),
          'put_checkpoint pins search_path to its schema and pg_temp');
SELECT function_privs_are('langgraph', 'put_checkpoint', ARRAY['text', 'text', 'text', 'text', 'jsonb', 'jsonb', 'text[]', 'text[]', 'jsonb[]', 'bytea[]', 'boolean', 'text'], 'public', ARRAY[]::text[], 'PUBLIC cannot call put_checkpoint');
SELECT function_privs_are('langgraph', 'put_checkpoint', ARRAY['text', 'text', 'text', 'text', 'jsonb', 'jsonb', 'text[]', 'text[]', 'jsonb[]', 'bytea[]', 'boolean', 'text'], 'langgraph_reader', ARRAY[]::text[], 'the reader role cannot call put_checkpoint');
SELECT function_privs_are('langgraph', 'put_checkpoint', ARRAY['text', 'text', 'text', 'text', 'jsonb', 'jsonb', 'text[]', 'text[]', 'jsonb[]', 'bytea[]', 'boolean', 'text'], 'langgraph_client', ARRAY['EXECUTE'], 'the client role may call put_checkpoint');
SELECT ok(has_function_privilege('langgraph_client', 'langgraph.put_checkpoint(text, text, text, text, jsonb, jsonb, text[], text[], jsonb[], bytea[], boolean, text)', 'execute'),
          'has_function_privilege agrees: the client role may call put_checkpoint');
SELECT ok(obj_description('langgraph.put_checkpoint(text, text, text, text, jsonb, jsonb, text[], text[], jsonb[], bytea[], boolean, text)'::regprocedure, 'pg_proc') ~ 'Raises', 'the comment on put_checkpoint names what it raises');

-- Behaviour ------------------------------------------------------------------
SELECT is(langgraph.put_checkpoint(
              'pgtap-put-checkpoint-1', '', 'cp-0001', NULL,
              '{"v": 4, "id": "cp-0001", "ts": "2026-01-01T00:00:00+00:00",
                "channel_versions": {"a": "1", "b": "1", "e": "1"}, "versions_seen": {},
                "channel_values": {"a": {"x": 1}}}',
              '{"step": -1, "source": "input"}',
              ARRAY['a', 'b', 'e'], ARRAY['json', 'msgpack', 'empty'],
              ARRAY['{"x": 1}'::jsonb, NULL, NULL], ARRAY[NULL, '\x0102'::bytea, NULL]),
          'cp-0001', 'put_checkpoint returns the checkpoint id');
SELECT is((SELECT count(*) FROM langgraph.threads WHERE thread_id = 'pgtap-put-checkpoint-1'), 1::bigint,
          'the first put creates the thread row');
SELECT is((SELECT checkpoint FROM langgraph.checkpoints WHERE thread_id = 'pgtap-put-checkpoint-1' AND checkpoint_id = 'cp-0001'),
          '{"v": 4, "id": "cp-0001", "ts": "2026-01-01T00:00:00+00:00",
            "channel_versions": {"a": "1", "b": "1", "e": "1"}, "versions_seen": {}}'::jsonb,
          'the document is stored without channel_values');
SELECT is((SELECT ROW(checkpoint_ns, parent_checkpoint_id, metadata)::text FROM langgraph.checkpoints
           WHERE thread_id = 'pgtap-put-checkpoint-1' AND checkpoint_id = 'cp-0001'),
          ROW('', NULL::text, '{"step": -1, "source": "input"}'::jsonb)::text,
          'namespace, parent (NULL for a root) and metadata are stored');
SELECT is((SELECT array_agg(ROW(channel, version, type, value, blob)::text ORDER BY channel)
           FROM langgraph.checkpoint_blobs WHERE thread_id = 'pgtap-put-checkpoint-1'),
          ARRAY[ROW('a', '1', 'json', '{"x": 1}'::jsonb, NULL::bytea)::text,
                ROW('b', '1', 'msgpack', NULL::jsonb, '\x0102'::bytea)::text],
          'each channel value is stored once with its version from channel_versions (an empty channel stores no row)');

-- The next checkpoint changes b only: a keeps version 1 and is not stored again.
SELECT is(langgraph.put_checkpoint(
              'pgtap-put-checkpoint-1', '', 'cp-0002', 'cp-0001',
              '{"v": 4, "id": "cp-0002", "channel_versions": {"a": "1", "b": "2", "e": "1"}}',
              '{"step": 0}', ARRAY['b'], ARRAY['msgpack'], ARRAY[NULL::jsonb], ARRAY['\x03'::bytea]),
          'cp-0002', 'a second checkpoint is saved');
SELECT is((SELECT count(*) FROM langgraph.checkpoint_blobs WHERE thread_id = 'pgtap-put-checkpoint-1'), 3::bigint,
          'only the changed channel adds a row (3 values for 2 checkpoints)');
SELECT is((SELECT count(*) FROM langgraph.checkpoint_blobs WHERE thread_id = 'pgtap-put-checkpoint-1' AND channel = 'a'), 1::bigint,
          'the unchanged channel still has one row');
SELECT is((SELECT parent_checkpoint_id FROM langgraph.checkpoints WHERE thread_id = 'pgtap-put-checkpoint-1' AND checkpoint_id = 'cp-0002'),
          'cp-0001', 'the parent id is stored');
SELECT is((SELECT ROW(channel_names, channel_values, channel_blobs)::text FROM langgraph.checkpoint_tuples
           WHERE thread_id = 'pgtap-put-checkpoint-1' AND checkpoint_id = 'cp-0002'),
          ROW(ARRAY['a', 'b'], ARRAY['{"x": 1}'::jsonb, NULL], ARRAY[NULL, '\x03'::bytea])::text,
          'the second checkpoint reads the unchanged value through its version');

-- Sending a value again at a version that is already stored keeps the stored one.
SELECT lives_ok($$SELECT langgraph.put_checkpoint(
              'pgtap-put-checkpoint-1', '', 'cp-0003', 'cp-0002',
              '{"channel_versions": {"a": "1", "b": "2"}}', '{"step": 1}',
              ARRAY['a'], ARRAY['json'], ARRAY['{"x": "changed"}'::jsonb], ARRAY[NULL::bytea])$$,
                'a put that re-sends a value at an existing version succeeds');
SELECT is((SELECT array_agg(value) FROM langgraph.checkpoint_blobs WHERE thread_id = 'pgtap-put-checkpoint-1' AND channel = 'a'),
          ARRAY['{"x": 1}'::jsonb], 'the value stored first at that version is kept, no row is added');

-- A retried put of the same id is idempotent and replaces the document and metadata.
SELECT is(langgraph.put_checkpoint(
              'pgtap-put-checkpoint-1', '', 'cp-0002', 'cp-0001',
              '{"v": 4, "id": "cp-0002", "channel_versions": {"a": "1", "b": "2", "e": "1"}, "retried": true}',
              '{"step": 0, "writes": {"node": 1}}', ARRAY['b'], ARRAY['msgpack'], ARRAY[NULL::jsonb], ARRAY['\x03'::bytea]),
          'cp-0002', 'a retried put returns the same id');
SELECT is((SELECT count(*) FROM langgraph.checkpoints WHERE thread_id = 'pgtap-put-checkpoint-1' AND checkpoint_id = 'cp-0002'),
          1::bigint, 'the retry leaves one row for the id');
SELECT is((SELECT metadata FROM langgraph.checkpoints WHERE thread_id = 'pgtap-put-checkpoint-1' AND checkpoint_id = 'cp-0002'),
          '{"step": 0, "writes": {"node": 1}}'::jsonb, 'the retry replaces the metadata');
SELECT is((SELECT checkpoint -> 'retried' FROM langgraph.checkpoints WHERE thread_id = 'pgtap-put-checkpoint-1' AND checkpoint_id = 'cp-0002'),
          'true'::jsonb, 'the retry replaces the document');
SELECT is((SELECT count(*) FROM langgraph.checkpoint_blobs WHERE thread_id = 'pgtap-put-checkpoint-1'), 3::bigint,
          'the retry stores no value twice');

-- Defaults, namespaces and LangGraph's integer versions.
SELECT is(langgraph.put_checkpoint('pgtap-put-checkpoint-1', 'child:1', 'cp-0001', NULL, '{}'), 'cp-0001',
          'the value arrays default to empty; the same id may exist in another namespace');
SELECT is((SELECT metadata FROM langgraph.checkpoints WHERE thread_id = 'pgtap-put-checkpoint-1' AND checkpoint_ns = 'child:1'),
          '{}'::jsonb, 'metadata defaults to an empty object');
SELECT lives_ok($$SELECT langgraph.put_checkpoint('pgtap-put-checkpoint-2', '', 'cp-0001', NULL,
                      '{"channel_versions": {"n": 3}}', '{}', ARRAY['n'], ARRAY['json'], ARRAY['[1, 2]'::jsonb], ARRAY[NULL::bytea])$$,
                'integer channel versions are accepted');
SELECT is((SELECT version FROM langgraph.checkpoint_blobs WHERE thread_id = 'pgtap-put-checkpoint-2' AND channel = 'n'), '3',
          'an integer version is stored as its text');
SELECT is((SELECT channel_values FROM langgraph.checkpoint_tuples WHERE thread_id = 'pgtap-put-checkpoint-2'),
          ARRAY['[1, 2]'::jsonb], 'a value stored under an integer version is found again');

-- Errors: every documented SQLSTATE, and a rejected call stores nothing ------
CREATE TEMP TABLE pgtap_put_checkpoint_before AS
SELECT (SELECT count(*) FROM langgraph.threads WHERE thread_id LIKE 'pgtap-put-checkpoint-%')
     + (SELECT count(*) FROM langgraph.checkpoints WHERE thread_id LIKE 'pgtap-put-checkpoint-%')
     + (SELECT count(*) FROM langgraph.checkpoint_blobs WHERE thread_id LIKE 'pgtap-put-checkpoint-%') AS n,
       (SELECT metadata FROM langgraph.checkpoints WHERE thread_id = 'pgtap-put-checkpoint-1' AND checkpoint_id = 'cp-0002') AS metadata;

SELECT throws_ok($$SELECT langgraph.put_checkpoint(NULL, '', 'cp-0009', NULL, '{}')$$, 'LG001', NULL, 'LG001: NULL thread_id');
SELECT throws_ok($$SELECT langgraph.put_checkpoint('', '', 'cp-0009', NULL, '{}')$$, 'LG001', NULL, 'LG001: empty thread_id');
SELECT throws_ok($$SELECT langgraph.put_checkpoint(repeat('t', 1025), '', 'cp-0009', NULL, '{}')$$, 'LG001', NULL,
                 'LG001: thread_id over 1024 characters');
SELECT throws_ok($$SELECT langgraph.put_checkpoint('pgtap-put-checkpoint-3', NULL, 'cp-0009', NULL, '{}')$$, 'LG001', NULL,
                 'LG001: NULL checkpoint_ns');
SELECT throws_ok($$SELECT langgraph.put_checkpoint('pgtap-put-checkpoint-3', repeat('n', 1025), 'cp-0009', NULL, '{}')$$, 'LG001', NULL,
                 'LG001: checkpoint_ns over 1024 characters');
SELECT throws_ok($$SELECT langgraph.put_checkpoint('pgtap-put-checkpoint-3', '', NULL, NULL, '{}')$$, 'LG001', NULL,
                 'LG001: NULL checkpoint_id');
SELECT throws_ok($$SELECT langgraph.put_checkpoint('pgtap-put-checkpoint-3', '', '', NULL, '{}')$$, 'LG001', NULL,
                 'LG001: empty checkpoint_id');
SELECT throws_ok($$SELECT langgraph.put_checkpoint('pgtap-put-checkpoint-3', '', 'cp-0009', '', '{}')$$, 'LG001', NULL,
                 'LG001: empty parent_checkpoint_id');
SELECT throws_ok($$SELECT langgraph.put_checkpoint('pgtap-put-checkpoint-3', '', 'cp-0009', repeat('p', 1025), '{}')$$, 'LG001', NULL,
                 'LG001: parent_checkpoint_id over 1024 characters');
SELECT throws_ok($$SELECT langgraph.put_checkpoint('pgtap-put-checkpoint-3', '', 'cp-0009', NULL, '[]')$$, 'LG002', NULL,
                 'LG002: checkpoint document is an array');
SELECT throws_ok($$SELECT langgraph.put_checkpoint('pgtap-put-checkpoint-3', '', 'cp-0009', NULL, NULL)$$, 'LG002', NULL,
                 'LG002: checkpoint document is NULL');
SELECT throws_ok($$SELECT langgraph.put_checkpoint('pgtap-put-checkpoint-3', '', 'cp-0009', NULL, '{}', NULL)$$, 'LG002', NULL,
                 'LG002: metadata is NULL');
SELECT throws_ok($$SELECT langgraph.put_checkpoint('pgtap-put-checkpoint-3', '', 'cp-0009', NULL, '{}', '"m"')$$, 'LG002', NULL,
                 'LG002: metadata is not an object');
SELECT throws_ok($$SELECT langgraph.put_checkpoint('pgtap-put-checkpoint-3', '', 'cp-0009', NULL, '{"channel_versions": {"a": "1"}}', '{}',
                      ARRAY['a'], ARRAY['json'], '{}', '{}')$$, 'LG002', NULL,
                 'LG002: value arrays of different lengths');
SELECT throws_ok($$SELECT langgraph.put_checkpoint('pgtap-put-checkpoint-3', '', 'cp-0009', NULL, '{}', '{}', NULL, NULL, NULL, NULL)$$,
                 'LG002', NULL, 'LG002: NULL value arrays');
SELECT throws_ok($$SELECT langgraph.put_checkpoint('pgtap-put-checkpoint-3', '', 'cp-0009', NULL, '{"channel_versions": {"a": "1"}}', '{}',
                      ARRAY['a'], ARRAY['msgpack'], ARRAY[NULL::jsonb], ARRAY[NULL::bytea])$$, 'LG002', NULL,
                 'LG002: a serializer value without bytes');
SELECT throws_ok($$SELECT langgraph.put_checkpoint('pgtap-put-checkpoint-3', '', 'cp-0009', NULL, '{"id": "cp-other"}')$$, 'LG002',
                 'checkpoint.id cp-other does not match checkpoint_id cp-0009', 'LG002: checkpoint.id does not match checkpoint_id');
SELECT throws_ok($$SELECT langgraph.put_checkpoint('pgtap-put-checkpoint-3', '', 'cp-0009', NULL, '{"channel_versions": ["a"]}')$$, 'LG002',
                 'checkpoint.channel_versions must be a JSON object', 'LG002: channel_versions is not an object');
SELECT throws_ok($$SELECT langgraph.put_checkpoint('pgtap-put-checkpoint-3', '', 'cp-0009', NULL, '{"channel_versions": {"a": "1"}}', '{}',
                      ARRAY['b'], ARRAY['json'], ARRAY['1'::jsonb], ARRAY[NULL::bytea])$$, 'LG002',
                 'channel b has no version in checkpoint.channel_versions', 'LG002: a value for a channel without a version');
SELECT throws_ok($$SELECT langgraph.put_checkpoint('pgtap-put-checkpoint-3', '', 'cp-0009', NULL, '{"channel_versions": {"a": null}}', '{}',
                      ARRAY['a'], ARRAY['json'], ARRAY['1'::jsonb], ARRAY[NULL::bytea])$$, 'LG002',
                 'channel a has no version in checkpoint.channel_versions', 'LG002: a value whose version is JSON null (not the table''s not-null violation)');
SELECT throws_ok($$SELECT langgraph.put_checkpoint('pgtap-put-checkpoint-1', '', 'cp-0002', NULL, '{}', '[]')$$, 'LG002', NULL,
                 'LG002: a rejected retry of an existing id');
SELECT throws_ok($$SELECT langgraph.put_checkpoint('pgtap-put-checkpoint-1', '', 'cp-0009', 'cp-missing', '{}')$$, 'LG008', NULL,
                 'LG008: the parent checkpoint does not exist');
SELECT throws_ok($$SELECT langgraph.put_checkpoint('pgtap-put-checkpoint-1', '', 'cp-0009', 'cp-0001', '{}', '{"source": "loop"}',
                      p_exclusive => true)$$, 'LG005', NULL,
                 'LG005: in exclusive mode a graph step may not fork from a parent that already has a child');
SELECT throws_ok($$SELECT langgraph.put_checkpoint('pgtap-put-checkpoint-1', '', 'cp-0009', NULL, '{}', '{"source": "input"}',
                      p_exclusive => true)$$, 'LG005', NULL,
                 'LG005: in exclusive mode a parentless save into a namespace with checkpoints is refused');
INSERT INTO langgraph.thread_leases (thread_id, owner, expires_at)
VALUES ('pgtap-put-checkpoint-1', 'pgtap-owner-a', clock_timestamp() + interval '1 hour');
SELECT throws_ok($$SELECT langgraph.put_checkpoint('pgtap-put-checkpoint-1', '', 'cp-0009', 'cp-0003', '{}', '{}',
                      p_lease_owner => 'pgtap-owner-b')$$, 'LG006', NULL,
                 'LG006: another owner holds a live lease');
SELECT throws_ok($$SELECT langgraph.put_checkpoint('pgtap-put-checkpoint-1', '', 'cp-0009', 'cp-0003', '{}')$$, 'LG006', NULL,
                 'LG006: a save without a lease owner is refused while a lease is live');
SELECT is((SELECT (SELECT count(*) FROM langgraph.threads WHERE thread_id LIKE 'pgtap-put-checkpoint-%')
                + (SELECT count(*) FROM langgraph.checkpoints WHERE thread_id LIKE 'pgtap-put-checkpoint-%')
                + (SELECT count(*) FROM langgraph.checkpoint_blobs WHERE thread_id LIKE 'pgtap-put-checkpoint-%')),
          (SELECT n FROM pgtap_put_checkpoint_before), 'the rejected calls added or removed no row');
SELECT is((SELECT metadata FROM langgraph.checkpoints WHERE thread_id = 'pgtap-put-checkpoint-1' AND checkpoint_id = 'cp-0002'),
          (SELECT metadata FROM pgtap_put_checkpoint_before), 'the rejected retry left the existing checkpoint as it was');

SELECT lives_ok($$SELECT langgraph.put_checkpoint('pgtap-put-checkpoint-1', '', 'cp-0004', 'cp-0003', '{}', '{}',
                      p_lease_owner => 'pgtap-owner-a')$$, 'the lease owner may save');
SELECT lives_ok($$SELECT langgraph.put_checkpoint('pgtap-put-checkpoint-1', '', 'cp-0005', 'cp-0003', '{}', '{"source": "fork"}',
                      p_exclusive => true, p_lease_owner => 'pgtap-owner-a')$$,
                'exclusive mode lets explicit time travel (source fork) branch');
DELETE FROM langgraph.thread_leases WHERE thread_id = 'pgtap-put-checkpoint-1';

-- Privileges, as login roles ---------------------------------------------------
CREATE ROLE pgtap_put_checkpoint_app LOGIN;
CREATE ROLE pgtap_put_checkpoint_ro LOGIN;
GRANT langgraph_client TO pgtap_put_checkpoint_app;
GRANT langgraph_reader TO pgtap_put_checkpoint_ro;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA pg_temp TO pgtap_put_checkpoint_app, pgtap_put_checkpoint_ro;
GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA pg_temp TO pgtap_put_checkpoint_app, pgtap_put_checkpoint_ro;
SET ROLE pgtap_put_checkpoint_app;
SELECT lives_ok($$SELECT langgraph.put_checkpoint('pgtap-put-checkpoint-4', '', 'cp-0001', NULL, '{"channel_versions": {"a": "1"}}', '{}',
                      ARRAY['a'], ARRAY['json'], ARRAY['1'::jsonb], ARRAY[NULL::bytea])$$,
                'a login granted the client role can call put_checkpoint');
SELECT throws_ok($$INSERT INTO langgraph.checkpoints (thread_id, checkpoint_id, checkpoint) VALUES ('pgtap-put-checkpoint-4', 'x', '{}')$$,
                 '42501', NULL, 'but cannot write the table directly');
RESET ROLE;
SET ROLE pgtap_put_checkpoint_ro;
SELECT throws_ok($$SELECT langgraph.put_checkpoint('pgtap-put-checkpoint-4', '', 'cp-0002', NULL, '{}')$$, '42501', NULL,
                 'a login granted only the reader role cannot call put_checkpoint');
RESET ROLE;

SELECT * FROM finish();
ROLLBACK;
