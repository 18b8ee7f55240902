"""The cost of the PL/Proxy hop: the same client calls, direct to the partition that
owns the thread and through the proxy database (docs/scaling.md, "Figures").

    bench/proxy.py [--ops N]            starts scripts/sharded itself, or uses
                                        PROXY_DSN and PARTITION_DSNS (space separated)

One client, one connection each way, sequential calls, so the figure is latency: the
proxy adds a connection hop (proxy backend -> partition backend, the connection PL/Proxy
keeps open) and its own function call to each. Prints one line per operation: median
and p95 in microseconds, direct and through the proxy, and the ratio of the medians.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from pathlib import Path

import psycopg
from langgraph.checkpoint.base import empty_checkpoint

from langgraph.checkpoint.plpgsql import PostgresCheckpointer

REPO_ROOT = Path(__file__).resolve().parents[1]


def _setup() -> tuple[str, list[str], Callable[[], None]]:
    if os.environ.get("PROXY_DSN"):
        return os.environ["PROXY_DSN"], os.environ["PARTITION_DSNS"].split(), lambda: None
    out = subprocess.run(
        ["bash", str(REPO_ROOT / "scripts" / "sharded"), "up"], check=True, stdout=subprocess.PIPE, text=True
    ).stdout
    lines = [line.partition("=") for line in out.splitlines()]
    proxy = next(v for k, _, v in lines if k == "PROXY_DSN")
    partitions = [v for k, _, v in lines if k == "PARTITION_DSN"]
    return (
        proxy,
        partitions,
        lambda: subprocess.run(["bash", str(REPO_ROOT / "scripts" / "sharded"), "down"], check=True),
    )


def _timed(fn: Callable[[], object], ops: int) -> list[float]:
    samples = []
    for _ in range(ops):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1e6)
    return samples


def _workload(saver: PostgresCheckpointer, thread_id: str, ops: int) -> dict[str, list[float]]:
    config = {"configurable": {"thread_id": thread_id, "checkpoint_ns": ""}}
    state = {"config": config, "step": 0}

    def put() -> None:
        checkpoint = empty_checkpoint()
        state["step"] += 1
        checkpoint["channel_values"] = {"messages": [f"m{i}" for i in range(state["step"] % 20)]}
        checkpoint["channel_versions"] = {"messages": str(state["step"])}
        state["config"] = saver.put(
            state["config"],
            checkpoint,
            {"step": state["step"], "source": "loop"},
            {"messages": str(state["step"])},
        )

    def put_writes() -> None:
        saver.put_writes(state["config"], [("messages", ["w"]), ("other", 1)], task_id=str(uuid.uuid4()))

    def get_tuple() -> None:
        saver.get_tuple(config)

    def list_10() -> None:
        list(saver.list(config, limit=10))

    for _ in range(20):  # warm up the connection, the plans and PL/Proxy's connections
        put()
        get_tuple()
    return {
        "put": _timed(put, ops),
        "put_writes": _timed(put_writes, ops),
        "get_tuple": _timed(get_tuple, ops),
        "list(limit=10)": _timed(list_10, ops),
    }


def measure(proxy: str, partitions: list[str], ops: int) -> dict[str, tuple[float, float, float, float]]:
    """Operation -> (direct median, direct p95, proxy median, proxy p95), microseconds."""
    thread_id = f"bench-proxy-{uuid.uuid4()}"
    with psycopg.connect(proxy) as conn:
        owner = conn.execute("SELECT langgraph._partition_of(%s)", (thread_id,)).fetchone()[0]
    results = {}
    with PostgresCheckpointer.from_conn_string(
        partitions[owner], min_connections=1, max_connections=1
    ) as direct:
        d = _workload(direct, thread_id + "-direct", ops)
    # The same partition serves both: a thread id with the same owner.
    proxied_thread = next(
        f"{thread_id}-p{i}" for i in range(1000) if _owner(proxy, f"{thread_id}-p{i}") == owner
    )
    with PostgresCheckpointer.from_conn_string(proxy, min_connections=1, max_connections=1) as proxied:
        p = _workload(proxied, proxied_thread, ops)
    for name in d:
        results[name] = (statistics.median(d[name]), _p95(d[name]), statistics.median(p[name]), _p95(p[name]))
    return results


def _owner(proxy: str, thread_id: str) -> int:
    with psycopg.connect(proxy) as conn:
        return conn.execute("SELECT langgraph._partition_of(%s)", (thread_id,)).fetchone()[0]


def _p95(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=20)[-1]


def report(results: dict[str, tuple[float, float, float, float]]) -> str:
    lines = [f"{'operation':<16}{'direct p50':>12}{'p95':>9}{'proxy p50':>12}{'p95':>9}{'ratio':>8}"]
    for name, (dm, dp, pm, pp) in results.items():
        lines.append(f"{name:<16}{dm:>10.0f}us{dp:>7.0f}us{pm:>10.0f}us{pp:>7.0f}us{pm / dm:>7.2f}x")
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
