-- pgTAP tests for item "cycles and depth" of the lineage guarantees: a save that would
-- make a checkpoint its own ancestor is refused (LG003) on both save paths and leaves
-- the database as it was, and every recursive walk ends, with each checkpoint once, on
-- a parent chain (or a value chain) made to loop by editing the tables as their owner.
-- A statement timeout turns a walk that runs away into a failure instead of a hang.
BEGIN;
SELECT plan(33);
SET LOCAL statement_timeout = '10s';

CREATE FUNCTION pg_temp.put(p_thread text, p_id text, p_parent text) RETURNS text LANGUAGE sql AS $$
    SELECT langgraph.put_checkpoint_v2(p_thread, '', p_id, p_parent,
        jsonb_build_object('id', p_id, 'channel_versions', jsonb_build_object('messages', p_id)), '{}',
        ARRAY['messages'], ARRAY['json'], ARRAY['["hi"]'::jsonb], ARRAY[NULL::bytea])
$$;
CREATE FUNCTION pg_temp.parents(p_thread text) RETURNS text[] LANGUAGE sql AS $$
    SELECT array_agg(checkpoint_id || '<' || coalesce(parent_checkpoint_id, '') ORDER BY checkpoint_id)
    FROM langgraph.checkpoints WHERE thread_id = p_thread
$$;

-- Refused saves: put_checkpoint_v2 ----------------------------------------------------
SELECT pg_temp.put('pgtap-cycle-1', 'a', NULL);
SELECT pg_temp.put('pgtap-cycle-1', 'b', 'a');
SELECT pg_temp.put('pgtap-cycle-1', 'c', 'b');
SELECT throws_ok($$SELECT pg_temp.put('pgtap-cycle-1', 'a', 'a')$$, 'LG003',
                 'checkpoint a of thread pgtap-cycle-1 would be its own ancestor',
                 'put_checkpoint_v2 refuses a re-save whose parent is itself');
SELECT throws_ok($$SELECT pg_temp.put('pgtap-cycle-1', 'z', 'z')$$, 'LG003', NULL,
                 'and a new checkpoint whose parent is itself (not LG008: the parent is not missing, it is wrong)');
SELECT throws_ok($$SELECT pg_temp.put('pgtap-cycle-1', 'a', 'c')$$, 'LG003', NULL,
                 'and a re-save whose new parent descends from it');
SELECT is(pg_temp.parents('pgtap-cycle-1'), ARRAY['a<', 'b<a', 'c<b'], 'a refused save changes nothing');
SELECT is((SELECT count(*) FROM langgraph.checkpoint_blobs WHERE thread_id = 'pgtap-cycle-1'), 3::bigint,
          'and stores no value');
SELECT is(pg_temp.put('pgtap-cycle-1', 'c', 'b'), 'c', 'a retry with the same parent is accepted');
SELECT is(pg_temp.put('pgtap-cycle-1', 'c', 'a'), 'c', 'a re-save under a new parent that is not below it is accepted');
SELECT is(pg_temp.put('pgtap-cycle-1', 'b', NULL), 'b', 'and so is a re-save as a root');

-- Refused saves: _save_checkpoints (put_checkpoint, batch_save_checkpoints) -------------
SELECT langgraph.put_checkpoint('pgtap-cycle-2', '', 'a', NULL, '{}');
SELECT langgraph.put_checkpoint('pgtap-cycle-2', '', 'b', 'a', '{}');
SELECT throws_ok($$SELECT langgraph.put_checkpoint('pgtap-cycle-2', '', 'b', 'b', '{}')$$, 'LG003',
                 'checkpoint b of thread pgtap-cycle-2 would be its own ancestor', 'put_checkpoint refuses a parent equal to itself');
SELECT throws_ok($$SELECT langgraph.put_checkpoint('pgtap-cycle-2', '', 'a', 'b', '{}')$$, 'LG003', NULL,
                 'and a re-save under its own descendant');
SELECT throws_ok($$SELECT langgraph.batch_save_checkpoints(
                      ARRAY['pgtap-cycle-2', 'pgtap-cycle-2'], ARRAY['', ''], ARRAY['c', 'a'], ARRAY['b', 'c'],
                      ARRAY['{}'::jsonb, '{}'], ARRAY['{}'::jsonb, '{}'])$$, 'LG003', NULL,
                 'a batch whose checkpoints close a loop between them is refused');
SELECT is(pg_temp.parents('pgtap-cycle-2'), ARRAY['a<', 'b<a'], 'the refused batch stored nothing, not even its first checkpoint');
SELECT lives_ok($$SELECT langgraph.batch_save_checkpoints(
                      ARRAY['pgtap-cycle-2', 'pgtap-cycle-2'], ARRAY['', ''], ARRAY['c', 'b'], ARRAY['a', 'c'],
                      ARRAY['{}'::jsonb, '{}'], ARRAY['{}'::jsonb, '{}'])$$,
                'a batch that moves a checkpoint under a new one, without a loop, is accepted');
SELECT is(pg_temp.parents('pgtap-cycle-2'), ARRAY['a<', 'b<c', 'c<a'], 'with the parents it sent');

-- Loops made by hand: the walks end ---------------------------------------------------
-- rho: e -> d -> c -> b -> a -> c (a loop of three, entered from e, d); self: s -> s;
-- ring: x -> y -> x, nothing outside it.
SELECT pg_temp.put('pgtap-rho', id, parent)
FROM (VALUES ('a', NULL), ('b', 'a'), ('c', 'b'), ('d', 'c'), ('e', 'd')) AS v (id, parent);
UPDATE langgraph.checkpoints SET parent_checkpoint_id = 'c' WHERE thread_id = 'pgtap-rho' AND checkpoint_id = 'a';
SELECT pg_temp.put('pgtap-self', 's', NULL);
UPDATE langgraph.checkpoints SET parent_checkpoint_id = 's' WHERE thread_id = 'pgtap-self';
SELECT pg_temp.put('pgtap-ring', 'x', NULL);
SELECT pg_temp.put('pgtap-ring', 'y', 'x');
UPDATE langgraph.checkpoints SET parent_checkpoint_id = 'y' WHERE thread_id = 'pgtap-ring' AND checkpoint_id = 'x';

SELECT results_eq($$SELECT depth, checkpoint_id FROM langgraph.get_ancestors('pgtap-rho', '', 'e')$$,
                  $$VALUES (0, 'e'), (1, 'd'), (2, 'c'), (3, 'b'), (4, 'a')$$,
                  'get_ancestors ends on a loop it walks into, each checkpoint once');
SELECT results_eq($$SELECT depth, checkpoint_id FROM langgraph.get_ancestors('pgtap-rho', '', 'a')$$,
                  $$VALUES (0, 'a'), (1, 'c'), (2, 'b')$$, 'and on a loop it starts in');
SELECT results_eq($$SELECT depth, checkpoint_id FROM langgraph.get_ancestors('pgtap-self', '', 's')$$,
                  $$VALUES (0, 's')$$, 'and on a checkpoint that is its own parent');
SELECT results_eq($$SELECT depth, checkpoint_id FROM langgraph.get_ancestors('pgtap-ring', '', 'x')$$,
                  $$VALUES (0, 'x'), (1, 'y')$$, 'and on a ring');
SELECT results_eq($$SELECT depth, checkpoint_id FROM langgraph.get_ancestors('pgtap-rho', '', 'e', 2)$$,
                  $$VALUES (0, 'e'), (1, 'd'), (2, 'c')$$, 'p_max_depth still bounds it');
SELECT results_eq($$SELECT depth, checkpoint_id FROM langgraph.get_descendants('pgtap-rho', '', 'b')$$,
                  $$VALUES (0, 'b'), (1, 'c'), (2, 'a'), (2, 'd'), (3, 'e')$$,
                  'get_descendants ends on a loop, each checkpoint once');
SELECT results_eq($$SELECT depth, checkpoint_id FROM langgraph.get_descendants('pgtap-self', '', 's')$$,
                  $$VALUES (0, 's')$$, 'and on a checkpoint that is its own parent');
SELECT results_eq($$SELECT depth, checkpoint_id FROM langgraph.get_descendants('pgtap-rho', '', 'd')$$,
                  $$VALUES (0, 'd'), (1, 'e')$$, 'below the loop it walks as before');
SELECT results_eq($$SELECT head_checkpoint_id, branch_point_id, length FROM langgraph.list_branches('pgtap-rho')$$,
                  $$VALUES ('e', 'c', 2)$$,
                  'list_branches ends: the branch into the loop stops at its entry, which has two children');
SELECT is_empty($$SELECT * FROM langgraph.list_branches('pgtap-ring')$$, 'a ring has no head, so no branch');
SELECT results_eq($$SELECT checkpoint_id, depth FROM langgraph._delta_chain('pgtap-rho', '', 'e', ARRAY['never-stored'])$$,
                  $$VALUES ('e', 1), ('d', 2), ('c', 3), ('b', 4), ('a', 5)$$,
                  '_delta_chain ends on a loop, each checkpoint once');
SELECT results_eq($$SELECT checkpoint_id, depth FROM langgraph._delta_chain('pgtap-self', '', 's', ARRAY['never-stored'])$$,
                  $$VALUES ('s', 1)$$, 'and on a checkpoint that is its own parent');
SELECT results_eq($$SELECT channel, has_seed FROM langgraph.get_delta_channel_history('pgtap-ring', '', 'x', ARRAY['never-stored'])$$,
                  $$VALUES ('never-stored', false)$$, 'get_delta_channel_history ends on a ring');
SELECT is(langgraph.find_branch_point('pgtap-rho', 'e', 'a'), 'c', 'find_branch_point ends on a loop: the nearest of e''s ancestors that a reaches');
SELECT is(langgraph.fork_thread('pgtap-rho', 'e', 'pgtap-rho-fork'), 5::bigint,
          'fork_thread copies the ancestors once each');

-- A value chain made to loop by hand: the reads end ---------------------------------
SELECT langgraph.put_checkpoint_v2('pgtap-blob-loop', '', 'k1', NULL,
    '{"channel_versions": {"m": "1"}}', '{}', ARRAY['m'], ARRAY['json'], ARRAY['[1]'::jsonb], ARRAY[NULL::bytea]);
SELECT langgraph.put_checkpoint_v2('pgtap-blob-loop', '', 'k2', 'k1',
    '{"channel_versions": {"m": "2"}}', '{}', ARRAY['m'], ARRAY['json'], ARRAY['[2]'::jsonb], ARRAY[NULL::bytea], ARRAY['1']);
SELECT is(langgraph._blob_value('pgtap-blob-loop', '', 'm', '2'), '[1, 2]'::jsonb, 'the chain reads whole');
SET CONSTRAINTS ALL DEFERRED;
ALTER TABLE langgraph.checkpoint_blobs DISABLE TRIGGER ALL;
UPDATE langgraph.checkpoint_blobs SET base_version = '2', delta_depth = 2 WHERE thread_id = 'pgtap-blob-loop' AND version = '1';
ALTER TABLE langgraph.checkpoint_blobs ENABLE TRIGGER ALL;
SELECT is(jsonb_array_length(langgraph._blob_value('pgtap-blob-loop', '', 'm', '2')), 33,
          '_blob_value on a looped value chain ends after 32 links');
SELECT lives_ok($$SELECT * FROM langgraph.get_checkpoint_v2('pgtap-blob-loop', '', 'k2')$$,
                'get_checkpoint_v2 on a looped value chain ends');
SELECT is(langgraph.put_checkpoint_v2('pgtap-blob-loop', '', 'k3', 'k2',
              '{"channel_versions": {"m": "3"}}', '{}', ARRAY['m'], ARRAY['json'], ARRAY['[3]'::jsonb], ARRAY[NULL::bytea], ARRAY['2']),
          'k3', 'a save that extends a looped chain ends');

SELECT * FROM finish();
ROLLBACK;
