-- Deploy langgraph_checkpoint:index_threads_created to pg
-- requires: table_threads

BEGIN;

-- search_threads pages newest threads first with a keyset on (created_at, thread_id),
-- read backward through this index, so a page costs its rows whatever the offset.
-- created_at is written once, when the thread's row is inserted, and never updated:
-- the saves that update updated_at stay HOT (updated_at itself stays unindexed, see
-- table_threads). On a large table, build it first with CREATE INDEX CONCURRENTLY
-- under the same name; IF NOT EXISTS then makes this script a no-op (docs/operations.md).
CREATE INDEX IF NOT EXISTS threads_created_idx ON :"schema".threads (created_at, thread_id);

COMMENT ON INDEX :"schema".threads_created_idx IS
  'search_threads and count_threads: newest-first keyset paging and created_at ranges.';

COMMIT;
