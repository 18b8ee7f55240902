-- pgTAP tests for the function_pin_thread change: XXX what they cover.
-- Created by `sqitch add` (templates/pgtap/pg.tmpl); the fail() below keeps
-- scripts/test red until the tests are written.
BEGIN;
SELECT plan(1);

-- Structure first: has_function, function_returns, volatility_is, is_definer,
-- function_privs_are. Then behaviour: results_eq, lives_ok, throws_ok(sql, '<SQLSTATE>').
-- now() is frozen inside the transaction: pass explicit timestamps.
SELECT fail('pgtap/function_pin_thread.sql: write the tests for function_pin_thread');

SELECT * FROM finish();
ROLLBACK;
