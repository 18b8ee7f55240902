"""Side-by-side benchmark: this saver against the official langgraph-checkpoint-postgres.

Both savers get the same recorded chat workload (bench/workload.py) on the same
server in one run; the report gives per-operation median latency and the ratio
official / ours (above 1.0: ours is faster). It also measures the batch save against
single puts and the peak Python memory of listing a long thread.

    bench/run                      # throwaway cluster, deploys, runs this
    DATABASE_URL=... python bench/bench_saver.py --threads 20 --turns 30
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import time
import tracemalloc
import uuid
from collections.abc import Callable
from typing import Any

import psycopg
from langgraph.checkpoint.postgres import PostgresSaver
from langgraph.checkpoint.postgres.aio import AsyncPostgresSaver

from langgraph.checkpoint.plpgsql import AsyncPostgresCheckpointer, PostgresCheckpointer

sys.path.insert(0, os.path.dirname(__file__))
from workload import Call, record_chat, record_counter, retarget  # noqa: E402


def _ms(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered) * 1e3, ordered[int(len(ordered) * 0.95) - 1] * 1e3


def _timed(fn: Callable[[], Any], samples: list[float]) -> Any:
    start = time.perf_counter()
    result = fn()
    samples.append(time.perf_counter() - start)
    return result


async def _atimed(coro_fn: Callable[[], Any], samples: list[float]) -> Any:
    start = time.perf_counter()
    result = await coro_fn()
    samples.append(time.perf_counter() - start)
    return result


def run_sync(saver: Any, calls: list[Call], threads: int, reads: int) -> dict[str, list[float]]:
    out: dict[str, list[float]] = {k: [] for k in ("put", "put_writes", "get_latest", "get_by_id", "list_10")}
    tids = [f"bench-{uuid.uuid4()}" for _ in range(threads)]
    mid_ids: dict[str, str] = {}
    for tid in tids:
        stored = []
        for call in calls:
            args = retarget(call, tid)
            if call.kind == "put":
                stored.append(_timed(lambda: saver.put(*args), out["put"]))
            else:
                _timed(lambda: saver.put_writes(*args), out["put_writes"])
        mid_ids[tid] = stored[len(stored) // 2]["configurable"]["checkpoint_id"]
    for _ in range(reads):
        for tid in tids:
            cfg = {"configurable": {"thread_id": tid, "checkpoint_ns": ""}}
            _timed(lambda: saver.get_tuple(cfg), out["get_latest"])
            by_id = {"configurable": {**cfg["configurable"], "checkpoint_id": mid_ids[tid]}}
            _timed(lambda: saver.get_tuple(by_id), out["get_by_id"])
            _timed(lambda: list(saver.list(cfg, limit=10)), out["list_10"])
    return out


async def run_async(saver: Any, calls: list[Call], threads: int, reads: int) -> dict[str, list[float]]:
    out: dict[str, list[float]] = {k: [] for k in ("put", "put_writes", "get_latest", "get_by_id", "list_10")}
    tids = [f"bench-{uuid.uuid4()}" for _ in range(threads)]
    mid_ids: dict[str, str] = {}
    for tid in tids:
        stored = []
        for call in calls:
            args = retarget(call, tid)
            if call.kind == "put":
                stored.append(await _atimed(lambda: saver.aput(*args), out["put"]))
            else:
                await _atimed(lambda: saver.aput_writes(*args), out["put_writes"])
        mid_ids[tid] = stored[len(stored) // 2]["configurable"]["checkpoint_id"]

    async def collect(cfg: dict) -> list:
        return [t async for t in saver.alist(cfg, limit=10)]

    for _ in range(reads):
        for tid in tids:
            cfg = {"configurable": {"thread_id": tid, "checkpoint_ns": ""}}
            await _atimed(lambda: saver.aget_tuple(cfg), out["get_latest"])
            by_id = {"configurable": {**cfg["configurable"], "checkpoint_id": mid_ids[tid]}}
            await _atimed(lambda: saver.aget_tuple(by_id), out["get_by_id"])
            await _atimed(lambda: collect(cfg), out["list_10"])
    return out


def list_memory(saver: Any, calls: list[Call]) -> float:
    """Peak Python memory (MiB) of listing every checkpoint of one replayed thread."""
    tid = f"bench-mem-{uuid.uuid4()}"
    for call in calls:
        args = retarget(call, tid)
        (saver.put if call.kind == "put" else saver.put_writes)(*args)
    tracemalloc.start()
    count = sum(1 for _ in saver.list({"configurable": {"thread_id": tid}}))
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert count > 0
    return peak / 2**20


def batch_vs_single(saver: PostgresCheckpointer, calls: list[Call], n: int, rounds: int) -> tuple[float, float]:
    """Checkpoints per second: n single puts against one batch_save_checkpoints of n."""
    puts = [c for c in calls if c.kind == "put"][:n]
    single: list[float] = []
    batch: list[float] = []
    for _ in range(rounds):
        tid = f"bench-single-{uuid.uuid4()}"
        start = time.perf_counter()
        for call in puts:
            saver.put(*retarget(call, tid))
        single.append(time.perf_counter() - start)
        tid = f"bench-batch-{uuid.uuid4()}"
        items = [retarget(call, tid) for call in puts]
        start = time.perf_counter()
        saver.batch_save_checkpoints(items)
        batch.append(time.perf_counter() - start)
    return n / statistics.median(single), n / statistics.median(batch)


def report(title: str, ours: dict[str, list[float]], theirs: dict[str, list[float]]) -> None:
    print(f"\n## {title}\n")
    print("| operation | ours median ms (p95) | official median ms (p95) | official / ours |")
    print("| --- | --- | --- | --- |")
    for op in ours:
        o_med, o_p95 = _ms(ours[op])
        t_med, t_p95 = _ms(theirs[op])
        print(f"| {op} | {o_med:.3f} ({o_p95:.3f}) | {t_med:.3f} ({t_p95:.3f}) | {t_med / o_med:.2f}x |")


def official_database(url: str) -> str:
    """A database of its own for the official saver, next to ours."""
    info = psycopg.conninfo.conninfo_to_dict(url)
    name = f"{info.get('dbname', 'postgres')}_official_bench"
    with psycopg.connect(url, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
        if not exists:
            conn.execute(psycopg.sql.SQL("CREATE DATABASE {}").format(psycopg.sql.Identifier(name)))
    info["dbname"] = name
    return psycopg.conninfo.make_conninfo(**info)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--threads", type=int, default=10)
    parser.add_argument("--turns", type=int, default=30)
    parser.add_argument("--reads", type=int, default=20)
    parser.add_argument("--batch", type=int, default=100)
    args = parser.parse_args()
    url = os.environ["DATABASE_URL"]
    official_url = official_database(url)
    calls = record_chat(args.turns)
    print(f"# Saver benchmark: {args.threads} threads x {args.turns} chat turns "
          f"({sum(c.kind == 'put' for c in calls)} puts per thread), {args.reads} read rounds")

    with PostgresSaver.from_conn_string(official_url) as official:
        official.setup()
        with PostgresCheckpointer.from_conn_string(url, max_connections=4, min_connections=1) as ours:
            ours.setup()
            # Warm both up (connections, plans) before measuring.
            run_sync(ours, calls[:6], 1, 1)
            run_sync(official, calls[:6], 1, 1)
            report("sync, chat", run_sync(ours, calls, args.threads, args.reads),
                   run_sync(official, calls, args.threads, args.reads))
            small = record_counter(args.turns)
            report("sync, small state", run_sync(ours, small, args.threads, args.reads),
                   run_sync(official, small, args.threads, args.reads))
            print(f"\nlist() of one {args.turns}-turn thread, peak Python memory: "
                  f"ours {list_memory(ours, calls):.2f} MiB, official {list_memory(official, calls):.2f} MiB")
            print()
            for label, workload in (("small state", record_counter(args.batch)), ("chat", record_chat(args.batch // 3 + 1))):
                single, batch = batch_vs_single(ours, workload, args.batch, 5)
                print(f"batch_save_checkpoints, N={args.batch}, {label}: {batch:.0f} checkpoints/s "
                      f"against {single:.0f} with single puts: {batch / single:.1f}x")

    async def async_part() -> None:
        async with AsyncPostgresSaver.from_conn_string(official_url) as official:
            async with AsyncPostgresCheckpointer.from_conn_string(url, max_connections=4, min_connections=1) as ours:
                await run_async(ours, calls[:6], 1, 1)
                await run_async(official, calls[:6], 1, 1)
                report("async, chat", await run_async(ours, calls, args.threads, args.reads),
                       await run_async(official, calls, args.threads, args.reads))

    asyncio.run(async_part())


if __name__ == "__main__":
    main()
