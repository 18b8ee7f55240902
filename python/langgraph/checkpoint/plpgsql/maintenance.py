"""Maintenance the database cannot do for itself: VACUUM, and retention without pg_cron.

``optimize_database`` runs ``VACUUM (ANALYZE)`` on each table of the schema. VACUUM
cannot run inside a function or a transaction block, so it is the one piece of
maintenance that lives in the client. It needs the schema owner's privileges (or the
``pg_maintain`` role on PostgreSQL 17+); docs/operations.md shows the pg_cron way.

``CleanupScheduler`` (threads) and ``AsyncCleanupScheduler`` (asyncio) call
``<schema>.cleanup_old_checkpoints`` every ``interval_secs``: what
``PostgresConfig(auto_cleanup=True, cleanup_interval_secs=..., retention_days=...)``
runs when pg_cron is not available. A failed run is logged and retried at the next
tick; it never propagates into the application.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from typing import Any

import psycopg

from langgraph.checkpoint.plpgsql._sql import SQL_SCHEMA_TABLES, maintenance_queries_for, vacuum_analyze
from langgraph.checkpoint.plpgsql.errors import InvalidConfigError

logger = logging.getLogger(__name__)

# A conninfo string, a psycopg_pool pool, or a connection (not inside a transaction).
ConnectionSource = str | Any
AsyncConnectionSource = str | Any


def optimize_database(conn: psycopg.Connection, schema: str = "langgraph") -> list[str]:
    """VACUUM (ANALYZE) every table of ``schema``; returns the tables done.

    ``conn`` must not be inside a transaction; autocommit is switched on for the
    duration and restored. Run it as the schema owner: VACUUM skips, with a warning,
    tables the role does not own.
    """
    tables = [r[0] for r in conn.execute(SQL_SCHEMA_TABLES, {"schema": schema}).fetchall()]
    previous = conn.autocommit
    if not previous:
        conn.commit()  # the catalog read above opened a transaction
        conn.autocommit = True
    try:
        for table in tables:
            conn.execute(vacuum_analyze(schema, table))
    finally:
        conn.autocommit = previous
    return tables


async def aoptimize_database(aconn: psycopg.AsyncConnection, schema: str = "langgraph") -> list[str]:
    """Async ``optimize_database``."""
    cur = await aconn.execute(SQL_SCHEMA_TABLES, {"schema": schema})
    tables = [r[0] for r in await cur.fetchall()]
    previous = aconn.autocommit
    if not previous:
        await aconn.commit()
        await aconn.set_autocommit(True)
    try:
        for table in tables:
            await aconn.execute(vacuum_analyze(schema, table))
    finally:
        await aconn.set_autocommit(previous)
    return tables


def _cleanup_result(row: tuple[Any, ...] | None) -> tuple[int, int]:
    """``(removed, skipped)`` from the row of ``CALL cleanup_old_checkpoints``."""
    # A CALL always returns one row, its OUT parameters.
    assert row is not None
    removed, skipped = row
    return removed, skipped


def _cleanup_statement(schema: str) -> str:
    return maintenance_queries_for(schema).cleanup_old_checkpoints


@contextmanager
def _autocommit(conn: psycopg.Connection[Any]) -> Iterator[psycopg.Connection[Any]]:
    previous = conn.autocommit
    if not previous:
        conn.autocommit = True  # raises if the connection is inside a transaction
    try:
        yield conn
    finally:
        if not previous:
            conn.autocommit = previous


@contextmanager
def _autocommit_connection(source: ConnectionSource) -> Iterator[psycopg.Connection[Any]]:
    """A connection in autocommit mode (the procedure COMMITs between batches)."""
    if isinstance(source, str):
        with psycopg.connect(source, autocommit=True) as conn:
            yield conn
        return
    if isinstance(source, psycopg.Connection):
        with _autocommit(source) as conn:
            yield conn
        return
    with source.connection() as conn, _autocommit(conn):
        yield conn


@asynccontextmanager
async def _async_autocommit(
    conn: psycopg.AsyncConnection[Any],
) -> AsyncIterator[psycopg.AsyncConnection[Any]]:
    previous = conn.autocommit
    if not previous:
        await conn.set_autocommit(True)
    try:
        yield conn
    finally:
        if not previous:
            await conn.set_autocommit(previous)


@asynccontextmanager
async def _async_autocommit_connection(
    source: AsyncConnectionSource,
) -> AsyncIterator[psycopg.AsyncConnection[Any]]:
    if isinstance(source, str):
        async with await psycopg.AsyncConnection.connect(source, autocommit=True) as conn:
            yield conn
        return
    if isinstance(source, psycopg.AsyncConnection):
        async with _async_autocommit(source) as conn:
            yield conn
        return
    async with source.connection() as conn, _async_autocommit(conn):
        yield conn


def _check_settings(interval_secs: float, retention_days: int, batch_size: int, keep_last: int) -> None:
    # InvalidConfigError, like PostgresConfig's own checks: these are the same settings
    # (cleanup_interval_secs, retention_days) when the saver starts the scheduler.
    if not interval_secs > 0:
        raise InvalidConfigError(f"interval_secs must be positive, got {interval_secs!r}")
    if retention_days is not None and retention_days < 0:
        raise InvalidConfigError(f"retention_days must not be negative, got {retention_days!r}")
    if batch_size < 1 or keep_last < 1:
        raise InvalidConfigError(
            f"batch_size and keep_last must be at least 1, got {batch_size!r} and {keep_last!r}"
        )


class CleanupScheduler:
    """Runs ``cleanup_old_checkpoints`` every ``interval_secs`` on a daemon thread.

    ``source`` is a conninfo string (a connection is opened per run) or a
    ``ConnectionPool``. ``start()`` returns at once; ``stop()`` wakes the thread and
    waits for a run in progress to finish its current statement. Also a context
    manager. ``runs`` and ``failures`` count what happened; ``last_result`` is the
    procedure's ``(removed, skipped)``.
    """

    def __init__(
        self,
        source: ConnectionSource,
        *,
        interval_secs: float,
        retention_days: int,
        schema: str = "langgraph",
        batch_size: int = 1000,
        keep_last: int = 1,
        run_immediately: bool = True,
    ) -> None:
        _check_settings(interval_secs, retention_days, batch_size, keep_last)
        self._source = source
        self._interval = interval_secs
        self._params = {"retention_days": retention_days, "batch_size": batch_size, "keep_last": keep_last}
        self._statement = _cleanup_statement(schema)
        self._run_immediately = run_immediately
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.runs = 0
        self.failures = 0
        self.last_result: tuple[int, int] | None = None

    def run_once(self) -> tuple[int, int] | None:
        """One cleanup run; logs and swallows any error. Returns (removed, skipped)."""
        try:
            with _autocommit_connection(self._source) as conn:
                removed, skipped = _cleanup_result(conn.execute(self._statement, self._params).fetchone())
        except Exception:  # noqa: BLE001 - a background job must never take the app down
            self.failures += 1
            logger.exception("langgraph checkpoint cleanup failed; retrying in %s s", self._interval)
            return None
        self.runs += 1
        self.last_result = (removed, skipped)
        logger.info(
            "langgraph checkpoint cleanup removed %s checkpoints, skipped %s busy threads", removed, skipped
        )
        return self.last_result

    def _loop(self) -> None:
        if not self._run_immediately and self._stop.wait(self._interval):
            return
        while not self._stop.is_set():
            self.run_once()
            if self._stop.wait(self._interval):
                return

    def start(self) -> CleanupScheduler:
        if self._thread is not None and self._thread.is_alive():
            return self
        self._stop.clear()
        self._thread = threading.Thread(target=self._loop, name="langgraph-checkpoint-cleanup", daemon=True)
        self._thread.start()
        return self

    def stop(self, timeout: float | None = None) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    def __enter__(self) -> CleanupScheduler:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


class AsyncCleanupScheduler:
    """``CleanupScheduler`` for asyncio: a task on the running loop.

    ``source`` is a conninfo string or an ``AsyncConnectionPool``. ``await stop()``
    cancels the sleep, lets a run in progress finish, and returns.
    """

    def __init__(
        self,
        source: AsyncConnectionSource,
        *,
        interval_secs: float,
        retention_days: int,
        schema: str = "langgraph",
        batch_size: int = 1000,
        keep_last: int = 1,
        run_immediately: bool = True,
    ) -> None:
        _check_settings(interval_secs, retention_days, batch_size, keep_last)
        self._source = source
        self._interval = interval_secs
        self._params = {"retention_days": retention_days, "batch_size": batch_size, "keep_last": keep_last}
        self._statement = _cleanup_statement(schema)
        self._run_immediately = run_immediately
        self._stop: asyncio.Event | None = None
        self._task: asyncio.Task[None] | None = None
        self.runs = 0
        self.failures = 0
        self.last_result: tuple[int, int] | None = None

    async def run_once(self) -> tuple[int, int] | None:
        try:
            async with _async_autocommit_connection(self._source) as conn:
                cur = await conn.execute(self._statement, self._params)
                removed, skipped = _cleanup_result(await cur.fetchone())
        except Exception:  # noqa: BLE001 - a background job must never take the app down
            self.failures += 1
            logger.exception("langgraph checkpoint cleanup failed; retrying in %s s", self._interval)
            return None
        self.runs += 1
        self.last_result = (removed, skipped)
        logger.info(
            "langgraph checkpoint cleanup removed %s checkpoints, skipped %s busy threads", removed, skipped
        )
        return self.last_result

    async def _sleep(self) -> bool:
        """Wait one interval; True if stopped meanwhile."""
        assert self._stop is not None
        try:
            await asyncio.wait_for(self._stop.wait(), self._interval)
        except asyncio.TimeoutError:
            return False
        return True

    async def _loop(self) -> None:
        assert self._stop is not None
        if not self._run_immediately and await self._sleep():
            return
        while not self._stop.is_set():
            await self.run_once()
            if await self._sleep():
                return

    def start(self) -> AsyncCleanupScheduler:
        if self._task is not None and not self._task.done():
            return self
        self._stop = asyncio.Event()
        self._task = asyncio.get_running_loop().create_task(self._loop(), name="langgraph-checkpoint-cleanup")
        return self

    async def stop(self) -> None:
        if self._stop is not None:
            self._stop.set()
        if self._task is not None:
            await self._task
            self._task = None

    async def __aenter__(self) -> AsyncCleanupScheduler:
        return self.start()

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()


__all__ = [
    "AsyncCleanupScheduler",
    "CleanupScheduler",
    "aoptimize_database",
    "optimize_database",
]
