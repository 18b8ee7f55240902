"""The main job's LangGraph part: a small chat graph checkpointed by this saver.

It chats for three turns, pauses for a human approval with interrupt(), resumes,
then goes back in time: forks an early checkpoint with update_state and reads the
branches and lineage the SQL functions report. Last, plain SQL reads a message text
at its documented JSON path. Run by scripts/demo against the throwaway cluster.
"""

from __future__ import annotations

import os
from typing import Annotated
from uuid import uuid4

import psycopg
from langchain_core.messages import AIMessage, HumanMessage
from langgraph.graph import END, START, StateGraph
from langgraph.graph.message import add_messages
from langgraph.types import Command, interrupt
from typing_extensions import TypedDict

from langgraph.checkpoint.plpgsql import PostgresCheckpointer


class Chat(TypedDict):
    messages: Annotated[list, add_messages]


def assistant(state: Chat) -> dict:
    question = state["messages"][-1].content
    return {"messages": [AIMessage(content=f"You said {question!r}. Tell me more.")]}


def approval(state: Chat) -> dict:
    decision = interrupt({"question": "Send this answer?", "answer": state["messages"][-1].content})
    return {"messages": [AIMessage(content=f"(approval: {decision})")]}


def build(saver: PostgresCheckpointer):
    builder = StateGraph(Chat)
    builder.add_node("assistant", assistant)
    builder.add_node("approval", approval)
    builder.add_edge(START, "assistant")
    builder.add_edge("assistant", "approval")
    builder.add_edge("approval", END)
    return builder.compile(checkpointer=saver)


def main() -> None:
    url = os.environ["DATABASE_URL"]
    thread = f"demo-{uuid4()}"
    config = {"configurable": {"thread_id": thread}}
    with PostgresCheckpointer.from_conn_string(url, max_connections=2, min_connections=1) as saver:
        saver.setup()
        graph = build(saver)
        for text in ("hello", "what is a checkpoint?", "thanks"):
            graph.invoke({"messages": [HumanMessage(content=text)]}, config)
            paused = graph.get_state(config)
            print(f"paused before {paused.next} with: {paused.tasks[0].interrupts[0].value['question']}")
            graph.invoke(Command(resume="yes"), config)
        print(f"{len(graph.get_state(config).values['messages'])} messages after three turns")

        history = list(graph.get_state_history(config))
        early = history[-3]
        forked = graph.update_state(early.config, {"messages": [HumanMessage(content="a different path")]})
        print(f"forked at step {early.metadata['step']}: new head {forked['configurable']['checkpoint_id']}")
        for branch in saver.branches(thread):
            print(f"  branch head {branch.head_checkpoint_id} splits from {branch.branch_point_id} "
                  f"({branch.length} checkpoint(s)){' <- latest' if branch.is_latest else ''}")
        lineage = saver.lineage(config)
        print(f"the latest checkpoint has {len(lineage) - 1} ancestors")

    with psycopg.connect(url) as conn:
        text = conn.execute(
            "SELECT langgraph.load_checkpoint(%s, %s) -> 'state' -> 'messages' -> 0 -> 'lc' -> 'kwargs' ->> 'content'",
            (thread, history[0].config["configurable"]["checkpoint_id"]),
        ).fetchone()[0]
        print(f"plain SQL reads the first message of the main branch: {text!r}")
        conn.execute("SELECT langgraph.delete_thread(%s)", (thread,))


if __name__ == "__main__":
    main()
