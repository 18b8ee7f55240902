-- pgTAP tests for the function__checkpoint_id_time change: the instant inside a UUIDv6.
BEGIN;
SELECT plan(9);

SELECT has_function('langgraph', '_checkpoint_id_time', ARRAY['text'], '_checkpoint_id_time(text) exists');
SELECT function_returns('langgraph', '_checkpoint_id_time', ARRAY['text'], 'timestamp with time zone', 'it returns timestamptz');
SELECT volatility_is('langgraph', '_checkpoint_id_time', ARRAY['text'], 'immutable', 'it is IMMUTABLE');
SELECT isnt_definer('langgraph', '_checkpoint_id_time', ARRAY['text'], 'it is not SECURITY DEFINER');
SELECT function_privs_are('langgraph', '_checkpoint_id_time', ARRAY['text'], 'langgraph_client', ARRAY[]::text[],
                          'internal: the client role cannot call it');

-- An id LangGraph minted (langgraph.checkpoint.base.id.uuid6) at a known instant.
SELECT is(langgraph._checkpoint_id_time('1f1eccb2-9aa5-6833-8cb8-bcb008135471'),
          to_timestamp(1796049274.6741811), 'decodes an id LangGraph made');
SELECT cmp_ok(abs(extract(epoch FROM langgraph._checkpoint_id_time(langgraph._new_checkpoint_id()) - clock_timestamp())),
              '<', 1::numeric, 'round-trips the ids _new_checkpoint_id mints');
SELECT is(langgraph._checkpoint_id_time('1f1eccb2-9aa5-4833-8cb8-bcb008135471'), NULL,
          'a UUID of another version has no time');
SELECT is(langgraph._checkpoint_id_time('cp-0001'), NULL, 'an id that is not a UUID has no time');

SELECT * FROM finish();
ROLLBACK;
