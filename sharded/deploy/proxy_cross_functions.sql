-- Deploy langgraph_checkpoint_proxy:proxy_cross_functions to pg
-- requires: proxy_thread_functions

BEGIN;

-- The API functions that are not one thread's: they run on every partition (RUN ON
-- ALL, in parallel) and merge, or split their thread array per partition (SPLIT), or
-- move a copy from one partition to another. Not here, with why (docs/scaling.md):
-- schedule_cleanup / unschedule_cleanup (pg_cron schedules in each partition's own
-- database) and the procedures cleanup_old_checkpoints / expire_idle_threads (they
-- COMMIT per batch, which a PL/Proxy call, one SELECT, cannot carry): both run on each
-- partition, and so does cleanup_progress, which reports them.
SET LOCAL langgraph_proxy.schema = :'schema';
SET LOCAL langgraph_proxy.cluster = :'cluster';

\ir lib/define.sql

DO $do$
DECLARE
    s text := current_setting('langgraph_proxy.schema');
    v_list_args text := $a$p_thread_id text DEFAULT NULL::text, p_checkpoint_ns text DEFAULT NULL::text, p_checkpoint_id text DEFAULT NULL::text, p_filter jsonb DEFAULT NULL::jsonb, p_before text DEFAULT NULL::text, p_limit integer DEFAULT NULL::integer$a$;
    v_tuples text := format('SETOF %I.checkpoint_tuples', s);
    v_list text;
    v_count_args text := $a$p_metadata jsonb DEFAULT NULL::jsonb, p_values jsonb DEFAULT NULL::jsonb, p_status text DEFAULT NULL::text, p_created_since timestamp with time zone DEFAULT NULL::timestamp with time zone, p_created_before timestamp with time zone DEFAULT NULL::timestamp with time zone, p_updated_since timestamp with time zone DEFAULT NULL::timestamp with time zone, p_updated_before timestamp with time zone DEFAULT NULL::timestamp with time zone$a$;
    v_search_args text := v_count_args || $a$, p_cursor_created_at timestamp with time zone DEFAULT NULL::timestamp with time zone, p_cursor_thread_id text DEFAULT NULL::text, p_limit integer DEFAULT 20$a$;
    v_threads text := 'TABLE(thread_id text, created_at timestamp with time zone, updated_at timestamp with time zone, checkpoint_id text, metadata jsonb, status text, ttl interval, pinned boolean, refresh_on_read boolean, expires_at timestamp with time zone)';
BEGIN
    -- ---------------------------------------------- list_checkpoints, list_checkpoints_v2
    -- One thread: its partition. Across threads: every partition returns its own first
    -- p_limit rows (after p_before) in the API's order; the first p_limit of their union
    -- in that order are the answer, as on one database. For _v2 that is enough too: a row
    -- leaves out the values the previous row of its thread named, and a thread's rows
    -- come from one partition, in that partition's order, a prefix of them kept.
    FOREACH v_list IN ARRAY ARRAY['list_checkpoints', 'list_checkpoints_v2'] LOOP
        PERFORM pg_temp.define_proxy(v_list || '_one', v_list_args, v_tuples, 'pg_catalog.hashtext(p_thread_id)', v_list);
        PERFORM pg_temp.define_proxy(v_list || '_all', v_list_args, v_tuples, 'ALL', v_list);
        PERFORM pg_temp.define_api(v_list, v_list_args, v_tuples, 'STABLE', 'reader', format($b$
            IF p_thread_id IS NOT NULL THEN
                RETURN QUERY SELECT * FROM %1$I(p_thread_id, p_checkpoint_ns, p_checkpoint_id, p_filter, p_before, p_limit);
            ELSIF p_limit <= 0 THEN
                -- LIMIT 0 would not call the partitions and a negative one fails here
                -- (2201W): the partitions check the arguments (LG003 ...), as one would.
                PERFORM FROM %2$I(p_thread_id, p_checkpoint_ns, p_checkpoint_id, p_filter, p_before, p_limit);
            ELSE
                RETURN QUERY SELECT * FROM %2$I(p_thread_id, p_checkpoint_ns, p_checkpoint_id, p_filter, p_before, p_limit) AS t
                    ORDER BY t.checkpoint_id DESC, t.thread_id, t.checkpoint_ns
                    LIMIT p_limit;
            END IF;
            RETURN;$b$, '_px_' || v_list || '_one', '_px_' || v_list || '_all'),
            format($c$Proxy of %s: with p_thread_id, that thread's partition; without, every partition
(in parallel), merged newest first (checkpoint id, thread id, namespace) and cut at p_limit.
Parameters: p_thread_id, p_checkpoint_ns, p_checkpoint_id, p_filter, p_before, p_limit (as on a partition).
Raises what a partition raises (LG001, LG002, LG003), LGP01 (a partition is unavailable).$c$, v_list));
    END LOOP;

    -- ------------------------------------------------------------ search_threads, count_threads
    -- A thread lives on one partition, so the threads matching the filters are the union
    -- of every partition's. search_threads: each partition returns its own first p_limit
    -- threads after the cursor, newest first (created_at DESC, thread_id DESC in "C", the
    -- threads column's collation, which the partition's cursor comparison uses too); the
    -- first p_limit of their union in that order are the page one database would return,
    -- and its last row is the next page's cursor on every partition. count_threads: the sum.
    PERFORM pg_temp.define_proxy('search_threads', v_search_args, v_threads, 'ALL', 'search_threads');
    PERFORM pg_temp.define_api('search_threads', v_search_args, v_threads, 'STABLE', 'reader', $b$
            IF p_limit <= 0 THEN
                -- As in list_checkpoints: the partitions check the arguments, no rows.
                PERFORM FROM _px_search_threads(p_metadata, p_values, p_status, p_created_since,
                    p_created_before, p_updated_since, p_updated_before, p_cursor_created_at,
                    p_cursor_thread_id, p_limit);
                RETURN;
            END IF;
            RETURN QUERY SELECT * FROM _px_search_threads(p_metadata, p_values, p_status, p_created_since,
                    p_created_before, p_updated_since, p_updated_before, p_cursor_created_at,
                    p_cursor_thread_id, p_limit) AS t
                ORDER BY t.created_at DESC, t.thread_id COLLATE "C" DESC
                LIMIT p_limit;
            RETURN;$b$,
        $c$Proxy of search_threads: every partition (in parallel) returns its page after the cursor; merged
newest first (created_at DESC, thread_id DESC) and cut at p_limit, so the last row is the next page's
cursor as on one database. Parameters: p_metadata, p_values, p_status, p_created_since, p_created_before,
p_updated_since, p_updated_before, p_cursor_created_at, p_cursor_thread_id, p_limit (as on a partition).
Raises what a partition raises (LG002, LG003), LGP01 (a partition is unavailable).$c$);

    PERFORM pg_temp.define_proxy('count_threads', v_count_args, 'SETOF bigint', 'ALL', 'count_threads');
    PERFORM pg_temp.define_api('count_threads', v_count_args, 'bigint', 'STABLE', 'reader', $b$
            RETURN (SELECT coalesce(sum(n), 0)::bigint
                    FROM _px_count_threads(p_metadata, p_values, p_status, p_created_since, p_created_before,
                                           p_updated_since, p_updated_before) AS n);$b$,
        $c$Proxy of count_threads: the sum of every partition's count (in parallel). Parameters: p_metadata,
p_values, p_status, p_created_since, p_created_before, p_updated_since, p_updated_before (as on a partition).
Raises what a partition raises (LG002, LG003), LGP01 (a partition is unavailable).$c$);

    -- ------------------------------------------------------------ set_compression
    PERFORM pg_temp.define_proxy('set_compression_one', 'p_enabled boolean, p_thread_id text', 'boolean',
                                 'pg_catalog.hashtext(p_thread_id)', 'set_compression');
    PERFORM pg_temp.define_proxy('set_compression_all', 'p_enabled boolean, p_thread_id text', 'SETOF boolean',
                                 'ALL', 'set_compression');
    PERFORM pg_temp.define_api('set_compression', 'p_enabled boolean, p_thread_id text DEFAULT NULL::text',
        'boolean', 'VOLATILE', 'client', $b$
            IF p_thread_id IS NOT NULL THEN
                RETURN _px_set_compression_one(p_enabled, p_thread_id);
            END IF;
            -- The deployment-wide setting is every partition's.
            RETURN (SELECT bool_and(e) FROM _px_set_compression_all(p_enabled, p_thread_id) AS e);$b$,
        $c$Proxy of set_compression: a thread's on its partition; the deployment-wide one on every partition.
Parameters: p_enabled, p_thread_id (NULL: every partition). Returns the setting now in force.
Raises what a partition raises (LG001, LG003), LGP01 (a partition is unavailable).$c$);

    -- ------------------------------------------------------------ prune_checkpoints
    -- SPLIT sends each partition the threads it owns. An empty array, or one with a NULL
    -- (which the partition refuses), goes whole to partition 0 so the answer and the
    -- errors are a partition's.
    PERFORM pg_temp.define_proxy('prune_checkpoints', 'p_thread_ids text[], p_strategy text', 'SETOF bigint',
                                 'pg_catalog.hashtext(p_thread_ids)', 'prune_checkpoints', 'p_thread_ids');
    PERFORM pg_temp.define_proxy('prune_checkpoints_first', 'p_thread_ids text[], p_strategy text', 'bigint',
                                 '0', 'prune_checkpoints');
    PERFORM pg_temp.define_api('prune_checkpoints', $a$p_thread_ids text[], p_strategy text DEFAULT 'keep_latest'::text$a$,
        'bigint', 'VOLATILE', 'client', $b$
            IF coalesce(cardinality(p_thread_ids), 0) = 0 OR array_position(p_thread_ids, NULL) IS NOT NULL THEN
                RETURN _px_prune_checkpoints_first(p_thread_ids, p_strategy);
            END IF;
            RETURN (SELECT coalesce(sum(n), 0)::bigint FROM _px_prune_checkpoints(p_thread_ids, p_strategy) AS n);$b$,
        $c$Proxy of prune_checkpoints: each partition prunes the threads it owns (PL/Proxy SPLIT); returns the
sum of the checkpoints removed. Parameters: p_thread_ids, p_strategy.
Raises what a partition raises (LG001, LG003), LGP01 (a partition is unavailable).$c$);

    -- ------------------------------------------------------------ batch_save_checkpoints
    -- One transaction on one partition; a batch whose threads live on several is refused
    -- (LGP02, by _batch_hash) before anything is sent.
    PERFORM pg_temp.define_proxy('batch_save_checkpoints',
        'p_thread_ids text[], p_checkpoint_ns text[], p_checkpoint_ids text[], p_parent_ids text[], p_checkpoints jsonb[], p_metadata jsonb[], p_value_owners integer[], p_channels text[], p_types text[], p_values jsonb[], p_blobs bytea[], p_exclusive boolean, p_lease_owner text',
        'text[]', format('%I._batch_hash(p_thread_ids)', s), 'batch_save_checkpoints');
    PERFORM pg_temp.define_api('batch_save_checkpoints',
        $a$p_thread_ids text[], p_checkpoint_ns text[], p_checkpoint_ids text[], p_parent_ids text[], p_checkpoints jsonb[], p_metadata jsonb[], p_value_owners integer[] DEFAULT '{}'::integer[], p_channels text[] DEFAULT '{}'::text[], p_types text[] DEFAULT '{}'::text[], p_values jsonb[] DEFAULT '{}'::jsonb[], p_blobs bytea[] DEFAULT '{}'::bytea[], p_exclusive boolean DEFAULT false, p_lease_owner text DEFAULT NULL::text$a$,
        'text[]', 'VOLATILE', 'client', $b$
            RETURN _px_batch_save_checkpoints(p_thread_ids, p_checkpoint_ns, p_checkpoint_ids, p_parent_ids,
                p_checkpoints, p_metadata, p_value_owners, p_channels, p_types, p_values, p_blobs,
                p_exclusive, p_lease_owner);$b$,
        $c$Proxy of batch_save_checkpoints on the one partition that owns every thread of the batch.
Parameters: as on a partition. Returns the saved checkpoint ids.
Raises LGP02 (the threads live on more than one partition), what the partition raises, LGP01 (unavailable).$c$);

    -- ------------------------------------------------------------ delete_for_runs
    PERFORM pg_temp.define_proxy('delete_for_runs', 'p_run_ids text[]', 'SETOF bigint', 'ALL', 'delete_for_runs');
    PERFORM pg_temp.define_api('delete_for_runs', 'p_run_ids text[]', 'bigint', 'VOLATILE', 'client', $b$
            RETURN (SELECT coalesce(sum(n), 0)::bigint FROM _px_delete_for_runs(p_run_ids) AS n);$b$,
        $c$Proxy of delete_for_runs on every partition; returns the sum of the rows deleted. Parameters: p_run_ids.
Raises what a partition raises (LG003), LGP01 (a partition is unavailable).$c$);

    -- ------------------------------------------------------------ schema_version
    -- The oldest partition's: a client needs every partition to have what it calls.
    PERFORM pg_temp.define_proxy('schema_version', '', 'SETOF integer', 'ALL', 'schema_version');
    PERFORM pg_temp.define_api('schema_version', '', 'integer', 'STABLE', 'reader', $b$
            RETURN (SELECT min(v) FROM _px_schema_version() AS v);$b$,
        $c$The lowest schema_version() of the partitions. No parameters.
Raises LGP01 (a partition is unavailable).$c$);

    -- ------------------------------------------------------------ stats
    -- Counts and sizes add up, per table too; the age range is the widest; last_cleanup
    -- is the latest of the partitions'. "partitions" says how many answered (all, or
    -- the call fails with LGP01).
    PERFORM pg_temp.define_proxy('stats', '', 'SETOF jsonb', 'ALL', 'stats');
    PERFORM pg_temp.define_api('stats', '', 'jsonb', 'STABLE', 'reader', $b$
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
                                 ORDER BY (p -> 'last_cleanup' ->> 'finished_at')::timestamptz DESC LIMIT 1));$b$,
        $c$stats() of every partition, merged: counts and bytes summed (per table too), the widest age range,
the latest last_cleanup, and "partitions": how many answered. No parameters.
Raises LGP01 (a partition is unavailable).$c$,
        E'\n            v_parts jsonb[];');

    -- ------------------------------------------------------------ copy_thread, fork_thread
    -- Source and target on one partition: that partition's function, one transaction.
    -- On two: _copy_across reads the source's checkpoints (with values and writes) from
    -- its partition and writes them, oldest first, through the target partition's
    -- put_checkpoint and put_writes, keeping ids and metadata (created_at is the copy's
    -- time). That is one call per checkpoint and per task, each committed on its own: a
    -- copy that fails halfway leaves a prefix of the history in the target, and running
    -- it again completes it (rows the target has are left as they are).
    EXECUTE format($f$
        CREATE FUNCTION %1$I._copy_across(p_source_thread_id text, p_target_thread_id text,
                                          p_checkpoint_ns text, p_checkpoint_ids text[])
        RETURNS bigint
        LANGUAGE plpgsql VOLATILE
        SET search_path = %1$I, pg_temp
        AS $b$
        DECLARE
            v_copied bigint := 0;
            r checkpoint_tuples;
            w record;
        BEGIN
            FOR r IN SELECT * FROM _px_list_checkpoints_one(p_source_thread_id, p_checkpoint_ns, NULL, NULL, NULL, NULL) AS t
                     WHERE p_checkpoint_ids IS NULL OR t.checkpoint_id = ANY (p_checkpoint_ids)
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
        END
        $b$$f$, s);
    EXECUTE format('REVOKE ALL ON FUNCTION %I._copy_across(text, text, text, text[]) FROM PUBLIC', s);
    EXECUTE format('COMMENT ON FUNCTION %I._copy_across(text, text, text, text[]) IS %L', s,
        'Internal. Copies checkpoints (p_checkpoint_ns NULL: every namespace; p_checkpoint_ids NULL: all) with '
        'their values and writes from the source''s partition to the target''s, one call each. Raises what the '
        'partitions raise, XX000 (PL/Proxy).');

    PERFORM pg_temp.define_api('copy_thread', 'p_source_thread_id text, p_target_thread_id text',
        'bigint', 'VOLATILE', 'client', $b$
            IF p_source_thread_id IS NULL OR p_target_thread_id IS NULL
               OR _partition_of(p_source_thread_id) = _partition_of(p_target_thread_id) THEN
                RETURN _px_copy_thread(p_source_thread_id, p_target_thread_id);
            END IF;
            -- The partitions check both ids (LG001) before anything is written.
            PERFORM _px_list_checkpoints_one(p_target_thread_id, '', NULL, NULL, NULL, 0);
            RETURN _copy_across(p_source_thread_id, p_target_thread_id, NULL, NULL);$b$,
        $c$Proxy of copy_thread. Both threads on one partition: that partition's copy_thread (one transaction).
On two: the source's checkpoints and writes are written through the target partition's put_checkpoint
and put_writes, oldest first, one committed call each (idempotent: run it again to finish a failed copy).
Parameters: p_source_thread_id, p_target_thread_id. Returns the number of checkpoints copied.
Raises what a partition raises (LG001, LG003), LGP01 (a partition is unavailable).$c$);

    -- fork_thread across partitions: the checks fork_thread makes, then the path from the
    -- root to the checkpoint (get_ancestors, depth 0 is the checkpoint) copied across.
    PERFORM pg_temp.define_api('fork_thread',
        $a$p_source_thread_id text, p_checkpoint_id text, p_target_thread_id text, p_checkpoint_ns text DEFAULT ''::text$a$,
        'bigint', 'VOLATILE', 'client', $b$
            IF p_source_thread_id IS NULL OR p_target_thread_id IS NULL
               OR _partition_of(p_source_thread_id) = _partition_of(p_target_thread_id) THEN
                RETURN _px_fork_thread(p_source_thread_id, p_checkpoint_id, p_target_thread_id, p_checkpoint_ns);
            END IF;
            v_path := ARRAY(SELECT a.checkpoint_id
                            FROM _px_get_ancestors(p_source_thread_id, p_checkpoint_ns, p_checkpoint_id, NULL) AS a);
            IF EXISTS (SELECT FROM _px_list_checkpoints_one(p_target_thread_id, NULL, NULL, NULL, NULL, 1)) THEN
                RAISE EXCEPTION 'target thread % already has checkpoints', p_target_thread_id
                    USING ERRCODE = 'LG003',
                          HINT = 'Fork into a thread id that is not in use, or delete_thread() it first.';
            END IF;
            RETURN _copy_across(p_source_thread_id, p_target_thread_id, p_checkpoint_ns, v_path);$b$,
        $c$Proxy of fork_thread. Both threads on one partition: that partition's fork_thread (one transaction).
On two: the checkpoint and its ancestors in p_checkpoint_ns, with their values and writes, are written
through the target partition's put_checkpoint and put_writes, oldest first, one committed call each.
Parameters: p_source_thread_id, p_checkpoint_id (NULL: the latest), p_target_thread_id, p_checkpoint_ns.
Returns the number of checkpoints copied.
Raises what a partition raises (LG001, LG003, LG004), LGP01 (a partition is unavailable).$c$,
        E'\n            v_path text[];');
END
$do$;

COMMIT;
