"""Retrying transient database errors: which errors, how long to wait, when it is safe.

A call is repeated only when the error says the database was briefly unavailable or
gave up on the transaction for reasons of its own, never when the request was wrong:

* the connection was lost (class ``08``, or a client-side ``OperationalError`` with no
  SQLSTATE: server gone, connection closed, connection refused);
* ``57P01`` admin_shutdown (``pg_terminate_backend``, a fast shutdown), ``57P02``
  crash_shutdown, ``57P03`` cannot_connect_now (starting up or shutting down);
* ``53300`` too_many_connections;
* ``40001`` serialization_failure, ``40P01`` deadlock_detected.

Bad input (``22``), constraint violations (``23``), missing objects or syntax
(``42``) and the SQL API's own errors (``LG``) fail at once.

Repeating is safe because of what is repeated: reads, and writes that the SQL API makes
idempotent (``put_checkpoint`` upserts the same checkpoint id, ``put_writes`` replaces
per (task id, index), deletions delete what is there). When the connection was lost
without a SQLSTATE the first attempt may have committed; an operation listed in
``NOT_IDEMPOTENT`` is then not repeated. The savers never retry a call on a caller's
connection inside a transaction: the transaction is gone with the error.

Delays grow exponentially from ``initial_delay_ms`` by ``exponential_base``, capped at
``max_delay_ms``; with ``jitter`` each delay is drawn uniformly between 0 and that value
("full jitter"), so clients that failed together do not come back together.
"""

from __future__ import annotations

import asyncio
import logging
import random
import time
from collections.abc import Awaitable, Callable
from typing import TypeVar

import psycopg
from psycopg_pool import PoolClosed, PoolTimeout

from langgraph.checkpoint.plpgsql.config import RetryConfig

logger = logging.getLogger(__name__)

T = TypeVar("T")

# SQLSTATEs (besides class 08) that mean "try again", not "you asked for something wrong".
TRANSIENT_SQLSTATES = frozenset(
    {
        "57P01",  # admin_shutdown
        "57P02",  # crash_shutdown
        "57P03",  # cannot_connect_now
        "53300",  # too_many_connections
        "40001",  # serialization_failure
        "40P01",  # deadlock_detected
    }
)

# Errors after which the connection is unusable: the savers refresh the pool's idle
# connections before trying again.
_CONNECTION_SQLSTATES = frozenset({"57P01", "57P02", "57P03"})

# SQL functions that must not run twice: a second fork_thread onto the same target fails
# (the target already has checkpoints), so a fork whose outcome is unknown is not repeated.
NOT_IDEMPOTENT = frozenset({"fork_thread"})


def is_transient(exc: BaseException) -> bool:
    """Whether ``exc`` is an error that the same call may not meet again."""
    if not isinstance(exc, psycopg.Error):
        return False
    # The pool already waited its own timeout for a connection, or was closed on purpose.
    if isinstance(exc, (PoolTimeout, PoolClosed)):
        return False
    sqlstate = exc.sqlstate
    if sqlstate:
        return sqlstate in TRANSIENT_SQLSTATES or sqlstate.startswith("08")
    # No SQLSTATE: a client-side failure. Only the operational ones (connection lost,
    # refused, closed) are transient; programming errors are not.
    return isinstance(exc, psycopg.OperationalError)


def breaks_connection(exc: BaseException) -> bool:
    """Whether the connection that raised ``exc`` is gone."""
    if not isinstance(exc, psycopg.OperationalError) or isinstance(exc, (PoolTimeout, PoolClosed)):
        return False
    sqlstate = exc.sqlstate
    return sqlstate is None or sqlstate.startswith("08") or sqlstate in _CONNECTION_SQLSTATES


def outcome_unknown(exc: BaseException) -> bool:
    """Whether the failed call may have committed: the connection was lost with no
    word from the server. A SQLSTATE means the server ended the statement itself."""
    return isinstance(exc, psycopg.OperationalError) and exc.sqlstate is None


def should_retry(exc: BaseException, *, idempotent: bool, fresh_connection: bool) -> bool:
    """Whether to repeat a call that failed with ``exc``.

    ``fresh_connection``: the next attempt gets another connection (from a pool); on a
    single connection a lost connection cannot be retried.
    """
    if not is_transient(exc):
        return False
    if not fresh_connection and breaks_connection(exc):
        return False
    return idempotent or not outcome_unknown(exc)


def backoff_delay(config: RetryConfig, retry: int) -> float:
    """Seconds to wait before retry number ``retry`` (0 for the first)."""
    ceiling = min(config.max_delay_ms, config.initial_delay_ms * config.exponential_base**retry)
    if config.jitter:
        ceiling = random.uniform(0, ceiling)
    return ceiling / 1000


def describe(exc: BaseException) -> str:
    """A one-line description for logs: type, SQLSTATE, the server's primary message."""
    if isinstance(exc, psycopg.Error):
        lines = str(exc).strip().splitlines()
        message = exc.diag.message_primary or (lines[0] if lines else "")
        state = f" [{exc.sqlstate}]" if exc.sqlstate else ""
        return f"{type(exc).__name__}{state}: {message}"
    return type(exc).__name__


BeforeRetry = Callable[[BaseException, int, float], None]
AsyncBeforeRetry = Callable[[BaseException, int, float], Awaitable[None]]


def call_with_retry(
    attempt: Callable[[], T],
    config: RetryConfig | None,
    *,
    idempotent: bool = True,
    fresh_connection: bool = True,
    before_retry: BeforeRetry | None = None,
) -> T:
    """``attempt()``, repeated after transient errors as ``config`` allows.

    ``before_retry(exc, retry_number, delay)`` runs before each wait (metrics, logs,
    refreshing a pool). The last error is raised when the retries run out.
    """
    retries = 0
    while True:
        try:
            return attempt()
        except psycopg.Error as exc:
            if (
                config is None
                or retries >= config.max_retries
                or not should_retry(exc, idempotent=idempotent, fresh_connection=fresh_connection)
            ):
                raise
            delay = backoff_delay(config, retries)
            retries += 1
            if before_retry is not None:
                before_retry(exc, retries, delay)
        time.sleep(delay)


async def acall_with_retry(
    attempt: Callable[[], Awaitable[T]],
    config: RetryConfig | None,
    *,
    idempotent: bool = True,
    fresh_connection: bool = True,
    before_retry: AsyncBeforeRetry | None = None,
) -> T:
    """``call_with_retry`` for coroutines."""
    retries = 0
    while True:
        try:
            return await attempt()
        except psycopg.Error as exc:
            if (
                config is None
                or retries >= config.max_retries
                or not should_retry(exc, idempotent=idempotent, fresh_connection=fresh_connection)
            ):
                raise
            delay = backoff_delay(config, retries)
            retries += 1
            if before_retry is not None:
                await before_retry(exc, retries, delay)
        await asyncio.sleep(delay)


def log_retry(operation: str, exc: BaseException, retry: int, config: RetryConfig, delay: float) -> None:
    logger.warning(
        "%s failed with %s; retry %d of %d in %.3f s",
        operation,
        describe(exc),
        retry,
        config.max_retries,
        delay,
    )


__all__ = [
    "NOT_IDEMPOTENT",
    "TRANSIENT_SQLSTATES",
    "acall_with_retry",
    "backoff_delay",
    "breaks_connection",
    "call_with_retry",
    "is_transient",
    "outcome_unknown",
    "should_retry",
]
