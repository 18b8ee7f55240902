"""``doctor``: is this database ready for the checkpointer, and if not, what to do.

Each check gives a ``Finding``: ok, info, warn (works, but should be fixed) or fail
(the checkpointer will not work). Every warn and fail says how to fix it. The exit
status is 1 when something failed (or, with --strict, when something warned).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any

import click
import psycopg
from psycopg import sql
from psycopg.rows import dict_row
from rich.markup import escape
from rich.table import Table

from langgraph.checkpoint.plpgsql._sql import (
    REQUIRED_SCHEMA_VERSION,
    SQL_DOCTOR_CONNECTIONS,
    SQL_DOCTOR_CRON,
    SQL_DOCTOR_CRON_JOBS,
    SQL_DOCTOR_DEPLOYED_CHANGES,
    SQL_DOCTOR_PRIVILEGES,
    SQL_DOCTOR_SERVER,
    maintenance_queries_for,
    queries_for,
)
from langgraph.checkpoint.plpgsql.cli._common import (
    Target,
    connection_options,
    console,
    retention_days_option,
)
from langgraph.checkpoint.plpgsql.cli._sqitch import project_dir
from langgraph.checkpoint.plpgsql.config import PostgresConfig
from langgraph.checkpoint.plpgsql.errors import InvalidConfigError, deploy_command, grant_statement

# The oldest server the plan is tested on (Ubuntu 22.04 ships 14).
MIN_SERVER_VERSION = 140000
# What the savers call; the client role must execute each of them.
CLIENT_FUNCTIONS = (
    "schema_version",
    "put_checkpoint_v2",
    "get_checkpoint_v2",
    "list_checkpoints",
    "put_writes",
    "delete_thread",
    "get_delta_channel_history",
)
# Retention that has not finished a run for this long is not running.
RETENTION_STALE = timedelta(days=2)


@dataclass(frozen=True)
class Finding:
    check: str
    status: str  # ok, info, warn, fail
    detail: str
    fix: str | None = None


_STYLE = {
    "ok": "[green]ok[/]",
    "info": "[blue]info[/]",
    "warn": "[yellow]warn[/]",
    "fail": "[bold red]FAIL[/]",
}


def _server(conn: psycopg.Connection[Any]) -> tuple[list[Finding], dict[str, Any]]:
    row = conn.cursor(row_factory=dict_row).execute(SQL_DOCTOR_SERVER).fetchone()
    assert row is not None
    findings = [Finding("connection", "ok", f"connected to {row['database']} as {row['role']}")]
    if row["version_num"] < MIN_SERVER_VERSION:
        findings.append(
            Finding(
                "server version",
                "fail",
                f"PostgreSQL {row['version']}",
                "upgrade to PostgreSQL 14 or later",
            )
        )
    else:
        findings.append(Finding("server version", "ok", f"PostgreSQL {row['version']}"))
    return findings, row


def _schema_version(conn: psycopg.Connection[Any], target: Target) -> Finding:
    try:
        row = conn.execute(queries_for(target.schema).schema_version).fetchone()
    except psycopg.errors.InvalidSchemaName:
        return Finding(
            "schema version",
            "fail",
            f"schema {target.schema!r} is not deployed",
            deploy_command(target.schema, target.dsn),
        )
    except psycopg.errors.UndefinedFunction:
        return Finding(
            "schema version",
            "fail",
            f"schema {target.schema!r} has no schema_version()",
            deploy_command(target.schema, target.dsn),
        )
    except psycopg.errors.InsufficientPrivilege:
        return Finding("schema version", "fail", "permission denied", grant_statement(target.schema))
    version = row[0] if row else None
    if version is None or version < REQUIRED_SCHEMA_VERSION:
        return Finding(
            "schema version",
            "fail",
            f"schema version {version}; this client needs {REQUIRED_SCHEMA_VERSION} or later",
            deploy_command(target.schema, target.dsn),
        )
    return Finding(
        "schema version", "ok", f"{version} (this client needs {REQUIRED_SCHEMA_VERSION} or later)"
    )


_PLAN_CHANGE = re.compile(r"^(?P<name>[^\s@%#\[]+)(?: \[[^\]]*\])? (?P<planned>\d{4}-\d\d-\d\dT\S+Z) ")


def planned_changes(plan: str) -> tuple[str, list[tuple[str, datetime]]]:
    """The project name and the (change, planned_at) of every change of a sqitch.plan."""
    project = ""
    changes = []
    for line in plan.splitlines():
        if line.startswith("%project="):
            project = line.split("=", 1)[1].strip()
        match = _PLAN_CHANGE.match(line)
        if match:
            planned = datetime.fromisoformat(match["planned"].replace("Z", "+00:00"))
            changes.append((match["name"], planned))
    return project, changes


def _deployed_plan(conn: psycopg.Connection[Any], target: Target) -> Finding:
    """Whether every change of the plan this package ships is deployed (Sqitch's registry)."""
    project, changes = planned_changes((project_dir() / "sqitch.plan").read_text())
    registry = "sqitch" if target.schema == "langgraph" else f"sqitch_{target.schema}"
    query = sql.SQL(SQL_DOCTOR_DEPLOYED_CHANGES).format(registry=sql.Identifier(registry)).as_string(None)
    try:
        rows = conn.execute(query, {"project": project}).fetchall()
    except psycopg.errors.UndefinedTable:
        return Finding(
            "deployed plan",
            "warn",
            f"no Sqitch registry {registry!r}",
            deploy_command(target.schema, target.dsn),
        )
    except psycopg.errors.InsufficientPrivilege:
        return Finding(
            "deployed plan", "info", f"the Sqitch registry {registry!r} is not readable by {conn.info.user}"
        )
    deployed = {(name, planned) for name, planned in rows}
    missing = [name for name, planned in changes if (name, planned) not in deployed]
    if missing:
        return Finding(
            "deployed plan",
            "warn",
            f"{len(missing)} change(s) of this client's plan are not deployed: {', '.join(missing[:5])}"
            + (" ..." if len(missing) > 5 else ""),
            deploy_command(target.schema, target.dsn),
        )
    return Finding("deployed plan", "ok", f"all {len(changes)} changes of this client's plan are deployed")


def _privileges(conn: psycopg.Connection[Any], target: Target, server: dict[str, Any]) -> list[Finding]:
    client_role, reader_role = f"{target.schema}_client", f"{target.schema}_reader"
    row = (
        conn.cursor(row_factory=dict_row)
        .execute(
            SQL_DOCTOR_PRIVILEGES,
            {
                "schema": target.schema,
                "client_role": client_role,
                "reader_role": reader_role,
                "functions": list(CLIENT_FUNCTIONS),
            },
        )
        .fetchone()
    )
    assert row is not None
    role = server["role"]
    grant = grant_statement(target.schema, role)
    if not row["schema_exists"]:
        return []
    findings: list[Finding] = []
    if row["client_member"] is None:
        findings.append(
            Finding(
                "roles",
                "fail",
                f"role {client_role} does not exist",
                deploy_command(target.schema, target.dsn),
            )
        )
    elif not row["client_member"]:
        detail = f"{role} is not a member of {client_role}"
        if row["reader_member"]:
            detail += f" (only of {reader_role}: read-only)"
        findings.append(Finding("roles", "fail", detail, grant))
    elif server["superuser"] or row["owner"] == role or row["tables_with_privileges"]:
        why = "a superuser" if server["superuser"] else ("the schema owner" if row["owner"] == role else "")
        findings.append(
            Finding(
                "roles",
                "warn",
                f"{role} is {why or 'granted table privileges'}: it can change the tables directly",
                f"let the application connect as a login role granted only {client_role}: "
                f"CREATE ROLE app LOGIN PASSWORD '...'; {grant_statement(target.schema, 'app')}",
            )
        )
    else:
        findings.append(
            Finding("roles", "ok", f"{role} is a member of {client_role}, with no table privileges")
        )
    if not row["usage"]:
        findings.append(Finding("grants", "fail", f"{role} has no USAGE on schema {target.schema}", grant))
    elif row["functions_denied"]:
        findings.append(
            Finding("grants", "fail", f"{role} may not execute {', '.join(row['functions_denied'])}", grant)
        )
    else:
        findings.append(Finding("grants", "ok", f"{role} may execute every function the savers call"))
    return findings


def _cron(conn: psycopg.Connection[Any], target: Target, server: dict[str, Any]) -> list[Finding]:
    row = conn.cursor(row_factory=dict_row).execute(SQL_DOCTOR_CRON).fetchone()
    assert row is not None
    schedule = f"SELECT {target.schema}.schedule_cleanup('17 3 * * *', retention_days => 30);"
    if not row["installed"]:
        fix = (
            "CREATE EXTENSION pg_cron; (as a superuser)"
            if row["preloaded"]
            else "add pg_cron to shared_preload_libraries, restart, CREATE EXTENSION pg_cron; "
            "or run retention from the application: PostgresConfig(auto_cleanup=True)"
        )
        return [Finding("pg_cron", "warn", "pg_cron is not installed in this database", fix)]
    findings = [
        Finding("pg_cron", "ok", f"installed (cron.database_name = {row['cron_database'] or 'not visible'})")
    ]
    if row["cron_database"] and row["cron_database"] != server["database"]:
        findings.append(
            Finding(
                "pg_cron",
                "warn",
                f"pg_cron runs jobs from database {row['cron_database']}, not {server['database']}",
                "schedule with cron.schedule_in_database(...) in that database (docs/operations.md)",
            )
        )
    try:
        jobs = (
            conn.cursor(row_factory=dict_row)
            .execute(SQL_DOCTOR_CRON_JOBS, {"schema": target.schema})
            .fetchall()
        )
    except psycopg.errors.InsufficientPrivilege:
        return [*findings, Finding("cron jobs", "info", f"{server['role']} may not read cron.job")]
    if not jobs:
        findings.append(
            Finding(
                "cron jobs",
                "warn",
                f"no retention job visible to {server['role']} (pg_cron shows each role its own jobs)",
                f"as the schema owner: {schedule}",
            )
        )
    for job in jobs:
        last = (
            f", last run {job['last_status']} at {job['last_start']:%Y-%m-%d %H:%M}"
            if job["last_start"]
            else ""
        )
        if not job["active"]:
            findings.append(
                Finding(
                    "cron jobs",
                    "warn",
                    f"job {job['jobname']} is inactive",
                    f"SELECT cron.alter_job({job['jobid']}, active => true);",
                )
            )
        elif job["last_status"] == "failed":
            findings.append(
                Finding(
                    "cron jobs",
                    "fail",
                    f"job {job['jobname']} ({job['schedule']}): {job['command']}{last}",
                    f"SELECT return_message FROM cron.job_run_details WHERE jobid = {job['jobid']} "
                    "ORDER BY start_time DESC LIMIT 1;",
                )
            )
        else:
            findings.append(
                Finding(
                    "cron jobs", "ok", f"job {job['jobname']} ({job['schedule']}): {job['command']}{last}"
                )
            )
    return findings


def _retention(conn: psycopg.Connection[Any], target: Target, retention_days: int) -> list[Finding]:
    stats = json.loads(conn.execute(maintenance_queries_for(target.schema).stats).fetchone()[0])  # type: ignore[index]
    now = datetime.now(timezone.utc)
    findings: list[Finding] = []
    last = stats.get("last_cleanup")
    finished = datetime.fromisoformat(last["finished_at"]) if last and last.get("finished_at") else None
    oldest = (
        datetime.fromisoformat(stats["oldest_checkpoint_at"]) if stats.get("oldest_checkpoint_at") else None
    )
    run = f"CALL {target.schema}.cleanup_old_checkpoints({retention_days}); or langgraph-plpgsql cleanup"
    if finished is None:
        status = "warn" if oldest is not None and now - oldest > timedelta(days=retention_days) else "info"
        findings.append(Finding("retention", status, "no cleanup run has finished yet", run))
    elif now - finished > RETENTION_STALE:
        findings.append(
            Finding("retention", "warn", f"the last cleanup finished {finished:%Y-%m-%d %H:%M} UTC", run)
        )
    else:
        findings.append(
            Finding(
                "retention",
                "ok",
                f"last cleanup finished {finished:%Y-%m-%d %H:%M} UTC, "
                f"removed {last.get('checkpoints_removed', 0)}",
            )
        )
    if oldest is not None and now - oldest > timedelta(days=retention_days) + RETENTION_STALE:
        findings.append(
            Finding(
                "retention",
                "warn",
                f"the oldest checkpoint is from {oldest:%Y-%m-%d}, older than {retention_days} days",
                run,
            )
        )
    findings.append(
        Finding(
            "storage",
            "info",
            f"{stats['threads']} threads, {stats['checkpoints']} checkpoints, "
            f"{stats['total_bytes'] / 1e6:.1f} MB (langgraph-plpgsql stats)",
        )
    )
    return findings


def _pool(conn: psycopg.Connection[Any], target: Target, instances: int) -> list[Finding]:
    try:
        config = PostgresConfig.from_env(database_url=target.dsn, schema=target.schema)
    except InvalidConfigError as exc:
        return [Finding("pool settings", "fail", exc.message, "fix the CHECKPOINT_* environment variable")]
    row = conn.cursor(row_factory=dict_row).execute(SQL_DOCTOR_CONNECTIONS).fetchone()
    assert row is not None
    wanted = config.max_connections * instances
    available = row["max_connections"] - row["reserved"]
    detail = (
        f"max_connections={config.max_connections} x {instances} instance(s) = {wanted}; "
        f"server allows {available} (in use now: {row['in_use']})"
    )
    if row["role_limit"] is not None and 0 <= row["role_limit"] < wanted:
        return [
            Finding(
                "pool settings",
                "warn",
                f"{detail}; the role's CONNECTION LIMIT is {row['role_limit']}",
                f"lower CHECKPOINT_MAX_CONNECTIONS, or ALTER ROLE ... CONNECTION LIMIT {wanted}",
            )
        ]
    if wanted > available:
        return [
            Finding(
                "pool settings",
                "warn",
                detail,
                "lower CHECKPOINT_MAX_CONNECTIONS, raise the server's max_connections, "
                "or pool with pgbouncer",
            )
        ]
    return [Finding("pool settings", "ok", detail)]


def run_checks(target: Target, *, retention_days: int, instances: int) -> list[Finding]:
    try:
        conn = psycopg.connect(target.dsn, autocommit=True, connect_timeout=10)
    except psycopg.Error as exc:
        return [
            Finding(
                "connection",
                "fail",
                str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__,
                f"check host, port, user and password in {target.masked}; `pg_isready -d '{target.masked}'`",
            )
        ]
    with conn:
        findings, server = _server(conn)
        version = _schema_version(conn, target)
        findings.append(version)
        if version.status == "ok":
            findings.append(_deployed_plan(conn, target))
        findings += _privileges(conn, target, server)
        findings += _cron(conn, target, server)
        if version.status == "ok":
            findings += _retention(conn, target, retention_days)
        findings += _pool(conn, target, instances)
    return findings


@click.command()
@connection_options
@retention_days_option("The retention the checkpoints should be kept to.")
@click.option(
    "--instances",
    type=click.IntRange(min=1),
    default=1,
    show_default=True,
    help="Application instances, each with its pool.",
)
@click.option("--strict", is_flag=True, help="Exit with status 1 on warnings too.")
def doctor(target: Target, retention_days: int, instances: int, strict: bool) -> None:
    """Check connectivity, server and schema version, roles and grants, pg_cron and its
    jobs, retention and pool settings; print each problem with its fix.

    Exit status 1 when a check failed (with --strict: or warned).
    """
    findings = run_checks(target, retention_days=retention_days, instances=instances)
    table = Table(
        title=f"langgraph-plpgsql doctor: {target.masked} (schema {target.schema})", show_lines=False
    )
    table.add_column("", no_wrap=True)
    table.add_column("check", no_wrap=True)
    table.add_column("result")
    for finding in findings:
        result = escape(finding.detail)
        if finding.fix and finding.status != "ok":
            result += f"\n[bold]fix:[/] {escape(finding.fix)}"
        table.add_row(_STYLE[finding.status], finding.check, result)
    out = console()
    out.print(table)
    failed = sum(f.status == "fail" for f in findings)
    warned = sum(f.status == "warn" for f in findings)
    out.print(f"{failed} failed, {warned} warning(s), {len(findings) - failed - warned} ok or info")
    if failed or (strict and warned):
        raise SystemExit(1)


COMMANDS = [doctor]
