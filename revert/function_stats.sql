-- Revert langgraph_checkpoint:function_stats from pg: the v1.0.0 body
\set reader_role :schema '_reader'

BEGIN;

-- One JSONB document, so monitoring can take what it needs and new fields can be added
-- without changing the signature. Counts are exact: this reads every table once, which
-- is fine on demand or every few minutes; for per-second metrics use
-- pg_stat_user_tables.n_live_tup instead.
CREATE OR REPLACE FUNCTION :"schema".stats()
RETURNS jsonb
LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = :"schema", pg_temp
AS $$
DECLARE
    v_tables jsonb := '[]';
    v_table record;
    v_rows bigint;
    v_checkpoints record;
BEGIN
    FOR v_table IN
        SELECT c.oid, c.relname::text AS name
        FROM pg_catalog.pg_class AS c
        WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind IN ('r', 'p')
        ORDER BY c.relname
    LOOP
        EXECUTE format('SELECT count(*) FROM %I.%I', current_schema(), v_table.name) INTO v_rows;
        v_tables := v_tables || jsonb_build_object(
            'table', v_table.name,
            'rows', v_rows,
            'total_bytes', pg_catalog.pg_total_relation_size(v_table.oid),
            'table_bytes', pg_catalog.pg_relation_size(v_table.oid),
            'toast_bytes', pg_catalog.pg_total_relation_size(v_table.oid)
                           - pg_catalog.pg_relation_size(v_table.oid, 'main')
                           - pg_catalog.pg_relation_size(v_table.oid, 'fsm')
                           - pg_catalog.pg_relation_size(v_table.oid, 'vm')
                           - pg_catalog.pg_indexes_size(v_table.oid),
            'index_bytes', pg_catalog.pg_indexes_size(v_table.oid));
    END LOOP;

    SELECT count(*) AS n, min(c.created_at) AS oldest, max(c.created_at) AS newest
      INTO v_checkpoints
    FROM checkpoints AS c;

    RETURN jsonb_build_object(
        'schema', current_schema(),
        'tables', v_tables,
        'total_bytes', (SELECT sum((t ->> 'total_bytes')::bigint) FROM jsonb_array_elements(v_tables) AS t),
        'threads', (SELECT count(*) FROM threads),
        'checkpoints', v_checkpoints.n,
        'oldest_checkpoint_at', v_checkpoints.oldest,
        'newest_checkpoint_at', v_checkpoints.newest,
        'deleted_threads', (SELECT count(*) FROM deleted_threads),
        'last_cleanup', (SELECT to_jsonb(r) FROM cleanup_runs AS r WHERE r.finished_at IS NOT NULL
                         ORDER BY r.run_id DESC LIMIT 1),
        'cleanups_running', (SELECT count(*) FROM cleanup_runs AS r WHERE r.finished_at IS NULL));
END
$$;

REVOKE ALL ON FUNCTION :"schema".stats() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION :"schema".stats() TO :"reader_role";

COMMENT ON FUNCTION :"schema".stats() IS
$c$Returns storage and retention statistics as one JSONB object: schema; tables (per table of the
schema: table, rows, total_bytes, table_bytes, toast_bytes, index_bytes); total_bytes; threads;
checkpoints; oldest_checkpoint_at and newest_checkpoint_at (by created_at, NULL when empty);
deleted_threads (tombstones); last_cleanup (the latest finished cleanup_runs row, or NULL);
cleanups_running (runs not finished: in progress or interrupted). Counts are exact, so the call
reads every table once. No parameters. Raises nothing.$c$;

COMMIT;
