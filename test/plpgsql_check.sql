-- Every finding plpgsql_check reports for the PL/pgSQL functions, procedures and
-- trigger functions of the deployed schema, one line each:
--   <function>(<argument types>) <level> <sqlstate>: <message> [<detail>]
-- scripts/test compares these lines with test/plpgsql_check.allow. The line number is
-- printed after a tab so that it helps the reader but an edit above a finding does
-- not change what has to be allowed.
\set ON_ERROR_STOP 1
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS plpgsql_check;

SELECT DISTINCT ON (finding)
       format('%s %s %s: %s%s', pg_catalog.regexp_replace(p.oid::pg_catalog.regprocedure::text, '^langgraph\.', ''),
              r.level, r.sqlstate, r.message, coalesce(' [' || r.detail || ']', '')) AS finding,
       r.lineno
FROM pg_catalog.pg_proc AS p
JOIN pg_catalog.pg_language AS l ON l.oid = p.prolang AND l.lanname = 'plpgsql'
CROSS JOIN LATERAL plpgsql_check_function_tb(
    p.oid,
    -- A trigger function is checked against the table of one of its triggers.
    relid => CASE WHEN p.prorettype = 'pg_catalog.trigger'::pg_catalog.regtype
                  THEN (SELECT t.tgrelid FROM pg_catalog.pg_trigger AS t
                        WHERE t.tgfoid = p.oid ORDER BY t.oid LIMIT 1)
                  ELSE 0 END,
    extra_warnings => true,
    performance_warnings => true
) AS r
WHERE p.pronamespace = 'langgraph'::pg_catalog.regnamespace
ORDER BY finding, r.lineno;
