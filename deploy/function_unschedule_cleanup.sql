-- Deploy langgraph_checkpoint:function_unschedule_cleanup to pg
-- requires: function_schedule_cleanup
\set default_job_name :schema '-cleanup'

BEGIN;

CREATE FUNCTION :"schema".unschedule_cleanup(job_name text DEFAULT :'default_job_name')
RETURNS boolean
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = :"schema", pg_temp
AS $$
DECLARE
    v_job_id bigint;
BEGIN
    IF NOT EXISTS (SELECT FROM pg_catalog.pg_extension WHERE extname = 'pg_cron') THEN
        RAISE EXCEPTION 'pg_cron is not installed in database %', current_database()
            USING ERRCODE = 'LG007',
                  HINT = 'Nothing can be scheduled here without pg_cron; if it runs in another database (cron.database_name), unschedule there with cron.unschedule(<job name>).';
    END IF;
    -- schedule_cleanup's jobs belong to the owner, who is current_user here.
    SELECT j.jobid INTO v_job_id FROM cron.job AS j
    WHERE j.jobname = job_name AND j.username = current_user;
    IF NOT FOUND THEN
        RETURN false;
    END IF;
    RETURN cron.unschedule(v_job_id);
END
$$;

REVOKE ALL ON FUNCTION :"schema".unschedule_cleanup(text) FROM PUBLIC;

COMMENT ON FUNCTION :"schema".unschedule_cleanup(text) IS
$c$Removes the pg_cron job that schedule_cleanup created. Parameter: job_name (default
'<schema>-cleanup'). Returns true if a job was removed, false if there was none by that name.
Owner only unless granted. Raises LG007 (pg_cron not installed in this database).$c$;

COMMIT;
