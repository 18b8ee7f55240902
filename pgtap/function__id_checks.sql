-- pgTAP tests for the function__id_checks change: _bad_id and _bad_ns, the predicates
-- the API functions test their identifiers with, and that the planner inlines them
-- (and _bad_checkpoint, built on them) so that they cost a valid call nothing.
BEGIN;
SELECT plan(26);

-- Structure: internal, IMMUTABLE, SECURITY INVOKER SQL functions no role may call, with
-- no SET clause and a SQL-standard body: what inlining needs.
SELECT has_function('langgraph', '_bad_id', ARRAY['text'], '_bad_id(text) exists');
SELECT has_function('langgraph', '_bad_ns', ARRAY['text'], '_bad_ns(text) exists');
SELECT function_returns('langgraph', '_bad_id', ARRAY['text'], 'boolean', '_bad_id returns boolean');
SELECT function_returns('langgraph', '_bad_ns', ARRAY['text'], 'boolean', '_bad_ns returns boolean');
SELECT function_lang_is('langgraph', '_bad_id', ARRAY['text'], 'sql', '_bad_id is LANGUAGE sql');
SELECT function_lang_is('langgraph', '_bad_ns', ARRAY['text'], 'sql', '_bad_ns is LANGUAGE sql');
SELECT volatility_is('langgraph', '_bad_id', ARRAY['text'], 'immutable', '_bad_id is IMMUTABLE');
SELECT volatility_is('langgraph', '_bad_ns', ARRAY['text'], 'immutable', '_bad_ns is IMMUTABLE');
SELECT isnt_definer('langgraph', '_bad_id', ARRAY['text'], '_bad_id is not SECURITY DEFINER');
SELECT isnt_definer('langgraph', '_bad_ns', ARRAY['text'], '_bad_ns is not SECURITY DEFINER');
SELECT isnt_strict('langgraph', '_bad_id', ARRAY['text'], '_bad_id is not STRICT (NULL is bad)');
SELECT isnt_strict('langgraph', '_bad_ns', ARRAY['text'], '_bad_ns is not STRICT (NULL is bad)');
SELECT is_empty($$
    SELECT p.proname FROM pg_proc AS p
    WHERE p.pronamespace = 'langgraph'::regnamespace AND p.proname ~ '^_bad_'
      AND (p.proconfig IS NOT NULL OR p.prosqlbody IS NULL)$$,
    'the _bad_* predicates have no SET clause and a SQL-standard body');
SELECT function_privs_are('langgraph', '_bad_id', ARRAY['text'], 'langgraph_client', ARRAY[]::text[],
                          'the client role cannot execute _bad_id');

-- Behaviour: exactly what _check_id / _check_ns raise LG001 for.
SELECT is(langgraph._bad_id(NULL), true, '_bad_id: NULL is bad');
SELECT is(langgraph._bad_id(''), true, '_bad_id: the empty string is bad');
SELECT is(langgraph._bad_id(repeat('x', 1025)), true, '_bad_id: 1025 characters are bad');
SELECT is(langgraph._bad_id(repeat('é', 1024)), false, '_bad_id: 1024 characters (not bytes) are good');
SELECT is(langgraph._bad_id('t-1'), false, '_bad_id: an ordinary id is good');
SELECT is(langgraph._bad_ns(NULL), true, '_bad_ns: NULL is bad');
SELECT is(langgraph._bad_ns(''), false, '_bad_ns: the root namespace '''' is good');
SELECT is(langgraph._bad_ns(repeat('x', 1025)), true, '_bad_ns: 1025 characters are bad');
SELECT is(langgraph._bad_ns('child:1'), false, '_bad_ns: a subgraph path is good');

-- Inlining: the plan shows the predicate's expression, never a call of the function.
CREATE FUNCTION pg_temp.plan_of(p_query text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
    v_line text;
    v_plan text := '';
BEGIN
    FOR v_line IN EXECUTE 'EXPLAIN (VERBOSE, COSTS OFF) ' || p_query LOOP
        v_plan := v_plan || v_line || E'\n';
    END LOOP;
    RETURN v_plan;
END
$$;
SELECT unalike(pg_temp.plan_of($$SELECT langgraph._bad_id(c.thread_id) FROM langgraph.checkpoints AS c$$),
               '%_bad_id%', '_bad_id is inlined');
SELECT unalike(pg_temp.plan_of($$SELECT langgraph._bad_ns(c.checkpoint_ns) FROM langgraph.checkpoints AS c$$),
               '%_bad_ns%', '_bad_ns is inlined');
SELECT unalike(pg_temp.plan_of($$SELECT langgraph._bad_checkpoint(c.thread_id, c.checkpoint_ns, c.checkpoint_id,
                                                                  c.parent_checkpoint_id, c.checkpoint, c.metadata)
                                 FROM langgraph.checkpoints AS c$$),
               '%_bad_%', '_bad_checkpoint and the predicates in it are inlined');

SELECT * FROM finish();
ROLLBACK;
