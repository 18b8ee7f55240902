"""A server restart in the middle of a workload: every call succeeds, nothing doubles.

The restart happens on a throwaway cluster this module makes for itself (initdb into a
temporary directory, a free port, ``sqitch deploy``), never on the shared test database.
Skipped when the PostgreSQL server binaries or sqitch are not installed.
"""

from __future__ import annotations

import asyncio
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from uuid import uuid4

import psycopg
import pytest
from langgraph.checkpoint.base import empty_checkpoint
from prometheus_client import CollectorRegistry

from langgraph.checkpoint.plpgsql import AsyncPostgresCheckpointer, PostgresCheckpointer, RetryConfig

REPO_ROOT = Path(__file__).resolve().parents[2]
DATABASE = "lg_restart"
# Long enough to ride out a restart (about a second), short enough to notice a hang.
RESTART_RETRY = RetryConfig(max_retries=30, initial_delay_ms=20, max_delay_ms=500)


def _server_bin() -> Path | None:
    configured = os.environ.get("LANGGRAPH_PG_BIN")
    candidates = [Path(configured)] if configured else sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True)
    if not configured and shutil.which("initdb"):
        candidates.append(Path(shutil.which("initdb")).parent)  # type: ignore[arg-type]
    for candidate in candidates:
        if (candidate / "initdb").exists() and (candidate / "pg_ctl").exists():
            return candidate
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Cluster:
    url: str
    run_as_owner: Callable[..., subprocess.CompletedProcess]
    pg_ctl: Path
    data: str

    def restart(self) -> None:
        self.run_as_owner(str(self.pg_ctl), "restart", "-D", self.data, "-m", "fast", "-w", "-s",
                          "-l", f"{self.data}/server.log")


@pytest.fixture(scope="module")
def cluster() -> Iterator[Cluster]:
    bin_dir = _server_bin()
    if bin_dir is None or shutil.which("sqitch") is None:
        pytest.skip("needs the PostgreSQL server binaries (initdb, pg_ctl) and sqitch")
    as_root = os.geteuid() == 0
    if as_root:
        try:
            owner = pwd.getpwnam(os.environ.get("LANGGRAPH_PG_CTL_USER") or "postgres")
        except KeyError:
            pytest.skip("running as root and there is no postgres user to run the server")

    def run_as_owner(*argv: str) -> subprocess.CompletedProcess:
        command = ["runuser", "-u", owner.pw_name, "--", *argv] if as_root else list(argv)
        return subprocess.run(command, check=True, capture_output=True, text=True, cwd="/")

    data = tempfile.mkdtemp(prefix="lg-restart-")
    if as_root:
        os.chown(data, owner.pw_uid, owner.pw_gid)
    port = _free_port()
    try:
        run_as_owner(str(bin_dir / "initdb"), "-D", data, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-sync")
        settings = (
            f"\nlisten_addresses = '127.0.0.1'\nport = {port}\nunix_socket_directories = '{data}'\n"
            "fsync = off\nsynchronous_commit = off\nfull_page_writes = off\nmax_connections = 50\n"
        )
        run_as_owner("sh", "-c", f"cat >> '{data}/postgresql.conf' <<'EOF'{settings}EOF\n")
        run_as_owner(str(bin_dir / "pg_ctl"), "start", "-D", data, "-w", "-s", "-l", f"{data}/server.log")
        admin_url = f"postgresql://postgres@127.0.0.1:{port}/postgres"
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE {DATABASE}")
        env = {**os.environ, "SQITCH_TARGET": f"db:pg://postgres@127.0.0.1:{port}/{DATABASE}"}
        deploy = subprocess.run(["sqitch", "deploy"], cwd=REPO_ROOT, env=env, capture_output=True, text=True)
        if deploy.returncode != 0:
            pytest.fail(f"sqitch deploy failed:\n{deploy.stdout}\n{deploy.stderr}")
        yield Cluster(f"postgresql://postgres@127.0.0.1:{port}/{DATABASE}", run_as_owner, bin_dir / "pg_ctl", data)
    finally:
        if Path(data, "postmaster.pid").exists():
            subprocess.run(
                (["runuser", "-u", owner.pw_name, "--"] if as_root else [])
                + [str(bin_dir / "pg_ctl"), "stop", "-D", data, "-m", "immediate", "-s"],
                capture_output=True, cwd="/",
            )
        shutil.rmtree(data, ignore_errors=True)


@dataclass
class Workload:
    """What one worker did: calls made, calls that raised, what was acknowledged."""

    thread_id: str = field(default_factory=lambda: f"restart-{uuid4()}")
    calls: int = 0
    failures: list[BaseException] = field(default_factory=list)
    registry: CollectorRegistry = field(default_factory=CollectorRegistry)
    checkpoints: list[str] = field(default_factory=list)
    writes: int = 0


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
        f"{retries:.0f} retries"
    )
    assert not failures, failures[:3]
    assert _retries(sync_work) >= 1 and _retries(async_work) >= 1, "the restarts were noticed and ridden out"
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
