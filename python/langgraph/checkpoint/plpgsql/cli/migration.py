"""``migrate from-postgres``, ``migrate from-sqlite``: import another saver's checkpoints.

Each wraps one function of ``langgraph.checkpoint.plpgsql.migrate`` (docs/migration.md):
its ``on_batch`` drives the progress bar, and ``verify`` (on by default) compares every
checkpoint through both savers afterwards; a difference is exit status 1.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from pathlib import Path
from typing import Any

import click
import psycopg
from psycopg.conninfo import conninfo_to_dict, make_conninfo
from rich.markup import escape
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
)

from langgraph.checkpoint.plpgsql import migrate
from langgraph.checkpoint.plpgsql._sql import SQL_SOURCE_CHECKPOINT_COUNT
from langgraph.checkpoint.plpgsql.cli._common import CommandError, Target, connection_options, console
from langgraph.checkpoint.plpgsql.config import check_schema_name
from langgraph.checkpoint.plpgsql.errors import InvalidConfigError
from langgraph.checkpoint.plpgsql.saver import PostgresCheckpointer

# How many differences are printed; the count says how many there are.
SHOWN_PROBLEMS = 20
MIGRATE_EXTRA = 'pip install "langgraph-checkpoint-plpgsql[migrate]"'


@click.group(name="migrate")
def migrate_group() -> None:
    """Import the checkpoints of another LangGraph saver (docs/migration.md)."""


def migrate_options(func: Callable[..., Any]) -> Callable[..., Any]:
    func = click.option(
        "--verify/--no-verify",
        default=True,
        show_default=True,
        help="Afterwards compare every checkpoint through both savers; exit 1 on a difference.",
    )(func)
    func = click.option(
        "--batch-size",
        type=click.IntRange(min=1),
        default=100,
        show_default=True,
        help="Checkpoints per transaction.",
    )(func)
    return connection_options(func)


def with_search_path(conninfo: str, schema: str) -> str:
    """``conninfo`` with ``search_path`` set to ``schema``, where the official saver's
    unqualified table names then resolve."""
    params = conninfo_to_dict(conninfo)
    quoted = '"' + schema.replace('"', '""') + '"'
    # libpq's options: a backslash escapes a space or a backslash.
    option = "-c search_path=" + quoted.replace("\\", "\\\\").replace(" ", "\\ ")
    params["options"] = f"{params['options']} {option}" if params.get("options") else option
    return make_conninfo("", **params)


@contextmanager
def _needs_extra(package: str) -> Iterator[None]:
    try:
        yield
    except ImportError as exc:
        if package not in str(exc.name or exc):
            raise
        raise CommandError(
            f"{package} is not installed (the source's own saver reads it)", MIGRATE_EXTRA
        ) from exc


def _run(
    target: Target,
    source: str,
    total: int,
    verify: bool,
    batch_size: int,
    importer: Callable[..., migrate.ImportReport],
) -> None:
    out = console()
    with (
        target.saver() as saver,
        Progress(
            SpinnerColumn(),
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=out,
            transient=True,
            disable=not out.is_terminal,  # a log gets the summary only
        ) as progress,
    ):
        task = progress.add_task("importing", total=total)

        def on_batch(report: migrate.ImportReport) -> None:
            progress.update(task, completed=report.checkpoints)
            if verify and report.checkpoints >= total:
                # The last batch: what follows is the comparison, inside the same call.
                progress.update(task, description="verifying")

        started = time.perf_counter()
        report = importer(saver, batch_size=batch_size, on_batch=on_batch, verify=verify)
        elapsed = time.perf_counter() - started
    _summary(report, source, elapsed - report.seconds)


def _summary(report: migrate.ImportReport, source: str, verify_seconds: float) -> None:
    out = console()
    out.print(
        f"imported {report.threads} thread(s), {report.checkpoints} checkpoint(s), "
        f"{report.writes} pending write(s) from {source} in {report.seconds:.2f} s"
    )
    if report.orphaned_parents:
        out.print(
            f"[yellow]{len(report.orphaned_parents)} checkpoint(s) had a parent the source no longer "
            "holds: saved as roots[/]"
        )
    if report.problems is None:
        out.print("not verified (--no-verify)")
        return
    if not report.problems:
        out.print(
            f"verified in {verify_seconds:.2f} s: every checkpoint reads back the same through both savers"
        )
        return
    for problem in report.problems[:SHOWN_PROBLEMS]:
        out.print(f"  [red]differs:[/] {escape(problem)}")
    more = len(report.problems) - SHOWN_PROBLEMS
    if more > 0:
        out.print(f"  ... and {more} more")
    raise CommandError(
        f"verify found {len(report.problems)} difference(s) between the source and the target "
        f"(in {verify_seconds:.2f} s)",
        "an import may run again (it stores nothing twice); if the source changed meanwhile, "
        "stop its writers, import again and verify",
    )


@migrate_group.command(name="from-postgres")
@migrate_options
@click.option(
    "--source-dsn", required=True, metavar="URL", help="The database of the official saver's tables."
)
@click.option(
    "--source-schema",
    default="public",
    show_default=True,
    help="Schema of its tables (checkpoints, checkpoint_blobs, checkpoint_writes).",
)
def from_postgres(target: Target, source_dsn: str, source_schema: str, verify: bool, batch_size: int) -> None:
    """Import the official langgraph-checkpoint-postgres saver's tables (migrate.from_postgres).

    The source may be the target's own database; its tables are only read.
    """
    try:
        conninfo = with_search_path(source_dsn, check_schema_name(source_schema, "--source-schema"))
    except (InvalidConfigError, psycopg.ProgrammingError) as exc:
        raise click.BadParameter(str(exc)) from exc
    with _needs_extra("langgraph.checkpoint.postgres"):
        import langgraph.checkpoint.postgres  # noqa: F401 - the source's saver; missing = the extra
    try:
        with psycopg.connect(conninfo, autocommit=True) as conn:
            row = conn.execute(SQL_SOURCE_CHECKPOINT_COUNT).fetchone()
    except psycopg.errors.UndefinedTable as exc:
        raise CommandError(
            f"no checkpoints table in schema {source_schema!r} of the source",
            "name the schema of the official saver's tables with --source-schema",
        ) from exc
    except psycopg.Error as exc:
        raise CommandError(f"cannot read the source: {str(exc).strip()}") from exc
    total = int(row[0]) if row else 0

    def importer(saver: PostgresCheckpointer, **options: Any) -> migrate.ImportReport:
        return migrate.from_postgres(conninfo, saver, **options)

    _run(target, f"schema {source_schema} of the source database", total, verify, batch_size, importer)


@migrate_group.command(name="from-sqlite")
@migrate_options
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def from_sqlite(target: Target, path: Path, verify: bool, batch_size: int) -> None:
    """Import a langgraph-checkpoint-sqlite database file (migrate.from_sqlite)."""
    with _needs_extra("langgraph.checkpoint.sqlite"):
        import langgraph.checkpoint.sqlite  # noqa: F401 - the source's saver; missing = the extra
    try:
        with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as conn:
            row = conn.execute(SQL_SOURCE_CHECKPOINT_COUNT).fetchone()
    except sqlite3.DatabaseError as exc:
        raise CommandError(
            f"{path} is not a langgraph-checkpoint-sqlite database ({exc})",
            "pass the file a SqliteSaver wrote (its checkpoints and writes tables)",
        ) from exc
    total = int(row[0]) if row else 0

    def importer(saver: PostgresCheckpointer, **options: Any) -> migrate.ImportReport:
        return migrate.from_sqlite(str(path), saver, **options)

    _run(target, str(path), total, verify, batch_size, importer)


COMMANDS = [migrate_group]
