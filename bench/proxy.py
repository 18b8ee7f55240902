"""The cost of the PL/Proxy hop: the same client calls, direct to the partition that
owns the thread and through the proxy database (docs/scaling.md, "Figures").

    bench/proxy.py [--ops N]            starts scripts/sharded itself, or uses
                                        PROXY_DSN and PARTITION_DSNS (space separated)

One client, one connection each way, sequential calls on short threads (20 steps of a
chat) that live on partition 0, so the figure is latency: the
proxy adds a connection hop (proxy backend -> partition backend, the connection PL/Proxy
keeps open) and its own function call to each. Prints one line per operation: median
and p95 in microseconds, direct and through the proxy, and the ratio of the medians.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import psycopg
from langgraph.checkpoint.base import empty_checkpoint
from langgraph.checkpoint.plpgsql import PostgresCheckpointer

REPO_ROOT = Path(__file__).resolve().parents[1]


def _setup() -> tuple[str, list[str], Callable[[], None]]:
    if os.environ.get("PROXY_DSN"):
        return (
            os.environ["PROXY_DSN"],
            os.environ["PARTITION_DSNS"].split(),
            lambda: None,
        )
    # A setup of its own, in a directory of its own, stopped afterwards.
    state = tempfile.mkdtemp(prefix="lg-bench-sharded-")
    os.chmod(state, 0o755)
    env = {**os.environ, "LANGGRAPH_SHARDED_DIR": f"{state}/state"}
    script = str(REPO_ROOT / "scripts" / "sharded")
    out = subprocess.run(
        ["bash", script, "up"], check=True, stdout=subprocess.PIPE, text=True, env=env
    ).stdout
    lines = [line.partition("=") for line in out.splitlines()]
    proxy = next(v for k, _, v in lines if k == "PROXY_DSN")
    partitions = [v for k, _, v in lines if k == "PARTITION_DSN"]

    def stop() -> None:
        subprocess.run(["bash", script, "down"], check=True, env=env)
        shutil.rmtree(state, ignore_errors=True)

    return proxy, partitions, stop


def _timed(
    fn: Callable[[], object], ops: int, between: Callable[[int], object] | None = None
) -> list[float]:
    samples = []
    for i in range(ops):
        if between is not None:
            between(i)  # untimed
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1e6)
    return samples


def _workload(
    saver: PostgresCheckpointer, thread_ids: Callable[[], str], ops: int
) -> dict[str, list[float]]:
    """A chat's steps: each put appends a message; a thread is 20 steps long, then the
    next one starts (``thread_ids`` names it), so reads see short threads."""
    state: dict[str, Any] = {}

    def new_thread() -> None:
        thread_id = thread_ids()
        state.update(
            config={"configurable": {"thread_id": thread_id, "checkpoint_ns": ""}},
            step=0,
        )
        state["base"] = dict(state["config"])

    def put() -> None:
        if state.get("step", 20) >= 20:
            new_thread()
        state["step"] += 1
        step = state["step"]
        version = f"{step:032}.0"
        checkpoint = empty_checkpoint()
        checkpoint["channel_values"] = {
            "messages": [f"message {i}" for i in range(step)]
        }
        checkpoint["channel_versions"] = {"messages": version}
        state["config"] = saver.put(
            state["config"],
            checkpoint,
            {"step": step, "source": "loop"},
            {"messages": version},
        )

    def put_writes() -> None:
        saver.put_writes(
            state["config"],
            [("messages", ["w"]), ("other", 1)],
            task_id=str(uuid.uuid4()),
        )

    def get_tuple() -> None:
        saver.get_tuple(state["base"])

    def list_10() -> None:
        list(saver.list(state["base"], limit=10))

    for _ in range(20):  # warm up the connection, the plans and PL/Proxy's connections
        put()
        get_tuple()
    return {
        "put": _timed(put, ops),
        # A step's writes: four tasks, then the next step.
        "put_writes": _timed(put_writes, ops, lambda i: put() if i % 4 == 0 else None),
        "get_tuple": _timed(get_tuple, ops),
        "list(limit=10)": _timed(list_10, ops),
    }


def measure(
    proxy: str, partitions: list[str], ops: int
) -> dict[str, tuple[float, float, float, float]]:
    """Operation -> (direct median, direct p95, proxy median, proxy p95), microseconds.
    Both ways use threads of partition 0, so the same database serves both."""
    with psycopg.connect(proxy) as conn:

        def on_partition_0() -> str:
            while True:
                thread_id = f"bench-proxy-{uuid.uuid4()}"
                if (
                    conn.execute(
                        "SELECT langgraph._partition_of(%s)", (thread_id,)
                    ).fetchone()[0]
                    == 0
                ):
                    return thread_id

        with PostgresCheckpointer.from_conn_string(
            partitions[0], min_connections=1, max_connections=1
        ) as direct:
            d = _workload(direct, on_partition_0, ops)
        with PostgresCheckpointer.from_conn_string(
            proxy, min_connections=1, max_connections=1
        ) as proxied:
            p = _workload(proxied, on_partition_0, ops)
    return {
        name: (
            statistics.median(d[name]),
            _p95(d[name]),
            statistics.median(p[name]),
            _p95(p[name]),
        )
        for name in d
    }


def _p95(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=20)[-1]


def report(results: dict[str, tuple[float, float, float, float]]) -> str:
    lines = [
        f"{'operation':<16}{'direct p50':>12}{'p95':>9}{'proxy p50':>12}{'p95':>9}{'ratio':>8}"
    ]
    for name, (dm, dp, pm, pp) in results.items():
        lines.append(
            f"{name:<16}{dm:>10.0f}us{dp:>7.0f}us{pm:>10.0f}us{pp:>7.0f}us{pm / dm:>7.2f}x"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ops", type=int, default=2000)
    args = parser.parse_args()
    proxy, partitions, stop = _setup()
    try:
        print(report(measure(proxy, partitions, args.ops)))
    finally:
        stop()


if __name__ == "__main__":
    sys.exit(main())
