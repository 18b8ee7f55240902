"""``export`` and ``import``: checkpoints as JSON Lines, streamed both ways.

The file's first line is a header; every other line is one checkpoint tuple, newest
first (``list_checkpoints``' order): its document and metadata as stored, every
channel value it shows (JSON as is, serializer bytes in base64) and its pending writes.
Export reads pages of ``list_checkpoints`` and writes as it goes, so memory stays flat
whatever the size; ``--resume`` continues a file that was cut off after its last
complete line. Import reads the file from the end, so parents are saved before their
children, with ``put_checkpoint_v2`` and ``put_writes`` (both idempotent); it records
how far it got in ``FILE.import-state``, and ``--resume`` starts from there.

JSON values never go through Python numbers: they are written as the server prints
them, and read back with decimals kept exact, so a round trip stores the same jsonb.
"""

from __future__ import annotations

import base64
import io
import itertools
import json
import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timezone
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

import click
import psycopg
from langgraph.checkpoint.base import WRITES_IDX_MAP
from psycopg import sql
from rich.progress import (
    BarColumn,
    DownloadColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from langgraph.checkpoint.plpgsql._sql import SQL_EXPORT, SQL_IMPORT_CHECKPOINT, SQL_IMPORT_WRITES
from langgraph.checkpoint.plpgsql.cli._common import (
    CommandError,
    Target,
    connection_options,
    console,
    err_console,
)
from langgraph.checkpoint.plpgsql.errors import ThreadDeletedError, translate
from langgraph.checkpoint.plpgsql.saver import PostgresCheckpointer

FORMAT = "langgraph-checkpoint-plpgsql/export"
FORMAT_VERSION = 1
READ_BLOCK = 1 << 16
# import commits, and records how far it got, every this many checkpoints; after an
# interruption --resume starts after the last batch that committed.
SAVE_STATE_EVERY = 100


def _statement(template: str, schema: str) -> str:
    return sql.SQL(template).format(schema=sql.Identifier(schema)).as_string(None)


def _str(value: str | None) -> str:
    return json.dumps(value, ensure_ascii=False)


def _blob(value: bytes | None) -> str:
    return "null" if value is None else _str(base64.b64encode(value).decode("ascii"))


def _raw(json_text: str | None) -> str:
    # The server's jsonb text is one line of valid JSON: it goes in as it is.
    return "null" if json_text is None else json_text


# ------------------------------------------------------------------ export


@dataclass(frozen=True)
class _Key:
    checkpoint_id: str
    thread_id: str
    checkpoint_ns: str

    def comes_before(self, other: _Key) -> bool:
        """Whether self is listed before other (checkpoint_id DESC, thread_id, checkpoint_ns)."""
        if self.checkpoint_id != other.checkpoint_id:
            return self.checkpoint_id > other.checkpoint_id
        return (self.thread_id, self.checkpoint_ns) < (other.thread_id, other.checkpoint_ns)


def record_line(row: tuple[Any, ...]) -> str:
    """One export line from one row of SQL_EXPORT."""
    (thread_id, ns, checkpoint_id, parent_id, checkpoint, metadata, created_at) = row[:7]
    names, types, values, blobs = row[7:11]
    task_ids, task_paths, channels, write_types, write_values, write_blobs = row[11:17]
    channel_items = ",".join(
        f'{{"channel":{_str(n)},"type":{_str(t)},"value":{_raw(v)},"blob":{_blob(b)}}}'
        for n, t, v, b in zip(names, types, values, blobs, strict=True)
    )
    write_items = ",".join(
        f'{{"task_id":{_str(task)},"task_path":{_str(path)},"channel":{_str(c)},"type":{_str(t)},'
        f'"value":{_raw(v)},"blob":{_blob(b)}}}'
        for task, path, c, t, v, b in zip(
            task_ids, task_paths, channels, write_types, write_values, write_blobs, strict=True
        )
    )
    return (
        f'{{"thread_id":{_str(thread_id)},"checkpoint_ns":{_str(ns)},"checkpoint_id":{_str(checkpoint_id)},'
        f'"parent_checkpoint_id":{_str(parent_id)},"created_at":{_str(created_at.isoformat())},'
        f'"checkpoint":{checkpoint},"metadata":{metadata},'
        f'"channels":[{channel_items}],"writes":[{write_items}]}}'
    )


def _rows(
    conn: psycopg.Connection[Any], target: Target, thread_id: str | None, after: _Key | None, page_size: int
) -> Iterator[tuple[Any, ...]]:
    """Every row after ``after`` in export order, one page of list_checkpoints at a time."""
    query = _statement(SQL_EXPORT, target.schema)
    base = {"thread_id": thread_id, "checkpoint_id": None, "before": None, "limit": None}
    while True:
        if after is not None:
            # Finish the id the previous page (or file) ended on: other threads or
            # namespaces may hold the same id.
            same = conn.execute(query, {**base, "checkpoint_id": after.checkpoint_id}).fetchall()
            for row in same:
                if after.comes_before(_Key(row[2], row[0], row[1])):
                    yield row
        page = conn.execute(
            query, {**base, "before": after.checkpoint_id if after else None, "limit": page_size}
        ).fetchall()
        yield from page
        if len(page) < page_size:
            return
        last = page[-1]
        after = _Key(last[2], last[0], last[1])


def _resume_point(path: Path) -> _Key | None:
    """The key of the last complete line of an export cut off, which is truncated to it."""
    with path.open("rb+") as file:
        size = file.seek(0, io.SEEK_END)
        position = size
        tail = b""
        # Find the last newline; whatever follows it is a partial line.
        while position > 0:
            step = min(READ_BLOCK, position)
            position -= step
            file.seek(position)
            tail = file.read(step) + tail
            if tail.count(b"\n") >= 2 or position == 0:
                break
        end = tail.rfind(b"\n")
        if end < 0:
            raise CommandError(f"{path} has no complete line to resume from", "export again without --resume")
        file.truncate(position + end + 1)
        start = tail.rfind(b"\n", 0, end) + 1
        last = json.loads(tail[start:end])
    if last.get("format") == FORMAT:
        return None  # only the header was written
    return _Key(last["checkpoint_id"], last["thread_id"], last["checkpoint_ns"])


@click.command(name="export")
@connection_options
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="File to write; default: stdout."
)
@click.option("--thread", "thread_id", help="Only this thread (every namespace).")
@click.option("--resume", is_flag=True, help="Continue an export to --output that was cut off.")
@click.option(
    "--page-size", type=click.IntRange(min=1), default=1000, show_default=True, help="Rows per call."
)
def export_command(
    target: Target, output: Path | None, thread_id: str | None, resume: bool, page_size: int
) -> None:
    """Write checkpoints (all, or one thread's) as JSON Lines, newest first."""
    if resume and (output is None or not output.exists()):
        raise CommandError("--resume needs the --output file of the export to continue")
    after = _resume_point(output) if resume and output is not None else None
    out = console()
    with target.connect() as conn:
        total = None
        if thread_id is None:
            total = int(PostgresCheckpointer(conn, schema=target.schema).stats()["checkpoints"])
        stream: IO[str]
        if output is None:
            stream = sys.stdout
        else:
            stream = output.open("a" if resume else "w", encoding="utf-8", newline="\n")
        written = 0
        try:
            if not resume:
                header = {
                    "format": FORMAT,
                    "version": FORMAT_VERSION,
                    "schema": target.schema,
                    "thread_id": thread_id,
                    "exported_at": datetime.now(timezone.utc).isoformat(),
                }
                stream.write(json.dumps(header) + "\n")
            with Progress(
                SpinnerColumn(),
                TextColumn("exporting"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
                TimeRemainingColumn(),
                console=console() if output is not None else err_console(),
                transient=True,
            ) as progress:
                task = progress.add_task("export", total=total)
                for row in _rows(conn, target, thread_id, after, page_size):
                    stream.write(record_line(row) + "\n")
                    written += 1
                    progress.advance(task)
        finally:
            if output is not None:
                stream.close()
            else:
                stream.flush()
    if output is not None:
        out.print(f"exported {written} checkpoint(s) to {output}" + (" (resumed)" if resume else ""))


# ------------------------------------------------------------------ import


def exact_json(value: Any) -> str:
    """JSON text of a value read with ``parse_float=Decimal``: decimals keep their digits."""
    if isinstance(value, dict):
        return "{" + ",".join(f"{_str(k)}:{exact_json(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ",".join(exact_json(v) for v in value) + "]"
    if isinstance(value, Decimal):
        return str(value)
    return json.dumps(value, ensure_ascii=False)


def _loads(line: bytes) -> Any:
    return json.loads(line, parse_float=Decimal)


def _value(item: dict[str, Any]) -> str | None:
    # Type json always has a value (JSON null too: "null"); other types have none.
    return exact_json(item["value"]) if item["type"] == "json" else None


def _decode_blob(value: str | None) -> bytes | None:
    return None if value is None else base64.b64decode(value)


def lines_backward(path: Path, end: int) -> Iterator[tuple[int, bytes]]:
    """The lines of ``path`` before byte ``end``, last first, each with its start offset."""
    with path.open("rb") as file:
        position = end
        pending = b""
        while position > 0:
            step = min(READ_BLOCK, position)
            position -= step
            file.seek(position)
            pending = file.read(step) + pending
            lines = pending.split(b"\n")
            pending = lines[0]
            offset = position + len(pending) + 1
            starts = []
            for line in lines[1:]:
                starts.append((offset, line))
                offset += len(line) + 1
            for start, line in reversed(starts):
                if line.strip():
                    yield start, line
        if pending.strip():
            yield 0, pending


class _ImportState:
    """``FILE.import-state``: the byte offset below which the file is not imported yet."""

    def __init__(self, path: Path) -> None:
        self.path = path.with_name(path.name + ".import-state")

    def load(self) -> tuple[int, int] | None:
        if not self.path.exists():
            return None
        state = json.loads(self.path.read_text())
        return int(state["end"]), int(state["imported"])

    def save(self, end: int, imported: int) -> None:
        temporary = self.path.with_name(self.path.name + ".tmp")
        temporary.write_text(json.dumps({"end": end, "imported": imported}))
        os.replace(temporary, self.path)

    def clear(self) -> None:
        self.path.unlink(missing_ok=True)


def _put_record(
    conn: psycopg.Connection[Any], target: Target, record: dict[str, Any], queries: tuple[str, str]
) -> bool:
    """Save one exported checkpoint and its writes. Returns False when its parent is not
    in the database (retention removed it before the export), so it was saved as a root."""
    put_checkpoint, put_writes = queries
    key = {
        "thread_id": record["thread_id"],
        "checkpoint_ns": record["checkpoint_ns"],
        "checkpoint_id": record["checkpoint_id"],
    }
    channels = record["channels"]
    params = {
        **key,
        "parent_checkpoint_id": record["parent_checkpoint_id"],
        "checkpoint": exact_json(record["checkpoint"]),
        "metadata": exact_json(record["metadata"]),
        "channels": [c["channel"] for c in channels],
        "types": [c["type"] for c in channels],
        "values": [_value(c) for c in channels],
        "blobs": [_decode_blob(c["blob"]) for c in channels],
    }
    kept_parent = True
    try:
        with conn.transaction():  # a savepoint: the retry below runs in the same transaction
            conn.execute(put_checkpoint, params)
    except psycopg.Error as exc:
        typed = translate(exc, target.schema)
        if not isinstance(typed, ThreadDeletedError) or record["parent_checkpoint_id"] is None:
            raise
        conn.execute(put_checkpoint, {**params, "parent_checkpoint_id": None})
        kept_parent = False
    # One put_writes per task, special channels (negative idx) apart from the others,
    # as LangGraph stores them.
    groups: dict[tuple[str, str, bool], list[dict[str, Any]]] = {}
    for write in record["writes"]:
        special = write["channel"] in WRITES_IDX_MAP
        groups.setdefault((write["task_id"], write["task_path"], special), []).append(write)
    for (task_id, task_path, _), writes in groups.items():
        conn.execute(
            put_writes,
            {
                **key,
                "task_id": task_id,
                "task_path": task_path,
                "channels": [w["channel"] for w in writes],
                "types": [w["type"] for w in writes],
                "values": [_value(w) for w in writes],
                "blobs": [_decode_blob(w["blob"]) for w in writes],
            },
        )
    return kept_parent


def _read_header(path: Path) -> tuple[dict[str, Any], int]:
    with path.open("rb") as file:
        first = file.readline()
    try:
        header = json.loads(first)
    except ValueError:
        header = None
    if not isinstance(header, dict) or header.get("format") != FORMAT:
        raise CommandError(f"{path} is not a langgraph-plpgsql export (its first line is not the header)")
    if header.get("version") != FORMAT_VERSION:
        raise CommandError(
            f"{path} is format version {header.get('version')}; this client reads {FORMAT_VERSION}"
        )
    return header, len(first)


@click.command(name="import")
@connection_options
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--resume", is_flag=True, help="Continue an import of FILE that was interrupted.")
def import_command(target: Target, file: Path, resume: bool) -> None:
    """Load a JSON Lines export into the database, oldest checkpoint first.

    Saving is idempotent: a checkpoint already there is stored again unchanged.
    """
    _, header_length = _read_header(file)
    state = _ImportState(file)
    size = file.stat().st_size
    end, imported = size, 0
    if resume:
        saved = state.load()
        if saved is None:
            raise CommandError(f"no {state.path.name} to resume from", "import again without --resume")
        end, imported = saved
    queries = (_statement(SQL_IMPORT_CHECKPOINT, target.schema), _statement(SQL_IMPORT_WRITES, target.schema))
    rerooted = 0
    out = console()
    with (
        target.connect() as conn,
        Progress(
            SpinnerColumn(),
            TextColumn("importing"),
            BarColumn(),
            DownloadColumn(),
            TimeElapsedColumn(),
            TimeRemainingColumn(),
            console=out,
            transient=True,
        ) as progress,
    ):
        task = progress.add_task("import", total=size - header_length, completed=size - end)
        records = itertools.takewhile(lambda item: item[0] >= header_length, lines_backward(file, end))
        # One transaction per batch, and the state file moves only past what committed.
        while batch := list(itertools.islice(records, SAVE_STATE_EVERY)):
            with conn.transaction():
                for start, line in batch:
                    if not _put_record(conn, target, _loads(line), queries):
                        rerooted += 1
                    progress.update(task, completed=size - start)
            imported += len(batch)
            state.save(batch[-1][0], imported)
    state.clear()
    out.print(f"imported {imported} checkpoint(s) from {file}" + (" (resumed)" if resume else ""))
    if rerooted:
        out.print(
            f"[yellow]{rerooted} checkpoint(s) had a parent that is not in the export "
            "(removed by retention before it): saved without a parent[/]"
        )


COMMANDS = [export_command, import_command]
