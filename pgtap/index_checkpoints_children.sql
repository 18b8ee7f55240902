-- pgTAP tests for the index_checkpoints_children change: children are found through a
-- partial index that no lookup by checkpoint id can take.
BEGIN;
SELECT plan(6);

SELECT has_index('langgraph', 'checkpoints', 'checkpoints_children_idx', ARRAY['thread_id', 'checkpoint_ns', 'parent_checkpoint_id'],
                 'children are found through checkpoints_children_idx');
SELECT is((SELECT pg_get_expr(indpred, indrelid) FROM pg_index WHERE indexrelid = 'langgraph.checkpoints_children_idx'::regclass),
          '(parent_checkpoint_id IS NOT NULL)', 'it covers only checkpoints that have a parent');
SELECT hasnt_index('langgraph', 'checkpoints', 'checkpoints_parent_idx', 'the full index it replaces is gone');

-- Statistics that say every thread has one checkpoint (a database of many short threads,
-- or statistics older than a long thread) make (thread_id, checkpoint_ns) look unique:
-- with the full index a cached generic plan then read 867 buffers for one row here.
\ir fixtures/read_plan_thread.psql
ALTER TABLE langgraph.checkpoints ALTER COLUMN thread_id SET (n_distinct = -1);
ANALYZE langgraph.checkpoints;
SET LOCAL plan_cache_mode = force_generic_plan;
PREPARE pgtap_by_id (text, text, text) AS
    SELECT c.checkpoint FROM langgraph.checkpoints AS c
    WHERE c.thread_id = $1 AND c.checkpoint_ns = $2 AND c.checkpoint_id = $3;
PREPARE pgtap_children (text, text, text) AS
    SELECT c.checkpoint_id FROM langgraph.checkpoints AS c
    WHERE c.thread_id = $1 AND c.checkpoint_ns = $2 AND c.parent_checkpoint_id = $3;
CREATE FUNCTION pg_temp.plan_of(p_statement text) RETURNS json LANGUAGE plpgsql AS $$
DECLARE
    v_plan json;
BEGIN
    EXECUTE 'EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) ' || p_statement INTO v_plan;
    RETURN v_plan -> 0 -> 'Plan';
END
$$;
SELECT cmp_ok((pg_temp.plan_of(format('EXECUTE pgtap_by_id(%L, %L, %L)', pg_temp.plan_thread('long'), '', pg_temp.plan_id(1000002))) ->> 'Shared Hit Blocks')::int,
              '<=', 6, 'a generic plan finds one checkpoint of a 10,000-checkpoint thread by id in a few buffers');
SELECT is(pg_temp.plan_of(format('EXECUTE pgtap_children(%L, %L, %L)', pg_temp.plan_thread('long'), '', pg_temp.plan_id(1000002))) ->> 'Index Name',
          'checkpoints_children_idx', 'a lookup of children takes the partial index');
SELECT is((SELECT count(*) FROM langgraph.checkpoints WHERE thread_id = pg_temp.plan_thread('long') AND parent_checkpoint_id IS NULL),
          4::bigint, 'roots (one per namespace) are outside the index and still found by the primary key');

SELECT * FROM finish();
ROLLBACK;
