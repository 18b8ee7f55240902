"""A realistic checkpoint workload, recorded once and replayed into every saver.

The benchmark's graphs run on ``InMemorySaver`` while a recorder keeps every ``put``
and ``put_writes`` call LangGraph makes. Replaying those calls gives each saver
exactly the same payloads, so the ratios compare storage engines, not workloads.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Annotated, Any

from langchain_core.messages import AIMessage, HumanMessage
from langgraph.checkpoint.base.id import uuid6
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.graph import END, START, StateGraph
from langgraph.graph.message import add_messages
from typing_extensions import TypedDict

@dataclass
class Call:
    kind: str  # "put" or "put_writes"
    args: tuple[Any, ...]


# --------------------------------------------------------------------------------------
# The LangGraph-v4-shaped chat of the wide benchmark (bench_saver.py): a growing
# ``messages`` channel of ~200-byte messages, four scalar channels, and per step two
# parallel tasks that write three channels each. ``new_versions`` names only the
# channels a step changed, as LangGraph sends it.

QUESTION = (
    "Could you look at the order history for this account and tell me which of the "
    "shipments are still pending, and whether any refund was issued last month? Thanks."
)
ANSWER = (
    "Two shipments are still pending: the one from the 3rd and the one from the 12th. "
    "A refund of 18.40 was issued on the 21st of last month to the card on file."
)


# Threads of 10,000 checkpoints use a trimmed history (the last WINDOW messages), so
# that thread length, not state size, is what changes between them.
WINDOW = 10


def _last_window(left: list, right: list) -> list:
    return add_messages(left, right)[-WINDOW:]


class ChatV4State(TypedDict):
    messages: Annotated[list, add_messages]
    turns: int
    mood: str
    summary: str
    tokens: int
    status: str


class WindowedChatV4State(ChatV4State):
    messages: Annotated[list, _last_window]  # type: ignore[misc]


def chat_v4_graph(windowed: bool = False) -> StateGraph:
    """The chat graph: START fans out to ``responder`` and ``tracker``, both to END."""

    def responder(state):  # type: ignore[no-untyped-def]
        turn = state.get("turns", 0) + 1
        return {"messages": [AIMessage(content=f"{ANSWER} #{turn}")], "turns": turn, "mood": "helpful"}

    def tracker(state):  # type: ignore[no-untyped-def]
        return {
            "summary": f"{len(state['messages'])} messages about orders and refunds",
            "tokens": state.get("tokens", 0) + 57,
            "status": "answered",
        }

    builder = StateGraph(WindowedChatV4State if windowed else ChatV4State)
    builder.add_node("responder", responder)
    builder.add_node("tracker", tracker)
    builder.add_edge(START, "responder")
    builder.add_edge(START, "tracker")
    builder.add_edge("responder", END)
    builder.add_edge("tracker", END)
    return builder


def chat_v4_input(turn: int) -> dict[str, Any]:
    return {"messages": [HumanMessage(content=f"{QUESTION} #{turn}")]}


class LoopState(TypedDict):
    goal: str
    plan: list
    results: list
    reviews: int


def plan_act_review_graph(rounds: int = 3) -> StateGraph:
    """plan -> act -> review, back to plan until ``rounds`` reviews are done."""

    def plan(state: LoopState) -> dict[str, Any]:
        return {"plan": [f"step {i} of {state['goal']}" for i in range(3)]}

    def act(state: LoopState) -> dict[str, Any]:
        return {"results": state.get("results", []) + [f"did {state['plan'][-1]}"]}

    def review(state: LoopState) -> dict[str, Any]:
        return {"reviews": state.get("reviews", 0) + 1}

    builder = StateGraph(LoopState)
    builder.add_node("plan", plan)
    builder.add_node("act", act)
    builder.add_node("review", review)
    builder.add_edge(START, "plan")
    builder.add_edge("plan", "act")
    builder.add_edge("act", "review")
    builder.add_conditional_edges("review", lambda s: END if s["reviews"] >= rounds else "plan")
    return builder


def _plain_config(config: dict) -> dict:
    """The config without LangGraph's runtime objects, as a client would pass it."""
    keep = ("thread_id", "checkpoint_ns", "checkpoint_id")
    return {"configurable": {k: config["configurable"][k] for k in keep if k in config["configurable"]}}


class _PlainRecorder(InMemorySaver):
    """Keeps every put / put_writes with plain configs (deep copies)."""

    def __init__(self) -> None:
        super().__init__()
        self.calls: list[Call] = []

    def put(self, config, checkpoint, metadata, new_versions):  # type: ignore[override]
        args = (_plain_config(config), *copy.deepcopy((checkpoint, metadata, new_versions)))
        self.calls.append(Call("put", args))
        return super().put(config, checkpoint, metadata, new_versions)

    def put_writes(self, config, writes, task_id, task_path=""):  # type: ignore[override]
        args = (_plain_config(config), copy.deepcopy(list(writes)), task_id, task_path)
        self.calls.append(Call("put_writes", args))
        return super().put_writes(config, writes, task_id, task_path)


def record_chat_v4(checkpoints: int, windowed: bool = False) -> list[Call]:
    """The saver calls of one chat thread, up to its ``checkpoints``-th put (3 per turn)."""
    recorder = _PlainRecorder()
    graph = chat_v4_graph(windowed).compile(checkpointer=recorder)
    config = {"configurable": {"thread_id": "recorded"}}
    turn = 0
    while sum(c.kind == "put" for c in recorder.calls) < checkpoints:
        graph.invoke(chat_v4_input(turn), config)
        turn += 1
        # Long recordings would keep every state in memory twice.
        recorder.storage.clear()
        recorder.writes.clear()
        recorder.blobs.clear()
        # The recorder must still answer get_tuple for the next invoke.
        last = next(c for c in reversed(recorder.calls) if c.kind == "put")
        InMemorySaver.put(recorder, *last.args)
    _share_kept_elements(recorder.calls)
    puts = 0
    out: list[Call] = []
    for call in _puts_first(recorder.calls):
        if call.kind == "put":
            if puts == checkpoints:
                break
            puts += 1
        out.append(call)
    return out


def _share_kept_elements(calls: list[Call]) -> None:
    """Give the recorded lists back the object identity a live run has.

    The recorder deep-copies every put, so each recorded ``messages`` list holds new
    objects. In a live graph the messages a step kept are the very objects of the step
    before (``add_messages`` builds a new list around them), and a saver may rely on
    that (ours sends only the appended tail). Each list that starts with the elements
    of the channel's previous list, equal element for element, takes those objects.
    """
    last: dict[str, list[Any]] = {}
    for call in calls:
        if call.kind != "put":
            continue
        for channel, value in call.args[1]["channel_values"].items():
            previous = last.get(channel)
            if type(value) is list and previous is not None and previous == value[: len(previous)]:
                value[: len(previous)] = previous
            if type(value) is list:
                last[channel] = value


def _puts_first(calls: list[Call]) -> list[Call]:
    """The calls with every put_writes after the put of its checkpoint: LangGraph saves
    checkpoints in the background, so a task's writes can be recorded first."""
    seen: set[str] = set()
    held: dict[str, list[Call]] = {}
    out: list[Call] = []
    for call in calls:
        if call.kind == "put":
            out.append(call)
            seen.add(call.args[1]["id"])
            out.extend(held.pop(call.args[1]["id"], []))
        elif call.args[0]["configurable"]["checkpoint_id"] in seen:
            out.append(call)
        else:
            held.setdefault(call.args[0]["configurable"]["checkpoint_id"], []).append(call)
    assert not held, "writes of a checkpoint that was never put"
    return out


def replay(calls: list[Call], thread_id: str, user_id: str | None = None) -> list[Call]:
    """The calls moved to ``thread_id`` with fresh, time-ordered checkpoint ids (as a
    live thread would have) and ``user_id`` in every checkpoint's metadata."""
    ids: dict[str, str] = {}
    out: list[Call] = []
    for call in calls:
        configurable = dict(call.args[0]["configurable"], thread_id=thread_id)
        configurable.setdefault("checkpoint_ns", "")
        if "checkpoint_id" in configurable:
            configurable["checkpoint_id"] = ids[configurable["checkpoint_id"]]
        config = {"configurable": configurable}
        if call.kind == "put":
            _, checkpoint, metadata, new_versions = call.args
            ids[checkpoint["id"]] = str(uuid6())
            checkpoint = {**checkpoint, "id": ids[checkpoint["id"]]}
            if user_id is not None:
                metadata = {**metadata, "user_id": user_id}
            out.append(Call("put", (config, checkpoint, metadata, new_versions)))
        else:
            out.append(Call("put_writes", (config, *call.args[1:])))
    return out
