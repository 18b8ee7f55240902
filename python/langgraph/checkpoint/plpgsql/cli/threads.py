"""``threads``: find threads (``search_threads``, ``count_threads``) and set their own
retention (``set_thread_ttl``, ``pin_thread``, ``touch_thread``).

Every subcommand is one call of the saver's method; docs/threads.md describes what the
filters match and what the settings do.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from typing import Any

import click
import psycopg
from psycopg import sql
from rich.table import Table

from langgraph.checkpoint.plpgsql._sql import SQL_THREAD_HAS_CHECKPOINTS
from langgraph.checkpoint.plpgsql.cli._common import CommandError, Target, connection_options, console
from langgraph.checkpoint.plpgsql.cli._format import markup
from langgraph.checkpoint.plpgsql.saver import PostgresCheckpointer
from langgraph.checkpoint.plpgsql.threads import THREAD_STATUSES, ThreadInfo

# ------------------------------------------------------------------ parameters

_UNITS = {"w": 604800, "d": 86400, "h": 3600, "m": 60, "s": 1}
_PART = re.compile(r"(\d+(?:\.\d+)?)([wdhms])")


def parse_duration(text: str) -> timedelta:
    """``90s``, ``30m``, ``12h``, ``7d``, ``2w``, combined (``1d12h``), or seconds (``3600``)."""
    compact = text.strip().lower().replace(" ", "")
    if re.fullmatch(r"\d+(?:\.\d+)?", compact):
        return timedelta(seconds=float(compact))
    if not compact or _PART.sub("", compact):
        raise ValueError(text)
    return timedelta(seconds=sum(float(n) * _UNITS[unit] for n, unit in _PART.findall(compact)))


def format_duration(value: timedelta | None) -> str:
    if value is None:
        return "-"
    seconds = int(value.total_seconds())
    parts = []
    for unit in ("d", "h", "m", "s"):
        count, seconds = divmod(seconds, _UNITS[unit])
        if count:
            parts.append(f"{count}{unit}")
    return "".join(parts) or "0s"


class _Ttl(click.ParamType[timedelta | None]):
    """A duration, or ``none``."""

    name = "duration"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if isinstance(value, timedelta):
            return value
        if str(value).strip().lower() == "none":
            return None
        try:
            return parse_duration(str(value))
        except ValueError:
            self.fail(f"{value!r} is not a duration: write 90s, 30m, 12h, 7d, 2w or 1d12h", param, ctx)


class _Moment(click.ParamType[datetime]):
    """An ISO 8601 time (UTC unless it names its offset), or a duration ago (``2d``)."""

    name = "time"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if isinstance(value, datetime):
            return value
        text = str(value).strip()
        try:
            return datetime.now(timezone.utc) - parse_duration(text)
        except ValueError:
            pass
        try:
            moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            self.fail(
                f"{value!r} is not a time: write 2026-12-01, 2026-12-01T09:30:00+01:00, or 7d for 7 days ago",
                param,
                ctx,
            )
        return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


class _JsonObject(click.ParamType[dict[str, Any]]):
    name = "json"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if isinstance(value, dict):
            return value
        try:
            document = json.loads(value)
        except ValueError as exc:
            self.fail(
                f'{value!r} is not JSON ({exc}); write an object such as \'{{"user_id": "u-42"}}\'',
                param,
                ctx,
            )
        if not isinstance(document, dict):
            self.fail(
                f'{value!r} is not a JSON object; write one such as \'{{"user_id": "u-42"}}\'', param, ctx
            )
        return document


def encode_cursor(thread: ThreadInfo) -> str:
    """The keyset of the last row shown, as one opaque token for ``--after``."""
    key = json.dumps([thread.created_at.isoformat(), thread.thread_id], ensure_ascii=False)
    return base64.urlsafe_b64encode(key.encode()).decode("ascii").rstrip("=")


def decode_cursor(token: str) -> tuple[datetime, str]:
    try:
        created_at, thread_id = json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
        return datetime.fromisoformat(created_at), str(thread_id)
    except (ValueError, TypeError, binascii.Error) as exc:
        raise click.BadParameter(
            f"{token!r} is not a cursor printed by this command", param_hint="--after"
        ) from exc


# ---------------------------------------------------------------------- output


def thread_json(thread: ThreadInfo) -> dict[str, Any]:
    return {
        "thread_id": thread.thread_id,
        "status": thread.status,
        "created_at": thread.created_at.isoformat(),
        "updated_at": thread.updated_at.isoformat(),
        "checkpoint_id": thread.checkpoint_id,
        "metadata": thread.metadata,
        "ttl_seconds": None if thread.ttl is None else thread.ttl.total_seconds(),
        "refresh_on_read": thread.refresh_on_read,
        "pinned": thread.pinned,
        "expires_at": None if thread.expires_at is None else thread.expires_at.isoformat(),
    }


_STATUS_STYLE = {"idle": "green", "interrupted": "yellow", "error": "bold red"}


def _minute(moment: datetime | None) -> str:
    return "-" if moment is None else f"{moment:%Y-%m-%d %H:%M}"


def _table(found: list[ThreadInfo]) -> Table:
    """Times to the minute and no checkpoint id, so a row fits a terminal; --json has all."""
    table = Table()
    longest = max((len(thread.thread_id) for thread in found), default=6)
    table.add_column("thread", min_width=min(longest, 40), overflow="fold")
    for column in ("status", "created", "updated", "ttl", "expires", "pinned"):
        table.add_column(column, no_wrap=True)
    for thread in found:
        ttl = format_duration(thread.ttl) + (", on read" if thread.refresh_on_read else "")
        table.add_row(
            markup(thread.thread_id),
            f"[{_STATUS_STYLE[thread.status]}]{thread.status}[/]",
            _minute(thread.created_at),
            _minute(thread.updated_at),
            ttl,
            _minute(thread.expires_at),
            "yes" if thread.pinned else "",
        )
    return table


# -------------------------------------------------------------------- commands


class _ThreadsGroup(click.Group):
    """``threads [OPTIONS]`` is ``threads search [OPTIONS]``; ``threads ttl|pin|unpin|touch
    THREAD`` set a thread's retention."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(self.commands)

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if not args or (args[0] not in self.commands and args[0] not in ctx.help_option_names):
            args = ["search", *args]
        return super().parse_args(ctx, args)


@click.group(cls=_ThreadsGroup)
def threads() -> None:
    """Find threads and set their own retention (docs/threads.md).

    `threads [OPTIONS]` is `threads search [OPTIONS]` (its --help lists the filters);
    ttl, pin, unpin and touch set one thread's retention.
    """


@threads.command()
@connection_options
@click.option(
    "--metadata", type=_JsonObject(), help="Metadata one of its root checkpoints contains (JSON object)."
)
@click.option(
    "--values", "values", type=_JsonObject(), help="Channel -> value its latest state contains (JSON object)."
)
@click.option("--status", metavar="|".join(THREAD_STATUSES), help="Where its latest checkpoint stopped.")
@click.option("--created-since", type=_Moment(), help="Created at or after (ISO time, or 7d: 7 days ago).")
@click.option("--created-before", type=_Moment(), help="Created before.")
@click.option("--updated-since", type=_Moment(), help="Last saved at or after.")
@click.option("--updated-before", type=_Moment(), help="Last saved before.")
@click.option("--limit", type=click.IntRange(min=1), default=20, show_default=True, help="Threads per page.")
@click.option(
    "--after", "cursor", metavar="CURSOR", help="The next page: the cursor the previous page printed."
)
@click.option("--count", "count_only", is_flag=True, help="Print how many threads match, over all pages.")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per thread (the cursor on stderr).")
def search(
    target: Target, cursor: str | None, limit: int, count_only: bool, as_json: bool, **filters: Any
) -> None:
    """Threads newest first (search_threads; count_threads with --count). Filters combine
    with AND; times without an offset are UTC."""
    given = {name: value for name, value in filters.items() if value is not None}
    after = decode_cursor(cursor) if cursor else None
    with target.saver() as saver:
        if count_only:
            total = saver.count_threads(**given)
            click.echo(json.dumps({"count": total}) if as_json else str(total))
            return
        # One row more than the page says whether there is a next one.
        found = saver.search_threads(after=after, limit=limit + 1, **given)
    page, more = found[:limit], len(found) > limit
    next_cursor = encode_cursor(page[-1]) if more else None
    if as_json:
        for thread in page:
            click.echo(json.dumps(thread_json(thread), ensure_ascii=False))
        if next_cursor:
            click.echo(f"next page: --after {next_cursor}", err=True)
        return
    out = console()
    out.print(_table(page))
    out.print(f"{len(page)} thread(s)" + (f"; next page: --after {next_cursor}" if next_cursor else ""))


def _existing(saver: PostgresCheckpointer, target: Target, thread_id: str, allow_missing: bool) -> None:
    """Refuse a thread with no checkpoint (a mistyped id), unless asked: the settings may
    come before a thread's first save."""
    if allow_missing:
        return
    conn: psycopg.Connection[Any] = saver.conn  # type: ignore[assignment]
    query = sql.SQL(SQL_THREAD_HAS_CHECKPOINTS).format(schema=sql.Identifier(target.schema))
    row = conn.execute(query, {"thread_id": thread_id}).fetchone()
    if not (row and row[0]):
        raise CommandError(
            f"thread {thread_id!r} has no checkpoints",
            "check the id (langgraph-plpgsql threads lists them), or pass --allow-missing "
            "to set it before the thread's first checkpoint",
        )


def thread_command(func: Callable[..., Any]) -> click.Command:
    """A ``threads`` subcommand on one thread: the connection options and THREAD."""
    return threads.command()(connection_options(click.argument("thread_id", metavar="THREAD")(func)))


allow_missing_option = click.option(
    "--allow-missing",
    is_flag=True,
    help="Also for a thread with no checkpoint yet (set before its first save).",
)


@thread_command
@click.argument("value", metavar="DURATION|none", type=_Ttl())
@click.option("--refresh-on-read", is_flag=True, help="A touch (a recorded read) restarts its clock too.")
@allow_missing_option
def ttl(
    target: Target, thread_id: str, value: timedelta | None, refresh_on_read: bool, allow_missing: bool
) -> None:
    """Give THREAD its own time to live (90s, 30m, 12h, 7d, 2w, 1d12h), replacing the
    retention procedures' parameters for it; none removes it (set_thread_ttl)."""
    with target.saver() as saver:
        _existing(saver, target, thread_id, allow_missing)
        expires_at = saver.set_thread_ttl(thread_id, value, refresh_on_read=refresh_on_read)
    if value is None:
        console().print(
            f"thread {markup(thread_id)}: no TTL of its own (the retention procedures' parameters apply)"
        )
        return
    when = f"expires {expires_at:%Y-%m-%d %H:%M:%S %Z}" if expires_at else "pinned: does not expire"
    refresh = " (reads refresh it)" if refresh_on_read else ""
    console().print(f"thread {markup(thread_id)}: ttl {format_duration(value)}{refresh}, {when}")


def _pin(target: Target, thread_id: str, pinned: bool, allow_missing: bool) -> None:
    with target.saver() as saver:
        _existing(saver, target, thread_id, allow_missing)
        saver.pin_thread(thread_id, pinned)
    state = "pinned: retention leaves it alone" if pinned else "unpinned: retention applies again"
    console().print(f"thread {markup(thread_id)}: {state}")


@thread_command
@allow_missing_option
def pin(target: Target, thread_id: str, allow_missing: bool) -> None:
    """Pin THREAD: retention never deletes it or its checkpoints (pin_thread)."""
    _pin(target, thread_id, True, allow_missing)


@thread_command
@allow_missing_option
def unpin(target: Target, thread_id: str, allow_missing: bool) -> None:
    """Unpin THREAD (pin_thread with pinned false)."""
    _pin(target, thread_id, False, allow_missing)


@thread_command
def touch(target: Target, thread_id: str) -> None:
    """Record a read of THREAD: restarts its clock if its TTL refreshes on read (touch_thread)."""
    with target.saver() as saver:
        _existing(saver, target, thread_id, False)
        refreshes = saver.touch_thread(thread_id)
    if refreshes:
        console().print(f"thread {markup(thread_id)}: read recorded, its idle clock restarts now")
    else:
        console().print(f"thread {markup(thread_id)}: does not refresh on read; nothing recorded")


COMMANDS = [threads]
