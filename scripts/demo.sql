-- A tour of the JSONB API: save two states of one thread, read them back,
-- delete one checkpoint, then the whole thread.
--   scripts/demo                                   (deploys into a throwaway cluster)
--   psql "$DATABASE_URL" -f scripts/demo.sql       (against a deployed database)
\set ON_ERROR_STOP on
\pset footer off

\echo '== save_checkpoint: first state'
SELECT langgraph.save_checkpoint('demo-thread', '{"messages": ["hello"], "step": 1}'::jsonb) AS id
\gset first_
\echo :first_id

\echo '== save_checkpoint: second state, the first one becomes its parent'
SELECT langgraph.save_checkpoint('demo-thread', '{"messages": ["hello", "world"], "step": 2}'::jsonb) AS id
\gset second_
\echo :second_id

\echo '== load_checkpoint: the latest state as one document'
SELECT jsonb_pretty(langgraph.load_checkpoint('demo-thread')) AS latest;

\echo '== list_checkpoints: newest first'
SELECT checkpoint_id, created_at
FROM langgraph.list_checkpoints(p_thread_id => 'demo-thread');

\echo '== delete_checkpoint: the first one'
-- It returns void, so there is nothing to print.
SELECT langgraph.delete_checkpoint('demo-thread', :'first_id') \g /dev/null
SELECT checkpoint_id, created_at
FROM langgraph.list_checkpoints(p_thread_id => 'demo-thread');

\echo '== delete_thread: returns how many checkpoints went'
SELECT langgraph.delete_thread('demo-thread') AS deleted;
