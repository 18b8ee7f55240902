-- pgTAP tests for the function_get_checkpoint_v2 change: one checkpoint with its values as
-- stored pieces, omitting what the caller holds.
BEGIN;
SELECT plan(36);

-- Structure ------------------------------------------------------------------
SELECT has_function('langgraph', 'get_checkpoint_v2', ARRAY['text', 'text', 'text', 'text[]', 'text[]'],
                    'get_checkpoint_v2(text, text, text, text[], text[]) exists');
SELECT function_lang_is('langgraph', 'get_checkpoint_v2', ARRAY['text', 'text', 'text', 'text[]', 'text[]'], 'plpgsql',
                        'get_checkpoint_v2 is written in plpgsql');
SELECT volatility_is('langgraph', 'get_checkpoint_v2', ARRAY['text', 'text', 'text', 'text[]', 'text[]'], 'stable',
                     'get_checkpoint_v2 is STABLE');
SELECT is_definer('langgraph', 'get_checkpoint_v2', ARRAY['text', 'text', 'text', 'text[]', 'text[]'],
                  'get_checkpoint_v2 is SECURITY DEFINER');
SELECT ok((SELECT ARRAY['search_path=langgraph, pg_temp', 'jit=off'] <@ proconfig FROM pg_proc
           WHERE oid = 'langgraph.get_checkpoint_v2(text, text, text, text[], text[])'::regprocedure),
          'get_checkpoint_v2 pins search_path and turns JIT off');
SELECT function_privs_are('langgraph', 'get_checkpoint_v2', ARRAY['text', 'text', 'text', 'text[]', 'text[]'], 'public',
                          ARRAY[]::text[], 'PUBLIC cannot call get_checkpoint_v2');
SELECT function_privs_are('langgraph', 'get_checkpoint_v2', ARRAY['text', 'text', 'text', 'text[]', 'text[]'], 'langgraph_reader',
                          ARRAY['EXECUTE'], 'the reader role may call get_checkpoint_v2');
SELECT ok(has_function_privilege('langgraph_client', 'langgraph.get_checkpoint_v2(text, text, text, text[], text[])', 'execute'),
          'the client role may call get_checkpoint_v2');
SELECT ok(obj_description('langgraph.get_checkpoint_v2(text, text, text, text[], text[])'::regprocedure, 'pg_proc') ~ 'Raises',
          'the comment on get_checkpoint_v2 names what it raises');

-- Behaviour ------------------------------------------------------------------
-- m: [1, 2] whole at 1, then tails [3] at 2 and [4] at 3; a branch from 1 appends [9] at 4.
SELECT langgraph.put_checkpoint_v2('pgtap-get-v2', '', 'cp-1', NULL,
    '{"channel_versions": {"m": "1", "b": "1", "e": "1"}}', '{"step": -1}', ARRAY['m', 'b', 'e'],
    ARRAY['json', 'msgpack', 'empty'], ARRAY['[1, 2]'::jsonb, NULL, NULL], ARRAY[NULL, '\x0b01', NULL]::bytea[]);
SELECT langgraph.put_checkpoint_v2('pgtap-get-v2', '', 'cp-2', 'cp-1',
    '{"channel_versions": {"m": "2", "b": "1", "e": "1"}}', '{"step": 0}', ARRAY['m'], ARRAY['json'],
    ARRAY['[3]'::jsonb], ARRAY[NULL::bytea], ARRAY['1']);
SELECT langgraph.put_checkpoint_v2('pgtap-get-v2', '', 'cp-3', 'cp-2',
    '{"channel_versions": {"m": "3", "b": "1", "e": "1"}}', '{"step": 1}', ARRAY['m'], ARRAY['json'],
    ARRAY['[4]'::jsonb], ARRAY[NULL::bytea], ARRAY['2']);
SELECT langgraph.put_checkpoint_v2('pgtap-get-v2', '', 'cp-4', 'cp-1',
    '{"channel_versions": {"m": "4", "b": "1", "e": "1"}}', '{"step": 0, "source": "fork"}', ARRAY['m'], ARRAY['json'],
    ARRAY['[9]'::jsonb], ARRAY[NULL::bytea], ARRAY['1']);
SELECT langgraph.put_writes('pgtap-get-v2', '', 'cp-3', 'task-b', ARRAY['m'], ARRAY['json'], ARRAY['[5]'::jsonb], ARRAY[NULL::bytea]);
SELECT langgraph.put_writes('pgtap-get-v2', '', 'cp-3', 'task-a', ARRAY['x', 'y'], ARRAY['json', 'msgpack'],
                            ARRAY['1'::jsonb, NULL], ARRAY[NULL, '\x02']::bytea[]);

SELECT is((SELECT checkpoint_id FROM langgraph.get_checkpoint_v2('pgtap-get-v2')), 'cp-4',
          'without an id: the latest checkpoint, as get_checkpoint');
SELECT is((SELECT ROW(checkpoint_id, parent_checkpoint_id, metadata)::text
           FROM langgraph.get_checkpoint_v2('pgtap-get-v2', '', 'cp-3')),
          ROW('cp-3', 'cp-2', '{"step": 1}'::jsonb)::text, 'by id: that checkpoint, its parent and metadata');
SELECT is((SELECT ROW(piece_channels, piece_types, piece_values, piece_blobs, piece_extends)::text
           FROM langgraph.get_checkpoint_v2('pgtap-get-v2', '', 'cp-3')),
          ROW(ARRAY['b', 'm', 'm', 'm'], ARRAY['msgpack', 'json', 'json', 'json'],
              ARRAY[NULL, '[1, 2]', '[3]', '[4]']::jsonb[], ARRAY['\x0b01', NULL, NULL, NULL]::bytea[],
              ARRAY[NULL, NULL, '1', '2'])::text,
          'pieces by channel, oldest first, each naming what it extends; empty channels have none');
SELECT is((SELECT ROW(write_task_ids, write_channels, write_types, write_values, write_blobs, write_task_paths)::text
           FROM langgraph.get_checkpoint_v2('pgtap-get-v2', '', 'cp-3')),
          (SELECT ROW(write_task_ids, write_channels, write_types, write_values, write_blobs, write_task_paths)::text
           FROM langgraph.get_checkpoint('pgtap-get-v2', '', 'cp-3')),
          'pending writes are those of get_checkpoint, in the same order');
SELECT is((SELECT ROW(piece_channels, piece_values, piece_extends)::text
           FROM langgraph.get_checkpoint_v2('pgtap-get-v2', '', 'cp-3', ARRAY['m'], ARRAY['2'])),
          ROW(ARRAY['b', 'm'], ARRAY[NULL, '[4]']::jsonb[], ARRAY[NULL, '2'])::text,
          'a held version stops the walk: only what was appended after it comes back');
SELECT is((SELECT ROW(piece_channels, piece_values)::text
           FROM langgraph.get_checkpoint_v2('pgtap-get-v2', '', 'cp-3', ARRAY['m', 'b'], ARRAY['3', '1'])),
          ROW(ARRAY[]::text[], ARRAY[]::jsonb[])::text, 'a channel still at the held version sends nothing');
SELECT is((SELECT ROW(piece_values, piece_extends)::text
           FROM langgraph.get_checkpoint_v2('pgtap-get-v2', '', 'cp-4', ARRAY['m', 'b'], ARRAY['3', '1'])),
          ROW(ARRAY['[1, 2]', '[9]']::jsonb[], ARRAY[NULL, '1'])::text,
          'a held version on another branch is not on the chain: the whole chain comes back');
SELECT is((SELECT piece_values FROM langgraph.get_checkpoint_v2('pgtap-get-v2', '', 'cp-3', ARRAY['m', 'b'], ARRAY['zz', '1'])),
          ARRAY['[1, 2]', '[3]', '[4]']::jsonb[], 'a held version the thread never had changes nothing');
SELECT is((SELECT array_agg(e ORDER BY o) FROM langgraph.get_checkpoint_v2('pgtap-get-v2', '', 'cp-3') AS t,
                  unnest(t.piece_values) WITH ORDINALITY AS u (v, o), jsonb_array_elements(u.v) AS e
           WHERE t.piece_channels[u.o] = 'm'),
          (SELECT array_agg(e) FROM langgraph.get_checkpoint('pgtap-get-v2', '', 'cp-3') AS t,
                  jsonb_array_elements(t.channel_values[array_position(t.channel_names, 'm')]) AS e),
          'the pieces joined are the whole value get_checkpoint returns');
-- Two channels with chains, walked in one statement and sorted once: by channel, then
-- oldest first within each.
SELECT langgraph.put_checkpoint_v2('pgtap-get-v2-two', '', 'cp-1', NULL,
    '{"channel_versions": {"z": "1", "a": "1"}}', '{}', ARRAY['z', 'a'], ARRAY['json', 'json'],
    ARRAY['["z1"]', '["a1"]']::jsonb[], ARRAY[NULL, NULL]::bytea[]);
SELECT langgraph.put_checkpoint_v2('pgtap-get-v2-two', '', 'cp-2', 'cp-1',
    '{"channel_versions": {"z": "2", "a": "2"}}', '{}', ARRAY['z', 'a'], ARRAY['json', 'json'],
    ARRAY['["z2"]', '["a2"]']::jsonb[], ARRAY[NULL, NULL]::bytea[], ARRAY['1', '1']);
SELECT langgraph.put_checkpoint_v2('pgtap-get-v2-two', '', 'cp-3', 'cp-2',
    '{"channel_versions": {"z": "3", "a": "2"}}', '{}', ARRAY['z'], ARRAY['json'],
    ARRAY['["z3"]']::jsonb[], ARRAY[NULL]::bytea[], ARRAY['2']);
SELECT is((SELECT ROW(piece_channels, piece_values, piece_extends)::text
           FROM langgraph.get_checkpoint_v2('pgtap-get-v2-two')),
          ROW(ARRAY['a', 'a', 'z', 'z', 'z'], ARRAY['["a1"]', '["a2"]', '["z1"]', '["z2"]', '["z3"]']::jsonb[],
              ARRAY[NULL, '1', NULL, '1', '2'])::text,
          'two walked chains come back by channel, each oldest first');
SELECT is((SELECT ROW(piece_channels, piece_values, piece_extends)::text
           FROM langgraph.get_checkpoint_v2('pgtap-get-v2', '', 'cp-3', ARRAY['m'], ARRAY['1'])),
          ROW(ARRAY['b', 'm', 'm'], ARRAY[NULL, '[3]', '[4]']::jsonb[], ARRAY[NULL, '1', '2'])::text,
          'a held version further down the chain: the links above it, the first extending it');
-- Several held versions of one channel: the checkpoint's own sends nothing, and a walk
-- stops at the first held version on its chain, whichever the caller names first.
SELECT is((SELECT ROW(piece_channels, piece_values)::text
           FROM langgraph.get_checkpoint_v2('pgtap-get-v2', '', 'cp-3', ARRAY['m', 'm', 'b'], ARRAY['4', '3', '1'])),
          ROW(ARRAY[]::text[], ARRAY[]::jsonb[])::text, 'a channel at one of its held versions sends nothing');
SELECT is((SELECT ROW(piece_values, piece_extends)::text
           FROM langgraph.get_checkpoint_v2('pgtap-get-v2', '', 'cp-3', ARRAY['m', 'm', 'b'], ARRAY['1', '2', '1'])),
          ROW(ARRAY['[4]']::jsonb[], ARRAY['2'])::text,
          'with two held versions on the chain, the walk stops at the newer');
SELECT is((SELECT ROW(piece_values, piece_extends)::text
           FROM langgraph.get_checkpoint_v2('pgtap-get-v2', '', 'cp-4', ARRAY['m', 'm', 'b'], ARRAY['3', '1', '1'])),
          ROW(ARRAY['[9]']::jsonb[], ARRAY['1'])::text,
          'a held version on another branch is passed over for one on the chain');
-- A chain whose channel versions interleave with a fork's: the versions just below a
-- tail are not its chain, and it is walked link by link. m: [1] at 1; the main line
-- appends at 3 and 5, a fork from 1 at 2 and 4.
SELECT langgraph.put_checkpoint_v2('pgtap-get-v2-fork', '', 'cp-1', NULL, '{"channel_versions": {"m": "1"}}', '{}',
    ARRAY['m'], ARRAY['json'], ARRAY['[1]'::jsonb], ARRAY[NULL::bytea]);
SELECT langgraph.put_checkpoint_v2('pgtap-get-v2-fork', '', 'cp-2', 'cp-1', '{"channel_versions": {"m": "2"}}', '{}',
    ARRAY['m'], ARRAY['json'], ARRAY['["f2"]'::jsonb], ARRAY[NULL::bytea], ARRAY['1']);
SELECT langgraph.put_checkpoint_v2('pgtap-get-v2-fork', '', 'cp-3', 'cp-1', '{"channel_versions": {"m": "3"}}', '{}',
    ARRAY['m'], ARRAY['json'], ARRAY['[3]'::jsonb], ARRAY[NULL::bytea], ARRAY['1']);
SELECT langgraph.put_checkpoint_v2('pgtap-get-v2-fork', '', 'cp-4', 'cp-2', '{"channel_versions": {"m": "4"}}', '{}',
    ARRAY['m'], ARRAY['json'], ARRAY['["f4"]'::jsonb], ARRAY[NULL::bytea], ARRAY['2']);
SELECT langgraph.put_checkpoint_v2('pgtap-get-v2-fork', '', 'cp-5', 'cp-3', '{"channel_versions": {"m": "5"}}', '{}',
    ARRAY['m'], ARRAY['json'], ARRAY['[5]'::jsonb], ARRAY[NULL::bytea], ARRAY['3']);
SELECT is((SELECT ROW(piece_values, piece_extends)::text FROM langgraph.get_checkpoint_v2('pgtap-get-v2-fork', '', 'cp-5')),
          ROW(ARRAY['[1]', '[3]', '[5]']::jsonb[], ARRAY[NULL, '1', '3'])::text,
          'a chain interleaved with a fork''s versions comes back link by link, without the fork''s');
SELECT is((SELECT ROW(piece_values, piece_extends)::text FROM langgraph.get_checkpoint_v2('pgtap-get-v2-fork', '', 'cp-4')),
          ROW(ARRAY['[1]', '["f2"]', '["f4"]']::jsonb[], ARRAY[NULL, '1', '2'])::text,
          'and the fork''s chain, without the main line''s');
SELECT is_empty($$SELECT * FROM langgraph.get_checkpoint_v2('pgtap-get-v2', '', 'cp-missing')$$, 'an unknown id gives no row');
SELECT is_empty($$SELECT * FROM langgraph.get_checkpoint_v2('pgtap-get-v2', 'child:1')$$, 'an empty namespace gives no row');
SELECT is_empty($$SELECT * FROM langgraph.get_checkpoint_v2('pgtap-get-v2-none')$$, 'an unknown thread gives no row');
SELECT is((SELECT ROW(piece_channels, write_task_ids)::text FROM langgraph.get_checkpoint_v2('pgtap-get-v2', '', 'cp-4')),
          ROW(ARRAY['b', 'm', 'm'], ARRAY[]::text[])::text, 'a checkpoint without writes has empty write arrays');

-- Errors ---------------------------------------------------------------------
SELECT throws_ok($$SELECT * FROM langgraph.get_checkpoint_v2(NULL)$$, 'LG001', NULL, 'LG001: NULL thread_id');
SELECT throws_ok($$SELECT * FROM langgraph.get_checkpoint_v2('')$$, 'LG001', NULL, 'LG001: empty thread_id');
SELECT throws_ok($$SELECT * FROM langgraph.get_checkpoint_v2(repeat('t', 1025))$$, 'LG001', NULL, 'LG001: over-long thread_id');
SELECT throws_ok($$SELECT * FROM langgraph.get_checkpoint_v2('pgtap-get-v2', NULL)$$, 'LG001', NULL, 'LG001: NULL namespace');
SELECT throws_ok($$SELECT * FROM langgraph.get_checkpoint_v2('pgtap-get-v2', '', '')$$, 'LG001', NULL, 'LG001: empty checkpoint_id');
SELECT throws_ok($$SELECT * FROM langgraph.get_checkpoint_v2('pgtap-get-v2', '', NULL, ARRAY['m'], NULL)$$, 'LG002', NULL,
                 'LG002: held channels without versions');
SELECT throws_ok($$SELECT * FROM langgraph.get_checkpoint_v2('pgtap-get-v2', '', NULL, ARRAY['m'], ARRAY['1', '2'])$$, 'LG002', NULL,
                 'LG002: held arrays of different lengths');

SELECT * FROM finish();
ROLLBACK;
