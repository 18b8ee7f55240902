-- Revert langgraph_checkpoint:function__checkpoint_page from pg

BEGIN;

DROP FUNCTION :"schema"._checkpoint_page(text, text, text, jsonb, text, integer);

COMMIT;
