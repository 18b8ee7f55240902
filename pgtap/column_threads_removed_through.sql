-- pgTAP tests for the column_threads_removed_through change: the gate put_writes reads
-- from the thread row it locks, raised by every removal and never lowered.
BEGIN;
SELECT plan(7);

SELECT has_column('langgraph', 'threads', 'removed_through', 'threads.removed_through exists');
SELECT col_type_is('langgraph', 'threads', 'removed_through', 'text', 'it is text');
SELECT col_is_null('langgraph', 'threads', 'removed_through', 'it is nullable: NULL means nothing was removed');
SELECT col_hasnt_default('langgraph', 'threads', 'removed_through', 'it has no default (adding it rewrote nothing)');
SELECT is((SELECT c.collname::text FROM pg_attribute AS a JOIN pg_collation AS c ON c.oid = a.attcollation
           WHERE a.attrelid = 'langgraph.threads'::regclass AND a.attname = 'removed_through'),
          'C', 'it compares byte-wise, as checkpoint ids do');

SELECT langgraph.put_checkpoint_v2('pgtap-removed-through', '', format('cp-%s', i), CASE WHEN i > 1 THEN format('cp-%s', i - 1) END,
                                   '{}') FROM generate_series(1, 4) AS i;
SELECT langgraph.delete_checkpoint('pgtap-removed-through', 'cp-3');
SELECT langgraph.delete_checkpoint('pgtap-removed-through', 'cp-1');
SELECT is((SELECT removed_through FROM langgraph.threads WHERE thread_id = 'pgtap-removed-through'), 'cp-3',
          'it holds the greatest id removed and is never lowered');
SELECT is((SELECT removed_through FROM langgraph.threads WHERE thread_id = 'pgtap-removed-through-none'), NULL,
          'a thread with no removal has none');

SELECT * FROM finish();
ROLLBACK;
