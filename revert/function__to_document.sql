-- Revert langgraph_checkpoint:function__to_document from pg

BEGIN;

DROP FUNCTION :"schema"._to_document(:"schema".checkpoint_tuples);
DROP FUNCTION :"schema"._value_document(text, jsonb, bytea);

COMMIT;
