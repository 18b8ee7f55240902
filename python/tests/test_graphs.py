"""Real StateGraphs, each run on our savers and on InMemorySaver, compared step by step.

A scenario returns what a user would observe (results, ``get_state``,
``get_state_history``); ids and timestamps are dropped before the comparison.
"""

from __future__ import annotations

import operator
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Annotated, Any
from uuid import uuid4

import pytest
from langchain_core.messages import AIMessage, BaseMessage, HumanMessage
from langgraph.channels.delta import DeltaChannel
from langgraph.checkpoint.base import BaseCheckpointSaver
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.graph import END, START, StateGraph
from langgraph.graph.message import add_messages
from langgraph.types import Command, Interrupt, Send, StateSnapshot, interrupt
from typing_extensions import TypedDict

from langgraph.checkpoint.plpgsql import AsyncPostgresCheckpointer, PostgresCheckpointer

# ------------------------------------------------------------------ harness


@dataclass
class Runner:
    """Drives a compiled graph through its sync or async API, the same way for every saver."""

    graph: Any
    use_async: bool

    async def invoke(self, value: Any, config: dict, **kwargs: Any) -> Any:
        if self.use_async:
            return await self.graph.ainvoke(value, config, **kwargs)
        return self.graph.invoke(value, config, **kwargs)

    async def state(self, config: dict, **kwargs: Any) -> StateSnapshot:
        if self.use_async:
            return await self.graph.aget_state(config, **kwargs)
        return self.graph.get_state(config, **kwargs)

    async def history(self, config: dict, **kwargs: Any) -> list[StateSnapshot]:
        if self.use_async:
            return [s async for s in self.graph.aget_state_history(config, **kwargs)]
        return list(self.graph.get_state_history(config, **kwargs))

    async def update(self, config: dict, values: Any, as_node: str | None = None) -> dict:
        if self.use_async:
            return await self.graph.aupdate_state(config, values, as_node=as_node)
        return self.graph.update_state(config, values, as_node=as_node)


def normalize(value: Any) -> Any:
    """Drop what differs between runs by design: ids, timestamps, run ids."""
    if isinstance(value, StateSnapshot):
        return {
            "values": normalize(value.values),
            "next": value.next,
            "metadata": normalize(
                {k: v for k, v in (value.metadata or {}).items() if k not in ("parents", "run_id")}
            ),
            "tasks": [
                (t.name, t.path, repr(t.error) if t.error else None, normalize(list(t.interrupts)),
                 normalize(t.state) if isinstance(t.state, StateSnapshot) else None,
                 normalize(t.result))
                for t in value.tasks
            ],
            "interrupts": normalize(list(value.interrupts)),
            "has_parent": value.parent_config is not None,
            # Namespaces embed task ids, which derive from checkpoint ids: keep the names.
            "ns": "|".join(
                part.split(":")[0]
                for part in value.config["configurable"].get("checkpoint_ns", "").split("|")
            ),
        }
    if isinstance(value, BaseMessage):
        return (type(value).__name__, value.content, getattr(value, "tool_calls", None), value.name)
    if isinstance(value, Interrupt):
        return ("Interrupt", normalize(value.value))
    if isinstance(value, dict):
        return {k: normalize(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(normalize(v) for v in value)
    return value


Scenario = Callable[[Callable[[Any], Runner], str], Awaitable[list[Any]]]


@pytest.fixture(params=["sync", "async"])
async def saver_under_test(request, pool, async_pool) -> tuple[BaseCheckpointSaver, bool]:
    if request.param == "sync":
        return PostgresCheckpointer(pool), False
    return AsyncPostgresCheckpointer(async_pool), True


async def run_both(saver_under_test, scenario: Scenario) -> list[Any]:
    saver, use_async = saver_under_test
    observed = []
    for checkpointer in (InMemorySaver(), saver):
        def make(builder, checkpointer=checkpointer):
            return Runner(builder.compile(checkpointer=checkpointer), use_async)

        observed.append(normalize(await scenario(make, f"graph-{uuid4()}")))
    expected, actual = observed
    assert actual == expected
    return actual


def config_for(thread_id: str) -> dict:
    return {"configurable": {"thread_id": thread_id}}


# ---------------------------------------------------------------- scenarios


class ChatState(TypedDict):
    messages: Annotated[list[BaseMessage], add_messages]
    turns: int


def chat_builder() -> StateGraph:
    def respond(state: ChatState) -> dict:
        last = state["messages"][-1]
        return {
            "messages": [AIMessage(f"echo: {last.content}", id=f"ai-{len(state['messages'])}")],
            "turns": state.get("turns", 0) + 1,
        }

    builder = StateGraph(ChatState)
    builder.add_node("respond", respond)
    builder.add_edge(START, "respond")
    builder.add_edge("respond", END)
    return builder


async def test_multi_turn_chat(saver_under_test) -> None:
    async def scenario(make, thread_id):
        run = make(chat_builder())
        config = config_for(thread_id)
        results = []
        for i, text in enumerate(["hello", "how are you?", "bye"]):
            results.append(await run.invoke({"messages": [HumanMessage(text, id=f"h{i}")]}, config))
        return [results, await run.state(config), await run.history(config)]

    observed = await run_both(saver_under_test, scenario)
    final = observed[0][-1]
    assert [m[1] for m in final["messages"]] == [
        "hello", "echo: hello", "how are you?", "echo: how are you?", "bye", "echo: bye"
    ]
    assert final["turns"] == 3


class ApprovalState(TypedDict):
    request: str
    answer: str
    log: Annotated[list[str], operator.add]


def approval_builder() -> StateGraph:
    def prepare(state: ApprovalState) -> dict:
        return {"log": ["prepared"]}

    def ask(state: ApprovalState) -> dict:
        answer = interrupt({"question": f"approve {state['request']}?"})
        return {"answer": answer, "log": [f"answered {answer}"]}

    builder = StateGraph(ApprovalState)
    builder.add_node("prepare", prepare)
    builder.add_node("ask", ask)
    builder.add_edge(START, "prepare")
    builder.add_edge("prepare", "ask")
    builder.add_edge("ask", END)
    return builder


async def test_interrupt_and_resume(saver_under_test) -> None:
    async def scenario(make, thread_id):
        run = make(approval_builder())
        config = config_for(thread_id)
        first = await run.invoke({"request": "deploy", "log": []}, config)
        waiting = await run.state(config)
        resumed = await run.invoke(Command(resume="yes"), config)
        return [first, waiting, resumed, await run.state(config), await run.history(config)]

    observed = await run_both(saver_under_test, scenario)
    first, waiting, resumed = observed[:3]
    assert waiting["next"] == ("ask",)
    assert waiting["interrupts"] == [("Interrupt", {"question": "approve deploy?"})]
    assert resumed["answer"] == "yes" and resumed["log"] == ["prepared", "answered yes"]


class ParentState(TypedDict):
    topic: str
    notes: Annotated[list[str], operator.add]


def subgraph_builder() -> StateGraph:
    def draft(state: ParentState) -> dict:
        return {"notes": [f"draft on {state['topic']}"]}

    def review(state: ParentState) -> dict:
        verdict = interrupt("review the draft")
        return {"notes": [f"review: {verdict}"]}

    sub = StateGraph(ParentState)
    sub.add_node("draft", draft)
    sub.add_node("review", review)
    sub.add_edge(START, "draft")
    sub.add_edge("draft", "review")
    sub.add_edge("review", END)

    def publish(state: ParentState) -> dict:
        return {"notes": ["published"]}

    parent = StateGraph(ParentState)
    parent.add_node("writer", sub.compile())
    parent.add_node("publish", publish)
    parent.add_edge(START, "writer")
    parent.add_edge("writer", "publish")
    parent.add_edge("publish", END)
    return parent


async def test_subgraph_with_interrupt(saver_under_test) -> None:
    async def scenario(make, thread_id):
        run = make(subgraph_builder())
        config = config_for(thread_id)
        first = await run.invoke({"topic": "pg", "notes": []}, config)
        nested = await run.state(config, subgraphs=True)
        resumed = await run.invoke(Command(resume="lgtm"), config)
        return [first, nested, resumed, await run.state(config, subgraphs=True), await run.history(config)]

    observed = await run_both(saver_under_test, scenario)
    nested = observed[1]
    assert nested["next"] == ("writer",)
    sub_state = nested["tasks"][0][4]
    assert sub_state is not None and sub_state["ns"] == "writer"
    assert sub_state["next"] == ("review",)
    assert observed[2]["notes"] == ["draft on pg", "review: lgtm", "published"]


class FanOutState(TypedDict):
    items: list[int]
    results: Annotated[list[int], operator.add]


def fan_out_builder() -> StateGraph:
    def square(state: dict) -> dict:
        return {"results": [state["item"] ** 2]}

    def route(state: FanOutState) -> list[Send]:
        return [Send("square", {"item": i}) for i in state["items"]]

    def total(state: FanOutState) -> dict:
        return {"results": [sum(state["results"])]}

    builder = StateGraph(FanOutState)
    builder.add_node("square", square)
    builder.add_node("total", total)
    builder.add_conditional_edges(START, route, ["square"])
    builder.add_edge("square", "total")
    builder.add_edge("total", END)
    return builder


async def test_send_fan_out(saver_under_test) -> None:
    async def scenario(make, thread_id):
        run = make(fan_out_builder())
        config = config_for(thread_id)
        result = await run.invoke({"items": [1, 2, 3, 4], "results": []}, config)
        return [result, await run.state(config), await run.history(config)]

    observed = await run_both(saver_under_test, scenario)
    assert sorted(observed[0]["results"][:4]) == [1, 4, 9, 16]
    assert observed[0]["results"][4] == 30


class FlakyState(TypedDict):
    log: Annotated[list[str], operator.add]


def flaky_builder(calls: dict[str, int], fail: dict[str, bool]) -> StateGraph:
    def steady(state: FlakyState) -> dict:
        calls["steady"] += 1
        return {"log": ["steady"]}

    def flaky(state: FlakyState) -> dict:
        calls["flaky"] += 1
        if fail["now"]:
            # Fail after "steady" has finished and its write was saved, so the run
            # is deterministic for every saver.
            time.sleep(0.3)
            raise RuntimeError("flaky failed")
        return {"log": ["flaky"]}

    def after(state: FlakyState) -> dict:
        return {"log": ["after"]}

    builder = StateGraph(FlakyState)
    builder.add_node("steady", steady)
    builder.add_node("flaky", flaky)
    builder.add_node("after", after)
    builder.add_edge(START, "steady")
    builder.add_edge(START, "flaky")
    builder.add_edge(["steady", "flaky"], "after")
    builder.add_edge("after", END)
    return builder


async def test_failure_then_resume_from_pending_writes(saver_under_test) -> None:
    async def scenario(make, thread_id):
        calls = {"steady": 0, "flaky": 0}
        fail = {"now": True}
        run = make(flaky_builder(calls, fail))
        config = config_for(thread_id)
        with pytest.raises(RuntimeError, match="flaky failed"):
            await run.invoke({"log": []}, config)
        failed = await run.state(config)
        fail["now"] = False
        result = await run.invoke(None, config)
        return [dict(calls), failed, result, await run.state(config), await run.history(config)]

    observed = await run_both(saver_under_test, scenario)
    calls, failed, result = observed[:3]
    # The node that succeeded is not run again: its write was kept as a pending write.
    assert calls == {"steady": 1, "flaky": 2}
    assert failed["next"] == ("flaky",)  # steady already has its write
    assert any(t[2] and "flaky failed" in t[2] for t in failed["tasks"])
    assert sorted(result["log"]) == ["after", "flaky", "steady"]


class CounterState(TypedDict):
    value: int
    trail: Annotated[list[str], operator.add]


def counter_builder() -> StateGraph:
    def step_one(state: CounterState) -> dict:
        return {"value": state["value"] + 1, "trail": ["one"]}

    def step_two(state: CounterState) -> dict:
        return {"value": state["value"] * 10, "trail": ["two"]}

    builder = StateGraph(CounterState)
    builder.add_node("step_one", step_one)
    builder.add_node("step_two", step_two)
    builder.add_edge(START, "step_one")
    builder.add_edge("step_one", "step_two")
    builder.add_edge("step_two", END)
    return builder


async def test_fork_with_update_state_and_replay(saver_under_test) -> None:
    async def scenario(make, thread_id):
        run = make(counter_builder())
        config = config_for(thread_id)
        first = await run.invoke({"value": 1, "trail": []}, config)
        history = await run.history(config)
        before_two = next(s for s in history if s.next == ("step_two",))
        # Fork: change an old checkpoint and continue from the fork.
        fork_config = await run.update(before_two.config, {"value": 100, "trail": ["edited"]})
        forked = await run.invoke(None, fork_config)
        # Replay: run again from an old checkpoint id.
        replayed = await run.invoke(None, before_two.config)
        return [first, forked, replayed, await run.state(config), await run.history(config)]

    observed = await run_both(saver_under_test, scenario)
    first, forked, replayed = observed[:3]
    assert first["value"] == 20
    assert forked["value"] == 1000 and "edited" in forked["trail"]
    assert replayed["value"] == 20


@pytest.mark.parametrize("durability", ["sync", "async", "exit"])
async def test_durability_modes(saver_under_test, durability: str) -> None:
    async def scenario(make, thread_id):
        run = make(counter_builder())
        config = config_for(thread_id)
        result = await run.invoke({"value": 2, "trail": []}, config, durability=durability)
        again = await run.invoke({"value": 5, "trail": []}, config, durability=durability)
        return [result, again, await run.state(config), await run.history(config)]

    observed = await run_both(saver_under_test, scenario)
    assert observed[0]["value"] == 30
    history = observed[3]
    assert len(history) == (2 if durability == "exit" else 8)


def extend(state: list, writes: list) -> list:
    out = list(state)
    for write in writes:
        out.extend(write if isinstance(write, list) else [write])
    return out


class DeltaState(TypedDict):
    events: Annotated[list[str], DeltaChannel(extend, snapshot_frequency=3)]
    count: int


def delta_builder() -> StateGraph:
    def record(state: DeltaState) -> dict:
        n = state.get("count", 0) + 1
        return {"events": [f"event-{n}"], "count": n}

    builder = StateGraph(DeltaState)
    builder.add_node("record", record)
    builder.add_edge(START, "record")
    builder.add_edge("record", END)
    return builder


async def test_delta_channel(saver_under_test) -> None:
    async def scenario(make, thread_id):
        run = make(delta_builder())
        config = config_for(thread_id)
        results = [await run.invoke({"events": [f"input-{i}"]}, config) for i in range(7)]
        history = await run.history(config)
        middle = history[len(history) // 2]
        return [results, await run.state(config), history, await run.state(middle.config)]

    observed = await run_both(saver_under_test, scenario)
    final = observed[0][-1]
    assert final["count"] == 7
    assert final["events"][:2] == ["input-0", "event-1"]
    assert len(final["events"]) == 14
