"""A server restart in the middle of a workload: every call succeeds, nothing doubles.

The restart happens on a throwaway cluster this module makes for itself (initdb into a
temporary directory, a free port, ``sqitch deploy``), never on the shared test database.
Skipped when the PostgreSQL server binaries or sqitch are not installed.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from uuid import uuid4

import psycopg
import pytest
from langgraph.checkpoint.base import empty_checkpoint
from prometheus_client import CollectorRegistry

from langgraph.checkpoint.plpgsql import AsyncPostgresCheckpointer, PostgresCheckpointer, RetryConfig

from _cluster import Cluster, ClusterUnavailable, throwaway_cluster

DATABASE = "lg_restart"
# Long enough to ride out a restart (about a second), short enough to notice a hang.
RESTART_RETRY = RetryConfig(max_retries=30, initial_delay_ms=20, max_delay_ms=500)


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
    # Connections the pool dropped (lost in use, or found ended by the server at checkout).
    dropped: int = 0

    def note_pool(self, saver: Any) -> None:
        counters = saver.pool_stats().counters
        self.dropped = counters.get("returns_bad", 0) + counters.get("connections_lost", 0)


def _checkpoint(saver: Any, step: int) -> tuple[dict, dict]:
    checkpoint = empty_checkpoint()
    checkpoint["channel_values"] = {"step": step}
    versions = {"step": saver.get_next_version(None, None)}
    checkpoint["channel_versions"] = versions
    return checkpoint, versions


def _sync_worker(url: str, stop: threading.Event, work: Workload) -> None:
    with PostgresCheckpointer.from_conn_string(
        url, min_connections=2, max_connections=3, retry=RESTART_RETRY, metrics=work.registry
    ) as saver:
        config: dict = {"configurable": {"thread_id": work.thread_id, "checkpoint_ns": ""}}
        step = 0
        while not stop.is_set():
            try:
                checkpoint, versions = _checkpoint(saver, step)
                work.calls += 1
                config = saver.put(config, checkpoint, {"step": step}, versions)
                work.checkpoints.append(checkpoint["id"])
                work.calls += 1
                saver.put_writes(config, [("a", step), ("b", step)], task_id=f"task-{step}")
                work.writes += 2
                work.calls += 1
                assert saver.get_tuple(config).checkpoint["id"] == checkpoint["id"]
            except Exception as exc:  # noqa: BLE001 - counted and reported by the test
                work.failures.append(exc)
            step += 1
        work.note_pool(saver)


def _async_worker(url: str, stop: threading.Event, work: Workload) -> None:
    async def run() -> None:
        async with AsyncPostgresCheckpointer.from_conn_string(
            url, min_connections=2, max_connections=3, retry=RESTART_RETRY, metrics=work.registry
        ) as saver:
            config: dict = {"configurable": {"thread_id": work.thread_id, "checkpoint_ns": ""}}
            step = 0
            while not stop.is_set():
                try:
                    checkpoint, versions = _checkpoint(saver, step)
                    work.calls += 1
                    config = await saver.aput(config, checkpoint, {"step": step}, versions)
                    work.checkpoints.append(checkpoint["id"])
                    work.calls += 1
                    await saver.aput_writes(config, [("a", step), ("b", step)], task_id=f"task-{step}")
                    work.writes += 2
                    work.calls += 1
                    assert (await saver.aget_tuple(config)).checkpoint["id"] == checkpoint["id"]
                except Exception as exc:  # noqa: BLE001 - counted and reported by the test
                    work.failures.append(exc)
                step += 1
            work.note_pool(saver)

    asyncio.run(run())


def _retries(work: Workload) -> float:
    return sum(
        sample.value
        for metric in work.registry.collect()
        if metric.name == "postgres_checkpoint_retries"
        for sample in metric.samples
        if sample.name.endswith("_total")
    )


def test_a_server_restart_mid_workload(cluster: Cluster) -> None:
    stop = threading.Event()
    sync_work, async_work = Workload(), Workload()
    workers = [
        threading.Thread(target=_sync_worker, args=(cluster.url, stop, sync_work)),
        threading.Thread(target=_async_worker, args=(cluster.url, stop, async_work)),
    ]
    for worker in workers:
        worker.start()
    restarts = []
    try:
        for _ in range(2):
            time.sleep(0.7)
            started = time.monotonic()
            cluster.restart()
            restarts.append(time.monotonic() - started)
        time.sleep(0.7)
    finally:
        stop.set()
        for worker in workers:
            worker.join(60)

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

    with psycopg.connect(cluster.url, autocommit=True) as conn:
        for work in (sync_work, async_work):
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
