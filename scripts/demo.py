"""The LangGraph part of scripts/demo: a chat checkpointed by this saver, step by step.

1. a three-turn chat that pauses for a human approval (interrupt) and resumes;
2. a run killed mid-graph (SIGKILL, in a child process) and resumed in a new process
   from its last checkpoint, without running again what had finished;
3. time travel: update_state on an early checkpoint forks the thread, and
   `langgraph-plpgsql history` draws the tree;
4. retention with `langgraph-plpgsql cleanup` (a progress bar on a terminal);
5. the client's Prometheus metrics, and a message read back with plain SQL.

Run by scripts/demo against its throwaway cluster (or $DATABASE_URL):
``python scripts/demo.py``. ``--run-slow THREAD`` and ``--resume THREAD`` are the two
child processes of step 2.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Annotated
from uuid import uuid4

import psycopg
from langchain_core.messages import AIMessage, BaseMessage, HumanMessage
from langgraph.graph import END, START, StateGraph
from langgraph.graph.message import add_messages
from langgraph.types import Command, interrupt
from typing_extensions import TypedDict

from langgraph.checkpoint.plpgsql import PostgresCheckpointer

URL = os.environ["DATABASE_URL"]
COMMAND = str(Path(sys.executable).with_name("langgraph-plpgsql"))


def say(text: str) -> None:
    print(text, flush=True)


def show(message: BaseMessage) -> None:
    say(f"    {message.type:>5}: {message.content}")


# ------------------------------------------------------------- the chat graph


class Chat(TypedDict):
    messages: Annotated[list, add_messages]


def assistant(state: Chat) -> dict:
    question = state["messages"][-1].content
    return {"messages": [AIMessage(content=f"You said {question!r}. Tell me more.")]}


def approval(state: Chat) -> dict:
    decision = interrupt({"question": "Send this answer?", "answer": state["messages"][-1].content})
    return {"messages": [AIMessage(content=f"(approval: {decision})")]}


def chat_graph(saver: PostgresCheckpointer):
    builder = StateGraph(Chat)
    builder.add_node("assistant", assistant)
    builder.add_node("approval", approval)
    builder.add_edge(START, "assistant")
    builder.add_edge("assistant", "approval")
    builder.add_edge("approval", END)
    return builder.compile(checkpointer=saver)


# ------------------------------------------- a graph that is killed and resumed


def research(state: Chat) -> dict:
    say(f"    [pid {os.getpid()}] research: looking things up")
    return {"messages": [AIMessage(content="research: three sources found")]}


def write(state: Chat) -> dict:
    say(f"    [pid {os.getpid()}] write: drafting the answer")
    if os.environ.get("DEMO_SLOW") == "1":
        time.sleep(60)  # the parent kills this process here
    return {"messages": [AIMessage(content="write: the answer, from three sources")]}


def pipeline(saver: PostgresCheckpointer):
    builder = StateGraph(Chat)
    builder.add_node("research", research)
    builder.add_node("write", write)
    builder.add_edge(START, "research")
    builder.add_edge("research", "write")
    builder.add_edge("write", END)
    return builder.compile(checkpointer=saver)


def child(mode: str, thread: str) -> None:
    config = {"configurable": {"thread_id": thread}}
    with PostgresCheckpointer.from_conn_string(URL, max_connections=2, min_connections=1) as saver:
        graph = pipeline(saver)
        if mode == "--run-slow":
            graph.invoke({"messages": [HumanMessage(content="write me a report")]}, config)
        else:
            state = graph.get_state(config)
            say(f"    [pid {os.getpid()}] resuming at step {state.metadata['step']}, next: {', '.join(state.next)}")
            result = graph.invoke(None, config)  # None: continue from the last checkpoint
            for message in result["messages"]:
                show(message)


def kill_and_resume() -> str:
    thread = f"demo-killed-{uuid4().hex[:8]}"
    say(f"\n== 2. a run killed mid-graph and resumed in a new process (thread {thread})")
    script = str(Path(__file__).resolve())
    slow = subprocess.Popen([sys.executable, "-u", script, "--run-slow", thread], env={**os.environ, "DEMO_SLOW": "1"})
    with psycopg.connect(URL, autocommit=True) as conn:
        # Wait until research's checkpoint is committed: write is then running.
        while True:
            row = conn.execute(
                "SELECT max((metadata ->> 'step')::int) FROM langgraph.list_checkpoints(p_thread_id => %s)",
                (thread,),
            ).fetchone()
            if row[0] is not None and row[0] >= 1:
                break
            if slow.poll() is not None:
                raise SystemExit("the slow run ended before it could be killed")
            time.sleep(0.1)
    time.sleep(0.5)
    slow.send_signal(signal.SIGKILL)
    slow.wait()
    say(f"    killed pid {slow.pid} with SIGKILL while write was running")
    subprocess.run([sys.executable, "-u", script, "--resume", thread], check=True)
    say("    research ran once: the new process started from its checkpoint")
    return thread


# ---------------------------------------------------------------------- main


def run_command(*args: str) -> None:
    subprocess.run([COMMAND, *args, "--dsn", URL], check=True)


def metrics_summary() -> None:
    from prometheus_client import REGISTRY

    say("\n== 5. the client's Prometheus metrics (prometheus_client's default registry)")
    for family in REGISTRY.collect():
        if not family.name.startswith("postgres_checkpoint"):
            continue
        for sample in family.samples:
            if sample.name.endswith("_total") or sample.name.endswith("_count"):
                labels = ", ".join(f"{k}={v}" for k, v in sorted(sample.labels.items()))
                say(f"    {sample.name}{{{labels}}} {sample.value:g}")


def main() -> None:
    thread = f"demo-chat-{uuid4().hex[:8]}"
    config = {"configurable": {"thread_id": thread}}
    with PostgresCheckpointer.from_conn_string(URL, max_connections=2, min_connections=1) as saver:
        saver.setup()
        graph = chat_graph(saver)
        say(f"\n== 1. a chat, checkpointed after every step (thread {thread})")
        shown = 0
        for text in ("hello", "what is a checkpoint?", "thanks"):
            graph.invoke({"messages": [HumanMessage(content=text)]}, config)
            paused = graph.get_state(config)
            for message in paused.values["messages"][shown:]:
                show(message)
            say(f"    ... paused before {', '.join(paused.next)}: {paused.tasks[0].interrupts[0].value['question']}")
            graph.invoke(Command(resume="yes"), config)
            messages = graph.get_state(config).values["messages"]
            for message in messages[len(paused.values["messages"]) :]:
                show(message)
            shown = len(messages)

        kill_and_resume()

        say("\n== 3. time travel: update_state on an early checkpoint forks the thread")
        history = list(graph.get_state_history(config))
        early = history[-3]
        forked = graph.update_state(early.config, {"messages": [HumanMessage(content="a different path")]})
        say(f"    forked at step {early.metadata['step']}: new head {forked['configurable']['checkpoint_id']}")
        say(f"    $ langgraph-plpgsql history {thread}")
        run_command("history", thread)

        say("\n== 4. retention: keep the last 2 checkpoints of every thread")
        say("    $ langgraph-plpgsql cleanup --retention-days 0 --keep-last 2")
        run_command("cleanup", "--retention-days", "0", "--keep-last", "2")
        say(f"    $ langgraph-plpgsql history {thread}")
        run_command("history", thread)

        latest = saver.get_tuple(config)
        metrics_summary()

    with psycopg.connect(URL) as conn:
        text = conn.execute(
            "SELECT langgraph.load_checkpoint(%s, %s) -> 'state' -> 'messages' -> -1 -> 'lc' -> 'kwargs' ->> 'content'",
            (thread, latest.config["configurable"]["checkpoint_id"]),
        ).fetchone()[0]
    say(f"\n== plain SQL reads the latest message of the chat at its JSON path: {text!r}")


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] in ("--run-slow", "--resume"):
        child(sys.argv[1], sys.argv[2])
    else:
        main()
