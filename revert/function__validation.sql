-- Revert langgraph_checkpoint:function__validation from pg

BEGIN;

DROP FUNCTION :"schema"._check_payload(text, text[], text[], jsonb[], bytea[]);
DROP FUNCTION :"schema"._check_limit(integer);
DROP FUNCTION :"schema"._check_object(jsonb, text);
DROP FUNCTION :"schema"._check_ns(text);
DROP FUNCTION :"schema"._check_id(text, text);

COMMIT;
