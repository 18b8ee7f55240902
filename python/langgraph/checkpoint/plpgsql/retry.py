"""Retrying transient database errors: which errors, how long to wait, when it is safe.

A call is repeated only when the error says the database was briefly unavailable or
gave up on the transaction for reasons of its own, never when the request was wrong:

* the connection was lost (class ``08``, or a client-side ``OperationalError`` with no
  SQLSTATE: server gone, connection closed, connection refused);
* ``57P01`` admin_shutdown (``pg_terminate_backend``, a fast shutdown), ``57P02``
  crash_shutdown, ``57P03`` cannot_connect_now (starting up or shutting down),
  ``57P05`` idle_session_timeout;
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
("full jitter"), so clients that failed together do not come back together. The wait
comes first and the next connection is taken after it: a connection taken before the
sleep could be ended during it.

``max_retries`` counts the attempts in a row that failed because of the call or with no
word from the server. It is not spent on connections the server ended (and one that
the server ended starts the count afresh): one it had ended
before it was handed out is dropped by ``_pool.checkout`` without an attempt, and one it
ends during the attempt (``ended_by_server``: a kill storm, a restart, a failover) is
retried at once on another connection, for as long as the outage deadline allows (the
next attempt waits for the pool to open a connection if there is none, and the pool
paces those itself). Waiting for a connection is not an attempt either: when the pool
has none to give (psycopg_pool's ``PoolTimeout``: the server is down, restarting, or a
failover is under way), the call keeps waiting until ``outage_deadline_secs`` after it
started, and then raises ``DatabaseUnavailableError``. ``checkout_timeout`` tells
``_pool.checkout`` how long one wait may be: at most ``OUTAGE_POLL_SECS``, never past
the deadline.
"""

from __future__ import annotations

import asyncio
import contextvars
import logging
import random
import time
from collections.abc import Awaitable, Callable
from typing import TypeVar

import psycopg
from psycopg_pool import PoolClosed, PoolTimeout

from langgraph.checkpoint.plpgsql.config import RetryConfig
from langgraph.checkpoint.plpgsql.errors import DatabaseUnavailableError

logger = logging.getLogger(__name__)

T = TypeVar("T")

# SQLSTATEs (besides class 08) that mean "try again", not "you asked for something wrong".
TRANSIENT_SQLSTATES = frozenset(
    {
        "57P01",  # admin_shutdown
        "57P02",  # crash_shutdown
        "57P03",  # cannot_connect_now
        "57P05",  # idle_session_timeout
        "53300",  # too_many_connections
        "40001",  # serialization_failure
        "40P01",  # deadlock_detected
    }
)

# The server ended the session for reasons of its own, never because of the statement:
# someone called pg_terminate_backend, the server is shutting down (a restart, a
# failover), another backend crashed, the session sat idle too long. The connection is
# unusable, the statement did not commit, and the next connection is as likely to work
# as any: ``call_with_retry`` repeats these without spending ``max_retries``.
ENDED_BY_SERVER_SQLSTATES = frozenset({"57P01", "57P02", "57P03", "57P05"})

# SQL functions that must not run twice: a second fork_thread onto the same target fails
# (the target already has checkpoints), so a fork whose outcome is unknown is not repeated.
NOT_IDEMPOTENT = frozenset({"fork_thread"})


def is_transient(exc: BaseException) -> bool:
    """Whether ``exc`` is an error that the same call may not meet again."""
    if not isinstance(exc, psycopg.Error):
        return False
    # Waiting for a connection is bounded by the outage deadline, not by retries
    # (``call_with_retry``); a closed pool was closed on purpose.
    if isinstance(exc, (PoolTimeout, PoolClosed, DatabaseUnavailableError)):
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
    return sqlstate is None or sqlstate.startswith("08") or sqlstate in ENDED_BY_SERVER_SQLSTATES


def ended_by_server(exc: BaseException) -> bool:
    """Whether the server ended the connection for reasons of its own (see
    ``ENDED_BY_SERVER_SQLSTATES``), as opposed to a connection lost with no word (a
    network cut, or the backend crashing on the statement: those spend a retry)."""
    return isinstance(exc, psycopg.OperationalError) and exc.sqlstate in ENDED_BY_SERVER_SQLSTATES


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

# When the current call gives up waiting for a connection (``time.monotonic()``), or
# None outside a call with an outage deadline.
_GIVE_UP_AT: contextvars.ContextVar[float | None] = contextvars.ContextVar("give_up_at", default=None)


# Within a call that has an outage deadline, one wait for a connection lasts at most
# this long; then the call asks again. psycopg_pool opens a connection for a waiting
# caller only when the caller starts waiting, so asking again is what makes the pool
# try again at once after its own attempts gave up (``_pool.RECONNECT_TIMEOUT_SECS``).
OUTAGE_POLL_SECS = 5.0


def checkout_timeout(pool_timeout: float) -> float:
    """How long the current attempt may wait for a connection: the pool's own timeout
    outside a call with an outage deadline; inside one, ``OUTAGE_POLL_SECS`` at most,
    and never past the deadline."""
    give_up_at = _GIVE_UP_AT.get()
    if give_up_at is None:
        return pool_timeout
    return max(min(pool_timeout, OUTAGE_POLL_SECS, give_up_at - time.monotonic()), 0.0)


def _unavailable(exc: PoolTimeout, waited: float, config: RetryConfig | None) -> DatabaseUnavailableError:
    setting = "RetryConfig.outage_deadline_secs" if config else "the pool's timeout: retries are off"
    return DatabaseUnavailableError(
        f"no usable connection to the database after {waited:.1f} s ({setting})",
        detail=str(exc),
        hint="The server is down, unreachable or refusing connections, or no host of the DSN accepts "
        "writes yet. Check the server; raise RetryConfig.outage_deadline_secs to wait longer.",
    )


def _wait_for_connection(exc: PoolTimeout, started: float, config: RetryConfig | None) -> None:
    """Return if the call may go on waiting for a connection, else raise."""
    now = time.monotonic()
    if config is not None and now - started < config.outage_deadline_secs:
        logger.warning(
            "no database connection yet (%s); waiting up to %.0f s more",
            describe(exc),
            config.outage_deadline_secs - (now - started),
        )
        return
    raise _unavailable(exc, now - started, config) from exc


def _next_attempt(
    exc: psycopg.Error,
    config: RetryConfig | None,
    retries: int,
    idempotent: bool,
    fresh: bool,
    started: float,
) -> tuple[float, int] | None:
    """After ``exc``: the wait before the next attempt and the retries spent by then, or
    None to give up. A connection the server ended is tried again at once on another
    one, until the outage deadline: the next attempt waits for the pool to open a
    connection if there is none, and the pool paces those itself. It also starts the
    count of retries afresh: under a kill storm some connections die with no word (the
    FATAL message lost with the socket), and those are the storm's doing too; a call
    that keeps failing on its own (a backend crashing on its statement) meets no such
    error in between and gives up after ``max_retries``."""
    if config is None:
        return None
    if fresh and ended_by_server(exc) and time.monotonic() - started < config.outage_deadline_secs:
        return 0.0, 0
    if retries >= config.max_retries or not should_retry(exc, idempotent=idempotent, fresh_connection=fresh):
        return None
    return backoff_delay(config, retries), retries + 1


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
    dropping dead connections). The last error is raised when the retries run out; a
    ``PoolTimeout`` becomes ``DatabaseUnavailableError`` once the outage deadline passed.
    """
    retries = 0
    started = time.monotonic()
    token = _GIVE_UP_AT.set(started + config.outage_deadline_secs if config is not None else None)
    try:
        while True:
            try:
                return attempt()
            except PoolTimeout as exc:
                _wait_for_connection(exc, started, config)
                continue
            except psycopg.Error as exc:
                decision = _next_attempt(exc, config, retries, idempotent, fresh_connection, started)
                if decision is None:
                    raise
                delay, retries = decision
                if before_retry is not None:
                    before_retry(exc, retries, delay)
            time.sleep(delay)
    finally:
        _GIVE_UP_AT.reset(token)


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
    started = time.monotonic()
    token = _GIVE_UP_AT.set(started + config.outage_deadline_secs if config is not None else None)
    try:
        while True:
            try:
                return await attempt()
            except PoolTimeout as exc:
                _wait_for_connection(exc, started, config)
                continue
            except psycopg.Error as exc:
                decision = _next_attempt(exc, config, retries, idempotent, fresh_connection, started)
                if decision is None:
                    raise
                delay, retries = decision
                if before_retry is not None:
                    await before_retry(exc, retries, delay)
            await asyncio.sleep(delay)
    finally:
        _GIVE_UP_AT.reset(token)


def log_retry(operation: str, exc: BaseException, retry: int, config: RetryConfig, delay: float) -> None:
    if ended_by_server(exc):
        message = "%s failed with %s; again on another connection in %.3f s"
        logger.warning(message, operation, describe(exc), delay)
        return
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
    "checkout_timeout",
    "ended_by_server",
    "is_transient",
    "outcome_unknown",
    "should_retry",
]
