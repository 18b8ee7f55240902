-- Revert langgraph_checkpoint:function_search_threads from pg

BEGIN;

DROP FUNCTION :"schema".search_threads(jsonb, jsonb, text, timestamptz, timestamptz, timestamptz, timestamptz, timestamptz, text, integer);

COMMIT;
