"""Two real processes race to extend the same threads (issue 4: multi-instance coordination).

Each round both processes load the thread's head, then save a child of it at the same
moment. Without protection both saves land and the thread silently forks; in
exclusive mode, or holding leases, exactly one lands and the other gets a typed error.

No timing: the test holds an exclusive advisory lock per gate and releases it once both
workers report that they wait there (``_race_worker.py``), so both start each race together
and from the same parent, however slow the machine.
"""

from __future__ import annotations

import json
import queue
import secrets
import subprocess
import sys
import threading
from collections import Counter
from pathlib import Path
from typing import Any
from uuid import uuid4

import psycopg
import pytest
from langgraph.checkpoint.base import empty_checkpoint

from langgraph.checkpoint.plpgsql import PostgresCheckpointer

ROUNDS = 12
GATES = 2 * ROUNDS  # after loading the head, and after the attempt
WORKER = Path(__file__).with_name("_race_worker.py")
# How long a worker may take to reach a gate: it only guards against a hung test, and is
# never waited out when things work.
STUCK_SECONDS = 60


class Worker:
    """A ``_race_worker.py`` process and what it printed, read on a thread of its own."""

    def __init__(self, database_url: str, mode: str, name: str, gate_key: int, threads: list[str]) -> None:
        self.name = name
        self.proc = subprocess.Popen(
            [sys.executable, str(WORKER), database_url, mode, name, str(gate_key), *threads],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        self.messages: queue.Queue[dict[str, Any] | None] = queue.Queue()
        self.stderr: list[str] = []
        self.results: list[dict[str, Any]] = []
        threading.Thread(target=self._read_stdout, daemon=True).start()
        threading.Thread(target=self._read_stderr, daemon=True).start()

    def _read_stdout(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.messages.put(json.loads(line))
        self.messages.put(None)

    def _read_stderr(self) -> None:
        assert self.proc.stderr is not None
        self.stderr.extend(self.proc.stderr)

    def _next(self, waiting_for: str) -> dict[str, Any]:
        try:
            message = self.messages.get(timeout=STUCK_SECONDS)
        except queue.Empty:
            pytest.fail(f"worker {self.name} is stuck before {waiting_for}")
        if message is None:
            self.proc.wait()
            pytest.fail(f"worker {self.name} exited before {waiting_for}:\n{''.join(self.stderr)}")
        return message

    def arrive(self, gate: int) -> None:
        """Return once the worker waits at ``gate``, keeping the results it printed before."""
        while "at" not in (message := self._next(f"gate {gate}")):
            self.results.append(message)
        assert message["at"] == gate, (self.name, message, gate)

    def finish(self) -> list[dict[str, Any]]:
        while (message := self.messages.get(timeout=STUCK_SECONDS)) is not None:
            self.results.append(message)
        assert self.proc.wait(timeout=STUCK_SECONDS) == 0, "".join(self.stderr)
        return self.results

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()


def race(database_url: str, saver: PostgresCheckpointer, mode: str) -> tuple[list[str], list[dict[str, Any]]]:
    threads = [f"race-{mode}-{uuid4()}" for _ in range(ROUNDS)]
    for thread_id in threads:
        saver.put(
            {"configurable": {"thread_id": thread_id, "checkpoint_ns": ""}},
            empty_checkpoint(),
            {"source": "input", "step": -1},
            {},
        )
    gate_key = secrets.randbelow(2**31)
    with psycopg.connect(database_url, autocommit=True) as gates:
        for gate in range(GATES):
            gates.execute("SELECT pg_advisory_lock(%s, %s)", (gate_key, gate))
        workers = [Worker(database_url, mode, f"{mode}-{name}", gate_key, threads) for name in ("a", "b")]
        try:
            for gate in range(GATES):
                for worker in workers:
                    worker.arrive(gate)
                gates.execute("SELECT pg_advisory_unlock(%s, %s)", (gate_key, gate))
            results = [result for worker in workers for result in worker.finish()]
        finally:
            for worker in workers:
                worker.kill()
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
