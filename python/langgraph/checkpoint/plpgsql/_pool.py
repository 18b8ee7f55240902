"""The pools a saver makes from a ``PostgresConfig``, and what they report.

Connections are checked before use only after they sat idle: psycopg_pool's ``check``
callback runs on every checkout, and a ping there would double the round trips of
every call. ``IdleCheck`` remembers when each connection was last handed out (or
opened) and pings only one that has not been used for ``ping_after_idle_secs``: the
ones a firewall, a pgbouncer ``server_idle_timeout`` or a server restart may have
killed meanwhile. A connection that breaks in use anyway is a transient error for
``retry.py``.
"""

from __future__ import annotations

import weakref
from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass, field
from time import monotonic
from typing import Any, TypeVar, cast

import psycopg
from psycopg.pq import TransactionStatus
from psycopg_pool import AsyncConnectionPool, ConnectionPool

from langgraph.checkpoint.plpgsql.config import PostgresConfig

POOL_NAME = "langgraph-checkpoint-plpgsql"


class _MostRecentFirst(deque):  # type: ignore[type-arg]
    """psycopg_pool's idle connections, handed out most recently used first.

    psycopg_pool keeps idle connections in a deque and hands them out oldest first, so a
    sequence of calls rotates through every connection the pool ever opened. For a
    checkpointer, whose calls are short and frequent, the connection just returned is
    the fastest to use again (its backend is running and its caches are warm: measured
    at 0.1 ms a call against rotating over two), and the others stay idle until
    ``max_idle`` closes them or ``IdleCheck`` pings them. psycopg_pool has no option for
    the order, so the pool's deque gets this subclass, whose ``popleft`` takes from the
    end that ``append`` fills. ``tests/test_production.py`` fails if psycopg_pool stops
    keeping idle connections this way.
    """

    __slots__ = ()

    def popleft(self) -> Any:
        return self.pop()


PoolT = TypeVar("PoolT")


def most_recent_first(pool: PoolT) -> PoolT:
    """Make ``pool`` hand out its most recently used idle connection first (see
    ``_MostRecentFirst``); a pool that does not keep a deque is left as it is."""
    idle = getattr(pool, "_pool", None)
    if type(idle) is deque:
        cast(Any, pool)._pool = _MostRecentFirst(idle)
    return pool


class IdleCheck:
    """``check`` / ``configure`` callbacks for a ``ConnectionPool`` that ping a connection
    only when it was not handed out for ``idle_secs`` (0: every time)."""

    def __init__(self, idle_secs: float) -> None:
        self.idle_secs = idle_secs
        self.pings = 0
        self._last_used: weakref.WeakKeyDictionary[Any, float] = weakref.WeakKeyDictionary()

    def _due(self, conn: Any) -> bool:
        now = monotonic()
        last = self._last_used.get(conn)
        self._last_used[conn] = now
        return last is None or now - last >= self.idle_secs

    def configure(self, conn: psycopg.Connection[Any]) -> None:
        self._last_used[conn] = monotonic()

    def check(self, conn: psycopg.Connection[Any]) -> None:
        if self._due(conn):
            self.pings += 1
            ConnectionPool.check_connection(conn)


class AsyncIdleCheck(IdleCheck):
    """``IdleCheck`` for an ``AsyncConnectionPool``."""

    async def configure(self, conn: psycopg.AsyncConnection[Any]) -> None:  # type: ignore[override]
        self._last_used[conn] = monotonic()

    async def check(self, conn: psycopg.AsyncConnection[Any]) -> None:  # type: ignore[override]
        if self._due(conn):
            self.pings += 1
            await AsyncConnectionPool.check_connection(conn)


def connection_kwargs(config: PostgresConfig, extra: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """What every connection of the saver's pool is opened with."""
    return {"autocommit": True, "prepare_threshold": config.prepare_threshold, **(extra or {})}


def make_pool(config: PostgresConfig, **options: Any) -> ConnectionPool:
    """A pool of autocommit connections, not yet open. ``options`` go to
    ``ConnectionPool`` (``kwargs`` there are merged into the connection arguments)."""
    idle = IdleCheck(config.ping_after_idle_secs)
    kwargs = connection_kwargs(config, options.pop("kwargs", None))
    pool: ConnectionPool = ConnectionPool(
        conninfo=config.database_url,
        min_size=config.min_connections,
        max_size=config.max_connections,
        max_lifetime=config.max_lifetime_secs,
        max_idle=config.idle_timeout_secs,
        kwargs=kwargs,
        check=idle.check,
        configure=idle.configure,
        name=POOL_NAME,
        open=False,
        **options,
    )
    pool.idle_check = idle  # type: ignore[attr-defined]
    return most_recent_first(pool)


def make_async_pool(config: PostgresConfig, **options: Any) -> AsyncConnectionPool:
    """``make_pool`` for asyncio; open it with ``await pool.open()``."""
    idle = AsyncIdleCheck(config.ping_after_idle_secs)
    kwargs = connection_kwargs(config, options.pop("kwargs", None))
    pool: AsyncConnectionPool = AsyncConnectionPool(
        conninfo=config.database_url,
        min_size=config.min_connections,
        max_size=config.max_connections,
        max_lifetime=config.max_lifetime_secs,
        max_idle=config.idle_timeout_secs,
        kwargs=kwargs,
        check=idle.check,
        configure=idle.configure,
        name=POOL_NAME,
        open=False,
        **options,
    )
    pool.idle_check = idle  # type: ignore[attr-defined]
    return most_recent_first(pool)


def probe(config: PostgresConfig) -> None:
    """Open and close one connection, so that a wrong address, password or SSL setting
    fails now with libpq's own message instead of a pool timeout later."""
    psycopg.connect(config.database_url, **connection_kwargs(config)).close()


async def aprobe(config: PostgresConfig) -> None:
    conn = await psycopg.AsyncConnection.connect(config.database_url, **connection_kwargs(config))
    await conn.close()


@dataclass(frozen=True)
class PoolStats:
    """A snapshot of the saver's connections.

    ``connections`` are open (``in_use`` + ``idle``); ``waiting`` callers wait for one;
    ``counters`` are psycopg_pool's cumulative counters (``requests_num``,
    ``requests_waiting``, ``connections_lost``, ``connections_errors`` ...), empty for a
    single connection.
    """

    connections: int
    idle: int
    in_use: int
    waiting: int
    min_size: int
    max_size: int
    counters: Mapping[str, int] = field(default_factory=dict)


def stats_of_pool(pool: ConnectionPool | AsyncConnectionPool) -> PoolStats:
    counters = pool.get_stats()
    size = counters.get("pool_size", 0)
    idle = counters.get("pool_available", 0)
    return PoolStats(
        connections=size,
        idle=idle,
        in_use=max(size - idle, 0),
        waiting=counters.get("requests_waiting", 0),
        min_size=pool.min_size,
        max_size=pool.max_size,
        counters=counters,
    )


def stats_of_connection(conn: psycopg.Connection[Any] | psycopg.AsyncConnection[Any]) -> PoolStats:
    if conn.closed:
        return PoolStats(connections=0, idle=0, in_use=0, waiting=0, min_size=1, max_size=1)
    idle = int(conn.info.transaction_status == TransactionStatus.IDLE)
    return PoolStats(connections=1, idle=idle, in_use=1 - idle, waiting=0, min_size=1, max_size=1)
