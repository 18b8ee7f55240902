-- Deploy langgraph_checkpoint_proxy:proxy_cross_functions to pg
-- requires: proxy_thread_functions

BEGIN;

-- The API functions that are not one thread's: they run on every partition (RUN ON
-- ALL, in parallel) and merge, or split their thread array per partition (SPLIT), or
-- move a copy from one partition to another. Not here, with why (docs/scaling.md):
-- schedule_cleanup / unschedule_cleanup (pg_cron runs in each partition's own cluster)
-- and the procedures cleanup_old_checkpoints / expire_idle_threads (they COMMIT per
-- batch, which a PL/Proxy call, one SELECT, cannot carry): both run on each partition.
SET LOCAL langgraph_proxy.schema = :'schema';
SET LOCAL langgraph_proxy.cluster = :'cluster';

DO $do$
DECLARE
    s text := current_setting('langgraph_proxy.schema');
    c text := current_setting('langgraph_proxy.cluster');
    -- The handler every API function ends with (see proxy_thread_functions).
    h text := $h$
            EXCEPTION WHEN internal_error THEN
                GET STACKED DIAGNOSTICS v_message = MESSAGE_TEXT, v_detail = PG_EXCEPTION_DETAIL;
                PERFORM _raise_proxy_error(v_message, v_detail, %L);
            END$h$;
    v_list_args text := $a$p_thread_id text DEFAULT NULL::text, p_checkpoint_ns text DEFAULT NULL::text, p_checkpoint_id text DEFAULT NULL::text, p_filter jsonb DEFAULT NULL::jsonb, p_before text DEFAULT NULL::text, p_limit integer DEFAULT NULL::integer$a$;
BEGIN
    -- ------------------------------------------------------------ list_checkpoints
    -- One thread: its partition. Across threads: every partition returns its own first
    -- p_limit rows (after p_before) in the API's order; the first p_limit of their union
    -- in that order are the answer, as on one database.
    EXECUTE format($f$
        CREATE FUNCTION %1$I._px_list_checkpoints_one(%2$s) RETURNS SETOF %1$I.checkpoint_tuples
        LANGUAGE plproxy VOLATILE AS $b$ CLUSTER %3$L; RUN ON pg_catalog.hashtext(p_thread_id); TARGET %1$I.list_checkpoints; $b$$f$,
        s, v_list_args, c);
    EXECUTE format($f$
        CREATE FUNCTION %1$I._px_list_checkpoints_all(%2$s) RETURNS SETOF %1$I.checkpoint_tuples
        LANGUAGE plproxy VOLATILE AS $b$ CLUSTER %3$L; RUN ON ALL; TARGET %1$I.list_checkpoints; $b$$f$,
        s, v_list_args, c);
    EXECUTE format($f$
        CREATE FUNCTION %1$I.list_checkpoints(%2$s) RETURNS SETOF %1$I.checkpoint_tuples
        LANGUAGE plpgsql STABLE SECURITY DEFINER
        SET search_path = %1$I, pg_temp
        AS $b$
            DECLARE
                v_message text;
                v_detail text;
            BEGIN
                IF p_thread_id IS NOT NULL THEN
                    RETURN QUERY SELECT * FROM _px_list_checkpoints_one(
                        p_thread_id, p_checkpoint_ns, p_checkpoint_id, p_filter, p_before, p_limit);
                ELSE
                    RETURN QUERY SELECT * FROM _px_list_checkpoints_all(
                        p_thread_id, p_checkpoint_ns, p_checkpoint_id, p_filter, p_before, p_limit) AS t
                        ORDER BY t.checkpoint_id DESC, t.thread_id, t.checkpoint_ns
                        LIMIT p_limit;
                END IF;
                RETURN;
            %3$s
        $b$$f$, s, v_list_args, format(h, 'list_checkpoints'));

    -- ------------------------------------------------------------ set_compression
    EXECUTE format($f$
        CREATE FUNCTION %1$I._px_set_compression_one(p_enabled boolean, p_thread_id text) RETURNS boolean
        LANGUAGE plproxy VOLATILE AS $b$ CLUSTER %2$L; RUN ON pg_catalog.hashtext(p_thread_id); TARGET %1$I.set_compression; $b$;
        CREATE FUNCTION %1$I._px_set_compression_all(p_enabled boolean, p_thread_id text) RETURNS SETOF boolean
        LANGUAGE plproxy VOLATILE AS $b$ CLUSTER %2$L; RUN ON ALL; TARGET %1$I.set_compression; $b$;
        CREATE FUNCTION %1$I.set_compression(p_enabled boolean, p_thread_id text DEFAULT NULL::text) RETURNS boolean
        LANGUAGE plpgsql VOLATILE SECURITY DEFINER
        SET search_path = %1$I, pg_temp
        AS $b$
            DECLARE
                v_message text;
                v_detail text;
            BEGIN
                IF p_thread_id IS NOT NULL THEN
                    RETURN _px_set_compression_one(p_enabled, p_thread_id);
                END IF;
                -- The deployment-wide setting is every partition's.
                RETURN (SELECT bool_and(e) FROM _px_set_compression_all(p_enabled, p_thread_id) AS e);
            %3$s
        $b$$f$, s, c, format(h, 'set_compression'));

    -- ------------------------------------------------------------ prune_checkpoints
    -- SPLIT sends each partition the threads it owns. An empty array, or one with a NULL
    -- (which the partition refuses, LG001), goes whole to partition 0 so the answer and
    -- the errors are a partition's.
    EXECUTE format($f$
        CREATE FUNCTION %1$I._px_prune_checkpoints(p_thread_ids text[], p_strategy text) RETURNS SETOF bigint
        LANGUAGE plproxy VOLATILE AS $b$ CLUSTER %2$L; SPLIT p_thread_ids; RUN ON pg_catalog.hashtext(p_thread_ids); TARGET %1$I.prune_checkpoints; $b$;
        CREATE FUNCTION %1$I._px_prune_checkpoints_first(p_thread_ids text[], p_strategy text) RETURNS bigint
        LANGUAGE plproxy VOLATILE AS $b$ CLUSTER %2$L; RUN ON 0; TARGET %1$I.prune_checkpoints; $b$;
        CREATE FUNCTION %1$I.prune_checkpoints(p_thread_ids text[], p_strategy text DEFAULT 'keep_latest'::text) RETURNS bigint
        LANGUAGE plpgsql VOLATILE SECURITY DEFINER
        SET search_path = %1$I, pg_temp
        AS $b$
            DECLARE
                v_message text;
                v_detail text;
            BEGIN
                IF coalesce(cardinality(p_thread_ids), 0) = 0 OR array_position(p_thread_ids, NULL) IS NOT NULL THEN
                    RETURN _px_prune_checkpoints_first(p_thread_ids, p_strategy);
                END IF;
                RETURN (SELECT coalesce(sum(n), 0)::bigint FROM _px_prune_checkpoints(p_thread_ids, p_strategy) AS n);
            %3$s
        $b$$f$, s, c, format(h, 'prune_checkpoints'));

    -- ------------------------------------------------------------ batch_save_checkpoints
    -- One transaction on one partition; a batch whose threads live on several is refused
    -- (LGP02) before anything is sent.
    EXECUTE format($f$
        CREATE FUNCTION %1$I._px_batch_save_checkpoints(p_thread_ids text[], p_checkpoint_ns text[], p_checkpoint_ids text[], p_parent_ids text[], p_checkpoints jsonb[], p_metadata jsonb[], p_value_owners integer[], p_channels text[], p_types text[], p_values jsonb[], p_blobs bytea[], p_exclusive boolean, p_lease_owner text)
        RETURNS text[]
        LANGUAGE plproxy VOLATILE AS $b$ CLUSTER %2$L; RUN ON %1$I._batch_hash(p_thread_ids); TARGET %1$I.batch_save_checkpoints; $b$;
        CREATE FUNCTION %1$I.batch_save_checkpoints(p_thread_ids text[], p_checkpoint_ns text[], p_checkpoint_ids text[], p_parent_ids text[], p_checkpoints jsonb[], p_metadata jsonb[], p_value_owners integer[] DEFAULT '{}'::integer[], p_channels text[] DEFAULT '{}'::text[], p_types text[] DEFAULT '{}'::text[], p_values jsonb[] DEFAULT '{}'::jsonb[], p_blobs bytea[] DEFAULT '{}'::bytea[], p_exclusive boolean DEFAULT false, p_lease_owner text DEFAULT NULL::text)
        RETURNS text[]
        LANGUAGE plpgsql VOLATILE SECURITY DEFINER
        SET search_path = %1$I, pg_temp
        AS $b$
            DECLARE
                v_message text;
                v_detail text;
            BEGIN
                RETURN _px_batch_save_checkpoints(p_thread_ids, p_checkpoint_ns, p_checkpoint_ids, p_parent_ids,
                    p_checkpoints, p_metadata, p_value_owners, p_channels, p_types, p_values, p_blobs,
                    p_exclusive, p_lease_owner);
            %3$s
        $b$$f$, s, c, format(h, 'batch_save_checkpoints'));

    -- ------------------------------------------------------------ delete_for_runs
    EXECUTE format($f$
        CREATE FUNCTION %1$I._px_delete_for_runs(p_run_ids text[]) RETURNS SETOF bigint
        LANGUAGE plproxy VOLATILE AS $b$ CLUSTER %2$L; RUN ON ALL; TARGET %1$I.delete_for_runs; $b$;
        CREATE FUNCTION %1$I.delete_for_runs(p_run_ids text[]) RETURNS bigint
        LANGUAGE plpgsql VOLATILE SECURITY DEFINER
        SET search_path = %1$I, pg_temp
        AS $b$
            DECLARE
                v_message text;
                v_detail text;
            BEGIN
                RETURN (SELECT coalesce(sum(n), 0)::bigint FROM _px_delete_for_runs(p_run_ids) AS n);
            %3$s
        $b$$f$, s, c, format(h, 'delete_for_runs'));

    -- ------------------------------------------------------------ schema_version
    -- The oldest partition's: a client needs every partition to have what it calls.
    EXECUTE format($f$
        CREATE FUNCTION %1$I._px_schema_version() RETURNS SETOF integer
        LANGUAGE plproxy VOLATILE AS $b$ CLUSTER %2$L; RUN ON ALL; TARGET %1$I.schema_version; $b$;
        CREATE FUNCTION %1$I.schema_version() RETURNS integer
        LANGUAGE plpgsql STABLE SECURITY DEFINER
        SET search_path = %1$I, pg_temp
        AS $b$
            DECLARE
                v_message text;
                v_detail text;
            BEGIN
                RETURN (SELECT min(v) FROM _px_schema_version() AS v);
            %3$s
        $b$$f$, s, c, format(h, 'schema_version'));

    -- ------------------------------------------------------------ stats
    -- Counts and sizes add up, per table too; the age range is the widest; last_cleanup
    -- is the latest of the partitions'. "partitions" says how many answered (all, or
    -- the call fails with LGP01).
    EXECUTE format($f$
        CREATE FUNCTION %1$I._px_stats() RETURNS SETOF jsonb
        LANGUAGE plproxy VOLATILE AS $b$ CLUSTER %2$L; RUN ON ALL; TARGET %1$I.stats; $b$;
        CREATE FUNCTION %1$I.stats() RETURNS jsonb
        LANGUAGE plpgsql STABLE SECURITY DEFINER
        SET search_path = %1$I, pg_temp
        AS $b$
            DECLARE
                v_message text;
                v_detail text;
                v_parts jsonb[];
            BEGIN
                SELECT array_agg(p) INTO v_parts FROM _px_stats() AS p;
                RETURN jsonb_build_object(
                    'schema', v_parts[1] -> 'schema',
                    'partitions', cardinality(v_parts),
                    'tables', (
                        SELECT jsonb_agg(jsonb_build_object(
                                   'table', t.name, 'rows', t.rows, 'table_bytes', t.table_bytes,
                                   'index_bytes', t.index_bytes, 'toast_bytes', t.toast_bytes,
                                   'total_bytes', t.total_bytes) ORDER BY t.name)
                        FROM (SELECT e ->> 'table' AS name,
                                     sum((e ->> 'rows')::bigint) AS rows,
                                     sum((e ->> 'table_bytes')::bigint) AS table_bytes,
                                     sum((e ->> 'index_bytes')::bigint) AS index_bytes,
                                     sum((e ->> 'toast_bytes')::bigint) AS toast_bytes,
                                     sum((e ->> 'total_bytes')::bigint) AS total_bytes
                              FROM unnest(v_parts) AS p, jsonb_array_elements(p -> 'tables') AS e
                              GROUP BY 1) AS t),
                    'threads', (SELECT sum((p ->> 'threads')::bigint) FROM unnest(v_parts) AS p),
                    'checkpoints', (SELECT sum((p ->> 'checkpoints')::bigint) FROM unnest(v_parts) AS p),
                    'total_bytes', (SELECT sum((p ->> 'total_bytes')::bigint) FROM unnest(v_parts) AS p),
                    'deleted_threads', (SELECT sum((p ->> 'deleted_threads')::bigint) FROM unnest(v_parts) AS p),
                    'cleanups_running', (SELECT sum((p ->> 'cleanups_running')::bigint) FROM unnest(v_parts) AS p),
                    'oldest_checkpoint_at', (SELECT to_jsonb(min((p ->> 'oldest_checkpoint_at')::timestamptz)) FROM unnest(v_parts) AS p),
                    'newest_checkpoint_at', (SELECT to_jsonb(max((p ->> 'newest_checkpoint_at')::timestamptz)) FROM unnest(v_parts) AS p),
                    'last_cleanup', (SELECT p -> 'last_cleanup' FROM unnest(v_parts) AS p
                                     WHERE jsonb_typeof(p -> 'last_cleanup') = 'object'
                                     ORDER BY (p -> 'last_cleanup' ->> 'finished_at')::timestamptz DESC LIMIT 1));
            %3$s
        $b$$f$, s, c, format(h, 'stats'));

    -- ------------------------------------------------------------ copy_thread, fork_thread
    -- Source and target on one partition: that partition's function, one transaction.
    -- On two: copy_thread reads the source's checkpoints (every namespace, with values
    -- and writes) from its partition and writes them, oldest first, through the target
    -- partition's put_checkpoint and put_writes, keeping ids and metadata (created_at is
    -- the copy's time). That is one call per checkpoint and per task, each committed on
    -- its own: a copy that fails halfway leaves a prefix of the history in the target,
    -- and running it again completes it (rows the target has are left as they are).
    -- fork_thread across partitions is refused (LGP02): use copy_thread, or pick a
    -- target id on the source's partition.
    EXECUTE format($f$
        CREATE FUNCTION %1$I.copy_thread(p_source_thread_id text, p_target_thread_id text) RETURNS bigint
        LANGUAGE plpgsql VOLATILE SECURITY DEFINER
        SET search_path = %1$I, pg_temp
        AS $b$
            DECLARE
                v_message text;
                v_detail text;
                v_copied bigint := 0;
                r checkpoint_tuples;
                w record;
            BEGIN
                IF p_source_thread_id IS NULL OR p_target_thread_id IS NULL
                   OR _partition_of(p_source_thread_id) = _partition_of(p_target_thread_id) THEN
                    RETURN _px_copy_thread(p_source_thread_id, p_target_thread_id);
                END IF;
                -- The partitions check both ids (LG001) before anything is written.
                PERFORM _px_list_checkpoints_one(p_target_thread_id, '', NULL, NULL, NULL, 0);
                FOR r IN SELECT * FROM _px_list_checkpoints_one(p_source_thread_id, NULL, NULL, NULL, NULL, NULL) AS t
                         ORDER BY t.checkpoint_id, t.checkpoint_ns LOOP
                    PERFORM _px_put_checkpoint(p_target_thread_id, r.checkpoint_ns, r.checkpoint_id,
                        r.parent_checkpoint_id, r.checkpoint, r.metadata, r.channel_names, r.channel_types,
                        r.channel_values, r.channel_blobs, false, NULL);
                    FOR w IN SELECT x.task_id, x.task_path,
                                    array_agg(x.channel ORDER BY x.ord) AS channels,
                                    array_agg(x.type ORDER BY x.ord) AS types,
                                    array_agg(x.value ORDER BY x.ord) AS vals,
                                    array_agg(x.blob ORDER BY x.ord) AS blobs
                             FROM unnest(r.write_task_ids, r.write_channels, r.write_types, r.write_values,
                                         r.write_blobs, r.write_task_paths) WITH ORDINALITY
                                  AS x (task_id, channel, type, value, blob, task_path, ord)
                             GROUP BY x.task_id, x.task_path ORDER BY min(x.ord) LOOP
                        PERFORM _px_put_writes(p_target_thread_id, r.checkpoint_ns, r.checkpoint_id, w.task_id,
                            w.channels, w.types, w.vals, w.blobs, coalesce(w.task_path, ''));
                    END LOOP;
                    v_copied := v_copied + 1;
                END LOOP;
                RETURN v_copied;
            %2$s
        $b$$f$, s, format(h, 'copy_thread'));
    EXECUTE format($f$
        CREATE FUNCTION %1$I.fork_thread(p_source_thread_id text, p_checkpoint_id text, p_target_thread_id text, p_checkpoint_ns text DEFAULT ''::text) RETURNS bigint
        LANGUAGE plpgsql VOLATILE SECURITY DEFINER
        SET search_path = %1$I, pg_temp
        AS $b$
            DECLARE
                v_message text;
                v_detail text;
            BEGIN
                IF p_source_thread_id IS NOT NULL AND p_target_thread_id IS NOT NULL
                   AND _partition_of(p_source_thread_id) <> _partition_of(p_target_thread_id) THEN
                    RAISE EXCEPTION 'threads %% and %% live on different partitions', p_source_thread_id, p_target_thread_id
                        USING ERRCODE = 'LGP02',
                              HINT = 'fork_thread runs on one partition: copy_thread the source first, or choose a target id on the source''s partition.';
                END IF;
                RETURN _px_fork_thread(p_source_thread_id, p_checkpoint_id, p_target_thread_id, p_checkpoint_ns);
            %2$s
        $b$$f$, s, format(h, 'fork_thread'));
END
$do$;

-- Privileges and comments, as on a partition.
SELECT format('REVOKE ALL ON FUNCTION %s FROM PUBLIC', p.oid::regprocedure)
FROM pg_catalog.pg_proc AS p
WHERE p.pronamespace = :'schema'::regnamespace
  AND p.proname IN ('_px_list_checkpoints_one', '_px_list_checkpoints_all', '_px_set_compression_one',
                    '_px_set_compression_all', '_px_prune_checkpoints', '_px_prune_checkpoints_first',
                    '_px_batch_save_checkpoints', '_px_delete_for_runs', '_px_schema_version', '_px_stats',
                    'list_checkpoints', 'set_compression', 'prune_checkpoints', 'batch_save_checkpoints',
                    'delete_for_runs', 'schema_version', 'stats', 'copy_thread', 'fork_thread')
\gexec
\set client_role :schema '_client'
\set reader_role :schema '_reader'
GRANT EXECUTE ON FUNCTION :"schema".list_checkpoints(text, text, text, jsonb, text, integer) TO :"reader_role";
GRANT EXECUTE ON FUNCTION :"schema".schema_version() TO :"reader_role";
GRANT EXECUTE ON FUNCTION :"schema".stats() TO :"reader_role";
GRANT EXECUTE ON FUNCTION :"schema".set_compression(boolean, text) TO :"client_role";
GRANT EXECUTE ON FUNCTION :"schema".prune_checkpoints(text[], text) TO :"client_role";
GRANT EXECUTE ON FUNCTION :"schema".batch_save_checkpoints(text[], text[], text[], text[], jsonb[], jsonb[], integer[], text[], text[], jsonb[], bytea[], boolean, text) TO :"client_role";
GRANT EXECUTE ON FUNCTION :"schema".delete_for_runs(text[]) TO :"client_role";
GRANT EXECUTE ON FUNCTION :"schema".copy_thread(text, text) TO :"client_role";
GRANT EXECUTE ON FUNCTION :"schema".fork_thread(text, text, text, text) TO :"client_role";

COMMENT ON FUNCTION :"schema".list_checkpoints(text, text, text, jsonb, text, integer) IS
$c$Proxy of list_checkpoints: with p_thread_id, that thread's partition; without, every partition
(in parallel), merged newest first (checkpoint id, thread id, namespace) and cut at p_limit.
Parameters: p_thread_id, p_checkpoint_ns, p_checkpoint_id, p_filter, p_before, p_limit (as on a partition).
Raises what a partition raises (LG001, LG002, LG003), LGP01 (a partition is unavailable).$c$;
COMMENT ON FUNCTION :"schema".set_compression(boolean, text) IS
$c$Proxy of set_compression: a thread's on its partition; the deployment-wide one on every partition.
Parameters: p_enabled, p_thread_id (NULL: every partition). Returns the setting now in force.
Raises what a partition raises (LG001), LGP01 (a partition is unavailable).$c$;
COMMENT ON FUNCTION :"schema".prune_checkpoints(text[], text) IS
$c$Proxy of prune_checkpoints: each partition prunes the threads it owns (PL/Proxy SPLIT); returns the
sum of the checkpoints removed. Parameters: p_thread_ids, p_strategy.
Raises what a partition raises (LG001, LG003), LGP01 (a partition is unavailable).$c$;
COMMENT ON FUNCTION :"schema".batch_save_checkpoints(text[], text[], text[], text[], jsonb[], jsonb[], integer[], text[], text[], jsonb[], bytea[], boolean, text) IS
$c$Proxy of batch_save_checkpoints on the one partition that owns every thread of the batch.
Parameters: as on a partition. Returns the saved checkpoint ids.
Raises LGP02 (the threads live on more than one partition), what the partition raises, LGP01 (unavailable).$c$;
COMMENT ON FUNCTION :"schema".delete_for_runs(text[]) IS
$c$Proxy of delete_for_runs on every partition; returns the sum of the rows deleted. Parameters: p_run_ids.
Raises what a partition raises (LG001), LGP01 (a partition is unavailable).$c$;
COMMENT ON FUNCTION :"schema".schema_version() IS
$c$The lowest schema_version() of the partitions. No parameters.
Raises LGP01 (a partition is unavailable).$c$;
COMMENT ON FUNCTION :"schema".stats() IS
$c$stats() of every partition, merged: counts and bytes summed (per table too), the widest age range,
the latest last_cleanup, and "partitions": how many answered. No parameters.
Raises LGP01 (a partition is unavailable).$c$;
COMMENT ON FUNCTION :"schema".copy_thread(text, text) IS
$c$Proxy of copy_thread. Both threads on one partition: that partition's copy_thread (one transaction).
On two: the source's checkpoints and writes are written through the target partition's put_checkpoint
and put_writes, oldest first, one committed call each (idempotent: run it again to finish a failed copy).
Parameters: p_source_thread_id, p_target_thread_id. Returns the number of checkpoints copied.
Raises what a partition raises (LG001, LG003), LGP01 (a partition is unavailable).$c$;
COMMENT ON FUNCTION :"schema".fork_thread(text, text, text, text) IS
$c$Proxy of fork_thread on the partition of both threads.
Parameters: p_source_thread_id, p_checkpoint_id, p_target_thread_id, p_checkpoint_ns.
Raises LGP02 (source and target live on different partitions), what the partition raises, LGP01.$c$;

COMMIT;
