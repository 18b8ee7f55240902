"""Appended tails (``_tails.py``): a list channel that grew at the end is sent as its new
elements and read back as the pieces the client does not hold, and every value still
reads back exactly as a whole-value save would store it."""

from __future__ import annotations

import operator
import threading
from typing import Annotated, Any
from uuid import uuid4

import psycopg
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from langchain_core.messages import AIMessage, HumanMessage
from langgraph.checkpoint.base import empty_checkpoint
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.graph import END, START, StateGraph
from langgraph.graph.message import add_messages
from psycopg_pool import ConnectionPool
from typing_extensions import TypedDict

from langgraph.checkpoint.plpgsql import AsyncPostgresCheckpointer, PostgresCheckpointer
from langgraph.checkpoint.plpgsql._tails import VERSIONS_PER_CHANNEL, TailCache

from _helpers import config_for


class Chat(TypedDict):
    messages: Annotated[list, add_messages]
    log: Annotated[list, operator.add]
    turns: int


def _assistant(state: Chat) -> dict[str, Any]:
    turn = state.get("turns", 0)
    return {
        "messages": [AIMessage(content=f"answer {turn}: " + "x" * 50)],
        "log": [f"turn {turn}", {"turn": turn}],
        "turns": turn + 1,
    }


def _chat_graph(checkpointer: Any) -> Any:
    builder = StateGraph(Chat)
    builder.add_node("assistant", _assistant)
    builder.add_edge(START, "assistant")
    builder.add_edge("assistant", END)
    return builder.compile(checkpointer=checkpointer)


def _blob_rows(url: str, thread_id: str, channel: str) -> list[tuple[Any, ...]]:
    with psycopg.connect(url) as conn:
        return conn.execute(
            "SELECT version, base_version, delta_depth FROM langgraph.checkpoint_blobs"
            " WHERE thread_id = %s AND channel = %s ORDER BY version",
            (thread_id, channel),
        ).fetchall()


def _plain(values: dict[str, Any]) -> dict[str, Any]:
    """State with messages as (type, content, id): what must match across savers."""
    out = dict(values)
    out["messages"] = [(type(m).__name__, m.content, m.id) for m in values["messages"]]
    return out


def test_chat_graph_sends_tails_and_reads_back_what_memory_has(
    saver: PostgresCheckpointer, database_url: str, thread_id: str
) -> None:
    graph, memory = _chat_graph(saver), _chat_graph(InMemorySaver())
    config = {"configurable": {"thread_id": thread_id}}
    for turn in range(40):
        message = HumanMessage(content=f"question {turn}", id=f"h{turn}")
        graph.invoke({"messages": [message]}, config)
        memory.invoke({"messages": [message.model_copy()]}, config)
    ours, theirs = graph.get_state(config).values, memory.get_state(config).values
    # add_messages gives the AI messages fresh uuids; compare everything else.
    assert [(t, c) for t, c, _ in _plain(ours)["messages"]] == [
        (t, c) for t, c, _ in _plain(theirs)["messages"]
    ]
    assert ours["log"] == theirs["log"] and ours["turns"] == theirs["turns"] == 40
    rows = _blob_rows(database_url, thread_id, "messages")
    deltas = [row for row in rows if row[1] is not None]
    assert len(deltas) > len(rows) // 2, "most messages versions should be stored as tails"
    assert max(depth for _, _, depth in rows) <= 31
    # log holds dicts, which may change in place: always whole values.
    assert all(base is None for _, base, _ in _blob_rows(database_url, thread_id, "log"))
    # A process that holds nothing reads the same state.
    fresh = PostgresCheckpointer(saver.conn, delta_writes=False)
    assert _plain(_chat_graph(fresh).get_state(config).values) == _plain(ours)


def _chat(saver: PostgresCheckpointer, thread_id: str, turns: int) -> dict:
    """``turns`` turns of the chat graph on ``thread_id``; its config."""
    graph = _chat_graph(saver)
    config = {"configurable": {"thread_id": thread_id}}
    for turn in range(turns):
        graph.invoke({"messages": [HumanMessage(content=f"q{turn}")]}, config)
    return config


def test_a_read_sends_only_what_the_client_does_not_hold(
    saver: PostgresCheckpointer, database_url: str, thread_id: str
) -> None:
    config = _chat(saver, thread_id, 5)
    saved = saver.get_tuple(config)
    assert saved is not None
    held = saver._tails.held(thread_id, "")
    assert held["messages"][0][0] == saved.checkpoint["channel_versions"]["messages"]
    pieces = _pieces_sent(saver, database_url, {"configurable": {"thread_id": thread_id, "checkpoint_ns": ""}})
    # log holds dicts, which the cache does not trust: it comes whole every time.
    assert "messages" not in pieces and "log" in pieces
    again = saver.get_tuple(config)
    assert again.checkpoint["channel_values"] == saved.checkpoint["channel_values"]


def _pieces_sent(saver: PostgresCheckpointer, database_url: str, config: dict) -> list[str]:
    """The channels whose pieces get_checkpoint_v2 sends for the parameters the saver
    would send now, naming what it holds."""
    params, _ = saver._get_held_params(config)
    with psycopg.connect(database_url) as conn:
        return conn.execute(
            "SELECT piece_channels FROM langgraph.get_checkpoint_v2(%s, %s, %s, %s, %s)",
            (params["thread_id"], params["checkpoint_ns"], params["checkpoint_id"],
             params["known_channels"] and list(params["known_channels"]),
             params["known_versions"] and list(params["known_versions"])),
        ).fetchone()[0]


def test_reads_back_and_forth_send_each_version_once(
    saver: PostgresCheckpointer, database_url: str, thread_id: str
) -> None:
    config = _chat(saver, thread_id, 4)
    history = list(saver.list(config))
    latest = {"configurable": {"thread_id": thread_id, "checkpoint_ns": ""}}
    earlier = {"configurable": {**latest["configurable"], "checkpoint_id": history[4].config["configurable"]["checkpoint_id"]}}
    expected = {
        "latest": history[0].checkpoint["channel_values"]["messages"],
        "earlier": history[4].checkpoint["channel_values"]["messages"],
    }
    assert len(expected["earlier"]) < len(expected["latest"])
    saver._tails.clear()  # as another process would start
    for _ in range(3):
        for name, cfg in (("latest", latest), ("earlier", earlier)):
            tup = saver.get_tuple(cfg)
            assert tup is not None and tup.checkpoint["channel_values"]["messages"] == expected[name]
    # Both versions are held now: reading either again sends no messages at all.
    held = saver._tails.held(thread_id, "")["messages"]
    assert {version for version, _ in held} == {
        history[0].checkpoint["channel_versions"]["messages"], history[4].checkpoint["channel_versions"]["messages"]
    }
    assert "messages" not in _pieces_sent(saver, database_url, latest)
    assert "messages" not in _pieces_sent(saver, database_url, earlier)
    # A checkpoint in between extends the older held version: only what follows it comes.
    middle = {"configurable": {**latest["configurable"], "checkpoint_id": history[2].config["configurable"]["checkpoint_id"]}}
    tup = saver.get_tuple(middle)
    assert tup.checkpoint["channel_values"]["messages"] == history[2].checkpoint["channel_values"]["messages"]
    fresh = PostgresCheckpointer(saver.conn, delta_writes=False)
    assert fresh.get_tuple(middle).checkpoint["channel_values"] == tup.checkpoint["channel_values"]


def _put_list(saver: PostgresCheckpointer, config: dict, items: list[Any], version: str) -> dict:
    checkpoint = empty_checkpoint()
    checkpoint["channel_values"] = {"items": items}
    checkpoint["channel_versions"] = {"items": version}
    return saver.put(config, checkpoint, {"source": "loop", "step": 0, "parents": {}}, {"items": version})


# One step of a list channel's life: append new elements (the common case), replace an
# element with a new object, drop the last one, reorder, or start over.
_STEPS = st.lists(
    st.one_of(
        *[st.tuples(st.just("append"), st.lists(st.one_of(st.text(max_size=5), st.integers()), min_size=1, max_size=3))] * 4,
        st.tuples(st.just("replace"), st.integers(min_value=0, max_value=50)),
        st.tuples(st.just("drop"), st.none()),
        st.tuples(st.just("reverse"), st.none()),
        st.tuples(st.just("reset"), st.none()),
        st.tuples(st.just("other_process"), st.lists(st.integers(), min_size=1, max_size=2)),
    ),
    min_size=1,
    max_size=45,
)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=_STEPS)
def test_tails_store_exactly_what_whole_values_store(pool: ConnectionPool, steps: list[Any]) -> None:
    ours = PostgresCheckpointer(pool)
    other = PostgresCheckpointer(pool)  # a second process: its own cache
    whole = PostgresCheckpointer(pool, delta_writes=False)
    thread = f"test-{uuid4()}"
    config, whole_config = config_for(thread), config_for(f"{thread}-whole")
    items: list[Any] = []
    version = None
    for kind, arg in steps:
        if kind == "append":
            items = [*items, *arg]
        elif kind == "replace" and items:
            items = list(items)
            items[arg % len(items)] = f"new-{arg}"
        elif kind == "drop":
            items = items[:-1]
        elif kind == "reverse":
            items = items[::-1]
        elif kind == "reset":
            items = []
        version = ours.get_next_version(version, None)
        writer = other if kind == "other_process" else ours
        if kind == "other_process":
            items = [*items, *arg]
        config = _put_list(writer, config, items, version)
        whole_config = _put_list(whole, whole_config, items, version)
        expected = whole.get_tuple(whole_config).checkpoint["channel_values"]["items"]
        assert expected == items
        for reader in (ours, other, PostgresCheckpointer(pool)):
            assert reader.get_tuple(config).checkpoint["channel_values"]["items"] == items


def test_a_base_removed_behind_the_cache_falls_back_to_the_whole_value(
    saver: PostgresCheckpointer, database_url: str, thread_id: str
) -> None:
    config = config_for(thread_id)
    items = ["a", "b"]
    config = _put_list(saver, config, items, "1.1")
    with psycopg.connect(database_url, autocommit=True) as conn:
        # What retention does to an unreferenced version: the row is gone.
        conn.execute("DELETE FROM langgraph.checkpoint_blobs WHERE thread_id = %s", (thread_id,))
    items = [*items, "c"]
    config = _put_list(saver, config, items, "2.1")
    fresh = PostgresCheckpointer(saver.conn)
    assert fresh.get_tuple(config).checkpoint["channel_values"]["items"] == ["a", "b", "c"]
    assert _blob_rows(database_url, thread_id, "items") == [("2.1", None, 0)]


def test_inside_a_callers_transaction_values_go_whole(database_url: str, thread_id: str) -> None:
    with psycopg.connect(database_url) as conn:
        saver = PostgresCheckpointer(conn)
        config = _put_list(saver, config_for(thread_id), ["a"], "1.1")
        items = ["a", "b"]
        # The tail could be refused (LG009), and a refusal would end the caller's transaction.
        _put_list(saver, config, items, "2.1")
        conn.commit()
    assert [base for _, base, _ in _blob_rows(database_url, thread_id, "items")] == [None, None]


def test_mutable_elements_are_never_sent_as_tails(saver: PostgresCheckpointer, database_url: str, thread_id: str) -> None:
    first = [{"n": 1}]
    config = _put_list(saver, config_for(thread_id), first, "1.1")
    first[0]["n"] = 2  # changed in place: a tail would miss it
    config = _put_list(saver, config, [*first, {"n": 3}], "2.1")
    assert saver.get_tuple(config).checkpoint["channel_values"]["items"] == [{"n": 2}, {"n": 3}]
    assert [base for _, base, _ in _blob_rows(database_url, thread_id, "items")] == [None, None]


async def test_async_saver_sends_and_reads_tails(
    async_saver: AsyncPostgresCheckpointer, database_url: str, thread_id: str
) -> None:
    graph = _chat_graph(async_saver)
    config = {"configurable": {"thread_id": thread_id}}
    for turn in range(6):
        await graph.ainvoke({"messages": [HumanMessage(content=f"q{turn}")]}, config)
    state = (await graph.aget_state(config)).values
    assert [m.content for m in state["messages"][::2]] == [f"q{turn}" for turn in range(6)]
    assert any(base is not None for _, base, _ in _blob_rows(database_url, thread_id, "messages"))


def test_cache_is_bounded_and_forgets_deleted_threads() -> None:
    cache = TailCache(2)
    for n in range(3):
        cache.remember((f"t{n}", "", "messages"), "1", ["a"])
    assert cache.held("t0", "") == {} and len(cache) == 2
    cache.forget_threads(["t2"])
    assert cache.held("t2", "") == {} and cache.held("t1", "") == {"messages": (("1", ("a",)),)}
    assert cache.base_for(("t1", "", "messages"), ["a", "b"]) == ("1", 1)
    assert cache.base_for(("t1", "", "messages"), ["x", "b"]) is None
    assert cache.base_for(("t1", "", "messages"), ["a"]) is None


def test_cache_holds_a_few_versions_of_a_channel_newest_first() -> None:
    cache = TailCache(8)
    key = ("t", "", "messages")
    a, b, c = "a", "b", "c"  # immutable, so the cache trusts them
    for n, value in enumerate([[a], [a, b], [a, b, c], [a, b, c, a], [a, b, c, a, b]], start=1):
        cache.remember(key, str(n), value)
    held = cache.held("t", "")["messages"]
    assert [version for version, _ in held] == ["5", "4", "3", "2"][:VERSIONS_PER_CHANNEL]
    assert len(cache) == 1
    # A value that grew from the newest held version extends that one ...
    assert cache.base_for(key, [a, b, c, a, b, c]) == ("5", 5)
    # ... and one that grew from an older held version (a fork from an earlier state) that one.
    assert cache.base_for(key, [a, b, c, "z"]) == ("3", 3)
    # Remembering a held version again makes it the newest, without a second copy.
    cache.remember(key, "3", [a, b, c])
    assert [version for version, _ in cache.held("t", "")["messages"]] == ["3", "5", "4", "2"][:VERSIONS_PER_CHANNEL]
    # A value the cache cannot trust drops every version of the channel.
    cache.remember(key, "6", [a, b, c, {"mutable": True}])
    assert cache.held("t", "") == {}


def test_pruning_and_retention_keep_every_kept_list_whole(
    saver: PostgresCheckpointer, database_url: str, thread_id: str
) -> None:
    graph = _chat_graph(saver)
    config = {"configurable": {"thread_id": thread_id}}
    for turn in range(40):
        graph.invoke({"messages": [HumanMessage(content=f"q{turn}")]}, config)
    before = _plain(graph.get_state(config).values)
    assert any(base is not None for _, base, _ in _blob_rows(database_url, thread_id, "messages"))
    # Retention keeps the newest checkpoint; the chain it reads through stays (the
    # base_version foreign key would refuse anything else).
    with psycopg.connect(database_url, autocommit=True) as conn:
        conn.execute(
            "UPDATE langgraph.checkpoints SET created_at = now() - interval '40 days' WHERE thread_id = %s",
            (thread_id,),
        )
        conn.execute("CALL langgraph.cleanup_old_checkpoints(30, keep_last => 1)")
    fresh = PostgresCheckpointer(saver.conn)
    assert len(list(fresh.list({"configurable": {"thread_id": thread_id}}))) == 1
    assert _plain(_chat_graph(fresh).get_state(config).values) == before
    # The saver that wrote the thread goes on with a tail on the version retention kept.
    graph.invoke({"messages": [HumanMessage(content="after retention")]}, config)
    after = _chat_graph(PostgresCheckpointer(saver.conn)).get_state(config).values
    assert [m.content for m in after["messages"]][: len(before["messages"])] == [c for _, c, _ in before["messages"]]
    assert after["messages"][-2].content == "after retention"
    saver.prune([thread_id], strategy="keep_latest")
    assert _plain(_chat_graph(PostgresCheckpointer(saver.conn)).get_state(config).values) == _plain(after)


async def test_async_saver_falls_back_to_the_whole_value(
    async_saver: AsyncPostgresCheckpointer, database_url: str, thread_id: str
) -> None:
    async def put(config: dict, items: list[Any], version: str) -> dict:
        checkpoint = empty_checkpoint()
        checkpoint["channel_values"] = {"items": items}
        checkpoint["channel_versions"] = {"items": version}
        return await async_saver.aput(config, checkpoint, {"source": "loop", "step": 0, "parents": {}}, {"items": version})

    config = await put(config_for(thread_id), ["a"], "1.1")
    config = await put(config, ["a", "b"], "2.1")
    assert [base for _, base, _ in _blob_rows(database_url, thread_id, "items")] == [None, "1.1"]
    with psycopg.connect(database_url, autocommit=True) as conn:
        # The version this saver holds is gone, as after retention.
        conn.execute("DELETE FROM langgraph.checkpoint_blobs WHERE thread_id = %s AND version = '2.1'", (thread_id,))
    config = await put(config, ["a", "b", "c"], "3.1")
    saved = await AsyncPostgresCheckpointer(async_saver.conn).aget_tuple(config)
    assert saved.checkpoint["channel_values"]["items"] == ["a", "b", "c"]
    assert _blob_rows(database_url, thread_id, "items")[-1] == ("3.1", None, 0)


def test_writers_on_many_threads_share_one_cache(pool: ConnectionPool) -> None:
    saver = PostgresCheckpointer(pool)
    threads = [f"test-{uuid4()}" for _ in range(8)]
    errors: list[BaseException] = []

    def chat(thread: str) -> None:
        try:
            graph = _chat_graph(saver)
            config = {"configurable": {"thread_id": thread}}
            for turn in range(8):
                graph.invoke({"messages": [HumanMessage(content=f"{thread} {turn}")]}, config)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    workers = [threading.Thread(target=chat, args=(t,)) for t in threads]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert not errors, errors[0]
    for thread in threads:
        state = _chat_graph(PostgresCheckpointer(pool)).get_state({"configurable": {"thread_id": thread}}).values
        assert [m.content for m in state["messages"][::2]] == [f"{thread} {turn}" for turn in range(8)]
