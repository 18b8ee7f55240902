-- pgTAP plan-shape tests of what a LangGraph step calls: get_checkpoint_v2 at the start
-- of an invoke, put_checkpoint_v2 and put_writes on every step. Each costs the same on a
-- thread of 10,000 checkpoints as on one of 10, counted in shared buffers (of the
-- Function Scan, which counts every query inside the function), not in time. The
-- statistics do not know the long thread, the trap that sends a cached generic plan down
-- a scan of the whole thread (see index_checkpoints_children and enable_bitmapscan in
-- the functions).
BEGIN;
SELECT plan(9);

\ir fixtures/read_plan_thread.psql
\ir fixtures/read_plan_many.psql
-- Statistics taken before the long thread grew: it is missing from them, as a thread that
-- grew since the last ANALYZE is, so every estimate says its key matches a row or two.
CREATE TEMP TABLE plan_long ON COMMIT DROP AS
SELECT * FROM langgraph.checkpoints WHERE thread_id = pg_temp.plan_thread('long');
DELETE FROM langgraph.checkpoints WHERE thread_id = pg_temp.plan_thread('long');
ANALYZE langgraph.checkpoints, langgraph.checkpoint_blobs, langgraph.checkpoint_writes;
INSERT INTO langgraph.checkpoints SELECT * FROM plan_long;

-- The same call on the long and the short thread; p_long and p_short fill the thread
-- and the checkpoint ids in.
CREATE FUNCTION pg_temp.same_cost(p_call text, p_long text[], p_short text[], p_slack integer DEFAULT 10)
RETURNS boolean LANGUAGE plpgsql AS $$
DECLARE
    v_long bigint := pg_temp.plan_buffers(format(p_call, VARIADIC p_long));
    v_short bigint := pg_temp.plan_buffers(format(p_call, VARIADIC p_short));
BEGIN
    IF v_long > v_short + p_slack THEN
        RAISE NOTICE 'long thread: % buffers, short thread: %', v_long, v_short;
    END IF;
    RETURN v_long <= v_short + p_slack;
END
$$;
CREATE FUNCTION pg_temp.ids(p_thread text, p_last bigint, p_mid bigint) RETURNS text[] LANGUAGE sql STABLE
RETURN ARRAY[pg_temp.plan_thread(p_thread), pg_temp.plan_id(p_last), pg_temp.plan_id(p_mid), pg_temp.plan_id(p_last + 1000),
             pg_temp.plan_version(p_last), pg_temp.plan_version(p_last + 1000)];

SELECT ok(pg_temp.same_cost($$SELECT * FROM langgraph.get_checkpoint_v2(%1$L)$$,
                            pg_temp.ids('long', 1010000, 1000003), pg_temp.ids('short', 2000010, 2000003)),
          'get_checkpoint_v2, the latest: as cheap on 10,000 checkpoints as on 10');
SELECT ok(pg_temp.same_cost($$SELECT * FROM langgraph.get_checkpoint_v2(%1$L, '', %3$L)$$,
                            pg_temp.ids('long', 1010000, 1000003), pg_temp.ids('short', 2000010, 2000003)),
          'get_checkpoint_v2 by id, early in the thread: as cheap on 10,000 checkpoints as on 10');
SELECT ok(pg_temp.same_cost($$SELECT * FROM langgraph.get_checkpoint_v2(%1$L, '', NULL, ARRAY['counter'], ARRAY[%5$L])$$,
                            pg_temp.ids('long', 1010000, 1000003), pg_temp.ids('short', 2000010, 2000003)),
          'get_checkpoint_v2 with a held version: as cheap on 10,000 checkpoints as on 10');
SELECT ok(pg_temp.same_cost($$SELECT langgraph.put_checkpoint_v2(%1$L, '', %4$L, %2$L,
                                jsonb_build_object('channel_versions', jsonb_build_object('counter', %6$L)),
                                '{"source": "loop", "step": 1}', ARRAY['counter'], ARRAY['json'], ARRAY['1'::jsonb], ARRAY[NULL::bytea])$$,
                            pg_temp.ids('long', 1010000, 1000003), pg_temp.ids('short', 2000010, 2000003)),
          'put_checkpoint_v2 after the latest: as cheap on 10,000 checkpoints as on 10');
SELECT ok(pg_temp.same_cost($$SELECT langgraph.put_checkpoint_v2(%1$L, '', %4$L, %2$L,
                                jsonb_build_object('channel_versions', jsonb_build_object('counter', %6$L)),
                                '{"source": "loop", "step": 1}', p_exclusive => true)$$,
                            pg_temp.ids('long', 1010000, 1000003), pg_temp.ids('short', 2000010, 2000003)),
          'put_checkpoint_v2 in exclusive mode: as cheap on 10,000 checkpoints as on 10');
SELECT ok(pg_temp.same_cost($$SELECT langgraph.put_writes(%1$L, '', %2$L, 'task-new', ARRAY['counter'], ARRAY['json'],
                                ARRAY['2'::jsonb], ARRAY[NULL::bytea])$$,
                            pg_temp.ids('long', 1010000, 1000003), pg_temp.ids('short', 2000010, 2000003)),
          'put_writes: as cheap on 10,000 checkpoints as on 10');

-- JIT compiles for a plan whose estimated cost crosses jit_above_cost; the functions turn
-- it off for themselves, so even a zero threshold does not reach them.
SELECT ok((SELECT bool_and('jit=off' = ANY (proconfig)) FROM pg_proc
           WHERE oid IN ('langgraph.get_checkpoint_v2(text, text, text, text[], text[])'::regprocedure,
                         'langgraph.put_checkpoint_v2(text, text, text, text, jsonb, jsonb, text[], text[], jsonb[], bytea[], text[], boolean, text)'::regprocedure)),
          'get_checkpoint_v2 and put_checkpoint_v2 run with jit = off');
SELECT ok((SELECT bool_and(ARRAY['enable_seqscan=off', 'enable_bitmapscan=off'] <@ proconfig) FROM pg_proc
           WHERE oid IN ('langgraph.get_checkpoint_v2(text, text, text, text[], text[])'::regprocedure,
                         'langgraph.put_checkpoint_v2(text, text, text, text, jsonb, jsonb, text[], text[], jsonb[], bytea[], text[], boolean, text)'::regprocedure,
                         'langgraph.put_writes(text, text, text, text, text[], text[], jsonb[], bytea[], text)'::regprocedure)),
          'the hot-path functions plan key probes only: sequential and bitmap scans off');
SET LOCAL jit_above_cost = 0;
SELECT lives_ok($$SELECT * FROM langgraph.get_checkpoint_v2(pg_temp.plan_thread('long'))$$,
                'with a zero JIT threshold the read still runs (without compiling its queries)');

SELECT * FROM finish();
ROLLBACK;
