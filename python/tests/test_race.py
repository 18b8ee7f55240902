"""Two real processes race to extend the same threads (issue 4: multi-instance coordination).

Each round both processes load the thread's head, then save a child of it at the same
instant. Without protection both saves land and the thread silently forks; in
exclusive mode, or holding leases, exactly one lands and the other gets a typed error.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from uuid import uuid4

import pytest
from langgraph.checkpoint.base import empty_checkpoint

from langgraph.checkpoint.plpgsql import PostgresCheckpointer

ROUNDS = 12
ROUND_SECONDS = 0.25
WORKER = Path(__file__).with_name("_race_worker.py")


def race(database_url: str, saver: PostgresCheckpointer, mode: str) -> tuple[list[str], list[dict]]:
    threads = [f"race-{mode}-{uuid4()}" for _ in range(ROUNDS)]
    for thread_id in threads:
        saver.put({"configurable": {"thread_id": thread_id, "checkpoint_ns": ""}}, empty_checkpoint(),
                  {"source": "input", "step": -1}, {})
    # Time for both interpreters to start and connect before the first round.
    start = time.time() + 6.0
    procs = [
        subprocess.Popen(
            [sys.executable, str(WORKER), database_url, mode, f"{mode}-{name}", str(start), str(ROUND_SECONDS), *threads],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )
        for name in ("a", "b")
    ]
    results = []
    for proc in procs:
        out, err = proc.communicate(timeout=60)
        assert proc.returncode == 0, err
        results.extend(json.loads(line) for line in out.splitlines())
    assert len(results) == 2 * ROUNDS
    return threads, results


def children_of_root(saver: PostgresCheckpointer, thread_id: str) -> int:
    return len(saver.branches(thread_id))


@pytest.mark.parametrize("mode, loser_sqlstate", [("exclusive", "LG005"), ("lease", "LG006")])
def test_one_writer_wins_each_race(database_url, saver, mode, loser_sqlstate) -> None:
    threads, results = race(database_url, saver, mode)
    per_thread = Counter(r["thread_id"] for r in results if r["ok"])
    losers = [r["sqlstate"] for r in results if not r["ok"]]
    print(f"{mode}: {ROUNDS} races, {sum(per_thread.values())} saves landed, losers {Counter(losers)}")
    assert all(per_thread[t] == 1 for t in threads), per_thread
    assert losers == [loser_sqlstate] * ROUNDS
    for thread_id in threads:
        # Root plus exactly one child: no fork, nothing partial.
        assert len(list(saver.list({"configurable": {"thread_id": thread_id}}))) == 2
        assert children_of_root(saver, thread_id) == 1


def test_without_protection_the_thread_silently_forks(database_url, saver) -> None:
    threads, results = race(database_url, saver, "plain")
    assert all(r["ok"] for r in results)
    forks = sum(children_of_root(saver, t) == 2 for t in threads)
    print(f"plain: {ROUNDS} races, {forks} threads forked silently")
    assert forks == ROUNDS
