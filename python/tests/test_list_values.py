"""``list`` reads list_checkpoints_v2, whose rows carry a channel's value only where its
version changed from the row before: every listed tuple must still equal what
``get_tuple`` (get_checkpoint_v2, another path) and ``InMemorySaver`` return for it, and
own its values (the listing decodes each value once and hands out copies)."""

from __future__ import annotations

import json
import operator
from typing import Annotated, Any

from langchain_core.messages import AIMessage, BaseMessage, HumanMessage
from langgraph.checkpoint.base import CheckpointTuple
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.graph import END, START, StateGraph
from langgraph.graph.message import add_messages
from langgraph.types import Command, interrupt
from typing_extensions import TypedDict

from langgraph.checkpoint.plpgsql import AsyncPostgresCheckpointer, PostgresCheckpointer


class State(TypedDict, total=False):
    log: Annotated[list, operator.add]
    counter: int
    payload: bytes
    note: str


def _last_three(left: list, right: list) -> list:
    return add_messages(left, right)[-3:]


def _step(state: State) -> dict[str, Any]:
    n = state.get("counter", 0)
    update: dict[str, Any] = {"log": [f"step {n}"], "counter": n + 1}
    if n % 3 == 0:
        update["payload"] = bytes([n % 256]) * (n + 1)
    return update


def _ask(state: State) -> dict[str, Any]:
    return {"note": interrupt("note?")}


def _inner_graph() -> Any:
    inner = StateGraph(State)
    inner.add_node("inner_step", _step)
    inner.add_edge(START, "inner_step")
    inner.add_edge("inner_step", END)
    return inner.compile()


def _graph(checkpointer: Any) -> Any:
    builder = StateGraph(State)
    builder.add_node("step", _step)
    builder.add_node("sub", _inner_graph())
    builder.add_node("ask", _ask)
    builder.add_edge(START, "step")
    builder.add_edge("step", "sub")
    builder.add_edge("sub", "ask")
    builder.add_edge("ask", END)
    return builder.compile(checkpointer=checkpointer)


def _comparable(saved: CheckpointTuple) -> tuple[Any, ...]:
    checkpoint = dict(saved.checkpoint)
    return (
        saved.config["configurable"]["checkpoint_ns"],
        saved.config["configurable"]["checkpoint_id"],
        checkpoint["channel_values"],
        checkpoint["channel_versions"],
        saved.metadata,
        saved.parent_config["configurable"]["checkpoint_id"] if saved.parent_config else None,
        sorted((task, channel, repr(value)) for task, channel, value in saved.pending_writes or []),
    )


def _run(graph: Any, config: dict[str, Any]) -> None:
    """Turns, interrupts answered, then a fork from an early checkpoint and a turn on it."""
    for turn in range(3):
        graph.invoke({"log": [f"input {turn}"]}, config)
        graph.invoke(Command(resume=f"answer {turn}"), config)
    history = list(graph.get_state_history(config))
    early = history[len(history) // 2].config
    forked = graph.update_state(early, {"log": ["forked"], "note": "fork"})
    graph.invoke(None, forked)


def test_listed_tuples_equal_get_tuple_and_memory(saver: PostgresCheckpointer, thread_id: str) -> None:
    ours, memory = _graph(saver), _graph(InMemorySaver())
    config = {"configurable": {"thread_id": thread_id}}
    _run(ours, config)
    _run(memory, config)

    listed = list(saver.list(config))
    assert len(listed) > 20
    assert {t.config["configurable"]["checkpoint_ns"] for t in listed} != {""}, "subgraph namespaces listed"
    for saved in listed:
        got = saver.get_tuple(saved.config)
        assert got is not None
        assert _comparable(saved) == _comparable(got)

    # The same histories as InMemorySaver's, value for value (ids and task namespaces
    # differ): the root namespace in order, the subgraphs' values as a multiset.
    theirs = list(memory.checkpointer.list(config))

    def root_values(tuples: list[CheckpointTuple]) -> list[Any]:
        return [t.checkpoint["channel_values"] for t in tuples if not t.config["configurable"]["checkpoint_ns"]]

    def sub_values(tuples: list[CheckpointTuple]) -> list[str]:
        return sorted(
            json.dumps(t.checkpoint["channel_values"], sort_keys=True, default=repr)
            for t in tuples
            if t.config["configurable"]["checkpoint_ns"]
        )

    assert root_values(listed) == root_values(theirs)
    assert sub_values(listed) == sub_values(theirs)


def test_pages_and_filters_carry_their_own_values(saver: PostgresCheckpointer, thread_id: str) -> None:
    graph = _graph(saver)
    config = {"configurable": {"thread_id": thread_id}}
    _run(graph, config)
    root = {"configurable": {"thread_id": thread_id, "checkpoint_ns": ""}}
    whole = {t.config["configurable"]["checkpoint_id"]: t for t in saver.list(root)}

    # Each page starts from nothing held: its first row must carry every value.
    before = None
    pages = 0
    while True:
        page = list(saver.list(root, before=before, limit=4))
        if not page:
            break
        pages += 1
        for saved in page:
            assert _comparable(saved) == _comparable(whole[saved.config["configurable"]["checkpoint_id"]])
        before = page[-1].config
    assert pages >= 3

    for saved in saver.list(root, filter={"source": "loop"}):
        assert _comparable(saved) == _comparable(whole[saved.config["configurable"]["checkpoint_id"]])


def test_listed_values_are_not_shared_between_tuples(saver: PostgresCheckpointer, thread_id: str) -> None:
    graph = _graph(saver)
    config = {"configurable": {"thread_id": thread_id}}
    _run(graph, config)
    root = {"configurable": {"thread_id": thread_id, "checkpoint_ns": ""}}
    first, second = list(saver.list(root, limit=2))
    if first.checkpoint["channel_versions"].get("log") == second.checkpoint["channel_versions"].get("log"):
        assert first.checkpoint["channel_values"]["log"] is not second.checkpoint["channel_values"]["log"]
    first.checkpoint["channel_values"]["log"].append("mutated")
    assert "mutated" not in second.checkpoint["channel_values"]["log"]


async def test_async_list_matches_sync(
    saver: PostgresCheckpointer, async_saver: AsyncPostgresCheckpointer, thread_id: str
) -> None:
    _run(_graph(saver), {"configurable": {"thread_id": thread_id}})
    config = {"configurable": {"thread_id": thread_id}}
    streamed = [_comparable(t) async for t in async_saver.alist(config)]
    paged = [_comparable(t) async for t in async_saver.alist(config, limit=1000)]
    assert streamed == paged == [_comparable(t) for t in saver.list(config)]


# ------------------------------------------------------------- a chat's messages
# A listing decodes each value once (a list of messages element by element, each message
# once however many versions hold it) and gives each tuple its own copy: the copies must
# be exact and must share nothing.


class Chat(TypedDict, total=False):
    messages: Annotated[list, add_messages]
    window: Annotated[list, _last_three]
    turns: int
    notes: dict


def _chat_graph(checkpointer: Any) -> Any:
    def reply(state: Chat) -> dict[str, Any]:
        turn = state.get("turns", 0) + 1
        answer = AIMessage(
            f"answer {turn}",
            id=f"ai-{turn}",
            tool_calls=[{"name": "lookup", "args": {"turn": turn, "tags": ["a"]}, "id": f"call-{turn}"}]
            if turn % 2
            else [],
            usage_metadata={"input_tokens": turn, "output_tokens": 2, "total_tokens": turn + 2},
            response_metadata={"model": "m", "stop": None},
            additional_kwargs={"nested": {"turn": [turn]}},
        )
        return {"messages": [answer], "window": [answer], "turns": turn, "notes": {"last": [turn]}}

    builder = StateGraph(Chat)
    builder.add_node("reply", reply)
    builder.add_edge(START, "reply")
    builder.add_edge("reply", END)
    return builder.compile(checkpointer=checkpointer)


def _chat(graph: Any, config: dict[str, Any], turns: int = 8) -> None:
    for turn in range(turns):
        question = HumanMessage(content=[{"type": "text", "text": f"question {turn}"}], id=f"human-{turn}")
        graph.invoke({"messages": [question], "window": [question]}, config)


def _mutate(value: Any) -> None:
    """Change everything in ``value`` that can be changed, in place."""
    if isinstance(value, list):
        for item in value:
            _mutate(item)
        value.append("mutated")
    elif isinstance(value, dict):
        for item in value.values():
            _mutate(item)
        value["mutated"] = True
    elif isinstance(value, BaseMessage):
        for name in ("content", "additional_kwargs", "response_metadata", "tool_calls"):
            _mutate(getattr(value, name, None))
        value.name = "mutated"
        value.__pydantic_fields_set__.add("mutated")


def test_listed_messages_are_exact_and_every_tuple_owns_its_own(pool: Any, thread_id: str) -> None:
    config = {"configurable": {"thread_id": thread_id}}
    memory = _chat_graph(InMemorySaver())
    _chat(_chat_graph(PostgresCheckpointer(pool)), config)
    _chat(memory, config)
    # A reader that wrote nothing: get_tuple decodes every value from the database too
    # (a writer's get_tuple may answer from the list values it sent).
    saver = PostgresCheckpointer(pool)

    for listed in (list(saver.list(config)), list(saver.list(config, limit=100))):
        assert len(listed) == 24
        fresh = [saver.get_tuple(t.config) for t in listed]
        assert [_comparable(t) for t in listed] == [_comparable(t) for t in fresh]
        for saved, got in zip(listed, fresh, strict=True):
            for name, value in saved.checkpoint["channel_values"].items():
                if name in ("messages", "window"):
                    assert [type(m) for m in value] == [type(m) for m in got.checkpoint["channel_values"][name]]
                    for mine, theirs in zip(value, got.checkpoint["channel_values"][name], strict=True):
                        assert mine.__dict__ == theirs.__dict__
                        assert mine.__pydantic_fields_set__ == theirs.__pydantic_fields_set__
        values = [t.checkpoint["channel_values"] for t in memory.checkpointer.list(config)]
        assert [t.checkpoint["channel_values"] for t in listed] == values

        # Change one tuple at a time, everything in it: no other tuple changes.
        for index, saved in enumerate(listed):
            _mutate(saved.checkpoint["channel_values"])
            for later, expected in zip(listed[index + 1 :], fresh[index + 1 :], strict=True):
                assert later.checkpoint["channel_values"] == expected.checkpoint["channel_values"]


async def test_async_listed_messages_are_exact_and_not_shared(
    saver: PostgresCheckpointer, async_saver: AsyncPostgresCheckpointer, thread_id: str
) -> None:
    config = {"configurable": {"thread_id": thread_id}}
    _chat(_chat_graph(saver), config, turns=4)
    listed = [t async for t in async_saver.alist(config)]
    assert [_comparable(t) for t in listed] == [_comparable(t) for t in saver.list(config)]
    for index, saved in enumerate(listed):
        _mutate(saved.checkpoint["channel_values"])
        for later in listed[index + 1 :]:
            assert later.checkpoint["channel_values"] == saver.get_tuple(later.config).checkpoint["channel_values"]
