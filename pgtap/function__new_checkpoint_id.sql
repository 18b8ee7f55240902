-- pgTAP tests for the function__new_checkpoint_id change: UUIDv6 ids whose text order
-- is creation order, like the ids LangGraph makes in Python.
BEGIN;
SELECT plan(14);

SELECT has_function('langgraph', '_new_checkpoint_id', ARRAY[]::text[], '_new_checkpoint_id() exists');
SELECT function_returns('langgraph', '_new_checkpoint_id', ARRAY[]::text[], 'text', '_new_checkpoint_id returns text');
SELECT volatility_is('langgraph', '_new_checkpoint_id', ARRAY[]::text[], 'volatile', '_new_checkpoint_id is VOLATILE');
SELECT isnt_definer('langgraph', '_new_checkpoint_id', ARRAY[]::text[], '_new_checkpoint_id is not SECURITY DEFINER');
SELECT function_privs_are('langgraph', '_new_checkpoint_id', ARRAY[]::text[], 'public', ARRAY[]::text[], 'PUBLIC cannot call _new_checkpoint_id');
SELECT function_privs_are('langgraph', '_new_checkpoint_id', ARRAY[]::text[], 'langgraph_client', ARRAY[]::text[],
                          'the client role cannot call _new_checkpoint_id');
SELECT function_privs_are('langgraph', '_new_checkpoint_id', ARRAY[]::text[], 'langgraph_reader', ARRAY[]::text[],
                          'the reader role cannot call _new_checkpoint_id');

SELECT matches(langgraph._new_checkpoint_id(), '^[0-9a-f]{8}-[0-9a-f]{4}-6[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$',
               'an id is a lower-case UUIDv6 string with the RFC 9562 variant');
SELECT ok(langgraph._new_checkpoint_id()::uuid IS NOT NULL, 'an id parses as a uuid');

CREATE TEMP TABLE pgtap_new_ids AS
SELECT n, langgraph._new_checkpoint_id() AS id FROM generate_series(1, 1000) AS n;
SELECT is((SELECT count(*) FROM pgtap_new_ids WHERE id !~ '^[0-9a-f]{8}-[0-9a-f]{4}-6[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$'),
          0::bigint, '1000 ids all match the UUIDv6 pattern');
SELECT is((SELECT count(DISTINCT id) FROM pgtap_new_ids), 1000::bigint, '1000 ids are distinct');
SELECT is((SELECT count(*) FROM (SELECT id, lag(id) OVER (ORDER BY n) AS prev FROM pgtap_new_ids) AS s
           WHERE s.id COLLATE "C" <= s.prev COLLATE "C"), 0::bigint,
          'ids made one after another sort (byte-wise) in creation order');

-- The 60-bit timestamp (100 ns since 1582-10-15) decodes to the current clock time.
SELECT ok((SELECT abs(extract(epoch FROM clock_timestamp())
                      - ((('x' || lpad(substr(id, 1, 8) || substr(id, 10, 4) || substr(id, 16, 3), 16, '0'))::bit(64)::bigint
                          - 122192928000000000) / 1e7)) < 5
           FROM (SELECT langgraph._new_checkpoint_id() AS id) AS s),
          'the id carries the current time as its UUIDv6 timestamp');
-- An id LangGraph made in Python in 2025 sorts before one made now.
SELECT cmp_ok('1f06a2e4-5b7c-6d3e-8f00-0123456789ab' COLLATE "C", '<', langgraph._new_checkpoint_id() COLLATE "C",
              'an older LangGraph id sorts before a new one');

SELECT * FROM finish();
ROLLBACK;
