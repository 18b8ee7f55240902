-- Deploy langgraph_checkpoint:function__cleanup_run to pg
-- requires: table_cleanup_runs
-- requires: table_deleted_threads
-- requires: table_removed_checkpoints
\set client_role :schema '_client'

BEGIN;

-- The retention procedures run as their caller (a procedure that COMMITs cannot be
-- SECURITY DEFINER), so everything they touch goes through SECURITY DEFINER functions
-- like these two, which open and close the run's row in cleanup_runs.
CREATE OR REPLACE FUNCTION :"schema"._cleanup_run_begin(p_procedure text, p_parameters jsonb)
RETURNS bigint
LANGUAGE sql VOLATILE SECURITY DEFINER
SET search_path = :"schema", pg_temp
AS $$
    INSERT INTO cleanup_runs (procedure, parameters) VALUES (p_procedure, p_parameters)
    RETURNING run_id
$$;

-- Closing a run also purges the bookkeeping older than the horizon: tombstones (a
-- write that late is not a write in flight any more) and the rows of old runs.
-- Reworked after v1.0.0: the records of removed checkpoints (removed_checkpoints) are
-- tombstones too, and go with them; they count in tombstones_purged.
CREATE OR REPLACE FUNCTION :"schema"._cleanup_run_finish(p_run_id bigint, p_purge_before timestamptz)
RETURNS bigint
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = :"schema", pg_temp
AS $$
DECLARE
    v_purged bigint := 0;
BEGIN
    IF p_purge_before IS NOT NULL THEN
        DELETE FROM deleted_threads WHERE deleted_at < p_purge_before;
        GET DIAGNOSTICS v_purged = ROW_COUNT;
        WITH gone AS (
            DELETE FROM removed_checkpoints WHERE removed_at < p_purge_before RETURNING 1
        )
        SELECT v_purged + count(*) INTO v_purged FROM gone;
        DELETE FROM cleanup_runs WHERE started_at < p_purge_before AND run_id <> p_run_id;
    END IF;
    UPDATE cleanup_runs
    SET finished_at = clock_timestamp(), tombstones_purged = v_purged
    WHERE run_id = p_run_id;
    RETURN v_purged;
END
$$;

REVOKE ALL ON FUNCTION :"schema"._cleanup_run_begin(text, jsonb) FROM PUBLIC;
REVOKE ALL ON FUNCTION :"schema"._cleanup_run_finish(bigint, timestamptz) FROM PUBLIC;
-- The client role calls the retention procedures, which call these as the client.
GRANT EXECUTE ON FUNCTION :"schema"._cleanup_run_begin(text, jsonb) TO :"client_role";
GRANT EXECUTE ON FUNCTION :"schema"._cleanup_run_finish(bigint, timestamptz) TO :"client_role";

COMMENT ON FUNCTION :"schema"._cleanup_run_begin(text, jsonb) IS
  'Internal, for the retention procedures. Records the start of a run in cleanup_runs and returns its run_id.';
COMMENT ON FUNCTION :"schema"._cleanup_run_finish(bigint, timestamptz) IS
  'Internal, for the retention procedures. Sets finished_at of run p_run_id; when p_purge_before is not NULL, first deletes tombstones (deleted_threads and removed_checkpoints rows) and cleanup_runs rows older than it. Returns the number of tombstones purged.';

COMMIT;
