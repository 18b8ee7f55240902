"""``cleanup``: retention now, with its progress while the procedure runs.

The procedure commits after every batch, so it runs on its own autocommit connection in
a worker thread; a second connection polls ``cleanup_progress()``, where each committed
batch shows, for the display. The final ``removed`` and ``skipped`` are the procedure's
own totals.
"""

from __future__ import annotations

import threading
import time
from typing import Any

import click
import psycopg
from psycopg import sql
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from langgraph.checkpoint.plpgsql._sql import SQL_CLEANUP_PROGRESS, maintenance_queries_for
from langgraph.checkpoint.plpgsql.cli._common import (
    Target,
    connection_options,
    console,
    retention_days_option,
)


def _run(target: Target, params: dict[str, Any], result: dict[str, Any]) -> None:
    try:
        with target.connect() as conn:
            row = conn.execute(
                maintenance_queries_for(target.schema).cleanup_old_checkpoints, params
            ).fetchone()
            result["row"] = row
    except BaseException as exc:  # noqa: BLE001 - re-raised in the main thread
        result["error"] = exc


POLL_SECONDS = 0.25


def _progress(monitor: psycopg.Connection[Any], query: str, since: Any) -> tuple[int, int, int] | None:
    try:
        row = monitor.execute(query, {"since": since}).fetchone()
    except psycopg.errors.UndefinedFunction:
        return None  # a schema deployed before cleanup_progress(): no counts, only the spinner
    return None if row is None else (int(row[0]), int(row[1]), int(row[2]))


@click.command()
@connection_options
@retention_days_option("Checkpoints older than this many days go.")
@click.option(
    "--keep-last",
    type=click.IntRange(min=1),
    default=1,
    show_default=True,
    help="Per thread, keep this many.",
)
@click.option(
    "--batch-size", type=click.IntRange(min=1), default=1000, show_default=True, help="Per transaction."
)
def cleanup(target: Target, retention_days: int, keep_last: int, batch_size: int) -> None:
    """Run retention now: CALL cleanup_old_checkpoints, one transaction per batch.

    Per thread and namespace the latest --keep-last checkpoints stay whatever their
    age; threads a writer holds are skipped, not waited for.
    """
    params = {"retention_days": retention_days, "batch_size": batch_size, "keep_last": keep_last}
    result: dict[str, Any] = {}
    worker = threading.Thread(target=_run, args=(target, params, result), daemon=True)
    out = console()
    started = time.monotonic()
    out.print(
        f"cleanup: checkpoints older than {retention_days} days (keeping the last {keep_last}), "
        f"batches of {batch_size}"
    )
    progress_query = (
        sql.SQL(SQL_CLEANUP_PROGRESS).format(schema=sql.Identifier(target.schema)).as_string(None)
    )
    with (
        target.connect() as monitor,
        Progress(
            SpinnerColumn(),
            TextColumn("{task.description}"),
            BarColumn(),
            TimeElapsedColumn(),
            console=out,
            transient=True,
        ) as progress,
    ):
        since = monitor.execute("SELECT now()").fetchone()[0]  # type: ignore[index]
        task = progress.add_task("starting", total=None)
        worker.start()
        while worker.is_alive():
            worker.join(POLL_SECONDS)
            row = _progress(monitor, progress_query, since)
            if row is not None:
                batches, removed_so_far, skipped_so_far = row
                progress.update(
                    task,
                    description=f"batch {batches}: removed {removed_so_far:,}, skipped {skipped_so_far} busy",
                )
    if "error" in result:
        raise result["error"]
    removed, skipped = result["row"]
    out.print(
        f"removed {removed} checkpoint(s), skipped {skipped} busy thread(s) "
        f"in {time.monotonic() - started:.1f} s"
    )


COMMANDS = [cleanup]
