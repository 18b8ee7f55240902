-- Revert langgraph_checkpoint:function__threads_query from pg

BEGIN;

DROP FUNCTION :"schema"._threads_query(jsonb, jsonb, text, timestamptz, timestamptz, timestamptz, timestamptz);

COMMIT;
