-- Deploy langgraph_checkpoint_proxy:proxy_thread_functions to pg
-- requires: proxy_schema

BEGIN;

-- Every API function that works on one thread, under its own name and signature (the
-- partition's, defaults included, so a client calling with named arguments cannot tell
-- the proxy from a partition). Each is two functions:
--   _px_<name>   LANGUAGE plproxy: CLUSTER, RUN ON hashtext(<thread argument>), TARGET
--                the partition's function; it sends the call and returns its rows.
--   <name>       the API: SECURITY DEFINER, calls _px_<name>; turns PL/Proxy's own
--                connection failures (XX000) into LGP01 naming the function. The
--                partition's errors (LG001 ...) pass through with their SQLSTATE and hint.
-- The rows below are the partition's \df output (python/tests_scale/test_sharded.py checks they stay equal).
SET LOCAL langgraph_proxy.schema = :'schema';
SET LOCAL langgraph_proxy.cluster = :'cluster';

CREATE TEMPORARY TABLE proxy_spec (
    name       text PRIMARY KEY,
    args       text NOT NULL,     -- pg_get_function_arguments() of the partition's function
    call_args  text NOT NULL,     -- the argument names, in order
    result     text NOT NULL,     -- pg_get_function_result()
    route      text NOT NULL,     -- the argument hashed for RUN ON
    volatility text NOT NULL,
    grantee    text NOT NULL      -- 'client' or 'reader'
) ON COMMIT DROP;

INSERT INTO proxy_spec VALUES
('acquire_lease', $a$p_thread_id text, p_owner text, p_ttl interval DEFAULT '00:00:30'::interval$a$,
 'p_thread_id, p_owner, p_ttl', 'timestamp with time zone', 'p_thread_id', 'VOLATILE', 'client'),
('calculate_state_size', $a$p_thread_id text, p_checkpoint_id text DEFAULT NULL::text, p_checkpoint_ns text DEFAULT ''::text$a$,
 'p_thread_id, p_checkpoint_id, p_checkpoint_ns', 'TABLE(raw_bytes bigint, stored_bytes bigint)', 'p_thread_id', 'STABLE', 'reader'),
('delete_checkpoint', $a$p_thread_id text, p_checkpoint_id text, p_checkpoint_ns text DEFAULT ''::text$a$,
 'p_thread_id, p_checkpoint_id, p_checkpoint_ns', 'void', 'p_thread_id', 'VOLATILE', 'client'),
('delete_thread', $a$p_thread_id text$a$, 'p_thread_id', 'bigint', 'p_thread_id', 'VOLATILE', 'client'),
('find_branch_point', $a$p_thread_id text, p_checkpoint_id_a text, p_checkpoint_id_b text, p_checkpoint_ns text DEFAULT ''::text$a$,
 'p_thread_id, p_checkpoint_id_a, p_checkpoint_id_b, p_checkpoint_ns', 'text', 'p_thread_id', 'STABLE', 'reader'),
('get_ancestors', $a$p_thread_id text, p_checkpoint_ns text DEFAULT ''::text, p_checkpoint_id text DEFAULT NULL::text, p_max_depth integer DEFAULT NULL::integer$a$,
 'p_thread_id, p_checkpoint_ns, p_checkpoint_id, p_max_depth',
 'TABLE(depth integer, checkpoint_id text, parent_checkpoint_id text, metadata jsonb, created_at timestamp with time zone)', 'p_thread_id', 'STABLE', 'reader'),
('get_checkpoint', $a$p_thread_id text, p_checkpoint_ns text DEFAULT ''::text, p_checkpoint_id text DEFAULT NULL::text$a$,
 'p_thread_id, p_checkpoint_ns, p_checkpoint_id', 'SETOF %1$I.checkpoint_tuples', 'p_thread_id', 'STABLE', 'reader'),
('get_checkpoint_v2', $a$p_thread_id text, p_checkpoint_ns text DEFAULT ''::text, p_checkpoint_id text DEFAULT NULL::text, p_known_channels text[] DEFAULT NULL::text[], p_known_versions text[] DEFAULT NULL::text[]$a$,
 'p_thread_id, p_checkpoint_ns, p_checkpoint_id, p_known_channels, p_known_versions',
 'TABLE(thread_id text, checkpoint_ns text, checkpoint_id text, parent_checkpoint_id text, checkpoint jsonb, metadata jsonb, piece_channels text[], piece_types text[], piece_values jsonb[], piece_blobs bytea[], piece_extends text[], write_task_ids text[], write_channels text[], write_types text[], write_values jsonb[], write_blobs bytea[], write_task_paths text[])',
 'p_thread_id', 'STABLE', 'reader'),
('get_delta_channel_history', $a$p_thread_id text, p_checkpoint_ns text, p_checkpoint_id text, p_channels text[]$a$,
 'p_thread_id, p_checkpoint_ns, p_checkpoint_id, p_channels',
 'TABLE(channel text, has_seed boolean, seed_type text, seed_value jsonb, seed_blob bytea, write_task_ids text[], write_types text[], write_values jsonb[], write_blobs bytea[])',
 'p_thread_id', 'STABLE', 'reader'),
('get_descendants', $a$p_thread_id text, p_checkpoint_ns text, p_checkpoint_id text, p_max_depth integer DEFAULT NULL::integer$a$,
 'p_thread_id, p_checkpoint_ns, p_checkpoint_id, p_max_depth',
 'TABLE(depth integer, checkpoint_id text, parent_checkpoint_id text, metadata jsonb, created_at timestamp with time zone)', 'p_thread_id', 'STABLE', 'reader'),
('list_branches', $a$p_thread_id text, p_checkpoint_ns text DEFAULT ''::text$a$, 'p_thread_id, p_checkpoint_ns',
 'TABLE(head_checkpoint_id text, branch_point_id text, length integer, is_latest boolean, metadata jsonb, created_at timestamp with time zone)', 'p_thread_id', 'STABLE', 'reader'),
('load_checkpoint', $a$p_thread_id text, p_checkpoint_id text DEFAULT NULL::text, p_checkpoint_ns text DEFAULT ''::text$a$,
 'p_thread_id, p_checkpoint_id, p_checkpoint_ns', 'jsonb', 'p_thread_id', 'STABLE', 'reader'),
('pin_thread', $a$p_thread_id text, p_pinned boolean DEFAULT true$a$, 'p_thread_id, p_pinned', 'boolean', 'p_thread_id', 'VOLATILE', 'client'),
('put_checkpoint', $a$p_thread_id text, p_checkpoint_ns text, p_checkpoint_id text, p_parent_checkpoint_id text, p_checkpoint jsonb, p_metadata jsonb DEFAULT '{}'::jsonb, p_channels text[] DEFAULT '{}'::text[], p_types text[] DEFAULT '{}'::text[], p_values jsonb[] DEFAULT '{}'::jsonb[], p_blobs bytea[] DEFAULT '{}'::bytea[], p_exclusive boolean DEFAULT false, p_lease_owner text DEFAULT NULL::text$a$,
 'p_thread_id, p_checkpoint_ns, p_checkpoint_id, p_parent_checkpoint_id, p_checkpoint, p_metadata, p_channels, p_types, p_values, p_blobs, p_exclusive, p_lease_owner',
 'text', 'p_thread_id', 'VOLATILE', 'client'),
('put_checkpoint_v2', $a$p_thread_id text, p_checkpoint_ns text, p_checkpoint_id text, p_parent_checkpoint_id text, p_checkpoint jsonb, p_metadata jsonb DEFAULT '{}'::jsonb, p_channels text[] DEFAULT '{}'::text[], p_types text[] DEFAULT '{}'::text[], p_values jsonb[] DEFAULT '{}'::jsonb[], p_blobs bytea[] DEFAULT '{}'::bytea[], p_base_versions text[] DEFAULT NULL::text[], p_exclusive boolean DEFAULT false, p_lease_owner text DEFAULT NULL::text$a$,
 'p_thread_id, p_checkpoint_ns, p_checkpoint_id, p_parent_checkpoint_id, p_checkpoint, p_metadata, p_channels, p_types, p_values, p_blobs, p_base_versions, p_exclusive, p_lease_owner',
 'text', 'p_thread_id', 'VOLATILE', 'client'),
('put_writes', $a$p_thread_id text, p_checkpoint_ns text, p_checkpoint_id text, p_task_id text, p_channels text[], p_types text[], p_values jsonb[], p_blobs bytea[], p_task_path text DEFAULT ''::text$a$,
 'p_thread_id, p_checkpoint_ns, p_checkpoint_id, p_task_id, p_channels, p_types, p_values, p_blobs, p_task_path',
 'integer', 'p_thread_id', 'VOLATILE', 'client'),
('release_lease', $a$p_thread_id text, p_owner text$a$, 'p_thread_id, p_owner', 'boolean', 'p_thread_id', 'VOLATILE', 'client'),
('renew_lease', $a$p_thread_id text, p_owner text, p_ttl interval DEFAULT '00:00:30'::interval$a$,
 'p_thread_id, p_owner, p_ttl', 'timestamp with time zone', 'p_thread_id', 'VOLATILE', 'client'),
('save_checkpoint', $a$p_thread_id text, p_state jsonb, p_metadata jsonb DEFAULT '{}'::jsonb, p_checkpoint_ns text DEFAULT ''::text, p_lease_owner text DEFAULT NULL::text$a$,
 'p_thread_id, p_state, p_metadata, p_checkpoint_ns, p_lease_owner', 'text', 'p_thread_id', 'VOLATILE', 'client'),
('set_thread_ttl', $a$p_thread_id text, p_ttl interval, p_refresh_on_read boolean DEFAULT false$a$,
 'p_thread_id, p_ttl, p_refresh_on_read', 'timestamp with time zone', 'p_thread_id', 'VOLATILE', 'client'),
('touch_thread', $a$p_thread_id text$a$, 'p_thread_id', 'boolean', 'p_thread_id', 'VOLATILE', 'client'),
-- Two threads each: routed by the source; the API function (proxy_cross_functions) sends
-- a copy whose target lives elsewhere through the other partition's API instead.
('copy_thread', $a$p_source_thread_id text, p_target_thread_id text$a$,
 'p_source_thread_id, p_target_thread_id', 'bigint', 'p_source_thread_id', 'VOLATILE', 'client'),
('fork_thread', $a$p_source_thread_id text, p_checkpoint_id text, p_target_thread_id text, p_checkpoint_ns text DEFAULT ''::text$a$,
 'p_source_thread_id, p_checkpoint_id, p_target_thread_id, p_checkpoint_ns', 'bigint', 'p_source_thread_id', 'VOLATILE', 'client');

\ir lib/define.sql

DO $do$
BEGIN
    PERFORM pg_temp.define_proxy(f.name, f.args, format(f.result, current_setting('langgraph_proxy.schema')),
                                 format('pg_catalog.hashtext(%s)', f.route), f.name)
    FROM proxy_spec AS f ORDER BY f.name;

    -- The copy functions get their API function in proxy_cross_functions.
    PERFORM pg_temp.define_api(f.name, f.args, v.result, f.volatility, f.grantee,
        CASE WHEN v.result LIKE 'TABLE(%' OR v.result LIKE 'SETOF %'
                  THEN format('RETURN QUERY SELECT * FROM %I(%s); RETURN;', '_px_' || f.name, f.call_args)
             WHEN v.result = 'void' THEN format('PERFORM %I(%s);', '_px_' || f.name, f.call_args)
             ELSE format('RETURN %I(%s);', '_px_' || f.name, f.call_args) END,
        format($c$Proxy of the partitions' %1$s, on the partition of hashtext(%2$s): same parameters, defaults
and result (the partition's COMMENT describes them). Parameters: %3$s.
Raises what the partition's %1$s raises (LG001 ..., with its hint), LGP01 (the partition is unavailable).$c$,
            f.name, f.route, f.call_args))
    FROM proxy_spec AS f, LATERAL (SELECT format(f.result, current_setting('langgraph_proxy.schema')) AS result) AS v
    WHERE f.name NOT IN ('copy_thread', 'fork_thread')
    ORDER BY f.name;
END
$do$;

COMMIT;
