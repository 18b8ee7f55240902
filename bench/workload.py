"""A realistic checkpoint workload, recorded once and replayed into every saver.

A chat graph (``add_messages``, one tool-like node) runs on ``InMemorySaver`` while a
recorder keeps every ``put`` and ``put_writes`` call LangGraph makes. Replaying those
calls gives each saver exactly the same payloads, so the ratios compare storage
engines, not workloads.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Annotated, Any

from langchain_core.messages import AIMessage, HumanMessage
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.graph import END, START, StateGraph
from langgraph.graph.message import add_messages
from typing_extensions import TypedDict

# A reply the size of a typical LLM answer (~500 bytes of text).
REPLY = (
    "Here is a summary of what you asked about. PostgreSQL keeps each checkpoint in one "
    "transaction, so a crash never leaves half a state behind; the values of channels "
    "that did not change are not written again, which keeps the table small even for "
    "long conversations. Ask a follow-up question to continue the thread. "
) * 2


class ChatState(TypedDict):
    messages: Annotated[list, add_messages]
    turns: int


def _assistant(state: ChatState) -> dict[str, Any]:
    question = state["messages"][-1].content
    return {
        "messages": [AIMessage(content=f"{REPLY} (re: {question[:40]})")],
        "turns": state.get("turns", 0) + 1,
    }


@dataclass
class Call:
    kind: str  # "put" or "put_writes"
    args: tuple[Any, ...]


class _Recorder(InMemorySaver):
    def __init__(self) -> None:
        super().__init__()
        self.calls: list[Call] = []

    def put(self, config, checkpoint, metadata, new_versions):  # type: ignore[override]
        self.calls.append(Call("put", copy.deepcopy((config, checkpoint, metadata, new_versions))))
        return super().put(config, checkpoint, metadata, new_versions)

    def put_writes(self, config, writes, task_id, task_path=""):  # type: ignore[override]
        self.calls.append(Call("put_writes", copy.deepcopy((config, list(writes), task_id, task_path))))
        return super().put_writes(config, writes, task_id, task_path)


def record_chat(turns: int) -> list[Call]:
    """The saver calls of one thread that chats for ``turns`` turns."""
    builder = StateGraph(ChatState)
    builder.add_node("assistant", _assistant)
    builder.add_edge(START, "assistant")
    builder.add_edge("assistant", END)
    recorder = _Recorder()
    graph = builder.compile(checkpointer=recorder)
    config = {"configurable": {"thread_id": "recorded"}}
    for turn in range(turns):
        graph.invoke({"messages": [HumanMessage(content=f"Question number {turn}: what next?")]}, config)
    return recorder.calls


def retarget(call: Call, thread_id: str) -> tuple[Any, ...]:
    """The call's arguments with its config moved to ``thread_id``."""
    config = {**call.args[0], "configurable": {**call.args[0]["configurable"], "thread_id": thread_id}}
    return (config, *call.args[1:])


class CounterState(TypedDict):
    count: int
    status: str


def record_counter(turns: int) -> list[Call]:
    """The saver calls of a small-state graph (two scalar channels), ``turns`` runs."""
    builder = StateGraph(CounterState)
    builder.add_node("step", lambda s: {"count": s.get("count", 0) + 1, "status": "running"})
    builder.add_edge(START, "step")
    builder.add_edge("step", END)
    recorder = _Recorder()
    graph = builder.compile(checkpointer=recorder)
    config = {"configurable": {"thread_id": "recorded"}}
    for _ in range(turns):
        graph.invoke({"count": 0, "status": "start"}, config)
    return recorder.calls
