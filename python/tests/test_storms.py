"""Connection storms: the server ends every connection of the saver every 20 or 200 ms
(``pg_terminate_backend``, as a proxy, a failover or an operator would), while LangGraph
graphs run on the saver with its default settings. Every invoke must succeed and
every thread must hold exactly the checkpoints of a complete run.

The quick version runs a few dozen invokes; ``LANGGRAPH_FULL_RELIABILITY=1`` runs the
counts docs/reliability.md reports (100 invokes per storm and API).
"""

from __future__ import annotations

import asyncio
import operator
import os
import threading
import time
from typing import Annotated, Any
from uuid import uuid4

import psycopg
import pytest
from langgraph.graph import END, START, StateGraph
from prometheus_client import CollectorRegistry
from typing_extensions import TypedDict

from langgraph.checkpoint.plpgsql import AsyncPostgresCheckpointer, PostgresCheckpointer

from _helpers import retries_total

FULL = os.environ.get("LANGGRAPH_FULL_RELIABILITY") == "1"
INVOKES = 100 if FULL else 20
NODES = ("plan", "act", "report")
# Each storm must have ended at least this many connections mid-run.
MIN_KILLS = 3


class State(TypedDict):
    steps: Annotated[list[str], operator.add]


def _graph(saver: Any) -> Any:
    builder = StateGraph(State)
    previous = START
    for name in NODES:
        builder.add_node(name, lambda state, name=name: {"steps": [name]})
        builder.add_edge(previous, name)
        previous = name
    builder.add_edge(previous, END)
    return builder.compile(checkpointer=saver)


def with_application_name(url: str, app: str) -> str:
    return f"{url}{'&' if '?' in url else '?'}application_name={app}"


class Storm:
    """A thread that ends every backend of ``application_name`` every ``period`` seconds."""

    def __init__(self, url: str, application_name: str, period: float) -> None:
        self.url, self.app, self.period = url, application_name, period
        self.kills = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        with psycopg.connect(self.url, autocommit=True) as admin:
            while not self._stop.wait(self.period):
                self.kills += len(
                    admin.execute(
                        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                        " WHERE application_name = %s AND pid <> pg_backend_pid()",
                        (self.app,),
                    ).fetchall()
                )

    def __enter__(self) -> Storm:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(10)


def _report(kind: str, period_ms: int, invokes: int, failures: list[BaseException], storm: Storm,
            registry: CollectorRegistry, seconds: float) -> None:
    first = f"; first: {type(failures[0]).__name__}: {failures[0]}" if failures else ""
    print(
        f"\nstorm {period_ms} ms, {kind}: {invokes} invokes, {len(failures)} failed, {storm.kills} backends "
        f"ended, {retries_total(registry):.0f} retries, {seconds:.1f} s{first}"
    )


def _more(threads: list[str], storm: Storm, started: float) -> bool:
    """Another invoke: until INVOKES are done and the storm has ended a few connections
    (on a fast machine 20 invokes can finish inside one 200 ms period), within 60 s."""
    if len(threads) < INVOKES:
        return True
    return storm.kills < MIN_KILLS and time.monotonic() - started < 60


def _check_threads(url: str, threads: list[str]) -> None:
    """Each thread holds one complete run: the input checkpoint, one per node, and the
    final state, read back through a fresh saver."""
    with PostgresCheckpointer.from_conn_string(url, metrics=False) as saver:
        graph = _graph(saver)
        for thread_id in threads:
            config = {"configurable": {"thread_id": thread_id}}
            assert graph.get_state(config).values == {"steps": list(NODES)}, thread_id
            assert len(list(graph.get_state_history(config))) == len(NODES) + 2, thread_id


@pytest.mark.parametrize("period_ms", [20, 200])
def test_graphs_ride_out_a_kill_storm(database_url: str, period_ms: int) -> None:
    app = f"lg-storm-{uuid4()}"
    registry = CollectorRegistry()
    threads: list[str] = []
    failures: list[BaseException] = []
    with PostgresCheckpointer.from_conn_string(with_application_name(database_url, app), metrics=registry) as saver:
        graph = _graph(saver)
        started = time.monotonic()
        with Storm(database_url, app, period_ms / 1000) as storm:
            while _more(threads, storm, started):
                thread_id = f"storm-{uuid4()}"
                threads.append(thread_id)
                try:
                    result = graph.invoke({"steps": []}, {"configurable": {"thread_id": thread_id}})
                    assert result == {"steps": list(NODES)}
                except Exception as exc:  # noqa: BLE001 - counted and reported
                    failures.append(exc)
        _report("sync", period_ms, len(threads), failures, storm, registry, time.monotonic() - started)
    assert storm.kills >= MIN_KILLS, "the storm ended too few connections"
    assert not failures, failures[:3]
    _check_threads(database_url, threads)


@pytest.mark.parametrize("period_ms", [20, 200])
async def test_async_graphs_ride_out_a_kill_storm(database_url: str, period_ms: int) -> None:
    app = f"lg-storm-{uuid4()}"
    registry = CollectorRegistry()
    threads: list[str] = []
    failures: list[BaseException] = []
    async with AsyncPostgresCheckpointer.from_conn_string(
        with_application_name(database_url, app), metrics=registry
    ) as saver:
        graph = _graph(saver)
        started = time.monotonic()
        with Storm(database_url, app, period_ms / 1000) as storm:
            while _more(threads, storm, started):
                thread_id = f"storm-{uuid4()}"
                threads.append(thread_id)
                try:
                    result = await graph.ainvoke({"steps": []}, {"configurable": {"thread_id": thread_id}})
                    assert result == {"steps": list(NODES)}
                except Exception as exc:  # noqa: BLE001 - counted and reported
                    failures.append(exc)
                await asyncio.sleep(0)
        _report("async", period_ms, len(threads), failures, storm, registry, time.monotonic() - started)
    assert storm.kills >= MIN_KILLS, "the storm ended too few connections"
    assert not failures, failures[:3]
    await asyncio.to_thread(_check_threads, database_url, threads)
