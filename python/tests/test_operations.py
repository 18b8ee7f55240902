"""The coordination errors as typed exceptions, and the savers' maintenance methods:
stats, cleanup, VACUUM, and the cleanup scheduler a saver with auto_cleanup runs."""

from __future__ import annotations

import asyncio
import random
import time
from datetime import datetime, timezone
from typing import Any

import psycopg
import pytest
from langgraph.checkpoint.base import empty_checkpoint

from langgraph.checkpoint.plpgsql import (
    AsyncPostgresCheckpointer,
    CheckpointConflictError,
    CheckpointerError,
    ExtensionMissingError,
    LeaseHeldError,
    PostgresCheckpointer,
    PostgresConfig,
    ThreadDeletedError,
)
from langgraph.checkpoint.plpgsql.errors import wrap_exceptions

from _helpers import config_for as _config, put_values as _put




# ------------------------------------------------------------ typed errors


def test_lg005_an_exclusive_save_that_would_fork(pool, thread_id: str) -> None:
    saver = PostgresCheckpointer(pool, exclusive=True, metrics=False)
    root = _put(saver, _config(thread_id), a=1)
    _put(saver, root, a=2)
    with pytest.raises(CheckpointConflictError) as info:
        _put(saver, root, a=3)  # root already has a child
    assert info.value.sqlstate == "LG005" and info.value.hint


def test_lg006_a_lease_held_by_another_owner(pool, database_url: str, thread_id: str) -> None:
    saver = PostgresCheckpointer(pool, metrics=False)
    with psycopg.connect(database_url, autocommit=True) as conn:
        conn.execute(
            "SELECT langgraph.acquire_lease(p_thread_id => %s, p_owner => 'someone-else', p_ttl => '1 minute')",
            (thread_id,),
        )
    with pytest.raises(LeaseHeldError) as info:
        _put(saver, _config(thread_id), a=1)
    assert info.value.sqlstate == "LG006"


def test_lg007_pg_cron_missing(database_url: str) -> None:
    with psycopg.connect(database_url) as conn:
        conn.execute("SET LOCAL lock_timeout = '5s'")
        installed = conn.execute("SELECT count(*) FROM pg_extension WHERE extname = 'pg_cron'").fetchone()[0]
        if installed:
            conn.execute("DROP EXTENSION pg_cron")  # rolled back below
        with pytest.raises(ExtensionMissingError) as info, wrap_exceptions():
            conn.execute("SELECT langgraph.schedule_cleanup('17 3 * * *', 30, 'lg-test-never-scheduled')")
        conn.rollback()
    assert info.value.sqlstate == "LG007" and info.value.hint


def test_lg008_a_put_after_the_thread_was_deleted(pool, thread_id: str) -> None:
    saver = PostgresCheckpointer(pool, metrics=False)
    parent = _put(saver, _config(thread_id), a=1)
    saver.delete_thread(thread_id)
    with pytest.raises(ThreadDeletedError) as info:
        _put(saver, parent, a=2)
    assert info.value.sqlstate == "LG008" and isinstance(info.value, LookupError)
    assert isinstance(info.value, CheckpointerError)


# ------------------------------------------------------------ maintenance


def _age(database_url: str, thread_id: str) -> None:
    with psycopg.connect(database_url, autocommit=True) as conn:
        conn.execute("UPDATE langgraph.checkpoints SET created_at = '2000-01-01' WHERE thread_id = %s", (thread_id,))


def _count(database_url: str, thread_id: str) -> int:
    with psycopg.connect(database_url, autocommit=True) as conn:
        return conn.execute("SELECT count(*) FROM langgraph.checkpoints WHERE thread_id = %s", (thread_id,)).fetchone()[0]


def _three_old_checkpoints(saver: Any, database_url: str, thread_id: str) -> None:
    config = _config(thread_id)
    for step in range(3):
        config = _put(saver, config, step=step)
    _age(database_url, thread_id)


def test_stats_cleanup_and_optimize(database_url: str, thread_id: str) -> None:
    with PostgresCheckpointer.from_conn_string(database_url, min_connections=1, metrics=False) as saver:
        _three_old_checkpoints(saver, database_url, thread_id)
        stats = saver.stats()
        assert stats["checkpoints"] >= 3 and "tables" in stats and "total_bytes" in stats
        removed, skipped = saver.cleanup_old_checkpoints(5000, keep_last=1)
        assert removed >= 2 and skipped >= 0
        assert _count(database_url, thread_id) == 1
        assert "checkpoints" in saver.optimize_database()
    # On a caller's connection that is not in autocommit mode: switched for the call.
    with psycopg.connect(database_url) as conn:
        # 20000 days: older than anything, so this shared database loses nothing.
        assert PostgresCheckpointer(conn, metrics=False).cleanup_old_checkpoints(20000)[0] == 0
        assert conn.autocommit is False


async def test_async_stats_cleanup_and_optimize(database_url: str, thread_id: str) -> None:
    async with AsyncPostgresCheckpointer.from_conn_string(database_url, min_connections=1, metrics=False) as saver:
        config = _config(thread_id)
        for step in range(3):
            checkpoint = empty_checkpoint()
            config = await saver.aput(config, checkpoint, {"step": step}, {})
        await asyncio.to_thread(_age, database_url, thread_id)
        assert (await saver.astats())["threads"] >= 1
        removed, _ = await saver.acleanup_old_checkpoints(5000)
        assert removed >= 2
        assert await asyncio.to_thread(_count, database_url, thread_id) == 1
        assert "threads" in await saver.aoptimize_database()
        assert (await asyncio.to_thread(saver.stats))["checkpoints"] >= 1


def _cleanup_runs_since(database_url: str, since: datetime, retention_days: int) -> int:
    with psycopg.connect(database_url, autocommit=True) as conn:
        return conn.execute(
            "SELECT count(*) FROM langgraph.cleanup_runs WHERE started_at >= %s AND (parameters->>'retention_days')::int = %s",
            (since, retention_days),
        ).fetchone()[0]


def _wait_for(predicate, timeout: float = 5.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return predicate()


def test_auto_cleanup_runs_the_procedure_until_closed(database_url: str, thread_id: str) -> None:
    retention_days = random.randint(5000, 8999)
    since = datetime.now(timezone.utc)
    config = PostgresConfig(
        database_url=database_url, min_connections=1, auto_cleanup=True,
        cleanup_interval_secs=0.2, retention_days=retention_days,
    )
    with PostgresCheckpointer(config, metrics=False) as saver:
        _three_old_checkpoints(saver, database_url, thread_id)
        assert _wait_for(lambda: _count(database_url, thread_id) == 1), "old checkpoints went"
        assert _wait_for(lambda: _cleanup_runs_since(database_url, since, retention_days) >= 2)
        scheduler = saver._cleanup
        assert scheduler is not None and scheduler.runs >= 2 and scheduler.failures == 0
    assert saver._cleanup is None
    runs = _cleanup_runs_since(database_url, since, retention_days)
    time.sleep(0.5)
    assert _cleanup_runs_since(database_url, since, retention_days) == runs, "stopped on close"
    # A saver on a caller's pool does not clean up on its own.
    assert PostgresCheckpointer(saver.conn, metrics=False)._cleanup is None


async def test_async_auto_cleanup(database_url: str, thread_id: str) -> None:
    retention_days = random.randint(5000, 8999)
    since = datetime.now(timezone.utc)
    config = PostgresConfig(
        database_url=database_url, min_connections=1, auto_cleanup=True,
        cleanup_interval_secs=0.2, retention_days=retention_days,
    )
    async with AsyncPostgresCheckpointer(config, metrics=False) as saver:
        parent = _config(thread_id)
        for step in range(3):
            parent = await saver.aput(parent, empty_checkpoint(), {"step": step}, {})
        await asyncio.to_thread(_age, database_url, thread_id)
        assert await asyncio.to_thread(_wait_for, lambda: _count(database_url, thread_id) == 1)
        assert await asyncio.to_thread(
            _wait_for, lambda: _cleanup_runs_since(database_url, since, retention_days) >= 2
        )
        assert saver._cleanup is not None and saver._cleanup.failures == 0
    assert saver._cleanup is None
