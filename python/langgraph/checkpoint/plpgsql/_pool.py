"""The pools a saver makes from a ``PostgresConfig``, how a saver takes a connection
from a pool, and what the pools report.

Every checkout looks at the connection's socket without a round trip (``is_stale``):
an idle connection has nothing to read, so one that does was ended by the server
(``pg_terminate_backend``, ``idle_session_timeout``, a shutdown or a failover: the
server sends its FATAL message and closes). ``checkout`` discards such a connection,
closes every other idle one whose socket says the same (``discard_stale``) and takes the
next, so a connection the server already ended never reaches a call, and the retry
budget of ``retry.py`` is not spent on it. That costs a ``poll()`` of a few
microseconds; a ping (``psycopg_pool``'s ``check_connection``) costs a round trip and
would double the round trips of every call, so pings are left to connections that sat
idle: ``IdleCheck`` pings only one that has not been used for ``ping_after_idle_secs``,
which finds the connections a firewall or a proxy dropped without a word (their socket
has nothing to read either). A connection that breaks in use anyway is a transient
error for ``retry.py``. docs/architecture.md says why this design.
"""

from __future__ import annotations

import select
import weakref
from collections import deque
from collections.abc import AsyncIterator, Iterator, Mapping
from contextlib import asynccontextmanager, contextmanager, nullcontext
from dataclasses import dataclass, field
from time import monotonic
from typing import Any, TypeVar, cast

import psycopg
from psycopg.pq import ConnStatus, TransactionStatus
from psycopg_pool import AsyncConnectionPool, ConnectionPool

from langgraph.checkpoint.plpgsql.config import PostgresConfig
from langgraph.checkpoint.plpgsql.retry import checkout_timeout

POOL_NAME = "langgraph-checkpoint-plpgsql"

# How long the pools a saver makes keep trying to open a connection before giving up on
# it (psycopg_pool's ``reconnect_timeout``, 300 s by default). psycopg_pool doubles the
# wait between tries without a ceiling (1, 2, 4 ... 64 s), so after a 60 s outage its
# next try could come a minute after the server is back. Giving up after 10 s keeps the
# gaps under 8 s; the next caller that waits makes it start again at once (retry.py asks
# again every ``OUTAGE_POLL_SECS``).
RECONNECT_TIMEOUT_SECS = 10.0


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


def _readable(fd: int) -> bool:
    """Whether ``fd`` has something to read (or was hung up on), without waiting."""
    if _HAS_POLL:
        poller = select.poll()
        poller.register(fd, select.POLLIN)
        return bool(poller.poll(0))
    return bool(select.select([fd], [], [], 0)[0])  # Windows: no poll(); select copes with its sockets


_HAS_POLL = hasattr(select, "poll")


def looks_stale(conn: Any) -> bool:
    """Whether an idle connection shows it is gone, without reading or writing: closed,
    broken, or with input waiting that nobody asked for. Safe on a connection another
    thread may take at the same moment (it does not touch the connection's state)."""
    if conn.closed or conn.broken:
        return True
    pgconn = conn.pgconn
    if pgconn.status != ConnStatus.OK:
        return True
    try:
        return _readable(pgconn.socket)
    except (OSError, ValueError, psycopg.OperationalError):
        return True


def _settled(conn: Any) -> bool | None:
    """``is_stale``'s answer when no ping is needed (True: gone, False: fine), else None:
    unsolicited input was read and the connection still says OK."""
    if not looks_stale(conn):
        return False
    if conn.closed or conn.broken or conn.pgconn.status != ConnStatus.OK:
        return True
    try:
        conn.pgconn.consume_input()
    except psycopg.OperationalError:
        return True
    return True if conn.pgconn.status != ConnStatus.OK else None


def is_stale(conn: Any) -> bool:
    """``looks_stale``, made sure of on a connection the caller holds: unsolicited input
    may be harmless (a TLS session ticket, a notice), so it is read, and the connection
    pinged, before the connection is given up. One round trip only in that case."""
    settled = _settled(conn)
    if settled is not None:
        return settled
    try:
        ConnectionPool.check_connection(conn)
    except Exception:  # noqa: BLE001 - any failure here means the connection is unusable
        return True
    return False


async def ais_stale(conn: Any) -> bool:
    """``is_stale`` for an ``AsyncConnection``."""
    settled = _settled(conn)
    if settled is not None:
        return settled
    try:
        await AsyncConnectionPool.check_connection(conn)
    except Exception:  # noqa: BLE001 - any failure here means the connection is unusable
        return True
    return False


def discard_stale(pool: ConnectionPool | AsyncConnectionPool) -> int:
    """Close every idle connection of ``pool`` that ``looks_stale``; returns how many.

    No round trip and no checkout: a restart or a failover ends every connection at
    once, and the pool then replaces each closed one when it is next handed out
    (``checkout``) instead of giving it to a call. Reads psycopg_pool's idle deque, as
    ``most_recent_first`` does (``tests/test_production.py`` guards both).
    """
    idle = getattr(pool, "_pool", None)
    if idle is None:
        return 0
    # Under the pool's lock (the one getconn takes), so that no connection leaves the
    # idle set during the scan: one in use has input when its result arrives. An
    # asyncio pool needs none: nothing else runs until this returns.
    lock = pool._lock if isinstance(pool, ConnectionPool) else nullcontext()
    closed = 0
    with lock:
        for conn in idle:
            if not conn.closed and looks_stale(conn):
                # Closing the socket is enough (and works for an AsyncConnection too):
                # the pool drops the connection when it is next handed out.
                conn.pgconn.finish()
                closed += 1
    return closed


def _give_back_stale(pool: ConnectionPool, conn: psycopg.Connection[Any]) -> None:
    # A closed connection comes back in an unknown state: the pool drops it and opens
    # another in its place.
    conn.close()
    pool.putconn(conn)
    discard_stale(pool)


def checkout(pool: ConnectionPool) -> psycopg.Connection[Any]:
    """A connection from ``pool`` that the server has not ended. Waits for one up to
    ``retry.checkout_timeout`` (the pool's timeout, or less near the outage deadline)."""
    deadline = monotonic() + checkout_timeout(pool.timeout)
    while True:
        conn = pool.getconn(timeout=max(deadline - monotonic(), _MIN_WAIT))
        if not is_stale(conn):
            return conn
        _give_back_stale(pool, conn)


async def acheckout(pool: AsyncConnectionPool) -> psycopg.AsyncConnection[Any]:
    """``checkout`` for an ``AsyncConnectionPool``."""
    deadline = monotonic() + checkout_timeout(pool.timeout)
    while True:
        conn = await pool.getconn(timeout=max(deadline - monotonic(), _MIN_WAIT))
        if not await ais_stale(conn):
            return conn
        await conn.close()
        await pool.putconn(conn)
        discard_stale(pool)


# psycopg_pool refuses a timeout of 0 even when a connection is ready.
_MIN_WAIT = 0.001


@contextmanager
def connection(pool: ConnectionPool) -> Iterator[psycopg.Connection[Any]]:
    """``pool.connection()`` with ``checkout``: the connection goes back on exit."""
    conn = checkout(pool)
    try:
        with conn:
            yield conn
    finally:
        pool.putconn(conn)


@asynccontextmanager
async def aconnection(pool: AsyncConnectionPool) -> AsyncIterator[psycopg.AsyncConnection[Any]]:
    """``connection`` for an ``AsyncConnectionPool``."""
    conn = await acheckout(pool)
    try:
        async with conn:
            yield conn
    finally:
        await pool.putconn(conn)


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
        # A connection whose socket already says it is gone is left to ``checkout``,
        # which drops it at once; failing it here would make psycopg_pool back off
        # (a second failed check in a row waits a second) before the next one.
        if self._due(conn) and not looks_stale(conn):
            self.pings += 1
            ConnectionPool.check_connection(conn)


class AsyncIdleCheck(IdleCheck):
    """``IdleCheck`` for an ``AsyncConnectionPool``."""

    async def configure(self, conn: psycopg.AsyncConnection[Any]) -> None:  # type: ignore[override]
        self._last_used[conn] = monotonic()

    async def check(self, conn: psycopg.AsyncConnection[Any]) -> None:  # type: ignore[override]
        if self._due(conn) and not looks_stale(conn):
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
        **{"reconnect_timeout": RECONNECT_TIMEOUT_SECS, **options},
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
        **{"reconnect_timeout": RECONNECT_TIMEOUT_SECS, **options},
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
