"""kill -9 of a client in the middle of its work: nothing partial is stored, and the
thread resumes in a new process.

Each trial starts ``_kill_worker.py`` (a graph run, or a loop of large saves), kills it
with SIGKILL after a random delay, then checks what the database holds: every stored
checkpoint loads whole, every task's writes are all there or not at all, and a new
process finishes the graph with each node run exactly once in the final state. The
quick version runs a few trials; ``LANGGRAPH_FULL_RELIABILITY=1`` runs 102.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path
from uuid import uuid4

import pytest

from langgraph.checkpoint.plpgsql import PostgresCheckpointer

from _kill_worker import NODES, WRITES_PER_TASK

WORKER = Path(__file__).with_name("_kill_worker.py")
FULL = os.environ.get("LANGGRAPH_FULL_RELIABILITY") == "1"
TRIALS = 51 if FULL else 3


def _start(database_url: str, mode: str, thread_id: str) -> subprocess.Popen[str]:
    proc = subprocess.Popen(
        [sys.executable, str(WORKER), database_url, mode, thread_id],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    assert proc.stdout is not None
    line = proc.stdout.readline()
    assert line.strip() == "ready", (line, proc.stderr.read() if proc.stderr else "")
    return proc


def _kill_after(proc: subprocess.Popen[str], delay: float) -> bool:
    """SIGKILL ``proc`` after ``delay`` s; whether it was still running (killed mid-work)."""
    time.sleep(delay)
    running = proc.poll() is None
    proc.send_signal(signal.SIGKILL)
    proc.wait(30)
    return running


def _assert_nothing_partial(saver: PostgresCheckpointer, thread_id: str, mode: str) -> int:
    """Every checkpoint of the thread loads whole: a graph's ``steps`` are a prefix of the
    node order, a save's channels all have their values; every task's writes are all
    there. Returns how many checkpoints there are."""
    config = {"configurable": {"thread_id": thread_id, "checkpoint_ns": ""}}
    tuples = list(saver.list(config))
    for listed in tuples:
        loaded = saver.get_tuple(listed.config)
        assert loaded is not None
        values = loaded.checkpoint["channel_values"]
        tasks: dict[str, int] = {}
        for task_id, _channel, _value in loaded.pending_writes:
            tasks[task_id] = tasks.get(task_id, 0) + 1
        if mode == "saves":
            assert set(loaded.checkpoint["channel_versions"]) == {"payload", "step"} <= set(values)
            assert len(values["payload"]) == 200_000
            assert all(n == WRITES_PER_TASK for n in tasks.values()), tasks
        else:
            steps = values.get("steps", [])
            assert steps == NODES[: len(steps)], steps
    return len(tuples)


@pytest.mark.parametrize("mode", ["graph", "saves"])
def test_kill_9_mid_work_leaves_nothing_partial_and_the_thread_resumes(database_url: str, mode: str) -> None:
    rng = random.Random()
    killed_mid_work = checkpoints = 0
    with PostgresCheckpointer.from_conn_string(database_url, metrics=False) as saver:
        for _ in range(TRIALS):
            thread_id = f"kill-{mode}-{uuid4()}"
            proc = _start(database_url, mode, thread_id)
            killed_mid_work += _kill_after(proc, rng.uniform(0.005, 0.12 if mode == "graph" else 0.4))
            checkpoints += _assert_nothing_partial(saver, thread_id, mode)
            if mode == "graph":
                resumed = subprocess.run(
                    [sys.executable, str(WORKER), database_url, "resume", thread_id],
                    capture_output=True, text=True, timeout=120,
                )
                assert resumed.returncode == 0, resumed.stderr
                final = json.loads(resumed.stdout.splitlines()[-1])
                # Each node ran once in the final state: none lost, none applied twice.
                assert final == {"steps": NODES}, final
    print(f"\nkill -9 ({mode}): {TRIALS} trials, {killed_mid_work} killed mid-work, {checkpoints} checkpoints checked")
    assert killed_mid_work >= TRIALS // 2, "most kills should land while the worker is busy"
