-- pgTAP tests for the function_batch_save_checkpoints change: N checkpoints across
-- threads in one call, all or none, through put_checkpoint's checks.
BEGIN;
SELECT plan(51);

-- Structure ------------------------------------------------------------------
SELECT has_function('langgraph', 'batch_save_checkpoints',
                    ARRAY['text[]', 'text[]', 'text[]', 'text[]', 'jsonb[]', 'jsonb[]', 'integer[]', 'text[]', 'text[]', 'jsonb[]', 'bytea[]', 'boolean', 'text'],
                    'batch_save_checkpoints(text[], text[], text[], text[], jsonb[], jsonb[], integer[], text[], text[], jsonb[], bytea[], boolean, text) exists');
SELECT function_returns('langgraph', 'batch_save_checkpoints',
                        ARRAY['text[]', 'text[]', 'text[]', 'text[]', 'jsonb[]', 'jsonb[]', 'integer[]', 'text[]', 'text[]', 'jsonb[]', 'bytea[]', 'boolean', 'text'],
                        'text[]', 'batch_save_checkpoints returns text[] (the ids)');
SELECT function_lang_is('langgraph', 'batch_save_checkpoints',
                        ARRAY['text[]', 'text[]', 'text[]', 'text[]', 'jsonb[]', 'jsonb[]', 'integer[]', 'text[]', 'text[]', 'jsonb[]', 'bytea[]', 'boolean', 'text'],
                        'plpgsql', 'batch_save_checkpoints is written in plpgsql');
SELECT volatility_is('langgraph', 'batch_save_checkpoints',
                     ARRAY['text[]', 'text[]', 'text[]', 'text[]', 'jsonb[]', 'jsonb[]', 'integer[]', 'text[]', 'text[]', 'jsonb[]', 'bytea[]', 'boolean', 'text'],
                     'volatile', 'batch_save_checkpoints is VOLATILE');
SELECT is_definer('langgraph', 'batch_save_checkpoints',
                  ARRAY['text[]', 'text[]', 'text[]', 'text[]', 'jsonb[]', 'jsonb[]', 'integer[]', 'text[]', 'text[]', 'jsonb[]', 'bytea[]', 'boolean', 'text'],
                  'batch_save_checkpoints is SECURITY DEFINER');
SELECT ok((SELECT 'search_path=langgraph, pg_temp' = ANY (proconfig) FROM pg_proc
           WHERE oid = 'langgraph.batch_save_checkpoints(text[], text[], text[], text[], jsonb[], jsonb[], integer[], text[], text[], jsonb[], bytea[], boolean, text)'::regprocedure),
          'batch_save_checkpoints pins search_path to its schema and pg_temp');
SELECT is((SELECT pronargdefaults FROM pg_proc
           WHERE oid = 'langgraph.batch_save_checkpoints(text[], text[], text[], text[], jsonb[], jsonb[], integer[], text[], text[], jsonb[], bytea[], boolean, text)'::regprocedure),
          7::smallint, 'the value arrays, p_exclusive and p_lease_owner have defaults');
SELECT function_privs_are('langgraph', 'batch_save_checkpoints',
                          ARRAY['text[]', 'text[]', 'text[]', 'text[]', 'jsonb[]', 'jsonb[]', 'integer[]', 'text[]', 'text[]', 'jsonb[]', 'bytea[]', 'boolean', 'text'],
                          'public', ARRAY[]::text[], 'PUBLIC cannot call batch_save_checkpoints');
SELECT function_privs_are('langgraph', 'batch_save_checkpoints',
                          ARRAY['text[]', 'text[]', 'text[]', 'text[]', 'jsonb[]', 'jsonb[]', 'integer[]', 'text[]', 'text[]', 'jsonb[]', 'bytea[]', 'boolean', 'text'],
                          'langgraph_reader', ARRAY[]::text[], 'the reader role cannot call batch_save_checkpoints');
SELECT function_privs_are('langgraph', 'batch_save_checkpoints',
                          ARRAY['text[]', 'text[]', 'text[]', 'text[]', 'jsonb[]', 'jsonb[]', 'integer[]', 'text[]', 'text[]', 'jsonb[]', 'bytea[]', 'boolean', 'text'],
                          'langgraph_client', ARRAY['EXECUTE'], 'the client role may call batch_save_checkpoints');
SELECT ok(obj_description('langgraph.batch_save_checkpoints(text[], text[], text[], text[], jsonb[], jsonb[], integer[], text[], text[], jsonb[], bytea[], boolean, text)'::regprocedure, 'pg_proc') ~ 'LG002',
          'the comment on batch_save_checkpoints names LG002');

-- Row counts of this file's threads, to compare before and after.
CREATE TEMP VIEW pgtap4_batch_rows AS
SELECT (SELECT count(*) FROM langgraph.threads WHERE thread_id LIKE 'pgtap4-batch-%') AS threads,
       (SELECT count(*) FROM langgraph.checkpoints WHERE thread_id LIKE 'pgtap4-batch-%') AS checkpoints,
       (SELECT count(*) FROM langgraph.checkpoint_blobs WHERE thread_id LIKE 'pgtap4-batch-%') AS blobs;

-- Behaviour: three checkpoints in two threads, a chain inside the batch -------
-- The first batch: a -> b in thread 1 (b's parent is saved by the same batch) and a
-- root in thread 2. Values: x and m for checkpoint 1, x for 2, y for 3.
CREATE TEMP TABLE pgtap4_batch_first AS
SELECT langgraph.batch_save_checkpoints(
    p_thread_ids     => ARRAY['pgtap4-batch-1', 'pgtap4-batch-1', 'pgtap4-batch-2'],
    p_checkpoint_ns  => ARRAY['', '', ''],
    p_checkpoint_ids => ARRAY['1f0-a', '1f0-b', '1f0-a'],
    p_parent_ids     => ARRAY[NULL, '1f0-a', NULL],
    p_checkpoints    => ARRAY['{"id": "1f0-a", "channel_versions": {"x": "1", "m": "1"}}',
                              '{"id": "1f0-b", "channel_versions": {"x": "2", "m": "1"}}',
                              '{"id": "1f0-a", "channel_versions": {"y": "1"}}']::jsonb[],
    p_metadata       => ARRAY['{"step": -1, "source": "input"}', '{"step": 0, "source": "loop"}', '{"step": -1}']::jsonb[],
    p_value_owners   => ARRAY[1, 1, 2, 3],
    p_channels       => ARRAY['x', 'm', 'x', 'y'],
    p_types          => ARRAY['json', 'msgpack', 'json', 'json'],
    p_values         => ARRAY['{"v": 1}', NULL, '{"v": 2}', '7']::jsonb[],
    p_blobs          => ARRAY[NULL, '\x01', NULL, NULL]::bytea[]) AS ids;
SELECT is((SELECT ids FROM pgtap4_batch_first), ARRAY['1f0-a', '1f0-b', '1f0-a'], 'the ids are returned in batch order');
SELECT is((SELECT ROW(threads, checkpoints, blobs)::text FROM pgtap4_batch_rows), ROW(2, 3, 4)::text,
          '2 threads, 3 checkpoints, 4 values saved');
SELECT is((SELECT parent_checkpoint_id FROM langgraph.checkpoints WHERE thread_id = 'pgtap4-batch-1' AND checkpoint_id = '1f0-b'), '1f0-a',
          'b is saved as the child of a, saved earlier in the same batch');
SELECT is((SELECT metadata FROM langgraph.checkpoints WHERE thread_id = 'pgtap4-batch-1' AND checkpoint_id = '1f0-b'),
          '{"step": 0, "source": "loop"}'::jsonb, 'each checkpoint gets its own metadata');
SELECT is((SELECT ROW(channel_names, channel_types, channel_values, channel_blobs)::text FROM langgraph.get_checkpoint('pgtap4-batch-1')),
          ROW(ARRAY['m', 'x'], ARRAY['msgpack', 'json'], ARRAY[NULL, '{"v": 2}'::jsonb], ARRAY['\x01'::bytea, NULL])::text,
          'thread 1 loads b with x from b and the unchanged m from a');
SELECT is((SELECT ROW(checkpoint_id, channel_names, channel_values)::text FROM langgraph.get_checkpoint('pgtap4-batch-2')),
          ROW('1f0-a', ARRAY['y'], ARRAY['7'::jsonb])::text, 'thread 2 loads its own checkpoint and value');

-- Retrying the same batch is harmless.
SELECT is(langgraph.batch_save_checkpoints(
    ARRAY['pgtap4-batch-1', 'pgtap4-batch-1', 'pgtap4-batch-2'], ARRAY['', '', ''], ARRAY['1f0-a', '1f0-b', '1f0-a'], ARRAY[NULL, '1f0-a', NULL],
    ARRAY['{"id": "1f0-a", "channel_versions": {"x": "1", "m": "1"}}', '{"id": "1f0-b", "channel_versions": {"x": "2", "m": "1"}}',
          '{"id": "1f0-a", "channel_versions": {"y": "1"}}']::jsonb[],
    ARRAY['{"step": -1, "source": "input"}', '{"step": 0, "source": "loop"}', '{"step": -1}']::jsonb[],
    ARRAY[1, 1, 2, 3], ARRAY['x', 'm', 'x', 'y'], ARRAY['json', 'msgpack', 'json', 'json'],
    ARRAY['{"v": 1}', NULL, '{"v": 2}', '7']::jsonb[], ARRAY[NULL, '\x01', NULL, NULL]::bytea[]),
          ARRAY['1f0-a', '1f0-b', '1f0-a'], 'the retried batch returns the same ids');
SELECT is((SELECT ROW(threads, checkpoints, blobs)::text FROM pgtap4_batch_rows), ROW(2, 3, 4)::text,
          'the retry leaves the same row counts');
SELECT lives_ok($$SELECT langgraph.batch_save_checkpoints(
    ARRAY['pgtap4-batch-1'], ARRAY[''], ARRAY['1f0-b'], ARRAY['1f0-a'],
    ARRAY['{"channel_versions": {"x": "2", "m": "1"}}']::jsonb[], ARRAY['{"source": "loop"}']::jsonb[], p_exclusive => true)$$,
                'retrying a child in exclusive mode is not a conflict');
SELECT lives_ok($$SELECT langgraph.batch_save_checkpoints(
    ARRAY['pgtap4-batch-1', 'pgtap4-batch-1', 'pgtap4-batch-2'], ARRAY['', '', ''], ARRAY['1f0-a', '1f0-b', '1f0-a'], ARRAY[NULL, '1f0-a', NULL],
    ARRAY['{"channel_versions": {"x": "1", "m": "1"}}', '{"channel_versions": {"x": "2", "m": "1"}}', '{"channel_versions": {"y": "1"}}']::jsonb[],
    ARRAY['{"source": "input"}', '{"source": "loop"}', '{}']::jsonb[], p_exclusive => true)$$,
                'retrying in exclusive mode is not a conflict either');

-- An empty batch saves nothing.
SELECT is(langgraph.batch_save_checkpoints('{}', '{}', '{}', '{}', '{}', '{}'), '{}'::text[], 'an empty batch returns no ids');

-- Values are matched to their checkpoint by owner, in array order, gaps allowed.
SELECT is(langgraph.batch_save_checkpoints(
    ARRAY['pgtap4-batch-3', 'pgtap4-batch-3', 'pgtap4-batch-3'], ARRAY['', '', 'sub:1'], ARRAY['1f0-a', '1f0-b', '1f0-a'], ARRAY[NULL, '1f0-a', NULL],
    ARRAY['{"channel_versions": {"p": "1", "q": "1"}}', '{"channel_versions": {"p": "1", "q": "1"}}', '{"channel_versions": {"r": "1"}}']::jsonb[],
    ARRAY['{}', '{}', '{}']::jsonb[],
    p_value_owners => ARRAY[3, 1, 1], p_channels => ARRAY['r', 'q', 'p'], p_types => ARRAY['json', 'json', 'json'],
    p_values => ARRAY['"r1"', '"q1"', '"p1"']::jsonb[], p_blobs => ARRAY[NULL, NULL, NULL]::bytea[]),
          ARRAY['1f0-a', '1f0-b', '1f0-a'], 'a batch with interleaved owners and a checkpoint without values');
SELECT results_eq($$SELECT checkpoint_ns COLLATE "default", channel COLLATE "default", value FROM langgraph.checkpoint_blobs
                    WHERE thread_id = 'pgtap4-batch-3' ORDER BY 1, 2$$,
                  $$VALUES ('', 'p', '"p1"'::jsonb), ('', 'q', '"q1"'), ('sub:1', 'r', '"r1"')$$,
                  'each value went to the checkpoint its owner names, in that checkpoint''s namespace');
SELECT is((SELECT channel_values FROM langgraph.get_checkpoint('pgtap4-batch-3')), ARRAY['"p1"'::jsonb, '"q1"'],
          'b, saved without values, reads a''s values through channel_versions');

-- Errors: atomicity -- one bad element and nothing of the batch is saved ------
CREATE TEMP TABLE pgtap4_batch_before AS SELECT * FROM pgtap4_batch_rows;
SELECT throws_ok($$SELECT langgraph.batch_save_checkpoints(
    ARRAY['pgtap4-batch-4', 'pgtap4-batch-1', 'pgtap4-batch-4'], ARRAY['', '', ''], ARRAY['1f0-a', '1f0-c', '1f0-b'], ARRAY[NULL, '1f0-b', '1f0-missing'],
    ARRAY['{"channel_versions": {"x": "1"}}', '{}', '{}']::jsonb[], ARRAY['{}', '{}', '{}']::jsonb[],
    ARRAY[1], ARRAY['x'], ARRAY['json'], ARRAY['1']::jsonb[], ARRAY[NULL]::bytea[])$$, 'LG008', NULL,
                 'LG008: the last element''s parent does not exist');
SELECT throws_ok($$SELECT langgraph.batch_save_checkpoints(
    ARRAY['pgtap4-batch-4', 'pgtap4-batch-4'], ARRAY['', ''], ARRAY['1f0-a', '1f0-b'], ARRAY[NULL, '1f0-a'],
    ARRAY['{}', NULL]::jsonb[], ARRAY['{}', '{}']::jsonb[])$$, 'LG002', NULL, 'LG002: an element''s checkpoint is NULL');
SELECT throws_ok($$SELECT langgraph.batch_save_checkpoints(
    ARRAY['pgtap4-batch-4', ''], ARRAY['', ''], ARRAY['1f0-a', '1f0-a'], ARRAY[NULL, NULL],
    ARRAY['{}', '{}']::jsonb[], ARRAY['{}', '{}']::jsonb[])$$, 'LG001', NULL, 'LG001: an element''s thread id is empty');
SELECT throws_ok($$SELECT langgraph.batch_save_checkpoints(
    ARRAY['pgtap4-batch-4', 'pgtap4-batch-4'], ARRAY['', NULL], ARRAY['1f0-a', '1f0-b'], ARRAY[NULL, NULL],
    ARRAY['{}', '{}']::jsonb[], ARRAY['{}', '{}']::jsonb[])$$, 'LG001', NULL, 'LG001: an element''s namespace is NULL');
SELECT throws_ok($$SELECT langgraph.batch_save_checkpoints(
    ARRAY['pgtap4-batch-4', 'pgtap4-batch-1'], ARRAY['', ''], ARRAY['1f0-a', '1f0-c'], ARRAY[NULL, '1f0-a'],
    ARRAY['{}', '{}']::jsonb[], ARRAY['{"source": "input"}', '{"source": "loop"}']::jsonb[], p_exclusive => true)$$, 'LG005', NULL,
                 'LG005: in exclusive mode an element would fork thread 1 (a already continues to b)');
SELECT throws_ok($$SELECT langgraph.batch_save_checkpoints(
    ARRAY['pgtap4-batch-4', 'pgtap4-batch-4'], ARRAY['', ''], ARRAY['1f0-a', '1f0-b'], ARRAY[NULL, NULL],
    ARRAY['{}', '{}']::jsonb[], ARRAY['{}', '{}']::jsonb[], p_exclusive => true)$$, 'LG005', NULL,
                 'LG005: in exclusive mode the batch''s own second root conflicts with its first');
SELECT is((SELECT ROW(threads, checkpoints, blobs)::text FROM pgtap4_batch_rows), (SELECT ROW(threads, checkpoints, blobs)::text FROM pgtap4_batch_before),
          'the failed batches saved nothing: no thread row, checkpoint or value, not even of their good elements');

-- Leases apply to every element.
SELECT lives_ok($$SELECT langgraph.acquire_lease('pgtap4-batch-2', 'host-a:1', interval '1 hour')$$, 'host-a takes the lease on thread 2');
SELECT throws_ok($$SELECT langgraph.batch_save_checkpoints(
    ARRAY['pgtap4-batch-1', 'pgtap4-batch-2'], ARRAY['', ''], ARRAY['1f0-c', '1f0-b'], ARRAY['1f0-b', '1f0-a'],
    ARRAY['{}', '{}']::jsonb[], ARRAY['{}', '{}']::jsonb[], p_lease_owner => 'host-b:2')$$, 'LG006', NULL,
                 'LG006: another owner holds the lease on one element''s thread');
SELECT is((SELECT count(*) FROM langgraph.checkpoints WHERE thread_id = 'pgtap4-batch-1' AND checkpoint_id = '1f0-c'), 0::bigint,
          'the element for the unleased thread was not saved either');
SELECT is(langgraph.batch_save_checkpoints(
    ARRAY['pgtap4-batch-1', 'pgtap4-batch-2'], ARRAY['', ''], ARRAY['1f0-c', '1f0-b'], ARRAY['1f0-b', '1f0-a'],
    ARRAY['{}', '{}']::jsonb[], ARRAY['{}', '{}']::jsonb[], p_lease_owner => 'host-a:1'),
          ARRAY['1f0-c', '1f0-b'], 'the lease owner saves the same batch');

-- Errors: malformed arrays (LG002), checked before anything is saved -------------
CREATE TEMP TABLE pgtap4_batch_before_arrays AS SELECT * FROM pgtap4_batch_rows;
SELECT throws_ok($$SELECT langgraph.batch_save_checkpoints(ARRAY['pgtap4-batch-5'], ARRAY['', ''], ARRAY['1f0-a', '1f0-b'], ARRAY[NULL, NULL],
    ARRAY['{}', '{}']::jsonb[], ARRAY['{}', '{}']::jsonb[])$$, 'LG002', 'checkpoint arrays must be non-NULL and of equal length',
                 'LG002: fewer thread ids than checkpoint ids');
SELECT throws_ok($$SELECT langgraph.batch_save_checkpoints(ARRAY['pgtap4-batch-5'], ARRAY[''], ARRAY['1f0-a'], ARRAY[NULL::text],
    ARRAY['{}']::jsonb[], ARRAY['{}', '{}']::jsonb[])$$, 'LG002', NULL, 'LG002: more metadata than checkpoints');
SELECT throws_ok($$SELECT langgraph.batch_save_checkpoints(ARRAY['pgtap4-batch-5'], ARRAY[''], NULL, ARRAY[NULL::text],
    ARRAY['{}']::jsonb[], ARRAY['{}']::jsonb[])$$, 'LG002', NULL, 'LG002: NULL checkpoint ids');
SELECT throws_ok($$SELECT langgraph.batch_save_checkpoints(ARRAY['pgtap4-batch-5'], ARRAY[''], ARRAY['1f0-a'], NULL,
    ARRAY['{}']::jsonb[], ARRAY['{}']::jsonb[])$$, 'LG002', NULL, 'LG002: NULL parent ids (pass an array of NULLs for roots)');
SELECT throws_ok($$SELECT langgraph.batch_save_checkpoints(ARRAY['pgtap4-batch-5'], ARRAY[''], ARRAY['1f0-a'], ARRAY[NULL::text],
    ARRAY['{"channel_versions": {"x": "1"}}']::jsonb[], ARRAY['{}']::jsonb[],
    ARRAY[1, 1], ARRAY['x'], ARRAY['json'], ARRAY['1']::jsonb[], ARRAY[NULL]::bytea[])$$, 'LG002',
                 'p_value_owners must give, for each value, the 1-based index of its checkpoint', 'LG002: more owners than values');
SELECT throws_ok($$SELECT langgraph.batch_save_checkpoints(ARRAY['pgtap4-batch-5'], ARRAY[''], ARRAY['1f0-a'], ARRAY[NULL::text],
    ARRAY['{"channel_versions": {"x": "1"}}']::jsonb[], ARRAY['{}']::jsonb[],
    ARRAY[0], ARRAY['x'], ARRAY['json'], ARRAY['1']::jsonb[], ARRAY[NULL]::bytea[])$$, 'LG002', NULL, 'LG002: owner 0 (owners are 1-based)');
SELECT throws_ok($$SELECT langgraph.batch_save_checkpoints(ARRAY['pgtap4-batch-5'], ARRAY[''], ARRAY['1f0-a'], ARRAY[NULL::text],
    ARRAY['{"channel_versions": {"x": "1"}}']::jsonb[], ARRAY['{}']::jsonb[],
    ARRAY[2], ARRAY['x'], ARRAY['json'], ARRAY['1']::jsonb[], ARRAY[NULL]::bytea[])$$, 'LG002', NULL, 'LG002: an owner past the last checkpoint');
SELECT throws_ok($$SELECT langgraph.batch_save_checkpoints(ARRAY['pgtap4-batch-5'], ARRAY[''], ARRAY['1f0-a'], ARRAY[NULL::text],
    ARRAY['{"channel_versions": {"x": "1"}}']::jsonb[], ARRAY['{}']::jsonb[],
    ARRAY[NULL::integer], ARRAY['x'], ARRAY['json'], ARRAY['1']::jsonb[], ARRAY[NULL]::bytea[])$$, 'LG002', NULL, 'LG002: a NULL owner');
SELECT throws_ok($$SELECT langgraph.batch_save_checkpoints(ARRAY['pgtap4-batch-5'], ARRAY[''], ARRAY['1f0-a'], ARRAY[NULL::text],
    ARRAY['{"channel_versions": {"x": "1"}}']::jsonb[], ARRAY['{}']::jsonb[],
    NULL, ARRAY['x'], ARRAY['json'], ARRAY['1']::jsonb[], ARRAY[NULL]::bytea[])$$, 'LG002', NULL, 'LG002: NULL owners');
SELECT throws_ok($$SELECT langgraph.batch_save_checkpoints(ARRAY['pgtap4-batch-5'], ARRAY[''], ARRAY['1f0-a'], ARRAY[NULL::text],
    ARRAY['{"channel_versions": {"x": "1"}}']::jsonb[], ARRAY['{}']::jsonb[],
    ARRAY[1], ARRAY['x'], ARRAY['json'], ARRAY[NULL]::jsonb[], ARRAY['\x01']::bytea[])$$, 'LG002', NULL,
                 'LG002: a malformed value (type json with bytes)');
SELECT throws_ok($$SELECT langgraph.batch_save_checkpoints(ARRAY['pgtap4-batch-5'], ARRAY[''], ARRAY['1f0-a'], ARRAY[NULL::text],
    ARRAY['{"channel_versions": {"x": "1"}}']::jsonb[], ARRAY['{}']::jsonb[],
    ARRAY[1], ARRAY['x'], ARRAY['json'], ARRAY['1']::jsonb[], '{}')$$, 'LG002', NULL, 'LG002: value arrays of different lengths');
SELECT is((SELECT ROW(threads, checkpoints, blobs)::text FROM pgtap4_batch_rows),
          (SELECT ROW(threads, checkpoints, blobs)::text FROM pgtap4_batch_before_arrays), 'the malformed batches saved nothing');

-- Privileges, as login roles -------------------------------------------------
CREATE ROLE pgtap4_batch_app LOGIN;
CREATE ROLE pgtap4_batch_ro LOGIN;
GRANT langgraph_client TO pgtap4_batch_app;
GRANT langgraph_reader TO pgtap4_batch_ro;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA pg_temp TO pgtap4_batch_app, pgtap4_batch_ro;
GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA pg_temp TO pgtap4_batch_app, pgtap4_batch_ro;
SET ROLE pgtap4_batch_app;
SELECT is(langgraph.batch_save_checkpoints(ARRAY['pgtap4-batch-6'], ARRAY[''], ARRAY['1f0-a'], ARRAY[NULL::text],
                                           ARRAY['{}']::jsonb[], ARRAY['{}']::jsonb[]),
          ARRAY['1f0-a'], 'a client login can call batch_save_checkpoints');
SELECT throws_ok('SELECT * FROM langgraph.checkpoints', '42501', NULL, 'a client login cannot read the table');
RESET ROLE;
SET ROLE pgtap4_batch_ro;
SELECT throws_ok($$SELECT langgraph.batch_save_checkpoints(ARRAY['pgtap4-batch-7'], ARRAY[''], ARRAY['1f0-a'], ARRAY[NULL::text],
                                                         ARRAY['{}']::jsonb[], ARRAY['{}']::jsonb[])$$, '42501', NULL,
                 'a reader login cannot call batch_save_checkpoints');
RESET ROLE;

SELECT * FROM finish();
ROLLBACK;
