"""``cleanup``: retention now, with a live display while the procedure runs.

The procedure commits after every batch, so it runs on its own autocommit connection
in a worker thread while the display ticks; ``removed`` and ``skipped`` are the
procedure's own totals.
"""

from __future__ import annotations

import os
import threading
import time
from typing import Any

import click
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from langgraph.checkpoint.plpgsql._sql import maintenance_queries_for
from langgraph.checkpoint.plpgsql.cli._common import Target, connection_options, console
from langgraph.checkpoint.plpgsql.config import PostgresConfig


def _run(target: Target, params: dict[str, Any], result: dict[str, Any]) -> None:
    try:
        with target.connect() as conn:
            row = conn.execute(
                maintenance_queries_for(target.schema).cleanup_old_checkpoints, params
            ).fetchone()
            result["row"] = row
    except BaseException as exc:  # noqa: BLE001 - re-raised in the main thread
        result["error"] = exc


@click.command()
@connection_options
@click.option(
    "--retention-days",
    type=click.IntRange(min=0),
    default=lambda: int(os.environ.get("CHECKPOINT_RETENTION_DAYS") or PostgresConfig.retention_days),
    show_default="$CHECKPOINT_RETENTION_DAYS, else 30",
    help="Checkpoints older than this many days go.",
)
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
    with Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        TimeElapsedColumn(),
        console=out,
        transient=True,
    ) as progress:
        progress.add_task(
            f"removing checkpoints older than {retention_days} days (keeping the last {keep_last}) "
            f"in batches of {batch_size}",
            total=None,
        )
        worker.start()
        while worker.is_alive():
            worker.join(0.1)
            progress.refresh()
    if "error" in result:
        raise result["error"]
    removed, skipped = result["row"]
    out.print(
        f"removed {removed} checkpoint(s), skipped {skipped} busy thread(s) "
        f"in {time.monotonic() - started:.1f} s"
    )


COMMANDS = [cleanup]
