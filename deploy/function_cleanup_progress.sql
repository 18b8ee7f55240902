-- Deploy langgraph_checkpoint:function_cleanup_progress to pg
-- requires: table_cleanup_runs
\set reader_role :schema '_reader'

BEGIN;

-- The retention procedures commit their counters in cleanup_runs after every batch;
-- this is how another session watches a run as it goes (`langgraph-plpgsql cleanup`
-- draws its progress from it) without reading the private table. stats() reports only
-- the last finished run, and reads every table to do it.
CREATE FUNCTION :"schema".cleanup_progress()
RETURNS TABLE (
    run_id              bigint,
    procedure           text,
    parameters          jsonb,
    started_at          timestamptz,
    batches             integer,
    checkpoints_removed bigint,
    threads_removed     bigint,
    threads_skipped     bigint
)
LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = :"schema", pg_temp
AS $$
    SELECT r.run_id, r.procedure, r.parameters, r.started_at, r.batches,
           r.checkpoints_removed, r.threads_removed, r.threads_skipped
    FROM cleanup_runs AS r
    WHERE r.finished_at IS NULL
    ORDER BY r.run_id DESC
$$;

REVOKE ALL ON FUNCTION :"schema".cleanup_progress() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION :"schema".cleanup_progress() TO :"reader_role";

COMMENT ON FUNCTION :"schema".cleanup_progress() IS
$c$Retention runs not finished (in progress, or interrupted), newest first: run_id, procedure
(cleanup_old_checkpoints or expire_idle_threads), parameters, started_at, and the counters
committed so far (batches, checkpoints_removed, threads_removed, threads_skipped). No
parameters. Raises nothing.$c$;

COMMIT;
