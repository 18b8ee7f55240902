"""Threads as objects: the result type of ``search_threads`` and the parameters of the
thread calls (``search_threads``, ``count_threads``, ``set_thread_ttl``, ``pin_thread``,
``touch_thread``).

The searching, the status and the expiry are computed in SQL (docs/sql-api.md,
"Threads"); this module only shapes arguments and rows, with no I/O, so the sync and
async savers share it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Literal, TypedDict, get_args

from langchain_core.runnables import RunnableConfig

from langgraph.checkpoint.plpgsql.errors import InvalidArgumentError
from langgraph.checkpoint.plpgsql.lineage import checkpoint_config

ThreadStatus = Literal["idle", "interrupted", "error"]
"""A thread's status, from the pending writes of its latest root checkpoint: ``error``
when a task wrote ``__error__``, else ``interrupted`` when one wrote ``__interrupt__``,
else ``idle``."""

THREAD_STATUSES: tuple[str, ...] = get_args(ThreadStatus)


@dataclass(frozen=True)
class ThreadInfo:
    """One thread as ``search_threads`` returns it.

    ``checkpoint_id`` and ``metadata`` are those of the thread's latest checkpoint in
    the root namespace (``None`` when it has none yet). ``ttl``, ``pinned`` and
    ``refresh_on_read`` are its own retention settings; ``expires_at`` is when its own
    TTL runs out (``None`` without one, or when pinned). Pass a row as ``after=`` to get
    the next page.
    """

    thread_id: str
    created_at: datetime
    updated_at: datetime
    checkpoint_id: str | None
    metadata: dict[str, Any] | None
    status: ThreadStatus
    ttl: timedelta | None
    pinned: bool
    refresh_on_read: bool
    expires_at: datetime | None

    @property
    def config(self) -> RunnableConfig:
        """The config of the thread's latest checkpoint (``get_tuple`` / ``graph.get_state``)."""
        return {"configurable": {"thread_id": self.thread_id, "checkpoint_ns": ""}}

    @property
    def checkpoint_config(self) -> RunnableConfig | None:
        """The config that addresses ``checkpoint_id`` itself, or ``None``."""
        return None if self.checkpoint_id is None else checkpoint_config(self.thread_id, self.checkpoint_id)


class ThreadFilters(TypedDict, total=False):
    """The filters of ``search_threads`` and ``count_threads``, all optional, combined with AND."""

    metadata: Mapping[str, Any] | None
    """One of the thread's root checkpoints has metadata that contains this."""
    values: Mapping[str, Any] | None
    """Channel -> value: each channel's latest JSON value contains the given one."""
    status: ThreadStatus | None
    created_since: datetime | None
    created_before: datetime | None
    """With ``created_since``, a half-open range of ``created_at``."""
    updated_since: datetime | None
    updated_before: datetime | None
    """With ``updated_since``, a half-open range of ``updated_at`` (the last save)."""


def filter_params(
    dumps: Any,
    *,
    metadata: Mapping[str, Any] | None = None,
    values: Mapping[str, Any] | None = None,
    status: str | None = None,
    created_since: datetime | None = None,
    created_before: datetime | None = None,
    updated_since: datetime | None = None,
    updated_before: datetime | None = None,
) -> dict[str, Any]:
    """The filters of search_threads and count_threads; ``dumps`` encodes a JSON document.
    An unknown filter is a TypeError, as for any keyword argument."""
    if status is not None and status not in THREAD_STATUSES:
        raise InvalidArgumentError(
            f"unknown thread status {status!r}",
            hint=f"Pass one of {', '.join(THREAD_STATUSES)}, or None for all.",
        )
    return {
        "metadata": None if metadata is None else dumps(dict(metadata), "metadata filter"),
        "values": None if values is None else dumps(dict(values), "values filter"),
        "status": status,
        "created_since": created_since,
        "created_before": created_before,
        "updated_since": updated_since,
        "updated_before": updated_before,
    }


def page_params(after: ThreadInfo | tuple[datetime, str] | None, limit: int | None) -> dict[str, Any]:
    """The keyset cursor (the last row of the previous page) and the page size."""
    if after is None:
        created_at, thread_id = None, None
    elif isinstance(after, ThreadInfo):
        created_at, thread_id = after.created_at, after.thread_id
    else:
        created_at, thread_id = after
    return {"cursor_created_at": created_at, "cursor_thread_id": thread_id, "limit": limit}


def ttl_interval(ttl: float | timedelta | None) -> timedelta | None:
    """A TTL in seconds or as a timedelta, as the interval the SQL takes."""
    if ttl is None or isinstance(ttl, timedelta):
        return ttl
    return timedelta(seconds=ttl)


def rows_to_threads(rows: Sequence[Sequence[Any]], loads: Any) -> list[ThreadInfo]:
    return [
        ThreadInfo(
            thread_id=thread_id,
            created_at=created_at,
            updated_at=updated_at,
            checkpoint_id=checkpoint_id,
            metadata=None if metadata_text is None else loads(metadata_text),
            status=status,
            ttl=ttl,
            pinned=pinned,
            refresh_on_read=refresh_on_read,
            expires_at=expires_at,
        )
        for (
            thread_id,
            created_at,
            updated_at,
            checkpoint_id,
            metadata_text,
            status,
            ttl,
            pinned,
            refresh_on_read,
            expires_at,
        ) in rows
    ]
