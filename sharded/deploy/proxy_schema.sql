-- Deploy langgraph_checkpoint_proxy:proxy_schema to pg
\set client_role :schema '_client'
\set reader_role :schema '_reader'

BEGIN;

-- The proxy database holds no checkpoints: every API function here forwards its call to
-- the partition that owns the thread (hashtext(thread_id), masked by the partition count,
-- as PL/Proxy does) or to every partition and merges the answers. The partitions are
-- plain deployments of the main plan; the cluster is the SQL/MED server named by the
-- Sqitch variable "cluster" (docs/scaling.md: creating it, adding partitions).
CREATE EXTENSION IF NOT EXISTS plproxy;

-- Roles are cluster-wide: with the partitions in the same cluster they exist already.
SELECT format('CREATE ROLE %I NOLOGIN', :'reader_role')
WHERE NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = :'reader_role')
\gexec
SELECT format('CREATE ROLE %I NOLOGIN', :'client_role')
WHERE NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = :'client_role')
\gexec
SET LOCAL client_min_messages = warning;
GRANT :"reader_role" TO :"client_role";

CREATE SCHEMA :"schema";
COMMENT ON SCHEMA :"schema" IS
  'langgraph-checkpoint-plpgsql proxy: the API of the partitions, routed by thread with PL/Proxy. No tables.';
REVOKE ALL ON SCHEMA :"schema" FROM PUBLIC;
GRANT USAGE ON SCHEMA :"schema" TO :"reader_role";

-- The row type of get_checkpoint and list_checkpoints; on a partition it is the view
-- checkpoint_tuples. Same columns and collations, so a merged list sorts as one
-- partition's does.
CREATE TYPE :"schema".checkpoint_tuples AS (
    thread_id            text COLLATE "C",
    checkpoint_ns        text COLLATE "C",
    checkpoint_id        text COLLATE "C",
    parent_checkpoint_id text COLLATE "C",
    checkpoint           jsonb,
    metadata             jsonb,
    created_at           timestamptz,
    channel_names        text[] COLLATE "C",
    channel_types        text[],
    channel_values       jsonb[],
    channel_blobs        bytea[],
    write_task_ids       text[] COLLATE "C",
    write_channels       text[] COLLATE "C",
    write_types          text[],
    write_values         jsonb[],
    write_blobs          bytea[],
    write_task_paths     text[] COLLATE "C"
);

-- The functions below are written with format() so the schema and the cluster name,
-- both Sqitch variables, are quoted into their bodies.
SET LOCAL langgraph_proxy.schema = :'schema';
SET LOCAL langgraph_proxy.cluster = :'cluster';

DO $do$
DECLARE
    s text := current_setting('langgraph_proxy.schema');
    c text := current_setting('langgraph_proxy.cluster');
BEGIN
    -- p0 .. pN-1 options of the SQL/MED server; PL/Proxy requires a power of two.
    EXECUTE format($f$
        CREATE FUNCTION %1$I._partition_count() RETURNS integer
        LANGUAGE sql STABLE
        SET search_path = pg_catalog, pg_temp
        AS $b$
            SELECT count(*)::integer
            FROM pg_catalog.pg_foreign_server AS s,
                 pg_catalog.pg_options_to_table(s.srvoptions) AS o
            WHERE s.srvname = %2$L AND o.option_name ~ '^p[0-9]+$'
        $b$$f$, s, c);

    -- The partition a thread lives on: what PL/Proxy computes for RUN ON hashtext(...).
    EXECUTE format($f$
        CREATE FUNCTION %1$I._partition_of(p_thread_id text) RETURNS integer
        LANGUAGE sql STABLE
        SET search_path = pg_catalog, pg_temp
        AS $b$ SELECT pg_catalog.hashtext(p_thread_id) & (%1$I._partition_count() - 1) $b$$f$, s);

    -- The hash of a batch whose threads all live on one partition. A batch is one
    -- transaction, and PL/Proxy has none across partitions: split it per partition.
    EXECUTE format($f$
        CREATE FUNCTION %1$I._batch_hash(p_thread_ids text[]) RETURNS integer
        LANGUAGE plpgsql STABLE
        SET search_path = pg_catalog, pg_temp
        AS $b$
        DECLARE
            v_partitions integer[];
        BEGIN
            SELECT array_agg(DISTINCT %1$I._partition_of(t)) INTO v_partitions
            FROM unnest(p_thread_ids) AS t WHERE t IS NOT NULL;
            IF cardinality(v_partitions) > 1 THEN
                RAISE EXCEPTION 'the batch spans partitions %%', v_partitions
                    USING ERRCODE = 'LGP02',
                          HINT = 'A batch is one transaction on one partition: group it by partition (hashtext(thread_id)).';
            END IF;
            RETURN coalesce(pg_catalog.hashtext(p_thread_ids[1]), 0);
        END
        $b$$f$, s);

    -- Called from the handler of every API function for internal_error (XX000), the
    -- SQLSTATE PL/Proxy gives its own failures: one that says a partition could not be
    -- reached or answered becomes LGP01, anything else is raised again as it was.
    EXECUTE format($f$
        CREATE FUNCTION %1$I._raise_proxy_error(p_message text, p_detail text, p_function text)
        RETURNS void
        LANGUAGE plpgsql
        SET search_path = pg_catalog, pg_temp
        AS $b$
        BEGIN
            IF p_message ~ '(\] (PQ|REMOTE )|connect timeout|query timeout|check_old_conn|Unfinished connection|Lost result|Remote error)' THEN
                RAISE EXCEPTION 'partition unavailable in %%', p_function
                    USING ERRCODE = 'LGP01',
                          DETAIL = p_message,
                          HINT = 'Only the threads of that partition are affected; retry when it is back.';
            END IF;
            RAISE EXCEPTION USING ERRCODE = 'XX000', MESSAGE = p_message, DETAIL = coalesce(p_detail, '');
        END
        $b$$f$, s);
END
$do$;

REVOKE ALL ON FUNCTION :"schema"._partition_count() FROM PUBLIC;
REVOKE ALL ON FUNCTION :"schema"._partition_of(text) FROM PUBLIC;
REVOKE ALL ON FUNCTION :"schema"._batch_hash(text[]) FROM PUBLIC;
REVOKE ALL ON FUNCTION :"schema"._raise_proxy_error(text, text, text) FROM PUBLIC;

COMMENT ON FUNCTION :"schema"._partition_count() IS 'Internal. Number of partitions (p0..pN-1 options) of the cluster''s SQL/MED server.';
COMMENT ON FUNCTION :"schema"._partition_of(text) IS 'Internal. The partition number of a thread: hashtext(thread_id) & (partitions - 1).';
COMMENT ON FUNCTION :"schema"._batch_hash(text[]) IS 'Internal. Hash of a batch''s partition. Raises LGP02 if its threads live on more than one.';
COMMENT ON FUNCTION :"schema"._raise_proxy_error(text, text, text) IS 'Internal. Raises LGP01 for a PL/Proxy connection failure, else the error again (XX000).';

COMMIT;
