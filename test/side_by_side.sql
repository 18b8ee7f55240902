-- Two deployments in two schemas of one database, side by side (scripts/test runs this
-- after deploying a second copy with --set schema=langgraph_b). Every check raises on
-- failure; psql runs with ON_ERROR_STOP, and the transaction is rolled back.
\set ON_ERROR_STOP on
BEGIN;

SELECT langgraph.save_checkpoint('side-by-side', '{"who": "a"}') IS NOT NULL AS saved_a;
SELECT langgraph_b.save_checkpoint('side-by-side', '{"who": "b"}') IS NOT NULL AS saved_b;

DO $$
BEGIN
    -- Each copy reads its own tables: the schema is pinned in every function.
    ASSERT (SELECT langgraph.load_checkpoint('side-by-side') -> 'state' ->> 'who') = 'a', 'langgraph reads its own state';
    ASSERT (SELECT langgraph_b.load_checkpoint('side-by-side') -> 'state' ->> 'who') = 'b', 'langgraph_b reads its own state';
    ASSERT (SELECT count(*) FROM langgraph.checkpoints WHERE thread_id = 'side-by-side') = 1, 'one checkpoint in langgraph';
    ASSERT (SELECT count(*) FROM langgraph_b.checkpoints WHERE thread_id = 'side-by-side') = 1, 'one checkpoint in langgraph_b';
    -- Each copy has its own roles, with rights on its own API only.
    ASSERT has_function_privilege('langgraph_b_client', 'langgraph_b.put_checkpoint(text, text, text, text, jsonb, jsonb, text[], text[], jsonb[], bytea[], boolean, text)', 'execute'),
        'langgraph_b_client may save into langgraph_b';
    ASSERT NOT has_function_privilege('langgraph_b_client', 'langgraph.put_checkpoint(text, text, text, text, jsonb, jsonb, text[], text[], jsonb[], bytea[], boolean, text)', 'execute'),
        'langgraph_b_client may not save into langgraph';
    ASSERT langgraph.delete_thread('side-by-side') = 1 AND langgraph_b.load_checkpoint('side-by-side') IS NOT NULL,
        'deleting in one copy leaves the other alone';
END
$$;

ROLLBACK;
