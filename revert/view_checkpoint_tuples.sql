-- Revert langgraph_checkpoint:view_checkpoint_tuples from pg

BEGIN;

DROP VIEW :"schema".checkpoint_tuples;

COMMIT;
