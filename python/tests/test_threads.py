"""Threads as objects through the client (issue 10, item 5): search by metadata, values,
status and time, keyset paging and counts; per-thread TTL, pins and refresh on read,
and what the retention procedures do with them. Real graphs make the threads, so the
statuses are the ones LangGraph leaves behind (an interrupt, a failed node).
"""

from __future__ import annotations

import operator
import time
from datetime import datetime, timedelta, timezone
from typing import Annotated, Any
from uuid import uuid4

import psycopg
import pytest
from langgraph.graph import END, START, StateGraph
from langgraph.types import Command, interrupt
from typing_extensions import TypedDict

from langgraph.checkpoint.plpgsql import (
    AsyncPostgresCheckpointer,
    InvalidArgumentError,
    PostgresCheckpointer,
    ThreadInfo,
)


class State(TypedDict, total=False):
    topic: str
    tags: list[str]
    answer: str


def graph(checkpointer: Any, mode: str) -> Any:
    def work(state: State) -> State:
        if mode == "interrupt":
            return {"answer": interrupt("approve?")}
        if mode == "error":
            raise RuntimeError("the node failed")
        return {"answer": "done"}

    builder = StateGraph(State)
    builder.add_node("work", work)
    builder.add_edge(START, "work")
    builder.add_edge("work", END)
    return builder.compile(checkpointer=checkpointer)


def run(checkpointer: Any, thread_id: str, mode: str, suite: str, **state: Any) -> None:
    config = {"configurable": {"thread_id": thread_id}, "metadata": {"suite": suite, "mode": mode}}
    try:
        graph(checkpointer, mode).invoke({"topic": "cats", "tags": ["a"], **state}, config)
    except RuntimeError:
        assert mode == "error"


@pytest.fixture
def suite() -> str:
    """A metadata value only this test's threads carry, so searches see no one else's."""
    return f"suite-{uuid4()}"


def test_status_metadata_and_values(saver: PostgresCheckpointer, suite: str) -> None:
    ids = {mode: f"t-{mode}-{uuid4()}" for mode in ("idle", "interrupt", "error")}
    for mode, thread_id in ids.items():
        run(saver, thread_id, mode, suite, tags=[mode])

    found = saver.search_threads(metadata={"suite": suite})
    assert [t.thread_id for t in found] == [ids["error"], ids["interrupt"], ids["idle"]], "newest first"
    status = {t.thread_id: t.status for t in found}
    assert status == {ids["idle"]: "idle", ids["interrupt"]: "interrupted", ids["error"]: "error"}
    # Each row is the thread's latest checkpoint, as graph.get_state() sees it.
    for info in found:
        latest = saver.get_tuple(info.config)
        assert latest is not None
        assert info.checkpoint_id == latest.config["configurable"]["checkpoint_id"]
        assert info.metadata == latest.metadata
        assert info.metadata is not None and info.metadata["suite"] == suite
        assert info.ttl is None and not info.pinned and info.expires_at is None

    assert [t.thread_id for t in saver.search_threads(metadata={"suite": suite}, status="interrupted")] == [
        ids["interrupt"]
    ]
    assert [t.thread_id for t in saver.search_threads(metadata={"suite": suite, "mode": "error"})] == [ids["error"]]
    assert [t.thread_id for t in saver.search_threads(metadata={"suite": suite}, values={"tags": ["idle"]})] == [
        ids["idle"]
    ]
    assert saver.search_threads(metadata={"suite": suite}, values={"answer": "done"})[0].thread_id == ids["idle"]
    assert saver.count_threads(metadata={"suite": suite}) == 3
    assert saver.count_threads(metadata={"suite": suite}, status="idle") == 1

    # Resuming the interrupted thread (without metadata: the thread still matches by the
    # checkpoints of its first run) leaves it idle.
    graph(saver, "interrupt").invoke(Command(resume="yes"), {"configurable": {"thread_id": ids["interrupt"]}})
    assert saver.count_threads(metadata={"suite": suite}, status="interrupted") == 0
    assert saver.count_threads(metadata={"suite": suite}, status="idle") == 2


def test_paging_returns_every_thread_once(saver: PostgresCheckpointer, suite: str) -> None:
    ids = [f"t-page-{i:02}-{uuid4()}" for i in range(7)]
    for thread_id in ids:
        run(saver, thread_id, "idle", suite)
    pages: list[list[ThreadInfo]] = []
    after: ThreadInfo | None = None
    while True:
        page = saver.search_threads(metadata={"suite": suite}, after=after, limit=3)
        if not page:
            break
        pages.append(page)
        after = page[-1]
    assert [len(p) for p in pages] == [3, 3, 1]
    assert [t.thread_id for p in pages for t in p] == list(reversed(ids))
    # A thread created while paging does not shift the pages already read.
    run(saver, f"t-late-{uuid4()}", "idle", suite)
    second = saver.search_threads(metadata={"suite": suite}, after=pages[0][-1], limit=3)
    assert [t.thread_id for t in second] == [t.thread_id for t in pages[1]]
    assert saver.search_threads(metadata={"suite": suite}, after=(pages[0][-1].created_at, pages[0][-1].thread_id),
                                limit=3) == second  # fmt: skip


def test_time_ranges(saver: PostgresCheckpointer, suite: str) -> None:
    first = f"t-first-{uuid4()}"
    run(saver, first, "idle", suite)
    middle = datetime.now(timezone.utc)
    time.sleep(0.01)
    second = f"t-second-{uuid4()}"
    run(saver, second, "idle", suite)
    assert [t.thread_id for t in saver.search_threads(metadata={"suite": suite}, created_since=middle)] == [second]
    assert [t.thread_id for t in saver.search_threads(metadata={"suite": suite}, created_before=middle)] == [first]
    time.sleep(1.1)  # saves keep threads.updated_at to the second
    later = datetime.now(timezone.utc)
    run(saver, first, "idle", suite)
    assert [t.thread_id for t in saver.search_threads(metadata={"suite": suite}, updated_since=later)] == [first]


def test_ttl_pin_and_refresh_on_read_drive_expire_idle_threads(
    saver: PostgresCheckpointer, database_url: str, suite: str
) -> None:
    short, pinned, refreshed, untouched = (f"t-{name}-{uuid4()}" for name in ("short", "pinned", "read", "plain"))
    for thread_id in (short, pinned, refreshed, untouched):
        run(saver, thread_id, "idle", suite)
    expires = saver.set_thread_ttl(short, 0.5)
    assert expires is not None
    saver.set_thread_ttl(pinned, timedelta(seconds=0.5))
    assert saver.pin_thread(pinned) is True
    saver.set_thread_ttl(refreshed, 1.5, refresh_on_read=True)
    by_id = {t.thread_id: t for t in saver.search_threads(metadata={"suite": suite})}
    assert by_id[short].ttl == timedelta(seconds=0.5) and by_id[short].expires_at == expires
    assert by_id[pinned].pinned and by_id[pinned].expires_at is None
    assert by_id[refreshed].refresh_on_read
    assert saver.touch_thread(untouched) is False

    time.sleep(1.1)
    assert saver.touch_thread(refreshed) is True  # read now: its 1.5 s count from here
    time.sleep(0.5)
    # A global idle limit of a year spares all four; the short TTL does not.
    with psycopg.connect(database_url, autocommit=True) as conn:
        conn.execute("CALL langgraph.expire_idle_threads(idle => '365 days')")
    left = {t.thread_id for t in saver.search_threads(metadata={"suite": suite})}
    assert left == {pinned, refreshed, untouched}
    assert saver.get_tuple({"configurable": {"thread_id": short}}) is None

    assert saver.pin_thread(pinned, False) is False
    assert saver.set_thread_ttl(refreshed, None) is None
    with psycopg.connect(database_url, autocommit=True) as conn:
        conn.execute("CALL langgraph.expire_idle_threads(idle => '365 days')")
    assert {t.thread_id for t in saver.search_threads(metadata={"suite": suite})} == {refreshed, untouched}


def test_ttl_and_pin_drive_cleanup_old_checkpoints(saver: PostgresCheckpointer, suite: str) -> None:
    pinned, plain = f"t-pinned-{uuid4()}", f"t-plain-{uuid4()}"
    for thread_id in (pinned, plain):
        for _ in range(3):
            run(saver, thread_id, "idle", suite)
        saver.set_thread_ttl(thread_id, 0.5)
    saver.pin_thread(pinned)
    before = {t: len(list(saver.list({"configurable": {"thread_id": t}}))) for t in (pinned, plain)}
    time.sleep(1)
    # A retention of a century spares every other thread; the plain thread's TTL does not.
    saver.cleanup_old_checkpoints(36500, keep_last=1)
    after = {t: len(list(saver.list({"configurable": {"thread_id": t}}))) for t in (pinned, plain)}
    assert after[pinned] == before[pinned] > 1
    assert after[plain] == 1


def test_bad_arguments_are_typed_errors(saver: PostgresCheckpointer) -> None:
    with pytest.raises(InvalidArgumentError):
        saver.search_threads(status="busy")  # type: ignore[arg-type]
    with pytest.raises(InvalidArgumentError):
        saver.set_thread_ttl(f"t-{uuid4()}", -5)
    with pytest.raises(InvalidArgumentError):
        saver.search_threads(limit=-1)
    with pytest.raises(TypeError):
        saver.count_threads(tag="x")  # type: ignore[call-arg]


async def test_the_async_saver(async_saver: AsyncPostgresCheckpointer, suite: str) -> None:
    ids = {mode: f"t-a{mode}-{uuid4()}" for mode in ("idle", "interrupt")}
    for mode, thread_id in ids.items():
        config = {"configurable": {"thread_id": thread_id}, "metadata": {"suite": suite}}
        await graph(async_saver, mode).ainvoke({"topic": "dogs"}, config)
    found = await async_saver.asearch_threads(metadata={"suite": suite})
    assert [(t.thread_id, t.status) for t in found] == [(ids["interrupt"], "interrupted"), (ids["idle"], "idle")]
    assert await async_saver.acount_threads(metadata={"suite": suite}, values={"topic": "dogs"}) == 2
    page = await async_saver.asearch_threads(metadata={"suite": suite}, after=found[0], limit=5)
    assert [t.thread_id for t in page] == [ids["idle"]]
    assert await async_saver.aset_thread_ttl(ids["idle"], timedelta(days=1), refresh_on_read=True) is not None
    assert await async_saver.atouch_thread(ids["idle"]) is True
    assert await async_saver.apin_thread(ids["idle"]) is True
    (info,) = [t for t in await async_saver.asearch_threads(metadata={"suite": suite}) if t.thread_id == ids["idle"]]
    assert info.pinned and info.ttl == timedelta(days=1) and info.expires_at is None


class Chat(TypedDict):
    messages: Annotated[list[str], operator.add]


def test_values_match_lists_saved_as_appended_tails(saver: PostgresCheckpointer, suite: str) -> None:
    # The client sends a growing list as its new elements (appended tails); the search
    # compares the whole value, rebuilt from its pieces.
    builder = StateGraph(Chat)
    builder.add_node("reply", lambda s: {"messages": [f"re: {s['messages'][-1]}"]})
    builder.add_edge(START, "reply")
    builder.add_edge("reply", END)
    chat = builder.compile(checkpointer=saver)
    thread_id = f"t-tails-{uuid4()}"
    config = {"configurable": {"thread_id": thread_id}, "metadata": {"suite": suite}}
    for turn in ("first", "second", "third"):
        chat.invoke({"messages": [turn]}, config)
    assert chat.get_state(config).values["messages"][::2] == ["first", "second", "third"]
    found = saver.search_threads(metadata={"suite": suite}, values={"messages": ["first", "re: third"]})
    assert [t.thread_id for t in found] == [thread_id]
    assert saver.search_threads(metadata={"suite": suite}, values={"messages": ["fourth"]}) == []


async def test_touch_on_read_refreshes_a_thread_when_it_is_read(
    saver: PostgresCheckpointer, async_saver: AsyncPostgresCheckpointer, database_url: str, suite: str
) -> None:
    thread_id = f"t-read-{uuid4()}"
    run(saver, thread_id, "idle", suite)
    saver.set_thread_ttl(thread_id, timedelta(days=1), refresh_on_read=True)

    def read_at() -> Any:
        with psycopg.connect(database_url) as conn:
            row = conn.execute("SELECT read_at FROM langgraph.thread_settings WHERE thread_id = %s", (thread_id,))
            return row.fetchone()[0]

    assert read_at() is None
    saver.get_tuple({"configurable": {"thread_id": thread_id}})
    assert read_at() is None, "off by default: a read records nothing"
    saver.touch_on_read = True
    graph(saver, "idle").get_state({"configurable": {"thread_id": thread_id}})
    first = read_at()
    assert first is not None, "graph.get_state reads through get_tuple, which now records the read"
    time.sleep(1.1)
    async_saver.touch_on_read = True
    assert await async_saver.aget_tuple({"configurable": {"thread_id": thread_id}}) is not None
    assert read_at() > first
    # A thread that is not there records nothing and raises nothing.
    assert saver.get_tuple({"configurable": {"thread_id": f"t-none-{uuid4()}"}}) is None
