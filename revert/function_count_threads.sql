-- Revert langgraph_checkpoint:function_count_threads from pg

BEGIN;

DROP FUNCTION :"schema".count_threads(jsonb, jsonb, text, timestamptz, timestamptz, timestamptz, timestamptz);

COMMIT;
