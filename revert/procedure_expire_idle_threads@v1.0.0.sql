-- Revert langgraph_checkpoint:procedure_expire_idle_threads from pg

BEGIN;

DROP PROCEDURE :"schema".expire_idle_threads(interval, integer, integer, bigint, bigint);

COMMIT;
