"""``stats``, ``history``, ``show``, ``diff``: reading what is stored.

``show`` and ``diff`` load checkpoints with the saver (``get_checkpoint_v2``), so values
come out as LangGraph sees them, decoded by the same serializer.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import click
import psycopg
from langgraph.checkpoint.base import CheckpointTuple
from psycopg import sql
from rich.table import Table
from rich.tree import Tree

from langgraph.checkpoint.plpgsql._sql import SQL_FIND_CHECKPOINT, SQL_HISTORY
from langgraph.checkpoint.plpgsql.cli._common import CommandError, Target, connection_options, console
from langgraph.checkpoint.plpgsql.cli._format import (
    is_message_list,
    joined,
    markup,
    message_line,
    render_value,
    short_time,
)
from langgraph.checkpoint.plpgsql.lineage import checkpoint_config
from langgraph.checkpoint.plpgsql.saver import PostgresCheckpointer


def _statement(template: str, schema: str) -> str:
    return sql.SQL(template).format(schema=sql.Identifier(schema)).as_string(None)


def _megabytes(value: Any) -> str:
    return f"{(value or 0) / 1e6:,.2f} MB"


# ---------------------------------------------------------------------- stats


@click.command()
@connection_options
@click.option("--json", "as_json", is_flag=True, help="Print stats() as JSON.")
def stats(target: Target, as_json: bool) -> None:
    """Rows and bytes per table, threads, checkpoint ages, the last cleanup (stats())."""
    with target.saver() as saver:
        data = saver.stats()
    out = console()
    if as_json:
        click.echo(json.dumps(data, indent=2))
        return
    table = Table(title=f"schema {data['schema']}")
    for column in ("table", "rows", "total", "table", "toast", "indexes"):
        table.add_column(column, justify="left" if column == "table" and not table.columns else "right")
    for row in data["tables"]:
        table.add_row(
            row["table"],
            f"{row['rows']:,}",
            _megabytes(row["total_bytes"]),
            _megabytes(row["table_bytes"]),
            _megabytes(row["toast_bytes"]),
            _megabytes(row["index_bytes"]),
        )
    out.print(table)
    out.print(
        f"threads: {data['threads']:,}   checkpoints: {data['checkpoints']:,}   "
        f"total: {_megabytes(data['total_bytes'])}"
    )
    out.print(f"oldest checkpoint: {data['oldest_checkpoint_at']}   newest: {data['newest_checkpoint_at']}")
    last = data.get("last_cleanup")
    if last:
        out.print(
            f"last cleanup: {last.get('procedure')} finished {last.get('finished_at')}, "
            f"removed {last.get('checkpoints_removed')} checkpoints"
        )
    else:
        out.print("last cleanup: none finished")
    out.print(
        f"deleted threads (tombstones): {data['deleted_threads']}   "
        f"cleanups running: {data['cleanups_running']}"
    )


# -------------------------------------------------------------------- history


# A checkpoint's updated_channels name what runs next: the graph's start, or
# branch:to:<node> for each node scheduled.
START = "__start__"
BRANCH_PREFIX = "branch:to:"


def _scheduled_node(channel: str) -> str:
    return channel.removeprefix(BRANCH_PREFIX)


@dataclass
class _Node:
    checkpoint_id: str
    parent_id: str | None
    metadata: dict[str, Any]
    created_at: datetime
    scheduled: list[str]  # nodes this checkpoint schedules (branch:to:<node>)
    children: list[str]


def _label(node: _Node, nodes: dict[str, _Node], latest: str | None, heads: set[str]) -> str:
    meta = node.metadata
    source = meta.get("source", "?")
    parent = nodes.get(node.parent_id) if node.parent_id else None
    if source == "loop" and parent is not None:
        ran = joined(parent.scheduled)
    elif source == "input":
        ran = "(input)"
    else:
        ran = f"({source})" if source != "loop" else "?"
    marks = []
    if len(node.children) > 1:
        marks.append(f"[magenta]fork: {len(node.children)} branches[/]")
    if node.checkpoint_id == latest:
        marks.append("[bold green]<- latest[/]")
    elif node.checkpoint_id in heads:
        marks.append("[cyan]branch head[/]")
    if node.parent_id and parent is None:
        marks.append("[dim](parent not shown)[/]")
    return (
        f"step {meta.get('step', '?'):>3}  {markup(str(source)):<6}  node {markup(ran):<12}  "
        f"{short_time(node.created_at)}  [dim]{node.checkpoint_id}[/]"
        + ("  " + "  ".join(marks) if marks else "")
    )


def _history_tree(thread_id: str, nodes: dict[str, _Node], latest: str | None, heads: set[str]) -> Tree:
    tree = Tree(f"thread [bold]{markup(thread_id)}[/]")
    # The chain that leads to the latest checkpoint stays at the left; other branches
    # hang under the checkpoint they fork from.
    on_latest: set[str] = set()
    cursor = latest
    while cursor is not None and cursor in nodes and cursor not in on_latest:
        on_latest.add(cursor)
        cursor = nodes[cursor].parent_id

    def chain(parent: Tree, start: str) -> None:
        current: str | None = start
        while current is not None:
            node = nodes[current]
            item = parent.add(_label(node, nodes, latest, heads))
            kids = sorted(node.children, key=lambda kid: (kid not in on_latest, kid))
            for other in kids[1:]:
                chain(item, other)
            current = kids[0] if kids else None

    roots = sorted(
        (n.checkpoint_id for n in nodes.values() if n.parent_id is None or n.parent_id not in nodes),
        key=lambda root: (root not in on_latest, root),
    )
    for root in roots:
        chain(tree, root)
    return tree


@click.command()
@connection_options
@click.argument("thread_id")
@click.option(
    "--ns", "checkpoint_ns", default="", help="Checkpoint namespace (subgraph); default: the root graph."
)
@click.option(
    "--limit",
    type=click.IntRange(min=0),
    default=500,
    show_default=True,
    help="Newest checkpoints shown; 0: all.",
)
def history(target: Target, thread_id: str, checkpoint_ns: str, limit: int) -> None:
    """A thread's checkpoints as a tree of branches: step, source, node, time.

    The node is the one that ran to make the checkpoint; a fork (update_state, a
    replay from an old checkpoint) shows as a branch under the checkpoint it starts from.
    """
    with target.saver() as saver:
        conn: psycopg.Connection[Any] = saver.conn  # type: ignore[assignment]
        rows = conn.execute(
            _statement(SQL_HISTORY, target.schema),
            {"thread_id": thread_id, "checkpoint_ns": checkpoint_ns, "limit": limit or None},
        ).fetchall()
        branches = saver.branches(thread_id, checkpoint_ns) if rows else []
    if not rows:
        raise CommandError(f"thread {thread_id!r} has no checkpoints (namespace {checkpoint_ns!r})")
    nodes = {
        row[0]: _Node(
            row[0],
            row[1],
            json.loads(row[2]),
            row[3],
            [_scheduled_node(c) for c in row[4] if c == START or c.startswith(BRANCH_PREFIX)],
            [],
        )
        for row in rows
    }
    for node in nodes.values():
        if node.parent_id in nodes:
            nodes[node.parent_id].children.append(node.checkpoint_id)
    latest = rows[0][0]
    heads = {branch.head_checkpoint_id for branch in branches}
    out = console()
    out.print(_history_tree(thread_id, nodes, latest, heads))
    shown = f"the newest {len(rows)}" if limit and len(rows) == limit else f"{len(rows)}"
    out.print(f"{shown} checkpoint(s), {len(branches)} branch(es)")


# --------------------------------------------------------------- show and diff


def _load(
    saver: PostgresCheckpointer, target: Target, checkpoint_id: str, thread_id: str | None, ns: str | None
) -> CheckpointTuple:
    if thread_id is None:
        conn: psycopg.Connection[Any] = saver.conn  # type: ignore[assignment]
        found = conn.execute(
            _statement(SQL_FIND_CHECKPOINT, target.schema), {"checkpoint_id": checkpoint_id}
        ).fetchall()
        if not found:
            raise CommandError(f"no checkpoint {checkpoint_id!r}")
        if len(found) > 1:
            raise CommandError(
                f"checkpoint {checkpoint_id!r} is in more than one thread (copies or forks)",
                "name the thread with --thread",
            )
        thread_id, found_ns = found[0]
        ns = found_ns if ns is None else ns
    tup = saver.get_tuple(checkpoint_config(thread_id, checkpoint_id, ns or ""))
    if tup is None or tup.config["configurable"].get("checkpoint_id") != checkpoint_id:
        raise CommandError(f"thread {thread_id!r} has no checkpoint {checkpoint_id!r}")
    return tup


def _header(tup: CheckpointTuple) -> Table:
    conf = tup.config["configurable"]
    table = Table(show_header=False, box=None)
    table.add_column(style="bold")
    table.add_column()
    parent = (tup.parent_config or {}).get("configurable", {}).get("checkpoint_id")
    metadata = dict(tup.metadata or {})
    for key, value in (
        ("thread", conf["thread_id"]),
        ("namespace", conf.get("checkpoint_ns") or "''"),
        ("checkpoint", conf["checkpoint_id"]),
        ("parent", parent or "-"),
        ("step", metadata.pop("step", "?")),
        ("source", metadata.pop("source", "?")),
        ("time", tup.checkpoint.get("ts", "")),
        ("metadata", json.dumps(metadata, default=str)),
    ):
        table.add_row(key, markup(str(value)))
    return table


thread_option = click.option(
    "--thread", "thread_id", help="The thread; default: the one that has the checkpoint."
)
ns_option = click.option(
    "--ns", "checkpoint_ns", default=None, help="Checkpoint namespace; default: the root graph."
)


@click.command()
@connection_options
@click.argument("checkpoint_id")
@thread_option
@ns_option
def show(target: Target, checkpoint_id: str, thread_id: str | None, checkpoint_ns: str | None) -> None:
    """One checkpoint: its metadata, every channel's value and its pending writes."""
    with target.saver() as saver:
        tup = _load(saver, target, checkpoint_id, thread_id, checkpoint_ns)
    out = console()
    out.print(_header(tup))
    values = Table(title="channel values", show_lines=True)
    values.add_column("channel", style="bold", no_wrap=True)
    values.add_column("version", no_wrap=True)
    values.add_column("value")
    versions = tup.checkpoint.get("channel_versions", {})
    for channel, value in sorted(tup.checkpoint["channel_values"].items()):
        values.add_row(markup(channel), str(versions.get(channel, "")), render_value(value))
    out.print(values)
    writes = Table(title="pending writes", show_lines=True)
    writes.add_column("task", no_wrap=True)
    writes.add_column("channel", style="bold", no_wrap=True)
    writes.add_column("value")
    for task_id, channel, value in tup.pending_writes or []:
        writes.add_row(task_id, markup(channel), render_value(value))
    if tup.pending_writes:
        out.print(writes)
    else:
        out.print("pending writes: none")


@click.command()
@connection_options
@click.argument("checkpoint_a")
@click.argument("checkpoint_b")
@thread_option
@ns_option
def diff(
    target: Target, checkpoint_a: str, checkpoint_b: str, thread_id: str | None, checkpoint_ns: str | None
) -> None:
    """What changed from checkpoint A to checkpoint B: channels added, removed or
    changed, and the messages added."""
    with target.saver() as saver:
        a = _load(saver, target, checkpoint_a, thread_id, checkpoint_ns)
        b = _load(saver, target, checkpoint_b, thread_id, checkpoint_ns)
    values_a, values_b = a.checkpoint["channel_values"], b.checkpoint["channel_values"]
    out = console()
    table = Table(title=f"{checkpoint_a} -> {checkpoint_b}", show_lines=True)
    table.add_column("channel", style="bold", no_wrap=True)
    table.add_column("change", no_wrap=True)
    table.add_column("detail")
    changed = 0
    for channel in sorted(set(values_a) | set(values_b)):
        if channel not in values_b:
            table.add_row(markup(channel), "[red]removed[/]", render_value(values_a[channel]))
        elif channel not in values_a:
            table.add_row(markup(channel), "[green]added[/]", render_value(values_b[channel]))
        elif values_a[channel] != values_b[channel]:
            old, new = values_a[channel], values_b[channel]
            if isinstance(old, list) and isinstance(new, list) and new[: len(old)] == old:
                added = new[len(old) :]
                detail = "\n".join(message_line(m) for m in added) if is_message_list(added) else None
                table.add_row(
                    markup(channel),
                    f"[yellow]+{len(added)} item(s)[/]"
                    if detail is None
                    else f"[yellow]+{len(added)} message(s)[/]",
                    markup(detail) if detail is not None else render_value(added),
                )
            else:
                table.add_row(markup(channel), "[yellow]changed[/]", render_value(new))
        else:
            continue
        changed += 1
    out.print(table)
    out.print(f"{changed} channel(s) differ")


COMMANDS = [stats, history, show, diff]
