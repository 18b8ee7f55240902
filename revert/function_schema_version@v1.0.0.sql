-- Revert langgraph_checkpoint:function_schema_version from pg

BEGIN;

DROP FUNCTION :"schema".schema_version();

COMMIT;
