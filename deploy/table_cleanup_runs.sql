-- Deploy langgraph_checkpoint:table_cleanup_runs to pg
-- requires: schema

BEGIN;

-- One row per run of a retention procedure. The row is inserted and committed when
-- the run starts and its counters grow with every committed batch, so a run that was
-- interrupted (crash, cancel, pg_cron timeout) still shows what it did.
CREATE TABLE :"schema".cleanup_runs (
    run_id              bigint GENERATED ALWAYS AS IDENTITY,
    procedure           text        NOT NULL,
    parameters          jsonb       NOT NULL DEFAULT '{}',
    started_at          timestamptz NOT NULL DEFAULT clock_timestamp(),
    finished_at         timestamptz,
    batches             integer     NOT NULL DEFAULT 0,
    checkpoints_removed bigint      NOT NULL DEFAULT 0,
    threads_removed     bigint      NOT NULL DEFAULT 0,
    threads_skipped     bigint      NOT NULL DEFAULT 0,
    tombstones_purged   bigint      NOT NULL DEFAULT 0,
    CONSTRAINT cleanup_runs_pkey PRIMARY KEY (run_id),
    CONSTRAINT cleanup_runs_procedure CHECK (procedure IN ('cleanup_old_checkpoints', 'expire_idle_threads'))
);

COMMENT ON TABLE :"schema".cleanup_runs IS
  'Retention runs: what each call of cleanup_old_checkpoints or expire_idle_threads removed. finished_at is NULL while a run is going or if it was interrupted. stats() reports the latest.';
COMMENT ON COLUMN :"schema".cleanup_runs.threads_skipped IS
  'Threads left for the next run because a writer held them when the run came by.';

COMMIT;
