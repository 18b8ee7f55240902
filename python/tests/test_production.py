"""Production client: configuration, retries, pool checks, health, metrics, secrets.

Everything runs against the real server. Transient errors are real ones: backends
terminated with pg_terminate_backend (only this test's own, found by the
application_name it sets), or SQLSTATEs raised by the server itself.
"""

from __future__ import annotations

import asyncio
import logging
import re
import socket
import time
from typing import Any
from uuid import uuid4

import psycopg
import pytest
from langgraph.checkpoint.base import empty_checkpoint
from prometheus_client import CollectorRegistry, generate_latest
from psycopg.conninfo import conninfo_to_dict, make_conninfo
from psycopg_pool import ConnectionPool, PoolTimeout

from langgraph.checkpoint.plpgsql import (
    AsyncPostgresCheckpointer,
    DatabaseUnavailableError,
    InvalidConfigError,
    PoolStats,
    PostgresCheckpointer,
    PostgresConfig,
    RetryConfig,
)
from langgraph.checkpoint.plpgsql.retry import (
    backoff_delay,
    breaks_connection,
    call_with_retry,
    ended_by_server,
    is_transient,
    should_retry,
)

from _helpers import config_for as _config, put_values as _put, retries_total

FAST_RETRY = RetryConfig(max_retries=6, initial_delay_ms=5, max_delay_ms=100)
SECRET = "s3cret-Pa55word"




def _with_params(url: str, **params: Any) -> str:
    return make_conninfo(url, **params)


def _sample(registry: CollectorRegistry, name: str, **labels: str) -> float:
    value = registry.get_sample_value(name, labels)
    return 0.0 if value is None else value


# ------------------------------------------------------------------ configuration


def test_from_env_reads_the_reference_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgresql://app@db:5432/app")
    monkeypatch.setenv("CHECKPOINT_MAX_CONNECTIONS", "25")
    monkeypatch.setenv("CHECKPOINT_MIN_CONNECTIONS", "5")
    monkeypatch.setenv("CHECKPOINT_RETENTION_DAYS", "14")
    monkeypatch.setenv("CHECKPOINT_AUTO_CLEANUP", "true")
    monkeypatch.setenv("CHECKPOINT_CLEANUP_INTERVAL_SECS", "90.5")
    monkeypatch.setenv("CHECKPOINT_SCHEMA", "lg")
    config = PostgresConfig.from_env()
    assert (config.database_url, config.max_connections, config.min_connections) == ("postgresql://app@db:5432/app", 25, 5)
    assert (config.retention_days, config.auto_cleanup, config.cleanup_interval_secs, config.schema) == (14, True, 90.5, "lg")
    # Unset and empty variables keep the defaults; keyword overrides win.
    monkeypatch.setenv("CHECKPOINT_MAX_CONNECTIONS", "")
    monkeypatch.delenv("CHECKPOINT_MIN_CONNECTIONS")
    config = PostgresConfig.from_env(retention_days=3)
    assert (config.max_connections, config.min_connections, config.retention_days) == (10, 2, 3)
    assert PostgresConfig.from_env({"DATABASE_URL": "postgresql://x"}).auto_cleanup is False


@pytest.mark.parametrize(
    "text, expected",
    [("true", True), ("false", False), ("1", True), ("0", False), ("yes", True), ("no", False), ("ON", True), ("Off", False)],
)
def test_from_env_booleans(text: str, expected: bool) -> None:
    config = PostgresConfig.from_env({"DATABASE_URL": "postgresql://x", "CHECKPOINT_AUTO_CLEANUP": text})
    assert config.auto_cleanup is expected


@pytest.mark.parametrize(
    "variable, value, field",
    [
        ("CHECKPOINT_MAX_CONNECTIONS", "ten", "max_connections"),
        ("CHECKPOINT_MAX_CONNECTIONS", "0", "max_connections"),
        ("CHECKPOINT_MIN_CONNECTIONS", "-1", "min_connections"),
        ("CHECKPOINT_MIN_CONNECTIONS", "50", "min_connections"),
        ("CHECKPOINT_RETENTION_DAYS", "1.5", "retention_days"),
        ("CHECKPOINT_RETENTION_DAYS", "0", "retention_days"),
        ("CHECKPOINT_AUTO_CLEANUP", "maybe", "auto_cleanup"),
        ("CHECKPOINT_CLEANUP_INTERVAL_SECS", "soon", "cleanup_interval_secs"),
    ],
)
def test_from_env_invalid_values_name_the_field(variable: str, value: str, field: str) -> None:
    with pytest.raises(InvalidConfigError, match=rf"PostgresConfig\.{field}\b") as info:
        PostgresConfig.from_env({"DATABASE_URL": "postgresql://x", variable: value})
    assert value in str(info.value)


def test_from_env_needs_database_url() -> None:
    with pytest.raises(InvalidConfigError, match="DATABASE_URL"):
        PostgresConfig.from_env({})
    with pytest.raises(InvalidConfigError, match="ping_after_idle_secs"):
        PostgresConfig(database_url="postgresql://x", ping_after_idle_secs=-1)
    with pytest.raises(InvalidConfigError, match="retention_days"):
        PostgresConfig(database_url="postgresql://x", retention_days=0)
    with pytest.raises(InvalidConfigError, match="exponential_base"):
        RetryConfig(exponential_base=0.5)


# -------------------------------------------------------------------- secrets


def test_a_password_never_shows(database_url: str, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.DEBUG, logger="psycopg")
    url = _with_params(database_url, password=SECRET)  # trust auth: the password is ignored
    config = PostgresConfig(database_url=url, min_connections=1, max_connections=2)
    assert SECRET not in repr(config) and SECRET not in str(config)
    assert "********" in repr(config)
    with PostgresCheckpointer(config, retry=FAST_RETRY, metrics=False) as saver:
        assert saver.health_check()
        assert SECRET not in repr(saver)
        assert saver.get_tuple(_config(f"test-{uuid4()}")) is None
    # A server that is not there: the error names the address, not the password.
    closed = PostgresConfig(database_url=f"postgresql://app:{SECRET}@127.0.0.1:9/nowhere")
    with pytest.raises(psycopg.OperationalError) as info:
        PostgresCheckpointer(closed, retry=RetryConfig(max_retries=1, initial_delay_ms=1, max_delay_ms=1))
    assert "Connection refused" in str(info.value) or "failed" in str(info.value)
    assert SECRET not in str(info.value) and SECRET not in repr(info.value)
    with pytest.raises(InvalidConfigError) as bad:
        PostgresConfig(database_url=f"postgresql://app:{SECRET}@h/db", max_connections=0)
    assert SECRET not in str(bad.value)
    messages = [r.getMessage() for r in caplog.records]
    assert not [m for m in messages if SECRET in m]
    assert any("connect failed" in m for m in messages), "the refused connection was retried and logged"
    assert any("psycopg.pool" == r.name for r in caplog.records), "the pool's debug records were seen"


def test_sslmode_passes_through(database_url: str, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.DEBUG, logger="psycopg")
    with PostgresCheckpointer.from_conn_string(
        _with_params(database_url, sslmode="disable"), min_connections=1, metrics=False
    ) as saver:
        assert saver.health_check()
        with saver.conn.connection() as conn:
            assert conn.info.get_parameters()  # connected
            assert conninfo_to_dict(conn.info.dsn).get("sslmode") == "disable"
    # This server has no SSL: sslmode=require fails at once, with libpq's reason.
    required = _with_params(database_url, sslmode="require", password=SECRET)
    with pytest.raises(psycopg.OperationalError, match="SSL") as info:
        PostgresCheckpointer(
            PostgresConfig(database_url=required), retry=RetryConfig(max_retries=0), metrics=False
        )
    assert SECRET not in str(info.value)
    assert not [r for r in caplog.records if SECRET in r.getMessage()]


# ---------------------------------------------------------------------- retry


def _raise_sqlstate(conn: psycopg.Connection, sqlstate: str) -> None:
    conn.execute(f"DO $$ BEGIN RAISE EXCEPTION 'raised by the test' USING ERRCODE = '{sqlstate}'; END $$")


@pytest.mark.parametrize("sqlstate", ["40001", "40P01", "53300", "57P03", "08006"])
def test_transient_server_errors_are_retried(database_url: str, sqlstate: str) -> None:
    attempts = []
    with psycopg.connect(database_url, autocommit=True) as conn:

        def attempt() -> int:
            attempts.append(1)
            if len(attempts) < 3:
                _raise_sqlstate(conn, sqlstate)
            return conn.execute("SELECT 42").fetchone()[0]

        assert call_with_retry(attempt, RetryConfig(max_retries=3, initial_delay_ms=1, max_delay_ms=5)) == 42
    assert len(attempts) == 3


@pytest.mark.parametrize("sqlstate", ["22012", "23505", "42601", "42P01", "LG001", "LG008", "57014"])
def test_other_errors_are_not_retried(database_url: str, sqlstate: str) -> None:
    attempts = []
    with psycopg.connect(database_url, autocommit=True) as conn:

        def attempt() -> None:
            attempts.append(1)
            _raise_sqlstate(conn, sqlstate)

        with pytest.raises(psycopg.Error) as info:
            call_with_retry(attempt, RetryConfig(max_retries=5, initial_delay_ms=1, max_delay_ms=5))
    assert info.value.sqlstate == sqlstate and len(attempts) == 1
    assert not is_transient(info.value)


def test_retries_run_out(database_url: str) -> None:
    attempts = []
    with psycopg.connect(database_url, autocommit=True) as conn:

        def attempt() -> None:
            attempts.append(1)
            _raise_sqlstate(conn, "40001")

        with pytest.raises(psycopg.errors.SerializationFailure):
            call_with_retry(attempt, RetryConfig(max_retries=2, initial_delay_ms=1, max_delay_ms=1))
    assert len(attempts) == 3


def _lose_silently(database_url: str) -> None:
    """A real connection lost with no word from the server (no SQLSTATE)."""
    conn = psycopg.connect(database_url, autocommit=True)
    conn.pgconn.finish()
    conn.execute("SELECT 1")


def test_only_failures_in_a_row_spend_the_retries(database_url: str) -> None:
    """Silent losses spend ``max_retries``; a connection the server ended (57P01) starts
    the count afresh, so a storm's silent losses between its kills never add up."""
    fast = RetryConfig(max_retries=2, initial_delay_ms=1, max_delay_ms=1)
    with psycopg.connect(database_url, autocommit=True) as conn:
        script = ["silent", "silent", "57P01", "silent", "silent", "57P01", "silent", "silent", "ok"]
        attempts = []

        def attempt() -> str:
            step = script[len(attempts)]
            attempts.append(step)
            if step == "silent":
                _lose_silently(database_url)
            elif step == "57P01":
                _raise_sqlstate(conn, "57P01")
            return step

        assert call_with_retry(attempt, fast) == "ok" and len(attempts) == len(script)
        attempts.clear()
        script = ["silent"] * 5
        with pytest.raises(psycopg.OperationalError) as info:
            call_with_retry(attempt, fast)
        assert info.value.sqlstate is None and len(attempts) == 3


def test_backoff_is_exponential_capped_and_jittered() -> None:
    plain = RetryConfig(initial_delay_ms=100, max_delay_ms=1000, exponential_base=2, jitter=False)
    assert [backoff_delay(plain, n) for n in range(6)] == [0.1, 0.2, 0.4, 0.8, 1.0, 1.0]
    jittered = RetryConfig(initial_delay_ms=100, max_delay_ms=1000, exponential_base=2, jitter=True)
    delays = [backoff_delay(jittered, 3) for _ in range(200)]
    assert all(0 <= d <= 0.8 for d in delays) and len(set(delays)) > 100
    assert max(backoff_delay(jittered, 30) for _ in range(200)) <= 1.0


def test_a_lost_connection_is_retried_only_when_safe(database_url: str) -> None:
    with psycopg.connect(database_url, autocommit=True) as victim, psycopg.connect(database_url, autocommit=True) as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", (victim.info.backend_pid,))
        with pytest.raises(psycopg.OperationalError) as info:
            victim.execute("SELECT 1")
    lost = info.value
    assert is_transient(lost) and breaks_connection(lost)
    assert should_retry(lost, idempotent=True, fresh_connection=True)
    # On the same connection there is nothing to retry on.
    assert not should_retry(lost, idempotent=True, fresh_connection=False)
    # A lost connection without a SQLSTATE may have committed: not for fork_thread.
    if lost.sqlstate is None:
        assert not should_retry(lost, idempotent=False, fresh_connection=True)


def _terminate(database_url: str, application_name: str) -> int:
    with psycopg.connect(database_url, autocommit=True) as admin:
        rows = admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = %s AND pid <> pg_backend_pid()",
            (application_name,),
        ).fetchall()
    return len(rows)


def test_terminated_backends_are_survived(database_url: str) -> None:
    app = f"lg-retry-test-{uuid4()}"
    registry = CollectorRegistry()
    thread_id = f"test-{uuid4()}"
    with PostgresCheckpointer.from_conn_string(
        _with_params(database_url, application_name=app),
        min_connections=3,
        max_connections=3,
        retry=FAST_RETRY,
        metrics=registry,
    ) as saver:
        config = _put(saver, _config(thread_id), n=0)
        acknowledged_writes = 0
        terminated = 0
        for round_ in range(1, 7):
            terminated += _terminate(database_url, app)
            config = _put(saver, config, n=round_)
            terminated += _terminate(database_url, app)
            saver.put_writes(config, [("w", round_), ("x", round_)], task_id=f"task-{round_}")
            acknowledged_writes += 2
            terminated += _terminate(database_url, app)
            assert saver.get_tuple(config).checkpoint["channel_values"] == {"n": round_}
            assert len(list(saver.list(_config(thread_id)))) == round_ + 1
        assert terminated >= 6
        checkpoints = list(saver.list(_config(thread_id)))
        assert len(checkpoints) == 7 and len({c.config["configurable"]["checkpoint_id"] for c in checkpoints}) == 7
        assert sum(len(c.pending_writes) for c in checkpoints) == acknowledged_writes
        opened = saver._pool.get_stats().get("connections_num", 0)
    # As in the async test below: each ended backend is noticed either by the checkout's
    # socket check, which spends no retry, or by a retry of the call that met it first,
    # depending on how soon the exit reaches the client socket. Either way the pool must
    # have replaced connections beyond its first three, and no save may have failed.
    assert opened > 3, opened
    assert _sample(registry, "postgres_checkpoint_errors_total", operation="put_checkpoint", error="OperationalError") == 0


async def test_async_terminated_backends_are_survived(database_url: str) -> None:
    app = f"lg-retry-test-{uuid4()}"
    registry = CollectorRegistry()
    thread_id = f"test-{uuid4()}"
    async with AsyncPostgresCheckpointer.from_conn_string(
        _with_params(database_url, application_name=app),
        min_connections=2,
        max_connections=2,
        retry=FAST_RETRY,
        metrics=registry,
    ) as saver:
        checkpoint = empty_checkpoint()
        config = await saver.aput(_config(thread_id), checkpoint, {}, {})
        for round_ in range(4):
            await asyncio.to_thread(_terminate, database_url, app)
            await saver.aput_writes(config, [("w", round_)], task_id=f"task-{round_}")
            await asyncio.to_thread(_terminate, database_url, app)
            assert (await saver.aget_tuple(config)) is not None
        tup = await saver.aget_tuple(config)
        assert len(tup.pending_writes) == 4
        assert await saver.ahealth_check()
        opened = saver._pool.get_stats().get("connections_num", 0)
    # Every termination was noticed and its connection replaced: at checkout, whose socket
    # check drops a connection the server has ended without spending a retry, or by a
    # retry of a call that met it first. Which one depends on how soon the backend's exit
    # reaches the client socket, so the test asks only that the pool opened connections
    # beyond its first two, and that nothing failed.
    assert opened > 2, opened
    assert _sample(registry, "postgres_checkpoint_errors_total", operation="put_writes", error="OperationalError") == 0


def test_a_callers_transaction_is_not_retried(database_url: str) -> None:
    registry = CollectorRegistry()
    thread_id = f"test-{uuid4()}"
    with psycopg.connect(database_url) as conn, psycopg.connect(database_url, autocommit=True) as admin:
        saver = PostgresCheckpointer(conn, retry=FAST_RETRY, metrics=registry)
        with pytest.raises(psycopg.OperationalError):
            with conn.transaction():
                _put(saver, _config(thread_id), a=1)
                admin.execute("SELECT pg_terminate_backend(%s)", (conn.info.backend_pid,))
                _put(saver, _config(thread_id), a=2)
    assert _sample(registry, "postgres_checkpoint_retries_total", operation="put_checkpoint") == 0
    assert _sample(registry, "postgres_checkpoint_errors_total", operation="put_checkpoint", error="AdminShutdown") + _sample(
        registry, "postgres_checkpoint_errors_total", operation="put_checkpoint", error="OperationalError"
    ) == 1
    with psycopg.connect(database_url) as conn:
        assert PostgresCheckpointer(conn).get_tuple(_config(thread_id)) is None  # rolled back with the caller


# ----------------------------------------------------------- pool: idle checks


class CountingCursor(psycopg.Cursor):
    statements: list[str] = []

    def execute(self, query, params=None, **kwargs):
        CountingCursor.statements.append(str(query))
        return super().execute(query, params, **kwargs)


def test_connections_are_pinged_only_after_idling(database_url: str) -> None:
    from langgraph.checkpoint.plpgsql.saver import make_pool

    thread_id = f"test-{uuid4()}"
    config = PostgresConfig(database_url=database_url, min_connections=1, max_connections=1, ping_after_idle_secs=0.3)
    pool = make_pool(config, kwargs={"cursor_factory": CountingCursor})
    try:
        saver = PostgresCheckpointer(pool, metrics=False)
        stored = _put(saver, _config(thread_id), a=1)
        statements = CountingCursor.statements
        statements.clear()
        for _ in range(5):
            assert saver.get_tuple(stored) is not None
        # A busy connection: each get_tuple is one statement on the wire, no ping.
        assert len(statements) == 5 and all("get_checkpoint" in s for s in statements)
        assert pool.idle_check.pings == 0
        import time

        time.sleep(0.4)
        statements.clear()
        assert saver.get_tuple(stored) is not None
        assert statements == ["", statements[1]] and "get_checkpoint" in statements[1]
        assert pool.idle_check.pings == 1
    finally:
        pool.close()


def test_a_broken_idle_connection_is_replaced_before_use(database_url: str) -> None:
    app = f"lg-retry-test-{uuid4()}"
    config = PostgresConfig(
        database_url=_with_params(database_url, application_name=app),
        min_connections=1, max_connections=1, ping_after_idle_secs=0,
    )
    registry = CollectorRegistry()
    # No retries: the pool's check alone must hand out a working connection.
    with PostgresCheckpointer(config, retry=None, metrics=registry) as saver:
        assert saver.health_check()
        assert _terminate(database_url, app) == 1
        assert saver.get_tuple(_config(f"test-{uuid4()}")) is None
    assert _sample(registry, "postgres_checkpoint_errors_total", operation="get_checkpoint", error="OperationalError") == 0


# idle_session_timeout ends a session that sat idle this long (PostgreSQL 14+), as a
# proxy or a cloud load balancer does with idle connections.
IDLE_TIMEOUT = {"options": "-c idle_session_timeout=200"}


def test_connections_ended_while_idle_never_surface(database_url: str) -> None:
    registry = CollectorRegistry()
    # Default settings: the pool keeps 2 connections, pings only after 30 s idle.
    with PostgresCheckpointer.from_conn_string(_with_params(database_url, **IDLE_TIMEOUT), metrics=registry) as saver:
        stored = _put(saver, _config(f"test-{uuid4()}"), a=1)
        for _ in range(4):
            time.sleep(0.4)  # every idle connection is ended meanwhile
            assert saver.get_tuple(stored).checkpoint["channel_values"] == {"a": 1}
            stored = _put(saver, stored, a=1)
        dropped = saver.pool_stats().counters.get("returns_bad", 0)
    # Each was dropped at checkout: no call failed, none even needed a retry.
    assert dropped >= 4
    assert retries_total(registry) == 0
    assert not [s for m in registry.collect() if m.name == "postgres_checkpoint_errors" for s in m.samples if s.value]


async def test_async_connections_ended_while_idle_never_surface(database_url: str) -> None:
    registry = CollectorRegistry()
    async with AsyncPostgresCheckpointer.from_conn_string(
        _with_params(database_url, **IDLE_TIMEOUT), metrics=registry
    ) as saver:
        config = await saver.aput(_config(f"test-{uuid4()}"), empty_checkpoint(), {}, {})
        for _ in range(4):
            await asyncio.sleep(0.4)
            assert await saver.aget_tuple(config) is not None
        dropped = saver.pool_stats().counters.get("returns_bad", 0)
    assert dropped >= 4
    assert retries_total(registry) == 0


def test_a_stale_connection_does_not_spend_the_retry_budget(database_url: str) -> None:
    """With no retries at all, connections the server ended before the call are still
    never seen by it: the checkout drops them."""
    app = f"lg-retry-test-{uuid4()}"
    with PostgresCheckpointer.from_conn_string(
        _with_params(database_url, application_name=app), min_connections=4, max_connections=4,
        retry=RetryConfig(max_retries=0), metrics=False,
    ) as saver:
        saver.conn.wait()  # type: ignore[union-attr]
        for _ in range(3):
            assert _terminate(database_url, app) >= 1
            time.sleep(0.05)  # let the FATAL messages arrive
            assert saver.get_tuple(_config(f"test-{uuid4()}")) is None


@pytest.mark.parametrize("value", [0, -1, "60", True, None])
def test_the_outage_deadline_must_be_positive(value: object) -> None:
    with pytest.raises(InvalidConfigError, match="outage_deadline_secs"):
        RetryConfig(outage_deadline_secs=value)  # type: ignore[arg-type]
    assert RetryConfig().outage_deadline_secs == 120


@pytest.mark.parametrize(
    "sqlstate, free",
    [("57P01", True), ("57P02", True), ("57P03", True), ("57P05", True), ("08006", False), ("40001", False)],
)
def test_connections_ended_by_the_server_are_told_apart(database_url: str, sqlstate: str, free: bool) -> None:
    with psycopg.connect(database_url, autocommit=True) as conn, pytest.raises(psycopg.Error) as raised:
        _raise_sqlstate(conn, sqlstate)
    assert ended_by_server(raised.value) is free
    assert is_transient(raised.value)


def _unreachable_pool(timeout: float) -> ConnectionPool:
    with socket.socket() as s:  # a port nothing listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return ConnectionPool(f"postgresql://postgres@127.0.0.1:{port}/db", min_size=0, max_size=1, timeout=timeout, open=True)


@pytest.mark.parametrize("retry, waits", [(None, 0.5), (RetryConfig(outage_deadline_secs=1.5), 1.5)])
def test_no_connection_in_time_is_a_typed_error(retry: RetryConfig | None, waits: float) -> None:
    with _unreachable_pool(timeout=0.5) as pool:
        saver = PostgresCheckpointer(pool, retry=retry, metrics=False)
        started = time.monotonic()
        with pytest.raises(DatabaseUnavailableError) as raised:
            saver.get_tuple(_config(f"test-{uuid4()}"))
        waited = time.monotonic() - started
    assert waits <= waited < waits + 1.5, waited
    assert isinstance(raised.value, psycopg.OperationalError) and isinstance(raised.value.__cause__, PoolTimeout)
    assert raised.value.hint and not is_transient(raised.value)


# ------------------------------------------------------------- health, stats


def test_health_check_and_pool_stats(database_url: str) -> None:
    with PostgresCheckpointer.from_conn_string(database_url, min_connections=2, max_connections=4, metrics=False) as saver:
        assert saver.health_check() is True
        stats = saver.pool_stats()
        assert isinstance(stats, PoolStats)
        assert (stats.min_size, stats.max_size) == (2, 4)
        assert stats.connections >= 1 and stats.in_use == stats.connections - stats.idle and stats.waiting == 0
        with saver.conn.connection():
            assert saver.pool_stats().in_use >= 1
        assert PostgresCheckpointer(saver.conn, schema="not_deployed_here", metrics=False).health_check() is False
    with psycopg.connect(database_url, autocommit=True) as conn:
        single = PostgresCheckpointer(conn, metrics=False)
        assert single.health_check()
        assert single.pool_stats() == PoolStats(connections=1, idle=1, in_use=0, waiting=0, min_size=1, max_size=1)
    assert single.pool_stats().connections == 0 and single.health_check() is False


async def test_async_health_check_and_pool_stats(database_url: str) -> None:
    async with AsyncPostgresCheckpointer.from_conn_string(database_url, min_connections=1, metrics=False) as saver:
        assert await saver.ahealth_check() is True
        assert saver.pool_stats().max_size == 10
        assert await asyncio.to_thread(saver.health_check) is True
        assert await AsyncPostgresCheckpointer(saver.conn, schema="nope", metrics=False).ahealth_check() is False


# -------------------------------------------------------------------- metrics


def test_metrics_are_scraped(database_url: str) -> None:
    registry = CollectorRegistry()
    thread_id = f"test-{uuid4()}"
    with PostgresCheckpointer.from_conn_string(database_url, min_connections=1, metrics=registry) as saver:
        config = _put(saver, _config(thread_id), a=1)
        config = _put(saver, config, a=2)
        saver.put_writes(config, [("a", 3)], task_id="t")
        for _ in range(3):
            saver.get_tuple(config)
        list(saver.list(_config(thread_id)))
        with pytest.raises(Exception):
            saver.get_tuple(_config(""))
    text = generate_latest(registry).decode()
    assert 'postgres_checkpoint_saves_total{operation="put_checkpoint"} 2.0' in text
    assert 'postgres_checkpoint_saves_total{operation="put_writes"} 1.0' in text
    assert 'postgres_checkpoint_loads_total{operation="get_checkpoint"} 4.0' in text
    assert 'postgres_checkpoint_loads_total{operation="list_checkpoints"} 1.0' in text
    assert 'postgres_checkpoint_operation_duration_seconds_count{operation="get_checkpoint"} 4.0' in text
    assert re.search(r'postgres_checkpoint_operation_duration_seconds_bucket\{le="0\.005",operation="put_checkpoint"\} \d', text)
    assert 'postgres_checkpoint_errors_total{error="InvalidIdentifierError",operation="get_checkpoint"} 1.0' in text
    assert "# TYPE postgres_checkpoint_retries_total counter" in text


def test_metrics_can_be_turned_off_and_registries_are_shared(database_url: str) -> None:
    from langgraph.checkpoint.plpgsql.metrics import NoMetrics, metrics_for, resolve_metrics

    registry = CollectorRegistry()
    assert resolve_metrics(registry) is resolve_metrics(registry) is metrics_for(registry)
    assert type(resolve_metrics(False)) is NoMetrics
    with PostgresCheckpointer.from_conn_string(database_url, min_connections=1, metrics=False) as saver:
        saver.get_tuple(_config(f"test-{uuid4()}"))


def test_the_grafana_dashboard_uses_these_metrics() -> None:
    import json
    from pathlib import Path

    dashboard = json.loads((Path(__file__).resolve().parents[2] / "docs" / "grafana-dashboard.json").read_text())
    exprs = [t["expr"] for p in dashboard["panels"] for t in p["targets"]]
    used = set(re.findall(r"postgres_checkpoint_\w+", " ".join(exprs)))
    assert used == {
        "postgres_checkpoint_saves_total",
        "postgres_checkpoint_loads_total",
        "postgres_checkpoint_operation_duration_seconds_bucket",
        "postgres_checkpoint_operation_duration_seconds_count",
        "postgres_checkpoint_errors_total",
        "postgres_checkpoint_retries_total",
    }
    assert any("histogram_quantile(0.99" in e for e in exprs)
    assert len({p["id"] for p in dashboard["panels"]}) == len(dashboard["panels"])


def test_the_pool_hands_out_the_most_recently_used_connection(database_url: str) -> None:
    # _pool.most_recent_first reorders psycopg_pool's idle deque; this fails loudly if
    # psycopg_pool stops keeping idle connections that way.
    with PostgresCheckpointer.from_conn_string(database_url, min_connections=3) as saver:
        saver._pool.wait()
        assert type(saver._pool._pool).__name__ == "_MostRecentFirst"
        backends = []
        for _ in range(5):
            with saver._pool.connection() as conn:
                backends.append(conn.info.backend_pid)
        assert len(set(backends)) == 1, backends


async def test_the_async_pool_hands_out_the_most_recently_used_connection(database_url: str) -> None:
    async with AsyncPostgresCheckpointer.from_conn_string(database_url, min_connections=3) as saver:
        await saver.setup()
        await saver._pool.wait()
        assert type(saver._pool._pool).__name__ == "_MostRecentFirst"
        backends = []
        for _ in range(5):
            async with saver._pool.connection() as conn:
                backends.append(conn.info.backend_pid)
        assert len(set(backends)) == 1, backends
