-- pgTAP for langgraph_checkpoint:function__save_checkpoints: the shared, set-based save path.
BEGIN;
SELECT plan(12);

SELECT has_function('langgraph', '_save_checkpoints',
    ARRAY['text[]', 'text[]', 'text[]', 'text[]', 'jsonb[]', 'jsonb[]', 'integer[]', 'text[]', 'text[]', 'jsonb[]', 'bytea[]', 'boolean', 'text'],
    '_save_checkpoints exists with its signature');
SELECT function_returns('langgraph', '_save_checkpoints',
    ARRAY['text[]', 'text[]', 'text[]', 'text[]', 'jsonb[]', 'jsonb[]', 'integer[]', 'text[]', 'text[]', 'jsonb[]', 'bytea[]', 'boolean', 'text'],
    'void', '_save_checkpoints returns void');
SELECT isnt_definer('langgraph', '_save_checkpoints',
    ARRAY['text[]', 'text[]', 'text[]', 'text[]', 'jsonb[]', 'jsonb[]', 'integer[]', 'text[]', 'text[]', 'jsonb[]', 'bytea[]', 'boolean', 'text'],
    '_save_checkpoints is internal: it runs with its callers'' rights');
SELECT ok(NOT has_function_privilege('public',
    'langgraph._save_checkpoints(text[], text[], text[], text[], jsonb[], jsonb[], integer[], text[], text[], jsonb[], bytea[], boolean, text)', 'execute'),
    'PUBLIC cannot call _save_checkpoints');

-- A chain, two threads, values routed by owner.
SELECT lives_ok($$
    SELECT langgraph._save_checkpoints(
        ARRAY['pgtap-save-1', 'pgtap-save-1', 'pgtap-save-2'], ARRAY['', '', ''], ARRAY['a', 'b', 'a'], ARRAY[NULL, 'a', NULL],
        ARRAY['{"channel_versions": {"x": "1"}}', '{"channel_versions": {"x": "2"}}', '{"channel_versions": {"y": "1"}}']::jsonb[],
        ARRAY['{}', '{}', '{}']::jsonb[],
        ARRAY[1, 2, 3], ARRAY['x', 'x', 'y'], ARRAY['json', 'json', 'json'], ARRAY['1', '2', '"y"']::jsonb[],
        ARRAY[NULL, NULL, NULL]::bytea[], false, NULL)
$$, 'a chain and a second thread save in one call');
SELECT results_eq($$
    SELECT thread_id COLLATE "default", checkpoint_id COLLATE "default", parent_checkpoint_id COLLATE "default", channel_values
    FROM langgraph.checkpoint_tuples WHERE thread_id LIKE 'pgtap-save-%' ORDER BY 1, 2
$$, $$ VALUES ('pgtap-save-1'::text, 'a'::text, NULL::text, ARRAY['1'::jsonb]),
              ('pgtap-save-1', 'b', 'a', ARRAY['2'::jsonb]),
              ('pgtap-save-2', 'a', NULL, ARRAY['"y"'::jsonb]) $$,
    'each checkpoint gets its own values and parent');

SELECT throws_ok($$
    SELECT langgraph._save_checkpoints(
        ARRAY['pgtap-save-3', 'pgtap-save-3'], ARRAY['', ''], ARRAY['a', 'a'], ARRAY[NULL, NULL],
        ARRAY['{}', '{}']::jsonb[], ARRAY['{}', '{}']::jsonb[], '{}', '{}', '{}', '{}', '{}', false, NULL)
$$, 'LG003', NULL, 'the same checkpoint twice in one call is refused');
SELECT throws_ok($$
    SELECT langgraph._save_checkpoints(
        ARRAY['pgtap-save-4', 'pgtap-save-4'], ARRAY['', ''], ARRAY['a', 'b'], ARRAY[NULL, 'zz'],
        ARRAY['{}', '{}']::jsonb[], ARRAY['{}', '{}']::jsonb[], '{}', '{}', '{}', '{}', '{}', false, NULL)
$$, 'LG008', NULL, 'a parent neither stored nor earlier in the call is gone');
SELECT throws_ok($$
    SELECT langgraph._save_checkpoints(
        ARRAY['pgtap-save-5', 'pgtap-save-5', 'pgtap-save-5'], ARRAY['', '', ''], ARRAY['a', 'b', 'c'], ARRAY[NULL, 'a', 'a'],
        ARRAY['{}', '{}', '{}']::jsonb[], ARRAY['{"source": "loop"}', '{"source": "loop"}', '{"source": "loop"}']::jsonb[],
        '{}', '{}', '{}', '{}', '{}', true, NULL)
$$, 'LG005', NULL, 'exclusive: two children of one parent within one call conflict');
SELECT is((SELECT count(*)::int FROM langgraph.checkpoints WHERE thread_id IN ('pgtap-save-3', 'pgtap-save-4', 'pgtap-save-5')), 0,
    'a refused call stores nothing');
SELECT throws_ok($$
    SELECT langgraph._save_checkpoints(
        ARRAY['pgtap-save-6'], ARRAY[''], ARRAY['a'], ARRAY[NULL], ARRAY['{}']::jsonb[], ARRAY['{}']::jsonb[],
        ARRAY[2], ARRAY['x'], ARRAY['json'], ARRAY['1']::jsonb[], ARRAY[NULL]::bytea[], false, NULL)
$$, 'LG002', NULL, 'a value owner out of range is refused');
SELECT throws_ok($$
    SELECT langgraph._save_checkpoints(
        ARRAY['pgtap-save-7', ''], ARRAY['', ''], ARRAY['a', 'b'], ARRAY[NULL, NULL],
        ARRAY['{}', '{}']::jsonb[], ARRAY['{}', '{}']::jsonb[], '{}', '{}', '{}', '{}', '{}', false, NULL)
$$, 'LG001', 'thread_id must be a non-empty string', 'the first malformed element gets the single-save error');

SELECT * FROM finish();
ROLLBACK;
