-- pgTAP tests for the function_put_checkpoint_v2 change. The first part is put_checkpoint_v2's
-- file run against put_checkpoint_v2: the same input gives the same result or the same
-- error. The second part tests what only v2 does: values sent as appended tails.
BEGIN;
SELECT plan(87);

-- Structure ------------------------------------------------------------------
SELECT has_function('langgraph', 'put_checkpoint_v2', ARRAY['text', 'text', 'text', 'text', 'jsonb', 'jsonb', 'text[]', 'text[]', 'jsonb[]', 'bytea[]', 'text[]', 'boolean', 'text'], 'put_checkpoint_v2(text, text, text, text, jsonb, jsonb, text[], text[], jsonb[], bytea[], text[], boolean, text) exists');
SELECT function_returns('langgraph', 'put_checkpoint_v2', ARRAY['text', 'text', 'text', 'text', 'jsonb', 'jsonb', 'text[]', 'text[]', 'jsonb[]', 'bytea[]', 'text[]', 'boolean', 'text'], 'text', 'put_checkpoint returns text');
SELECT function_lang_is('langgraph', 'put_checkpoint_v2', ARRAY['text', 'text', 'text', 'text', 'jsonb', 'jsonb', 'text[]', 'text[]', 'jsonb[]', 'bytea[]', 'text[]', 'boolean', 'text'], 'plpgsql', 'put_checkpoint is written in plpgsql');
SELECT volatility_is('langgraph', 'put_checkpoint_v2', ARRAY['text', 'text', 'text', 'text', 'jsonb', 'jsonb', 'text[]', 'text[]', 'jsonb[]', 'bytea[]', 'text[]', 'boolean', 'text'], 'volatile', 'put_checkpoint is VOLATILE');
SELECT is_definer('langgraph', 'put_checkpoint_v2', ARRAY['text', 'text', 'text', 'text', 'jsonb', 'jsonb', 'text[]', 'text[]', 'jsonb[]', 'bytea[]', 'text[]', 'boolean', 'text'], 'put_checkpoint is SECURITY DEFINER');
SELECT ok((SELECT 'search_path=langgraph, pg_temp' = ANY (proconfig) FROM pg_proc WHERE oid = 'langgraph.put_checkpoint_v2(text, text, text, text, jsonb, jsonb, text[], text[], jsonb[], bytea[], text[], boolean, text)'::regprocedure),
          'put_checkpoint pins search_path to its schema and pg_temp');
SELECT function_privs_are('langgraph', 'put_checkpoint_v2', ARRAY['text', 'text', 'text', 'text', 'jsonb', 'jsonb', 'text[]', 'text[]', 'jsonb[]', 'bytea[]', 'text[]', 'boolean', 'text'], 'public', ARRAY[]::text[], 'PUBLIC cannot call put_checkpoint_v2');
SELECT function_privs_are('langgraph', 'put_checkpoint_v2', ARRAY['text', 'text', 'text', 'text', 'jsonb', 'jsonb', 'text[]', 'text[]', 'jsonb[]', 'bytea[]', 'text[]', 'boolean', 'text'], 'langgraph_reader', ARRAY[]::text[], 'the reader role cannot call put_checkpoint_v2');
SELECT function_privs_are('langgraph', 'put_checkpoint_v2', ARRAY['text', 'text', 'text', 'text', 'jsonb', 'jsonb', 'text[]', 'text[]', 'jsonb[]', 'bytea[]', 'text[]', 'boolean', 'text'], 'langgraph_client', ARRAY['EXECUTE'], 'the client role may call put_checkpoint_v2');
SELECT ok(has_function_privilege('langgraph_client', 'langgraph.put_checkpoint_v2(text, text, text, text, jsonb, jsonb, text[], text[], jsonb[], bytea[], text[], boolean, text)', 'execute'),
          'has_function_privilege agrees: the client role may call put_checkpoint_v2');
SELECT ok(obj_description('langgraph.put_checkpoint_v2(text, text, text, text, jsonb, jsonb, text[], text[], jsonb[], bytea[], text[], boolean, text)'::regprocedure, 'pg_proc') ~ 'Raises', 'the comment on put_checkpoint_v2 names what it raises');

-- Behaviour ------------------------------------------------------------------
SELECT is(langgraph.put_checkpoint_v2(
              'pgtap-put-v2-1', '', 'cp-0001', NULL,
              '{"v": 4, "id": "cp-0001", "ts": "2026-01-01T00:00:00+00:00",
                "channel_versions": {"a": "1", "b": "1", "e": "1"}, "versions_seen": {},
                "channel_values": {"a": {"x": 1}}}',
              '{"step": -1, "source": "input"}',
              ARRAY['a', 'b', 'e'], ARRAY['json', 'msgpack', 'empty'],
              ARRAY['{"x": 1}'::jsonb, NULL, NULL], ARRAY[NULL, '\x0102'::bytea, NULL]),
          'cp-0001', 'put_checkpoint returns the checkpoint id');
SELECT is((SELECT count(*) FROM langgraph.threads WHERE thread_id = 'pgtap-put-v2-1'), 1::bigint,
          'the first put creates the thread row');
SELECT is((SELECT checkpoint FROM langgraph.checkpoints WHERE thread_id = 'pgtap-put-v2-1' AND checkpoint_id = 'cp-0001'),
          '{"v": 4, "id": "cp-0001", "ts": "2026-01-01T00:00:00+00:00",
            "channel_versions": {"a": "1", "b": "1", "e": "1"}, "versions_seen": {}}'::jsonb,
          'the document is stored without channel_values');
SELECT is((SELECT ROW(checkpoint_ns, parent_checkpoint_id, metadata)::text FROM langgraph.checkpoints
           WHERE thread_id = 'pgtap-put-v2-1' AND checkpoint_id = 'cp-0001'),
          ROW('', NULL::text, '{"step": -1, "source": "input"}'::jsonb)::text,
          'namespace, parent (NULL for a root) and metadata are stored');
SELECT is((SELECT array_agg(ROW(channel, version, type, value, blob)::text ORDER BY channel)
           FROM langgraph.checkpoint_blobs WHERE thread_id = 'pgtap-put-v2-1'),
          ARRAY[ROW('a', '1', 'json', '{"x": 1}'::jsonb, NULL::bytea)::text,
                ROW('b', '1', 'msgpack', NULL::jsonb, '\x0102'::bytea)::text],
          'each channel value is stored once with its version from channel_versions (an empty channel stores no row)');

-- The next checkpoint changes b only: a keeps version 1 and is not stored again.
SELECT is(langgraph.put_checkpoint_v2(
              'pgtap-put-v2-1', '', 'cp-0002', 'cp-0001',
              '{"v": 4, "id": "cp-0002", "channel_versions": {"a": "1", "b": "2", "e": "1"}}',
              '{"step": 0}', ARRAY['b'], ARRAY['msgpack'], ARRAY[NULL::jsonb], ARRAY['\x03'::bytea]),
          'cp-0002', 'a second checkpoint is saved');
SELECT is((SELECT count(*) FROM langgraph.checkpoint_blobs WHERE thread_id = 'pgtap-put-v2-1'), 3::bigint,
          'only the changed channel adds a row (3 values for 2 checkpoints)');
SELECT is((SELECT count(*) FROM langgraph.checkpoint_blobs WHERE thread_id = 'pgtap-put-v2-1' AND channel = 'a'), 1::bigint,
          'the unchanged channel still has one row');
SELECT is((SELECT parent_checkpoint_id FROM langgraph.checkpoints WHERE thread_id = 'pgtap-put-v2-1' AND checkpoint_id = 'cp-0002'),
          'cp-0001', 'the parent id is stored');
SELECT is((SELECT ROW(channel_names, channel_values, channel_blobs)::text FROM langgraph.checkpoint_tuples
           WHERE thread_id = 'pgtap-put-v2-1' AND checkpoint_id = 'cp-0002'),
          ROW(ARRAY['a', 'b'], ARRAY['{"x": 1}'::jsonb, NULL], ARRAY[NULL, '\x03'::bytea])::text,
          'the second checkpoint reads the unchanged value through its version');

-- Sending a value again at a version that is already stored keeps the stored one.
SELECT lives_ok($$SELECT langgraph.put_checkpoint_v2(
              'pgtap-put-v2-1', '', 'cp-0003', 'cp-0002',
              '{"channel_versions": {"a": "1", "b": "2"}}', '{"step": 1}',
              ARRAY['a'], ARRAY['json'], ARRAY['{"x": "changed"}'::jsonb], ARRAY[NULL::bytea])$$,
                'a put that re-sends a value at an existing version succeeds');
SELECT is((SELECT array_agg(value) FROM langgraph.checkpoint_blobs WHERE thread_id = 'pgtap-put-v2-1' AND channel = 'a'),
          ARRAY['{"x": 1}'::jsonb], 'the value stored first at that version is kept, no row is added');

-- A retried put of the same id is idempotent and replaces the document and metadata.
SELECT is(langgraph.put_checkpoint_v2(
              'pgtap-put-v2-1', '', 'cp-0002', 'cp-0001',
              '{"v": 4, "id": "cp-0002", "channel_versions": {"a": "1", "b": "2", "e": "1"}, "retried": true}',
              '{"step": 0, "writes": {"node": 1}}', ARRAY['b'], ARRAY['msgpack'], ARRAY[NULL::jsonb], ARRAY['\x03'::bytea]),
          'cp-0002', 'a retried put returns the same id');
SELECT is((SELECT count(*) FROM langgraph.checkpoints WHERE thread_id = 'pgtap-put-v2-1' AND checkpoint_id = 'cp-0002'),
          1::bigint, 'the retry leaves one row for the id');
SELECT is((SELECT metadata FROM langgraph.checkpoints WHERE thread_id = 'pgtap-put-v2-1' AND checkpoint_id = 'cp-0002'),
          '{"step": 0, "writes": {"node": 1}}'::jsonb, 'the retry replaces the metadata');
SELECT is((SELECT checkpoint -> 'retried' FROM langgraph.checkpoints WHERE thread_id = 'pgtap-put-v2-1' AND checkpoint_id = 'cp-0002'),
          'true'::jsonb, 'the retry replaces the document');
SELECT is((SELECT count(*) FROM langgraph.checkpoint_blobs WHERE thread_id = 'pgtap-put-v2-1'), 3::bigint,
          'the retry stores no value twice');

-- Defaults, namespaces and LangGraph's integer versions.
SELECT is(langgraph.put_checkpoint_v2('pgtap-put-v2-1', 'child:1', 'cp-0001', NULL, '{}'), 'cp-0001',
          'the value arrays default to empty; the same id may exist in another namespace');
SELECT is((SELECT metadata FROM langgraph.checkpoints WHERE thread_id = 'pgtap-put-v2-1' AND checkpoint_ns = 'child:1'),
          '{}'::jsonb, 'metadata defaults to an empty object');
SELECT lives_ok($$SELECT langgraph.put_checkpoint_v2('pgtap-put-v2-2', '', 'cp-0001', NULL,
                      '{"channel_versions": {"n": 3}}', '{}', ARRAY['n'], ARRAY['json'], ARRAY['[1, 2]'::jsonb], ARRAY[NULL::bytea])$$,
                'integer channel versions are accepted');
SELECT is((SELECT version FROM langgraph.checkpoint_blobs WHERE thread_id = 'pgtap-put-v2-2' AND channel = 'n'), '3',
          'an integer version is stored as its text');
SELECT is((SELECT channel_values FROM langgraph.checkpoint_tuples WHERE thread_id = 'pgtap-put-v2-2'),
          ARRAY['[1, 2]'::jsonb], 'a value stored under an integer version is found again');

-- Errors: every documented SQLSTATE, and a rejected call stores nothing ------
CREATE TEMP TABLE pgtap_put_v2_before AS
SELECT (SELECT count(*) FROM langgraph.threads WHERE thread_id LIKE 'pgtap-put-v2-%')
     + (SELECT count(*) FROM langgraph.checkpoints WHERE thread_id LIKE 'pgtap-put-v2-%')
     + (SELECT count(*) FROM langgraph.checkpoint_blobs WHERE thread_id LIKE 'pgtap-put-v2-%') AS n,
       (SELECT metadata FROM langgraph.checkpoints WHERE thread_id = 'pgtap-put-v2-1' AND checkpoint_id = 'cp-0002') AS metadata;

SELECT throws_ok($$SELECT langgraph.put_checkpoint_v2(NULL, '', 'cp-0009', NULL, '{}')$$, 'LG001', NULL, 'LG001: NULL thread_id');
SELECT throws_ok($$SELECT langgraph.put_checkpoint_v2('', '', 'cp-0009', NULL, '{}')$$, 'LG001', NULL, 'LG001: empty thread_id');
SELECT throws_ok($$SELECT langgraph.put_checkpoint_v2(repeat('t', 1025), '', 'cp-0009', NULL, '{}')$$, 'LG001', NULL,
                 'LG001: thread_id over 1024 characters');
SELECT throws_ok($$SELECT langgraph.put_checkpoint_v2('pgtap-put-v2-3', NULL, 'cp-0009', NULL, '{}')$$, 'LG001', NULL,
                 'LG001: NULL checkpoint_ns');
SELECT throws_ok($$SELECT langgraph.put_checkpoint_v2('pgtap-put-v2-3', repeat('n', 1025), 'cp-0009', NULL, '{}')$$, 'LG001', NULL,
                 'LG001: checkpoint_ns over 1024 characters');
SELECT throws_ok($$SELECT langgraph.put_checkpoint_v2('pgtap-put-v2-3', '', NULL, NULL, '{}')$$, 'LG001', NULL,
                 'LG001: NULL checkpoint_id');
SELECT throws_ok($$SELECT langgraph.put_checkpoint_v2('pgtap-put-v2-3', '', '', NULL, '{}')$$, 'LG001', NULL,
                 'LG001: empty checkpoint_id');
SELECT throws_ok($$SELECT langgraph.put_checkpoint_v2('pgtap-put-v2-3', '', 'cp-0009', '', '{}')$$, 'LG001', NULL,
                 'LG001: empty parent_checkpoint_id');
SELECT throws_ok($$SELECT langgraph.put_checkpoint_v2('pgtap-put-v2-3', '', 'cp-0009', repeat('p', 1025), '{}')$$, 'LG001', NULL,
                 'LG001: parent_checkpoint_id over 1024 characters');
SELECT throws_ok($$SELECT langgraph.put_checkpoint_v2('pgtap-put-v2-3', '', 'cp-0009', NULL, '[]')$$, 'LG002', NULL,
                 'LG002: checkpoint document is an array');
SELECT throws_ok($$SELECT langgraph.put_checkpoint_v2('pgtap-put-v2-3', '', 'cp-0009', NULL, NULL)$$, 'LG002', NULL,
                 'LG002: checkpoint document is NULL');
SELECT throws_ok($$SELECT langgraph.put_checkpoint_v2('pgtap-put-v2-3', '', 'cp-0009', NULL, '{}', NULL)$$, 'LG002', NULL,
                 'LG002: metadata is NULL');
SELECT throws_ok($$SELECT langgraph.put_checkpoint_v2('pgtap-put-v2-3', '', 'cp-0009', NULL, '{}', '"m"')$$, 'LG002', NULL,
                 'LG002: metadata is not an object');
SELECT throws_ok($$SELECT langgraph.put_checkpoint_v2('pgtap-put-v2-3', '', 'cp-0009', NULL, '{"channel_versions": {"a": "1"}}', '{}',
                      ARRAY['a'], ARRAY['json'], '{}', '{}')$$, 'LG002', NULL,
                 'LG002: value arrays of different lengths');
SELECT throws_ok($$SELECT langgraph.put_checkpoint_v2('pgtap-put-v2-3', '', 'cp-0009', NULL, '{}', '{}', NULL, NULL, NULL, NULL)$$,
                 'LG002', NULL, 'LG002: NULL value arrays');
SELECT throws_ok($$SELECT langgraph.put_checkpoint_v2('pgtap-put-v2-3', '', 'cp-0009', NULL, '{"channel_versions": {"a": "1"}}', '{}',
                      ARRAY['a'], ARRAY['msgpack'], ARRAY[NULL::jsonb], ARRAY[NULL::bytea])$$, 'LG002', NULL,
                 'LG002: a serializer value without bytes');
SELECT throws_ok($$SELECT langgraph.put_checkpoint_v2('pgtap-put-v2-3', '', 'cp-0009', NULL, '{"id": "cp-other"}')$$, 'LG002',
                 'checkpoint.id cp-other does not match checkpoint_id cp-0009', 'LG002: checkpoint.id does not match checkpoint_id');
SELECT throws_ok($$SELECT langgraph.put_checkpoint_v2('pgtap-put-v2-3', '', 'cp-0009', NULL, '{"channel_versions": ["a"]}')$$, 'LG002',
                 'checkpoint.channel_versions must be a JSON object', 'LG002: channel_versions is not an object');
SELECT throws_ok($$SELECT langgraph.put_checkpoint_v2('pgtap-put-v2-3', '', 'cp-0009', NULL, '{"channel_versions": {"a": "1"}}', '{}',
                      ARRAY['b'], ARRAY['json'], ARRAY['1'::jsonb], ARRAY[NULL::bytea])$$, 'LG002',
                 'channel b has no version in checkpoint.channel_versions', 'LG002: a value for a channel without a version');
SELECT throws_ok($$SELECT langgraph.put_checkpoint_v2('pgtap-put-v2-3', '', 'cp-0009', NULL, '{"channel_versions": {"a": null}}', '{}',
                      ARRAY['a'], ARRAY['json'], ARRAY['1'::jsonb], ARRAY[NULL::bytea])$$, 'LG002',
                 'channel a has no version in checkpoint.channel_versions', 'LG002: a value whose version is JSON null (not the table''s not-null violation)');
SELECT throws_ok($$SELECT langgraph.put_checkpoint_v2('pgtap-put-v2-1', '', 'cp-0002', NULL, '{}', '[]')$$, 'LG002', NULL,
                 'LG002: a rejected retry of an existing id');
SELECT throws_ok($$SELECT langgraph.put_checkpoint_v2('pgtap-put-v2-1', '', 'cp-0009', 'cp-missing', '{}')$$, 'LG008', NULL,
                 'LG008: the parent checkpoint does not exist');
SELECT throws_ok($$SELECT langgraph.put_checkpoint_v2('pgtap-put-v2-1', '', 'cp-0009', 'cp-0001', '{}', '{"source": "loop"}',
                      p_exclusive => true)$$, 'LG005', NULL,
                 'LG005: in exclusive mode a graph step may not fork from a parent that already has a child');
SELECT throws_ok($$SELECT langgraph.put_checkpoint_v2('pgtap-put-v2-1', '', 'cp-0009', NULL, '{}', '{"source": "input"}',
                      p_exclusive => true)$$, 'LG005', NULL,
                 'LG005: in exclusive mode a parentless save into a namespace with checkpoints is refused');
INSERT INTO langgraph.thread_leases (thread_id, owner, expires_at)
VALUES ('pgtap-put-v2-1', 'pgtap-owner-a', clock_timestamp() + interval '1 hour');
SELECT throws_ok($$SELECT langgraph.put_checkpoint_v2('pgtap-put-v2-1', '', 'cp-0009', 'cp-0003', '{}', '{}',
                      p_lease_owner => 'pgtap-owner-b')$$, 'LG006', NULL,
                 'LG006: another owner holds a live lease');
SELECT throws_ok($$SELECT langgraph.put_checkpoint_v2('pgtap-put-v2-1', '', 'cp-0009', 'cp-0003', '{}')$$, 'LG006', NULL,
                 'LG006: a save without a lease owner is refused while a lease is live');
SELECT is((SELECT (SELECT count(*) FROM langgraph.threads WHERE thread_id LIKE 'pgtap-put-v2-%')
                + (SELECT count(*) FROM langgraph.checkpoints WHERE thread_id LIKE 'pgtap-put-v2-%')
                + (SELECT count(*) FROM langgraph.checkpoint_blobs WHERE thread_id LIKE 'pgtap-put-v2-%')),
          (SELECT n FROM pgtap_put_v2_before), 'the rejected calls added or removed no row');
SELECT is((SELECT metadata FROM langgraph.checkpoints WHERE thread_id = 'pgtap-put-v2-1' AND checkpoint_id = 'cp-0002'),
          (SELECT metadata FROM pgtap_put_v2_before), 'the rejected retry left the existing checkpoint as it was');

SELECT lives_ok($$SELECT langgraph.put_checkpoint_v2('pgtap-put-v2-1', '', 'cp-0004', 'cp-0003', '{}', '{}',
                      p_lease_owner => 'pgtap-owner-a')$$, 'the lease owner may save');
SELECT lives_ok($$SELECT langgraph.put_checkpoint_v2('pgtap-put-v2-1', '', 'cp-0005', 'cp-0003', '{}', '{"source": "fork"}',
                      p_exclusive => true, p_lease_owner => 'pgtap-owner-a')$$,
                'exclusive mode lets explicit time travel (source fork) branch');
DELETE FROM langgraph.thread_leases WHERE thread_id = 'pgtap-put-v2-1';

-- Appended tails ----------------------------------------------------------------
-- A whole array starts a chain at depth 0; a tail extends it without the base being read.
SELECT is(langgraph.put_checkpoint_v2('pgtap-put-v2-tail', '', 'cp-01', NULL,
              '{"channel_versions": {"m": "01", "s": "01"}}', '{}', ARRAY['m', 's'], ARRAY['json', 'json'],
              ARRAY['[1, 2]'::jsonb, '{"k": 1}'], ARRAY[NULL, NULL]::bytea[]),
          'cp-01', 'a save of whole values returns its id');
SELECT is((SELECT array_agg(ROW(channel, base_version, delta_depth)::text ORDER BY channel) FROM langgraph.checkpoint_blobs
           WHERE thread_id = 'pgtap-put-v2-tail'),
          ARRAY[ROW('m', NULL::text, 0::smallint)::text, ROW('s', NULL::text, NULL::smallint)::text],
          'a whole JSON array has delta_depth 0; any other value NULL');
SELECT lives_ok($$SELECT langgraph.put_checkpoint_v2('pgtap-put-v2-tail', '', 'cp-02', 'cp-01',
              '{"channel_versions": {"m": "02", "s": "01"}}', '{}', ARRAY['m'], ARRAY['json'],
              ARRAY['[3]'::jsonb], ARRAY[NULL::bytea], ARRAY['01'])$$, 'a tail of version 01 is accepted');
SELECT lives_ok($$SELECT langgraph.put_checkpoint_v2('pgtap-put-v2-tail', '', 'cp-03', 'cp-02',
              '{"channel_versions": {"m": "03", "s": "01"}}', '{}', ARRAY['m'], ARRAY['json'],
              ARRAY['[4, 5]'::jsonb], ARRAY[NULL::bytea], ARRAY['02'])$$, 'a tail of a tail is accepted');
SELECT is((SELECT array_agg(ROW(version, value, base_version, delta_depth)::text ORDER BY version) FROM langgraph.checkpoint_blobs
           WHERE thread_id = 'pgtap-put-v2-tail' AND channel = 'm'),
          ARRAY[ROW('01', '[1, 2]'::jsonb, NULL::text, 0::smallint)::text, ROW('02', '[3]'::jsonb, '01', 1::smallint)::text,
                ROW('03', '[4, 5]'::jsonb, '02', 2::smallint)::text],
          'tails are stored as deltas naming their base, one link deeper each');
SELECT is((SELECT channel_values FROM langgraph.get_checkpoint('pgtap-put-v2-tail')),
          ARRAY['[1, 2, 3, 4, 5]'::jsonb, '{"k": 1}'::jsonb], 'get_checkpoint reads the whole list');
SELECT is((SELECT langgraph.load_checkpoint('pgtap-put-v2-tail') -> 'state' -> 'm'), '[1, 2, 3, 4, 5]'::jsonb,
          'so does the JSONB API');

CREATE TEMP TABLE pgtap_put_v2_tail_before AS
SELECT (SELECT count(*) FROM langgraph.checkpoints WHERE thread_id = 'pgtap-put-v2-tail')
     + (SELECT count(*) FROM langgraph.checkpoint_blobs WHERE thread_id = 'pgtap-put-v2-tail') AS n;
SELECT throws_ok($$SELECT langgraph.put_checkpoint_v2('pgtap-put-v2-tail', '', 'cp-04', 'cp-03',
              '{"channel_versions": {"m": "04", "s": "01"}}', '{}', ARRAY['m'], ARRAY['json'],
              ARRAY['[6]'::jsonb], ARRAY[NULL::bytea], ARRAY['99'])$$, 'LG009', NULL,
                 'LG009: the base version is not stored');
SELECT throws_ok($$SELECT langgraph.put_checkpoint_v2('pgtap-put-v2-tail', '', 'cp-04', 'cp-03',
              '{"channel_versions": {"m": "03", "s": "02"}}', '{}', ARRAY['s'], ARRAY['json'],
              ARRAY['[6]'::jsonb], ARRAY[NULL::bytea], ARRAY['01'])$$, 'LG009', NULL,
                 'LG009: the base is not known to be an array');
SELECT throws_ok($$SELECT langgraph.put_checkpoint_v2('pgtap-put-v2-tail', '', 'cp-04', 'cp-03',
              '{"channel_versions": {"m": "04", "s": "01"}}', '{}', ARRAY['m'], ARRAY['json'],
              ARRAY['6'::jsonb], ARRAY[NULL::bytea], ARRAY['03'])$$, 'LG002', NULL,
                 'LG002: a tail that is not a JSON array');
SELECT throws_ok($$SELECT langgraph.put_checkpoint_v2('pgtap-put-v2-tail', '', 'cp-04', 'cp-03',
              '{"channel_versions": {"m": "04", "s": "01"}}', '{}', ARRAY['m'], ARRAY['msgpack'],
              ARRAY[NULL::jsonb], ARRAY['\x01'::bytea], ARRAY['03'])$$, 'LG002', NULL,
                 'LG002: a tail in serializer bytes');
SELECT throws_ok($$SELECT langgraph.put_checkpoint_v2('pgtap-put-v2-tail', '', 'cp-04', 'cp-03',
              '{"channel_versions": {"m": "04", "s": "01"}}', '{}', ARRAY['m'], ARRAY['json'],
              ARRAY['[6]'::jsonb], ARRAY[NULL::bytea], ARRAY['03', '01'])$$, 'LG002', NULL,
                 'LG002: base versions of another length than the values');
SELECT is((SELECT count(*) FROM langgraph.checkpoints WHERE thread_id = 'pgtap-put-v2-tail')
        + (SELECT count(*) FROM langgraph.checkpoint_blobs WHERE thread_id = 'pgtap-put-v2-tail'),
          (SELECT n FROM pgtap_put_v2_tail_before), 'the refused tails stored nothing');
SELECT lives_ok($$SELECT langgraph.put_checkpoint_v2('pgtap-put-v2-tail', '', 'cp-03', 'cp-02',
              '{"channel_versions": {"m": "03", "s": "01"}}', '{}', ARRAY['m'], ARRAY['json'],
              ARRAY['[4, 5]'::jsonb], ARRAY[NULL::bytea], ARRAY['02'])$$, 'a retried tail is accepted');
SELECT is((SELECT count(*) FROM langgraph.checkpoint_blobs WHERE thread_id = 'pgtap-put-v2-tail'), 4::bigint,
          'and stores nothing twice');

-- A long chain: every 32nd link is stored whole, so a read joins at most 32 pieces.
DO $$
BEGIN
    FOR i IN 4..70 LOOP
        PERFORM langgraph.put_checkpoint_v2('pgtap-put-v2-tail', '', format('cp-%s', lpad(i::text, 2, '0')),
            format('cp-%s', lpad((i - 1)::text, 2, '0')),
            jsonb_build_object('channel_versions', jsonb_build_object('m', lpad(i::text, 2, '0'), 's', '01')), '{}',
            ARRAY['m'], ARRAY['json'], ARRAY[jsonb_build_array(i + 2)], ARRAY[NULL::bytea],
            ARRAY[lpad((i - 1)::text, 2, '0')]);
    END LOOP;
END
$$;
SELECT is((SELECT max(delta_depth) FROM langgraph.checkpoint_blobs WHERE thread_id = 'pgtap-put-v2-tail' AND channel = 'm'),
          31::smallint, 'no chain grows past 31 links');
SELECT is((SELECT array_agg(version ORDER BY version) FROM langgraph.checkpoint_blobs
           WHERE thread_id = 'pgtap-put-v2-tail' AND channel = 'm' AND base_version IS NULL),
          ARRAY['01', '33', '65'], 'the link that would be the 32nd is stored whole instead');
SELECT is((SELECT channel_values[1] FROM langgraph.get_checkpoint('pgtap-put-v2-tail', '', 'cp-70')),
          (SELECT jsonb_agg(n ORDER BY n) FROM generate_series(1, 72) AS n), 'the list at the end of the chain is exact');
SELECT is((SELECT channel_values[1] FROM langgraph.get_checkpoint('pgtap-put-v2-tail', '', 'cp-40')),
          (SELECT jsonb_agg(n ORDER BY n) FROM generate_series(1, 42) AS n), 'and so is every list along it');

-- Privileges, as login roles ---------------------------------------------------
CREATE ROLE pgtap_put_v2_app LOGIN;
CREATE ROLE pgtap_put_v2_ro LOGIN;
GRANT langgraph_client TO pgtap_put_v2_app;
GRANT langgraph_reader TO pgtap_put_v2_ro;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA pg_temp TO pgtap_put_v2_app, pgtap_put_v2_ro;
GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA pg_temp TO pgtap_put_v2_app, pgtap_put_v2_ro;
SET ROLE pgtap_put_v2_app;
SELECT lives_ok($$SELECT langgraph.put_checkpoint_v2('pgtap-put-v2-4', '', 'cp-0001', NULL, '{"channel_versions": {"a": "1"}}', '{}',
                      ARRAY['a'], ARRAY['json'], ARRAY['1'::jsonb], ARRAY[NULL::bytea])$$,
                'a login granted the client role can call put_checkpoint_v2');
SELECT throws_ok($$INSERT INTO langgraph.checkpoints (thread_id, checkpoint_id, checkpoint) VALUES ('pgtap-put-v2-4', 'x', '{}')$$,
                 '42501', NULL, 'but cannot write the table directly');
RESET ROLE;
SET ROLE pgtap_put_v2_ro;
SELECT throws_ok($$SELECT langgraph.put_checkpoint_v2('pgtap-put-v2-4', '', 'cp-0002', NULL, '{}')$$, '42501', NULL,
                 'a login granted only the reader role cannot call put_checkpoint_v2');
RESET ROLE;

-- With compression off a save calls no trigger function: it leaves out the empty
-- marker and sets a whole array's chain length itself (pg_stat_xact_user_functions
-- counts this transaction's calls).
SELECT langgraph.set_compression(false);
SET LOCAL track_functions = 'all';
SELECT langgraph.put_checkpoint_v2('pgtap-v2-notrigger', '', 'cp-1', NULL,
    '{"channel_versions": {"a": "1", "e": "1", "m": "1"}}', '{}',
    ARRAY['a', 'e', 'm'], ARRAY['json', 'empty', 'json'], ARRAY['1'::jsonb, NULL, '[1, 2]'::jsonb],
    ARRAY[NULL, NULL, NULL]::bytea[], NULL);
SELECT is((SELECT coalesce(sum(f.calls), 0)::int FROM pg_stat_xact_user_functions AS f
           WHERE f.schemaname = 'langgraph'
             AND f.funcname IN ('_checkpoint_blobs_skip_empty', '_checkpoint_blobs_delta_encode', '_compression_enabled')),
          0, 'a save with an empty marker and a whole array calls no trigger function (compression off)');
SELECT is((SELECT array_agg(channel || ':' || coalesce(delta_depth::text, '-') ORDER BY channel)
           FROM langgraph.checkpoint_blobs WHERE thread_id = 'pgtap-v2-notrigger'),
          ARRAY['a:-', 'm:0'], 'it stores the scalar, and the array with delta_depth 0; no row for the marker');

SELECT * FROM finish();
ROLLBACK;
