-- Revert langgraph_checkpoint:function_schedule_cleanup from pg: the v1.0.0 body
\set default_job_name :schema '-cleanup'

BEGIN;

-- pg_cron is optional: this function looks for it when called, not when deployed, and
-- raises LG007 when it is missing. pg_cron runs a job as the role that scheduled it;
-- SECURITY DEFINER makes that the schema owner, so the job can do all retention needs
-- whoever calls this.
CREATE OR REPLACE FUNCTION :"schema".schedule_cleanup(
    cron_expression text,
    retention_days  integer,
    job_name        text DEFAULT :'default_job_name'
)
RETURNS bigint
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = :"schema", pg_temp
AS $$
DECLARE
    v_cron_database text := current_setting('cron.database_name', true);
    v_command text;
BEGIN
    IF NOT EXISTS (SELECT FROM pg_catalog.pg_extension WHERE extname = 'pg_cron') THEN
        RAISE EXCEPTION 'pg_cron is not installed in database %', current_database()
            USING ERRCODE = 'LG007',
                  DETAIL = CASE WHEN v_cron_database IS NOT NULL AND v_cron_database <> current_database()
                                THEN format('pg_cron is loaded but runs in database %s (cron.database_name).', v_cron_database)
                                ELSE 'The pg_cron extension is not created in this database.' END,
                  HINT = CASE WHEN v_cron_database IS NOT NULL AND v_cron_database <> current_database()
                              THEN format('In database %s run: SELECT cron.schedule_in_database(%L, %L, %L, %L);',
                                          v_cron_database, job_name, cron_expression,
                                          format('CALL %I.cleanup_old_checkpoints(%s)', current_schema(), retention_days),
                                          current_database())
                              ELSE format('Add pg_cron to shared_preload_libraries, set cron.database_name = %L, restart '
                                          'PostgreSQL, then run CREATE EXTENSION pg_cron; in that database. Without pg_cron, '
                                          'call %I.cleanup_old_checkpoints from your own scheduler or the client''s auto_cleanup.',
                                          current_database(), current_schema()) END;
    END IF;
    IF cron_expression IS NULL OR btrim(cron_expression) = '' THEN
        RAISE EXCEPTION 'cron_expression must be a cron schedule'
            USING ERRCODE = 'LG003',
                  HINT = 'For example ''17 3 * * *'' (every day at 03:17).';
    END IF;
    IF retention_days IS NULL OR retention_days < 0 THEN
        RAISE EXCEPTION 'retention_days must be a non-negative number of days, got %', coalesce(retention_days::text, 'NULL')
            USING ERRCODE = 'LG003',
                  HINT = 'For example 30: checkpoints older than 30 days go, each thread keeping its latest.';
    END IF;
    IF job_name IS NULL OR job_name = '' THEN
        RAISE EXCEPTION 'job_name must be a non-empty string'
            USING ERRCODE = 'LG003',
                  HINT = 'Omit it for the default job name.';
    END IF;

    -- current_schema() is this deployment's schema: search_path is pinned to it.
    v_command := format('CALL %I.cleanup_old_checkpoints(%s)', current_schema(), retention_days);
    -- Scheduling a job of the same name again replaces it (pg_cron upserts by name).
    RETURN cron.schedule(job_name, cron_expression, v_command);
END
$$;

-- Scheduling is an administrator's act: only the owner can, unless granted.
REVOKE ALL ON FUNCTION :"schema".schedule_cleanup(text, integer, text) FROM PUBLIC;

COMMENT ON FUNCTION :"schema".schedule_cleanup(text, integer, text) IS
$c$Schedules CALL <schema>.cleanup_old_checkpoints(retention_days) with pg_cron and returns the job id.
Parameters: cron_expression (pg_cron schedule, e.g. '17 3 * * *'), retention_days (as in
cleanup_old_checkpoints), job_name (default '<schema>-cleanup'; scheduling the same name again
replaces the job). The job runs as the schema owner in this database. Owner only unless granted.
Raises LG007 (pg_cron not installed here; the hint says how to install it, or the
cron.schedule_in_database call to make when pg_cron lives in another database), LG003 (empty
cron_expression or job_name, NULL or negative retention_days).$c$;

COMMIT;
