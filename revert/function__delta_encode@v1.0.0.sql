-- Revert langgraph_checkpoint:function__delta_encode from pg

BEGIN;

DROP FUNCTION :"schema"._delta_encode(text, text, text, text, jsonb);

COMMIT;
