"""A server restart, or an outage, in the middle of a workload: every call succeeds,
nothing doubles; an outage longer than ``RetryConfig.outage_deadline_secs`` fails with
``DatabaseUnavailableError`` once the deadline passed, not before and not much after.

The restart happens on a throwaway cluster this module makes for itself (initdb into a
temporary directory, a free port, ``sqitch deploy``), never on the shared test database.
Skipped when the PostgreSQL server binaries or sqitch are not installed. The 60 s
outage of docs/reliability.md runs with ``LANGGRAPH_FULL_RELIABILITY=1``.
"""

from __future__ import annotations

import asyncio
import os
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from uuid import uuid4

import psycopg
import pytest
from langgraph.checkpoint.base import empty_checkpoint
from prometheus_client import CollectorRegistry

from langgraph.checkpoint.plpgsql import (
    AsyncPostgresCheckpointer,
    DatabaseUnavailableError,
    PostgresCheckpointer,
    RetryConfig,
)

from _cluster import Cluster, ClusterUnavailable, throwaway_cluster
from _helpers import retries_total

DATABASE = "lg_restart"
# Long enough to ride out a restart (about a second), short enough to notice a hang.
RESTART_RETRY = RetryConfig(max_retries=30, initial_delay_ms=20, max_delay_ms=500)
FULL = os.environ.get("LANGGRAPH_FULL_RELIABILITY") == "1"


@pytest.fixture(scope="module")
def cluster() -> Iterator[Cluster]:
    try:
        with throwaway_cluster(DATABASE) as made:
            yield made
    except ClusterUnavailable as exc:
        pytest.skip(str(exc))


@dataclass
class Workload:
    """What one worker did: calls made, calls that raised, what was acknowledged."""

    thread_id: str = field(default_factory=lambda: f"restart-{uuid4()}")
    calls: int = 0
    failures: list[BaseException] = field(default_factory=list)
    registry: CollectorRegistry = field(default_factory=CollectorRegistry)
    checkpoints: list[str] = field(default_factory=list)
    writes: int = 0
    # Wall time of each call that returned, to see how long calls waited through an outage.
    call_secs: list[float] = field(default_factory=list)
    # Connections the pool dropped (lost in use, or found ended by the server at checkout).
    dropped: int = 0

    def call_started(self, previous: float | None = None) -> float:
        """Count a call about to start; record the one before it (started at ``previous``)."""
        if previous is not None:
            self.call_ended(previous)
        self.calls += 1
        return time.monotonic()

    def call_ended(self, started: float) -> None:
        self.call_secs.append(time.monotonic() - started)

    def note_pool(self, saver: Any) -> None:
        counters = saver.pool_stats().counters
        self.dropped = counters.get("returns_bad", 0) + counters.get("connections_lost", 0)


def _checkpoint(saver: Any, step: int) -> tuple[dict, dict]:
    checkpoint = empty_checkpoint()
    checkpoint["channel_values"] = {"step": step}
    versions = {"step": saver.get_next_version(None, None)}
    checkpoint["channel_versions"] = versions
    return checkpoint, versions


def _sync_worker(url: str, stop: threading.Event, work: Workload, retry: RetryConfig = RESTART_RETRY) -> None:
    with PostgresCheckpointer.from_conn_string(
        url, min_connections=2, max_connections=3, retry=retry, metrics=work.registry
    ) as saver:
        config: dict = {"configurable": {"thread_id": work.thread_id, "checkpoint_ns": ""}}
        step = 0
        while not stop.is_set():
            try:
                checkpoint, versions = _checkpoint(saver, step)
                started = work.call_started()
                config = saver.put(config, checkpoint, {"step": step}, versions)
                work.checkpoints.append(checkpoint["id"])
                started = work.call_started(started)
                saver.put_writes(config, [("a", step), ("b", step)], task_id=f"task-{step}")
                work.writes += 2
                started = work.call_started(started)
                assert saver.get_tuple(config).checkpoint["id"] == checkpoint["id"]
                work.call_ended(started)
            except Exception as exc:  # noqa: BLE001 - counted and reported by the test
                work.failures.append(exc)
            step += 1
        work.note_pool(saver)


def _async_worker(url: str, stop: threading.Event, work: Workload, retry: RetryConfig = RESTART_RETRY) -> None:
    async def run() -> None:
        async with AsyncPostgresCheckpointer.from_conn_string(
            url, min_connections=2, max_connections=3, retry=retry, metrics=work.registry
        ) as saver:
            config: dict = {"configurable": {"thread_id": work.thread_id, "checkpoint_ns": ""}}
            step = 0
            while not stop.is_set():
                try:
                    checkpoint, versions = _checkpoint(saver, step)
                    started = work.call_started()
                    config = await saver.aput(config, checkpoint, {"step": step}, versions)
                    work.checkpoints.append(checkpoint["id"])
                    started = work.call_started(started)
                    await saver.aput_writes(config, [("a", step), ("b", step)], task_id=f"task-{step}")
                    work.writes += 2
                    started = work.call_started(started)
                    assert (await saver.aget_tuple(config)).checkpoint["id"] == checkpoint["id"]
                    work.call_ended(started)
                except Exception as exc:  # noqa: BLE001 - counted and reported by the test
                    work.failures.append(exc)
                step += 1
            work.note_pool(saver)

    asyncio.run(run())


def _retries(work: Workload) -> float:
    return retries_total(work.registry)


class Writers:
    """A sync and an async writer (``_sync_worker``, ``_async_worker``) on ``url``, running
    in threads until the ``with`` block ends."""

    def __init__(self, url: str, retry: RetryConfig = RESTART_RETRY, join_secs: float = 60, pairs: int = 1) -> None:
        self.stop = threading.Event()
        self.sync_works = [Workload() for _ in range(pairs)]
        self.async_works = [Workload() for _ in range(pairs)]
        self.sync_work, self.async_work = self.sync_works[0], self.async_works[0]
        self.join_secs = join_secs
        self.threads = [
            threading.Thread(target=worker, args=(url, self.stop, work, retry))
            for worker, works in ((_sync_worker, self.sync_works), (_async_worker, self.async_works))
            for work in works
        ]

    @property
    def works(self) -> list[Workload]:
        return self.sync_works + self.async_works

    def __enter__(self) -> Writers:
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        for thread in self.threads:
            thread.join(self.join_secs)


def test_a_server_restart_mid_workload(cluster: Cluster) -> None:
    restarts = []
    with Writers(cluster.url) as writers:
        for _ in range(2):
            time.sleep(0.7)
            started = time.monotonic()
            cluster.restart()
            restarts.append(time.monotonic() - started)
        time.sleep(0.7)
    sync_work, async_work = writers.sync_work, writers.async_work

    calls = sync_work.calls + async_work.calls
    failures = sync_work.failures + async_work.failures
    retries = sum(_retries(work) for work in (sync_work, async_work))
    print(
        f"\nrestart test: {len(restarts)} restarts ({', '.join(f'{s:.2f} s' for s in restarts)}), "
        f"{calls} calls (sync {sync_work.calls}, async {async_work.calls}), {len(failures)} failed, "
        f"{retries:.0f} retries, {sync_work.dropped + async_work.dropped} connections dropped"
    )
    assert not failures, failures[:3]
    # Each worker met the restarts: a call retried, or connections the server had ended
    # were dropped at checkout (which costs no retry).
    assert all(_retries(work) + work.dropped >= 1 for work in (sync_work, async_work)), "restarts not noticed"
    assert sync_work.calls > 30 and async_work.calls > 30

    _assert_all_stored(cluster.url, sync_work, async_work)


def test_immediate_restarts_under_eight_writers(cluster: Cluster) -> None:
    """``pg_ctl restart -m immediate``: the server is killed (SIGQUIT) and recovers from
    WAL. The writers commit with ``synchronous_commit = on`` (the test cluster runs with
    it off, which an immediate stop would punish by design): every call succeeds, and
    every acknowledged checkpoint and write survives the crash."""
    url = f"{cluster.url}?options=-c%20synchronous_commit%3Don"
    restarts = []
    with Writers(url, pairs=4) as writers:
        for _ in range(2):
            time.sleep(1.0)
            started = time.monotonic()
            cluster.restart("immediate")
            restarts.append(time.monotonic() - started)
        time.sleep(1.0)
    works = writers.works
    failures = [f for work in works for f in work.failures]
    print(
        f"\nimmediate restarts: {len(restarts)} ({', '.join(f'{s:.2f} s' for s in restarts)}), 8 writers, "
        f"{sum(w.calls for w in works)} calls, {len(failures)} failed, "
        f"{sum(_retries(w) for w in works):.0f} retries, longest call {max(max(w.call_secs) for w in works):.1f} s"
    )
    assert not failures, failures[:3]
    assert all(work.calls > 10 for work in works)
    _assert_all_stored(cluster.url, *works)


def _assert_all_stored(url: str, *works: Workload) -> None:
    with psycopg.connect(url, autocommit=True) as conn:
        for work in works:
            stored = conn.execute(
                "SELECT checkpoint_id FROM langgraph.checkpoints WHERE thread_id = %s ORDER BY checkpoint_id",
                (work.thread_id,),
            ).fetchall()
            # Every acknowledged checkpoint is there exactly once; nothing else is.
            assert [r[0] for r in stored] == sorted(work.checkpoints)
            writes = conn.execute(
                "SELECT count(*), count(DISTINCT (checkpoint_id, task_id, idx)) FROM langgraph.checkpoint_writes WHERE thread_id = %s",
                (work.thread_id,),
            ).fetchone()
            assert writes == (work.writes, work.writes)


def _writers_through_an_outage(cluster: Cluster, outage_secs: float, retry: RetryConfig) -> tuple[Workload, Workload]:
    """A sync and an async writer at work while the server is stopped for ``outage_secs``
    and started again; returns what each did."""
    with Writers(cluster.url, retry, join_secs=outage_secs + 120) as writers:
        time.sleep(0.7)
        cluster.stop()
        time.sleep(outage_secs)
        cluster.start()
        time.sleep(0.7)
    return writers.sync_work, writers.async_work


def _longest_call(work: Workload) -> float:
    return max(work.call_secs, default=0.0)


def test_an_outage_shorter_than_the_deadline_is_ridden_out(cluster: Cluster) -> None:
    outage = 3.0
    retry = RetryConfig(outage_deadline_secs=outage + 10)
    sync_work, async_work = _writers_through_an_outage(cluster, outage, retry)
    failures = sync_work.failures + async_work.failures
    print(
        f"\noutage test: {outage:.0f} s outage, deadline {retry.outage_deadline_secs:.0f} s: "
        f"{sync_work.calls + async_work.calls} calls, {len(failures)} failed, longest call "
        f"{max(_longest_call(sync_work), _longest_call(async_work)):.1f} s"
    )
    assert not failures, failures[:3]
    # Both writers were at work across the outage: some call waited for the server.
    assert min(_longest_call(sync_work), _longest_call(async_work)) >= outage * 0.5
    _assert_all_stored(cluster.url, sync_work, async_work)


def _fails_after(deadline: float, call: Any) -> float:
    started = time.monotonic()
    with pytest.raises(DatabaseUnavailableError) as raised:
        call()
    assert "outage_deadline_secs" in str(raised.value) and raised.value.hint
    return time.monotonic() - started


def test_an_outage_longer_than_the_deadline_fails_typed(cluster: Cluster) -> None:
    deadline = 3.0
    retry = RetryConfig(outage_deadline_secs=deadline)
    thread = {"configurable": {"thread_id": f"outage-{uuid4()}", "checkpoint_ns": ""}}

    async def async_phase() -> float:
        async with AsyncPostgresCheckpointer.from_conn_string(cluster.url, retry=retry, metrics=False) as saver:
            assert await saver.aget_tuple(thread) is None
            cluster.stop()
            started = time.monotonic()
            with pytest.raises(DatabaseUnavailableError):
                await saver.aget_tuple(thread)
            return time.monotonic() - started

    try:
        with PostgresCheckpointer.from_conn_string(cluster.url, retry=retry, metrics=False) as saver:
            assert saver.get_tuple(thread) is None
            cluster.stop()
            waited = _fails_after(deadline, lambda: saver.get_tuple(thread))
            # The deadline holds both ways: not given up early, not overshot by the pool's
            # own 30 s wait.
            assert deadline <= waited < deadline + 2, waited
        cluster.start()
        waited_async = asyncio.run(async_phase())
        assert deadline <= waited_async < deadline + 2, waited_async
    finally:
        if not (Path(cluster.data) / "postmaster.pid").exists():
            cluster.start()
    print(f"\noutage past the deadline ({deadline:.0f} s): sync failed after {waited:.2f} s, async after {waited_async:.2f} s")


@pytest.mark.skipif(not FULL, reason="the 60 s outage runs with LANGGRAPH_FULL_RELIABILITY=1")
def test_a_60_s_outage_is_ridden_out_with_default_settings(cluster: Cluster) -> None:
    sync_work, async_work = _writers_through_an_outage(cluster, 60, RetryConfig())
    failures = sync_work.failures + async_work.failures
    print(
        f"\n60 s outage, default settings: {sync_work.calls + async_work.calls} calls, {len(failures)} failed, "
        f"longest call {max(_longest_call(sync_work), _longest_call(async_work)):.1f} s"
    )
    assert not failures, failures[:3]
    assert min(_longest_call(sync_work), _longest_call(async_work)) >= 50
    _assert_all_stored(cluster.url, sync_work, async_work)
