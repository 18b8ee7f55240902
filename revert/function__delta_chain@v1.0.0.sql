-- Revert langgraph_checkpoint:function__delta_chain from pg

BEGIN;

DROP FUNCTION :"schema"._delta_chain(text, text, text, text[]);

COMMIT;
