"""Every SQL statement the client sends. Nothing else in the package holds SQL.

Each statement calls one function of the SQL API with named arguments and explicit
casts. The schema name is quoted as an identifier and composed into the text once
per schema (``queries_for``), so no call builds SQL.

Parameters are sent in binary (``%(name)b``): in text format psycopg would quote
every element of a jsonb[] / bytea[] array, which costs more than the call itself.
Results are read in binary too; JSONB comes back as text (``::text``) so the client
decodes it itself, with its typed-JSON reviver.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, fields

from psycopg import sql

# The schema_version() this client needs at least.
REQUIRED_SCHEMA_VERSION = 2

# Columns of a checkpoint tuple, in the order ``_base.SaverBase._listing`` unpacks.
_TUPLE_COLUMNS = """
    t.thread_id, t.checkpoint_ns, t.checkpoint_id, t.parent_checkpoint_id,
    t.checkpoint::text, t.metadata::text,
    t.channel_names, t.channel_types, t.channel_values::text[], t.channel_blobs,
    t.write_task_ids, t.write_channels, t.write_types, t.write_values::text[], t.write_blobs"""

_TEMPLATES = {
    "schema_version": "SELECT {schema}.schema_version()",
    "get_checkpoint": f"""
SELECT {_TUPLE_COLUMNS}
FROM {{schema}}.get_checkpoint(
    p_thread_id     => %(thread_id)b::text,
    p_checkpoint_ns => %(checkpoint_ns)b::text,
    p_checkpoint_id => %(checkpoint_id)b::text) AS t""",
    "get_checkpoint_v2": """
SELECT t.thread_id, t.checkpoint_ns, t.checkpoint_id, t.parent_checkpoint_id,
       t.checkpoint::text, t.metadata::text,
       t.piece_channels, t.piece_types, t.piece_values::text[], t.piece_blobs, t.piece_extends,
       t.write_task_ids, t.write_channels, t.write_types, t.write_values::text[], t.write_blobs
FROM {schema}.get_checkpoint_v2(
    p_thread_id      => %(thread_id)b::text,
    p_checkpoint_ns  => %(checkpoint_ns)b::text,
    p_checkpoint_id  => %(checkpoint_id)b::text,
    p_known_channels => %(known_channels)b::text[],
    p_known_versions => %(known_versions)b::text[]) AS t""",
    "list_checkpoints_v2": f"""
SELECT {_TUPLE_COLUMNS}
FROM {{schema}}.list_checkpoints_v2(
    p_thread_id     => %(thread_id)b::text,
    p_checkpoint_ns => %(checkpoint_ns)b::text,
    p_checkpoint_id => %(checkpoint_id)b::text,
    p_filter        => %(filter)b::jsonb,
    p_before        => %(before)b::text,
    p_limit         => %(limit)b::integer) AS t""",
    "put_checkpoint_v2": """
SELECT {schema}.put_checkpoint_v2(
    p_thread_id            => %(thread_id)b::text,
    p_checkpoint_ns        => %(checkpoint_ns)b::text,
    p_checkpoint_id        => %(checkpoint_id)b::text,
    p_parent_checkpoint_id => %(parent_checkpoint_id)b::text,
    p_checkpoint           => %(checkpoint)b::jsonb,
    p_metadata             => %(metadata)b::jsonb,
    p_channels             => %(channels)b::text[],
    p_types                => %(types)b::text[],
    p_values               => %(values)b::jsonb[],
    p_blobs                => %(blobs)b::bytea[],
    p_base_versions        => %(base_versions)b::text[],
    p_exclusive            => %(exclusive)s::boolean,
    p_lease_owner          => %(lease_owner)s::text)""",
    "put_writes": """
SELECT {schema}.put_writes(
    p_thread_id     => %(thread_id)b::text,
    p_checkpoint_ns => %(checkpoint_ns)b::text,
    p_checkpoint_id => %(checkpoint_id)b::text,
    p_task_id       => %(task_id)b::text,
    p_channels      => %(channels)b::text[],
    p_types         => %(types)b::text[],
    p_values        => %(values)b::jsonb[],
    p_blobs         => %(blobs)b::bytea[],
    p_task_path     => %(task_path)b::text)""",
    "delete_thread": "SELECT {schema}.delete_thread(p_thread_id => %(thread_id)b::text)",
    "delete_for_runs": "SELECT {schema}.delete_for_runs(p_run_ids => %(run_ids)b::text[])",
    "copy_thread": """
SELECT {schema}.copy_thread(
    p_source_thread_id => %(source_thread_id)b::text,
    p_target_thread_id => %(target_thread_id)b::text)""",
    "prune_checkpoints": """
SELECT {schema}.prune_checkpoints(
    p_thread_ids => %(thread_ids)b::text[],
    p_strategy   => %(strategy)b::text)""",
    "get_delta_channel_history": """
SELECT h.channel, h.has_seed, h.seed_type, h.seed_value::text, h.seed_blob,
       h.write_task_ids, h.write_types, h.write_values::text[], h.write_blobs
FROM {schema}.get_delta_channel_history(
    p_thread_id     => %(thread_id)b::text,
    p_checkpoint_ns => %(checkpoint_ns)b::text,
    p_checkpoint_id => %(checkpoint_id)b::text,
    p_channels      => %(channels)b::text[]) AS h""",
    # ---------------------------------------------------- lineage and time travel
    "get_ancestors": """
SELECT a.depth, a.checkpoint_id, a.parent_checkpoint_id, a.metadata::text, a.created_at
FROM {schema}.get_ancestors(
    p_thread_id     => %(thread_id)s::text,
    p_checkpoint_ns => %(checkpoint_ns)s::text,
    p_checkpoint_id => %(checkpoint_id)s::text,
    p_max_depth     => %(max_depth)s::integer) AS a""",
    "get_descendants": """
SELECT d.depth, d.checkpoint_id, d.parent_checkpoint_id, d.metadata::text, d.created_at
FROM {schema}.get_descendants(
    p_thread_id     => %(thread_id)s::text,
    p_checkpoint_ns => %(checkpoint_ns)s::text,
    p_checkpoint_id => %(checkpoint_id)s::text,
    p_max_depth     => %(max_depth)s::integer) AS d""",
    "list_branches": """
SELECT b.head_checkpoint_id, b.branch_point_id, b.length, b.is_latest, b.metadata::text, b.created_at
FROM {schema}.list_branches(
    p_thread_id     => %(thread_id)s::text,
    p_checkpoint_ns => %(checkpoint_ns)s::text) AS b""",
    "find_branch_point": """
SELECT {schema}.find_branch_point(
    p_thread_id       => %(thread_id)s::text,
    p_checkpoint_id_a => %(checkpoint_id_a)s::text,
    p_checkpoint_id_b => %(checkpoint_id_b)s::text,
    p_checkpoint_ns   => %(checkpoint_ns)s::text)""",
    "fork_thread": """
SELECT {schema}.fork_thread(
    p_source_thread_id => %(source_thread_id)s::text,
    p_checkpoint_id    => %(checkpoint_id)s::text,
    p_target_thread_id => %(target_thread_id)s::text,
    p_checkpoint_ns    => %(checkpoint_ns)s::text)""",
    "batch_save_checkpoints": """
SELECT {schema}.batch_save_checkpoints(
    p_thread_ids     => %(thread_ids)b::text[],
    p_checkpoint_ns  => %(checkpoint_ns)b::text[],
    p_checkpoint_ids => %(checkpoint_ids)b::text[],
    p_parent_ids     => %(parent_ids)b::text[],
    p_checkpoints    => %(checkpoints)b::jsonb[],
    p_metadata       => %(metadata)b::jsonb[],
    p_value_owners   => %(value_owners)b::integer[],
    p_channels       => %(channels)b::text[],
    p_types          => %(types)b::text[],
    p_values         => %(values)b::jsonb[],
    p_blobs          => %(blobs)b::bytea[],
    p_exclusive      => %(exclusive)s::boolean,
    p_lease_owner    => %(lease_owner)s::text)""",
    # ---------------------------------------------------------------- threads
    "search_threads": """
SELECT t.thread_id, t.created_at, t.updated_at, t.checkpoint_id, t.metadata::text, t.status,
       t.ttl, t.pinned, t.refresh_on_read, t.expires_at
FROM {schema}.search_threads(
    p_metadata          => %(metadata)s::jsonb,
    p_values            => %(values)s::jsonb,
    p_status            => %(status)s::text,
    p_created_since     => %(created_since)s::timestamptz,
    p_created_before    => %(created_before)s::timestamptz,
    p_updated_since     => %(updated_since)s::timestamptz,
    p_updated_before    => %(updated_before)s::timestamptz,
    p_cursor_created_at => %(cursor_created_at)s::timestamptz,
    p_cursor_thread_id  => %(cursor_thread_id)s::text,
    p_limit             => %(limit)s::integer) AS t""",
    "count_threads": """
SELECT {schema}.count_threads(
    p_metadata       => %(metadata)s::jsonb,
    p_values         => %(values)s::jsonb,
    p_status         => %(status)s::text,
    p_created_since  => %(created_since)s::timestamptz,
    p_created_before => %(created_before)s::timestamptz,
    p_updated_since  => %(updated_since)s::timestamptz,
    p_updated_before => %(updated_before)s::timestamptz)""",
    "set_thread_ttl": """
SELECT {schema}.set_thread_ttl(
    p_thread_id       => %(thread_id)s::text,
    p_ttl             => %(ttl)s::interval,
    p_refresh_on_read => %(refresh_on_read)s::boolean)""",
    "pin_thread": """
SELECT {schema}.pin_thread(p_thread_id => %(thread_id)s::text, p_pinned => %(pinned)s::boolean)""",
    "touch_thread": "SELECT {schema}.touch_thread(p_thread_id => %(thread_id)s::text)",
    # ----------------------------------------------------------------- leases
    "acquire_lease": """
SELECT {schema}.acquire_lease(
    p_thread_id => %(thread_id)s::text,
    p_owner     => %(owner)s::text,
    p_ttl       => %(ttl)s::interval)""",
    "renew_lease": """
SELECT {schema}.renew_lease(
    p_thread_id => %(thread_id)s::text,
    p_owner     => %(owner)s::text,
    p_ttl       => %(ttl)s::interval)""",
    "release_lease": """
SELECT {schema}.release_lease(p_thread_id => %(thread_id)s::text, p_owner => %(owner)s::text)""",
}


@dataclass(frozen=True)
class Queries:
    """The statements of one deployment schema, ready to execute."""

    schema_version: str
    get_checkpoint: str
    get_checkpoint_v2: str
    list_checkpoints_v2: str
    put_checkpoint_v2: str
    put_writes: str
    delete_thread: str
    delete_for_runs: str
    copy_thread: str
    prune_checkpoints: str
    get_delta_channel_history: str
    get_ancestors: str
    get_descendants: str
    list_branches: str
    find_branch_point: str
    fork_thread: str
    batch_save_checkpoints: str
    search_threads: str
    count_threads: str
    set_thread_ttl: str
    pin_thread: str
    touch_thread: str
    acquire_lease: str
    renew_lease: str
    release_lease: str


@functools.lru_cache(maxsize=16)
def queries_for(schema: str) -> Queries:
    """Compose every statement for ``schema`` (quoted as an identifier), once."""
    schema_sql = sql.Identifier(schema)
    return Queries(
        **{
            field.name: sql.SQL(_TEMPLATES[field.name].strip()).format(schema=schema_sql).as_string(None)
            for field in fields(Queries)
        }
    )


def operation_names(queries: Queries) -> dict[str, str]:
    """Statement text -> the SQL function it calls (``Queries`` fields are named after
    them): the ``operation`` label of metrics and retry decisions."""
    # A _v2 function is the same operation as the one it succeeds.
    return {getattr(queries, field.name): field.name.removesuffix("_v2") for field in fields(Queries)}


# ------------------------------------------------------ health and maintenance
# Statements of the savers' operational methods and of ``maintenance.py``.

SQL_SCHEMA_TABLES = """
SELECT c.relname
FROM pg_catalog.pg_class AS c
WHERE c.relnamespace = %(schema)s::regnamespace AND c.relkind IN ('r', 'p')
ORDER BY c.relname"""
SQL_VACUUM_ANALYZE = "VACUUM (ANALYZE) {schema}.{table}"
SQL_CLEANUP_OLD_CHECKPOINTS = (
    "CALL {schema}.cleanup_old_checkpoints("
    "retention_days => %(retention_days)s::integer, batch_size => %(batch_size)s::integer, "
    "keep_last => %(keep_last)s::integer)"
)
SQL_STATS = "SELECT {schema}.stats()::text"


@dataclass(frozen=True)
class MaintenanceQueries:
    """Statements of one schema that are not checkpoint calls."""

    cleanup_old_checkpoints: str
    stats: str


@functools.lru_cache(maxsize=16)
def maintenance_queries_for(schema: str) -> MaintenanceQueries:
    schema_sql = sql.Identifier(schema)
    return MaintenanceQueries(
        cleanup_old_checkpoints=sql.SQL(SQL_CLEANUP_OLD_CHECKPOINTS)
        .format(schema=schema_sql)
        .as_string(None),
        stats=sql.SQL(SQL_STATS).format(schema=schema_sql).as_string(None),
    )


def vacuum_analyze(schema: str, table: str) -> str:
    """``VACUUM (ANALYZE)`` of one table; VACUUM takes no parameters, so both names are
    quoted as identifiers."""
    return (
        sql.SQL(SQL_VACUUM_ANALYZE)
        .format(schema=sql.Identifier(schema), table=sql.Identifier(table))
        .as_string(None)
    )


# ------------------------------------------------------ langgraph-plpgsql (cli/)
# Catalog reads of ``doctor``: server, the connecting role, pg_cron, connections.

SQL_DOCTOR_SERVER = """
SELECT current_setting('server_version_num')::integer AS version_num,
       current_setting('server_version') AS version,
       current_user::text AS role,
       current_database()::text AS database,
       (SELECT r.rolsuper FROM pg_catalog.pg_roles AS r WHERE r.rolname = current_user) AS superuser"""

# One row about the schema and what the connecting role may do with it.
SQL_DOCTOR_PRIVILEGES = """
SELECT n.oid IS NOT NULL AS schema_exists,
       pg_catalog.pg_get_userbyid(n.nspowner)::text AS owner,
       coalesce(pg_catalog.has_schema_privilege(current_user, n.oid, 'USAGE'), false) AS usage,
       (SELECT pg_catalog.pg_has_role(current_user, r.oid, 'MEMBER')
        FROM pg_catalog.pg_roles AS r WHERE r.rolname = %(client_role)s::text) AS client_member,
       (SELECT pg_catalog.pg_has_role(current_user, r.oid, 'MEMBER')
        FROM pg_catalog.pg_roles AS r WHERE r.rolname = %(reader_role)s::text) AS reader_member,
       ARRAY(SELECT c.relname::text FROM pg_catalog.pg_class AS c
             WHERE c.relnamespace = n.oid AND c.relkind IN ('r', 'p')
               AND pg_catalog.has_table_privilege(current_user, c.oid, 'SELECT, INSERT, UPDATE, DELETE')
             ORDER BY c.relname) AS tables_with_privileges,
       ARRAY(SELECT DISTINCT p.proname::text FROM pg_catalog.pg_proc AS p
             WHERE p.pronamespace = n.oid AND p.proname = ANY(%(functions)s::text[])
               AND NOT pg_catalog.has_function_privilege(current_user, p.oid, 'EXECUTE')
             ORDER BY 1) AS functions_denied
FROM (SELECT %(schema)s::text AS name) AS wanted
LEFT JOIN pg_catalog.pg_namespace AS n ON n.nspname = wanted.name"""

SQL_DOCTOR_CRON = """
SELECT EXISTS (SELECT FROM pg_catalog.pg_extension AS e WHERE e.extname = 'pg_cron') AS installed,
       -- Superuser-only settings: pg_settings hides them from other roles (NULL: unknown).
       (SELECT s.setting LIKE '%%pg_cron%%' FROM pg_catalog.pg_settings AS s
        WHERE s.name = 'shared_preload_libraries') AS preloaded,
       (SELECT s.setting FROM pg_catalog.pg_settings AS s
        WHERE s.name = 'cron.database_name') AS cron_database"""

# Visible to the connecting role only: pg_cron shows each role its own jobs.
SQL_DOCTOR_CRON_JOBS = """
SELECT j.jobid, j.jobname::text, j.schedule::text, j.command::text, j.active,
       (SELECT d.status::text FROM cron.job_run_details AS d
        WHERE d.jobid = j.jobid ORDER BY d.start_time DESC LIMIT 1) AS last_status,
       (SELECT d.start_time FROM cron.job_run_details AS d
        WHERE d.jobid = j.jobid ORDER BY d.start_time DESC LIMIT 1) AS last_start
FROM cron.job AS j
WHERE j.command ~ ('(cleanup_old_checkpoints|expire_idle_threads)')
  AND position(%(schema)s::text IN j.command) > 0
ORDER BY j.jobid"""

SQL_DOCTOR_CONNECTIONS = """
SELECT current_setting('max_connections')::integer AS max_connections,
       current_setting('superuser_reserved_connections')::integer AS reserved,
       (SELECT count(*) FROM pg_catalog.pg_stat_activity AS a
        WHERE a.backend_type = 'client backend')::integer AS in_use,
       (SELECT r.rolconnlimit FROM pg_catalog.pg_roles AS r WHERE r.rolname = current_user) AS role_limit"""

# ``history``: the keys of a thread's newest checkpoints, with what each one scheduled
# (``branch:to:<node>`` in updated_channels names the node that runs next).
SQL_HISTORY = """
SELECT c.checkpoint_id, c.parent_checkpoint_id, c.metadata::text, c.created_at,
       ARRAY(SELECT jsonb_array_elements_text(
                 CASE WHEN jsonb_typeof(c.checkpoint -> 'updated_channels') = 'array'
                      THEN c.checkpoint -> 'updated_channels' ELSE '[]'::jsonb END)) AS updated_channels
FROM {schema}.list_checkpoints(
    p_thread_id     => %(thread_id)s::text,
    p_checkpoint_ns => %(checkpoint_ns)s::text,
    p_limit         => %(limit)s::integer) AS c"""

# ``show`` / ``diff`` without --thread: which threads hold a checkpoint id.
SQL_FIND_CHECKPOINT = """
SELECT c.thread_id, c.checkpoint_ns
FROM {schema}.list_checkpoints(p_checkpoint_id => %(checkpoint_id)s::text, p_limit => 2) AS c"""

# ``threads ttl|pin|unpin|touch``: whether the thread has a checkpoint (in any namespace),
# so a mistyped id is refused rather than given settings of its own.
SQL_THREAD_HAS_CHECKPOINTS = """
SELECT EXISTS (SELECT FROM {schema}.list_checkpoints(p_thread_id => %(thread_id)s::text, p_limit => 1))"""

# ``export``: every checkpoint tuple, newest first (list_checkpoints' order: id, then
# thread and namespace), JSON exactly as stored (::text), blobs as bytes. A resumed
# export continues below the last id it wrote (p_before) after finishing that id.
SQL_EXPORT = """
SELECT t.thread_id, t.checkpoint_ns, t.checkpoint_id, t.parent_checkpoint_id,
       t.checkpoint::text, t.metadata::text, t.created_at,
       t.channel_names, t.channel_types, t.channel_values::text[], t.channel_blobs,
       t.write_task_ids, t.write_task_paths, t.write_channels, t.write_types,
       t.write_values::text[], t.write_blobs
FROM {schema}.list_checkpoints(
    p_thread_id     => %(thread_id)s::text,
    p_checkpoint_id => %(checkpoint_id)s::text,
    p_before        => %(before)s::text,
    p_limit         => %(limit)s::integer) AS t"""

# ``import``: one checkpoint with every value it shows, then its writes per task.
# JSON goes as text and is cast to jsonb by the server, so numbers keep their digits.
SQL_IMPORT_CHECKPOINT = """
SELECT {schema}.put_checkpoint_v2(
    p_thread_id            => %(thread_id)s::text,
    p_checkpoint_ns        => %(checkpoint_ns)s::text,
    p_checkpoint_id        => %(checkpoint_id)s::text,
    p_parent_checkpoint_id => %(parent_checkpoint_id)s::text,
    p_checkpoint           => %(checkpoint)s::text::jsonb,
    p_metadata             => %(metadata)s::text::jsonb,
    p_channels             => %(channels)s::text[],
    p_types                => %(types)s::text[],
    p_values               => %(values)s::text[]::jsonb[],
    p_blobs                => %(blobs)s::bytea[])"""

SQL_IMPORT_WRITES = """
SELECT {schema}.put_writes(
    p_thread_id     => %(thread_id)s::text,
    p_checkpoint_ns => %(checkpoint_ns)s::text,
    p_checkpoint_id => %(checkpoint_id)s::text,
    p_task_id       => %(task_id)s::text,
    p_channels      => %(channels)s::text[],
    p_types         => %(types)s::text[],
    p_values        => %(values)s::text[]::jsonb[],
    p_blobs         => %(blobs)s::bytea[],
    p_task_path     => %(task_path)s::text)"""

# ``cleanup``'s live display: the counters a run committed so far (its own run: the
# newest started since the command began).
SQL_CLEANUP_PROGRESS = """
SELECT p.batches, p.checkpoints_removed, p.threads_skipped
FROM {schema}.cleanup_progress() AS p
WHERE p.procedure = 'cleanup_old_checkpoints' AND p.started_at >= %(since)s::timestamptz
ORDER BY p.run_id DESC
LIMIT 1"""

# ``doctor``: the changes Sqitch recorded as deployed, to compare with the bundled plan.
SQL_DOCTOR_DEPLOYED_CHANGES = """
SELECT c.change, c.planned_at
FROM {registry}.changes AS c
WHERE c.project = %(project)s::text"""


# ---------------------------------------------------------- migration sources
# ``migrate.py`` reads other savers through their public interface; these are what
# that interface does not tell, or tells only by loading every value: which threads
# exist, the keys of a thread's checkpoints, and each write's task path. They run on the
# source's own tables (langgraph-checkpoint-postgres, -sqlite), one query per thread.

SQL_SOURCE_POSTGRES_THREADS = """
SELECT DISTINCT thread_id FROM checkpoints
WHERE thread_id > %(after)s::text
ORDER BY thread_id
LIMIT %(limit)s::integer"""
SQL_SOURCE_POSTGRES_TASK_PATHS = """
SELECT DISTINCT checkpoint_ns, checkpoint_id, task_id, task_path FROM checkpoint_writes
WHERE thread_id = %(thread_id)s::text"""
SQL_SOURCE_POSTGRES_KEYS = """
SELECT checkpoint_ns, checkpoint_id, parent_checkpoint_id FROM checkpoints
WHERE thread_id = %(thread_id)s::text
ORDER BY checkpoint_id, checkpoint_ns"""
# ``langgraph-plpgsql migrate``: the total of its progress bar.
SQL_SOURCE_CHECKPOINT_COUNT = "SELECT count(*) FROM checkpoints"
SQL_SOURCE_SQLITE_THREADS = "SELECT DISTINCT thread_id FROM checkpoints ORDER BY thread_id"
SQL_SOURCE_SQLITE_WRITES_COLUMNS = "SELECT name FROM pragma_table_info('writes')"
SQL_SOURCE_SQLITE_TASK_PATHS = """
SELECT DISTINCT checkpoint_ns, checkpoint_id, task_id, task_path FROM writes
WHERE thread_id = :thread_id"""
SQL_SOURCE_SQLITE_KEYS = """
SELECT checkpoint_ns, checkpoint_id, parent_checkpoint_id FROM checkpoints
WHERE thread_id = :thread_id
ORDER BY checkpoint_id, checkpoint_ns"""
