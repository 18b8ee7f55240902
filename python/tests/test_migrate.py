"""Migration from other savers (issue 10, item 3): the official Postgres saver's tables
(another database on the same server), a langgraph-checkpoint-sqlite file, and an
InMemorySaver. Real graphs fill each source; the import is then checked by reading every
checkpoint back through both savers (migrate.verify) and by running it a second time.
"""

from __future__ import annotations

import operator
from collections.abc import Iterator
from typing import Annotated, Any
from uuid import uuid4

import psycopg
import pytest
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.checkpoint.postgres import PostgresSaver
from langgraph.checkpoint.sqlite import SqliteSaver
from langgraph.graph import END, START, StateGraph
from langgraph.types import Command, Send, interrupt
from psycopg.conninfo import conninfo_to_dict, make_conninfo
from psycopg.rows import dict_row
from typing_extensions import TypedDict

from langgraph.checkpoint.plpgsql import PostgresCheckpointer
from langgraph.checkpoint.plpgsql import migrate


class Inner(TypedDict):
    notes: Annotated[list[str], operator.add]


class State(TypedDict, total=False):
    notes: Annotated[list[str], operator.add]
    raw: bytes
    answer: str


def build(checkpointer: Any) -> Any:
    """A graph that leaves every kind of record behind: a subgraph (its own namespace),
    a fan-out whose parallel tasks write one channel (pending writes with task paths),
    bytes in the state, and an interrupt (an __interrupt__ write on the latest checkpoint)."""
    inner = StateGraph(Inner)
    inner.add_node("jot", lambda s: {"notes": ["inner"]})
    inner.add_edge(START, "jot")
    inner.add_edge("jot", END)

    def fan_out(state: State) -> list[Send]:
        return [Send("worker", {"notes": [f"item-{i}"]}) for i in range(3)]

    def ask(state: State) -> State:
        return {"answer": interrupt({"question": "ok?", "seen": len(state.get("notes", []))})}

    builder = StateGraph(State)
    builder.add_node("start", lambda s: {"raw": bytes(range(256)), "notes": ["start"]})
    builder.add_node("worker", lambda s: {"notes": [s["notes"][0].upper()]})
    builder.add_node("inner", inner.compile())
    builder.add_node("ask", ask)
    builder.add_edge(START, "start")
    builder.add_conditional_edges("start", fan_out, ["worker"])
    builder.add_edge("worker", "inner")
    builder.add_edge("inner", "ask")
    builder.add_edge("ask", END)
    return builder.compile(checkpointer=checkpointer)


def populate(checkpointer: Any, prefix: str) -> list[str]:
    """Three threads: one interrupted, one resumed to the end and then forked with
    update_state (a branch), one with metadata and two runs."""
    graph = build(checkpointer)
    ids = [f"{prefix}-{name}-{uuid4()}" for name in ("interrupted", "forked", "twice")]
    for thread_id in ids:
        graph.invoke({"notes": []}, {"configurable": {"thread_id": thread_id}, "metadata": {"source_test": prefix}})
    resumed = {"configurable": {"thread_id": ids[1]}}
    graph.invoke(Command(resume="yes"), resumed)
    history = list(graph.get_state_history(resumed))
    graph.update_state(history[3].config, {"notes": ["branch"]})
    graph.invoke(Command(resume="again"), {"configurable": {"thread_id": ids[2]}})
    graph.invoke({"notes": ["second run"]}, {"configurable": {"thread_id": ids[2]}})
    return ids


def checkpoints_in(saver: PostgresCheckpointer, thread_ids: list[str]) -> int:
    return sum(len(list(saver.list({"configurable": {"thread_id": t}}))) for t in thread_ids)


def assert_imported(source: Any, target: PostgresCheckpointer, thread_ids: list[str], report: migrate.ImportReport):
    assert report.threads == len(thread_ids)
    assert report.checkpoints == checkpoints_in(target, thread_ids) > 3 * len(thread_ids)
    assert report.writes > 0 and report.orphaned_parents == []
    assert migrate.verify(source, target, thread_ids) == []
    # Namespaces came along: the subgraph's checkpoints are there.
    assert any(
        t.config["configurable"]["checkpoint_ns"] for t in target.list({"configurable": {"thread_id": thread_ids[0]}})
    )
    # The interrupted thread is interrupted in the target too (its pending writes).
    assert [t.status for t in target.search_threads(metadata={"source_test": report_prefix(thread_ids)})
            if t.thread_id == thread_ids[0]] == ["interrupted"]  # fmt: skip


def report_prefix(thread_ids: list[str]) -> str:
    return thread_ids[0].split("-interrupted-")[0]


def test_from_memory(saver: PostgresCheckpointer) -> None:
    source = InMemorySaver()
    ids = populate(source, f"mem{uuid4().hex[:8]}")
    report = migrate.from_memory(source, saver, batch_size=7)
    assert_imported(source, saver, ids, report)
    # Bytes survive exactly, and the target resumes the interrupted run like the source would.
    state = build(saver).get_state({"configurable": {"thread_id": ids[0]}})
    assert state.values["raw"] == bytes(range(256))
    assert state.next == ("ask",)
    result = build(saver).invoke(Command(resume="from the target"), {"configurable": {"thread_id": ids[0]}})
    assert result["answer"] == "from the target"


def test_an_import_runs_again_without_changes(saver: PostgresCheckpointer, database_url: str) -> None:
    source = InMemorySaver()
    ids = populate(source, f"again{uuid4().hex[:8]}")
    migrate.from_memory(source, saver)

    def rows() -> tuple[int, ...]:
        with psycopg.connect(database_url) as conn:
            return conn.execute(
                """SELECT (SELECT count(*) FROM langgraph.checkpoints WHERE thread_id = ANY (%(t)s)),
                          (SELECT count(*) FROM langgraph.checkpoint_blobs WHERE thread_id = ANY (%(t)s)),
                          (SELECT count(*) FROM langgraph.checkpoint_writes WHERE thread_id = ANY (%(t)s))""",
                {"t": ids},
            ).fetchone()

    before = rows()
    report = migrate.from_memory(source, saver, batch_size=3)
    assert rows() == before
    assert report.checkpoints == before[0]
    assert migrate.verify(source, saver, ids) == []


def test_values_are_sent_once_per_version(saver: PostgresCheckpointer, database_url: str) -> None:
    source = InMemorySaver()
    ids = populate(source, f"once{uuid4().hex[:8]}")
    migrate.from_memory(source, saver)
    with psycopg.connect(database_url) as conn:
        stored = conn.execute(
            "SELECT count(*) FROM langgraph.checkpoint_blobs WHERE thread_id = ANY (%s)", (ids,)
        ).fetchone()[0]
    versions = {
        (t, ns, channel, str(version))
        for t in ids
        for tup in source.list({"configurable": {"thread_id": t}})
        for ns in [tup.config["configurable"]["checkpoint_ns"]]
        for channel, version in tup.checkpoint["channel_versions"].items()
        # An empty channel (no value at its version) stores no row.
        if channel in tup.checkpoint["channel_values"]
    }
    assert stored == len(versions)


def test_from_sqlite(saver: PostgresCheckpointer, tmp_path) -> None:
    path = str(tmp_path / "checkpoints.sqlite")
    with SqliteSaver.from_conn_string(path) as source:
        ids = populate(source, f"sqlite{uuid4().hex[:8]}")
    report = migrate.from_sqlite(path, saver, batch_size=5, verify=True)
    assert report.problems == []
    with SqliteSaver.from_conn_string(path) as source:
        assert_imported(source, saver, ids, report)


@pytest.fixture
def official_database(database_url: str) -> Iterator[str]:
    """Another database on the same server, holding the official saver's tables."""
    name = f"lg_official_{uuid4().hex[:12]}"
    with psycopg.connect(database_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    params = conninfo_to_dict(database_url)
    params["dbname"] = name
    url = make_conninfo(**params)
    try:
        yield url
    finally:
        with psycopg.connect(database_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')


def test_from_postgres(saver: PostgresCheckpointer, official_database: str) -> None:
    with psycopg.connect(official_database, autocommit=True, prepare_threshold=0, row_factory=dict_row) as conn:
        source = PostgresSaver(conn)
        source.setup()
        ids = populate(source, f"pg{uuid4().hex[:8]}")
        report = migrate.from_postgres(official_database, saver, batch_size=4, verify=True)
        assert report.problems == []
        assert_imported(source, saver, ids, report)
        # Keys are read a page at a time; small pages find the same checkpoints.
        for each in (source, saver):
            assert migrate.thread_keys(each, ids[1], page_size=2) == migrate.thread_keys(each, ids[1], page_size=1000)
        assert len(migrate.thread_keys(saver, ids[1], page_size=2)) > 4


def test_a_pruned_parent_is_reported_and_the_child_saved_as_a_root(saver: PostgresCheckpointer) -> None:
    source = InMemorySaver()
    thread_id = f"pruned-{uuid4()}"
    graph = build(source)
    graph.invoke({"notes": []}, {"configurable": {"thread_id": thread_id}})
    oldest = min(source.storage[thread_id][""])
    del source.storage[thread_id][""][oldest]
    report = migrate.from_memory(source, saver)
    assert len(report.orphaned_parents) == 1
    (orphan,) = report.orphaned_parents
    imported = saver.get_tuple({"configurable": {"thread_id": thread_id, "checkpoint_ns": "", "checkpoint_id": orphan[2]}})
    assert imported is not None and imported.parent_config is None


def test_verify_reports_what_differs(saver: PostgresCheckpointer) -> None:
    source = InMemorySaver()
    ids = populate(source, f"diff{uuid4().hex[:8]}")
    migrate.from_memory(source, saver)
    latest = saver.get_tuple({"configurable": {"thread_id": ids[1]}})
    assert latest is not None
    saver.put_writes(latest.config, [("notes", ["tampered"])], "tamper-task")
    saver.delete_thread(ids[2])
    problems = migrate.verify(source, saver, ids)
    assert any(ids[1] in p and "pending_writes differs" in p for p in problems)
    assert any(p.startswith(f"{ids[2]}: the checkpoints differ") for p in problems)
    assert not any(ids[0] in p for p in problems)


def test_the_reference_path_export_all_then_import_each(saver: PostgresCheckpointer) -> None:
    # As the reference checkpointer's guide does it: export everything from memory,
    # import checkpoint by checkpoint.
    source = InMemorySaver()
    ids = populate(source, f"ref{uuid4().hex[:8]}")
    records = list(migrate.export_all(source))
    assert {r.thread_id for r in records} == set(ids)
    for record in records:
        migrate.import_checkpoint(saver, record)
    assert migrate.verify(source, saver, ids) == []


def test_any_saver_lists_its_threads(saver: PostgresCheckpointer, tmp_path) -> None:
    with SqliteSaver.from_conn_string(str(tmp_path / "any.sqlite")) as source:
        ids = populate(source, f"any{uuid4().hex[:8]}")
        assert migrate.all_thread_ids(source) == sorted(ids)
        report = migrate.import_from(source, saver, migrate.all_thread_ids(source))
        assert report.threads == 3
        # Without the task paths only the order of a fan-out's writes may differ: same writes.
        for problem in migrate.verify(source, saver, ids):
            assert problem.endswith("pending_writes differs"), problem


async def test_async_from_postgres(async_saver, official_database: str) -> None:
    from langgraph.checkpoint.postgres.aio import AsyncPostgresSaver

    async with await psycopg.AsyncConnection.connect(
        official_database, autocommit=True, prepare_threshold=0, row_factory=dict_row
    ) as conn:
        source = AsyncPostgresSaver(conn)
        await source.setup()
        graph = build(source)
        ids = [f"apg-{i}-{uuid4()}" for i in range(2)]
        for thread_id in ids:
            await graph.ainvoke({"notes": []}, {"configurable": {"thread_id": thread_id}})
        report = await migrate.afrom_postgres(official_database, async_saver, batch_size=3)
        assert report.threads == 2 and report.checkpoints > 6
        assert await migrate.averify(source, async_saver, ids) == []
        again = await migrate.afrom_postgres(official_database, async_saver)
        assert again.checkpoints == report.checkpoints
        assert await migrate.averify(source, async_saver, ids) == []
