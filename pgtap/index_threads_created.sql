-- pgTAP tests for the index_threads_created change: XXX what they cover.
-- Created by `sqitch add` (templates/pgtap/pg.tmpl); the fail() below keeps
-- scripts/test red until the tests are written.
BEGIN;
SELECT plan(1);

-- Structure first: has_function, function_returns, volatility_is, is_definer,
-- function_privs_are. Then behaviour: results_eq, lives_ok, throws_ok(sql, '<SQLSTATE>').
-- now() is frozen inside the transaction: pass explicit timestamps.
SELECT fail('pgtap/index_threads_created.sql: write the tests for index_threads_created');

SELECT * FROM finish();
ROLLBACK;
