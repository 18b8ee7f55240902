"""One process of test_kill.py, killed with SIGKILL somewhere in its work.

    python _kill_worker.py DATABASE_URL MODE THREAD_ID

MODE "graph" runs the test's StateGraph on the thread, one node after another (each
node sleeps a little, so the kill lands inside the graph as well as inside a save);
"saves" puts checkpoints and their writes in a loop, with values large enough that the
kill lands inside a call too; "resume" finishes the graph run of the thread, whatever
state the kill left it in, and prints its final state as JSON. Prints "ready" once
connected, before the work starts.
"""

from __future__ import annotations

import json
import operator
import sys
import time
from typing import Annotated, Any

from langgraph.checkpoint.base import empty_checkpoint
from langgraph.graph import END, START, StateGraph
from typing_extensions import TypedDict

from langgraph.checkpoint.plpgsql import PostgresCheckpointer

NODES = [f"node{i}" for i in range(8)]
WRITES_PER_TASK = 3


class State(TypedDict):
    steps: Annotated[list[str], operator.add]


def graph(saver: Any) -> Any:
    builder = StateGraph(State)
    previous = START

    def step(name: str) -> Any:
        def run(state: State) -> dict[str, list[str]]:
            time.sleep(0.01)
            return {"steps": [name]}

        return run

    for name in NODES:
        builder.add_node(name, step(name))
        builder.add_edge(previous, name)
        previous = name
    builder.add_edge(previous, END)
    return builder.compile(checkpointer=saver)


def saves(saver: Any, thread_id: str) -> None:
    config: dict[str, Any] = {"configurable": {"thread_id": thread_id, "checkpoint_ns": ""}}
    for step in range(10_000):
        checkpoint = empty_checkpoint()
        checkpoint["channel_values"] = {"payload": "x" * 200_000, "step": step}
        versions = {"payload": saver.get_next_version(None, None), "step": saver.get_next_version(None, None)}
        checkpoint["channel_versions"] = versions
        config = saver.put(config, checkpoint, {"step": step}, versions)
        saver.put_writes(
            config, [(f"w{i}", "y" * 50_000) for i in range(WRITES_PER_TASK)], task_id=f"task-{step}"
        )


def main() -> None:
    url, mode, thread_id = sys.argv[1:]
    with PostgresCheckpointer.from_conn_string(url, min_connections=1, max_connections=2, metrics=False) as saver:
        print("ready", flush=True)
        config = {"configurable": {"thread_id": thread_id}}
        if mode == "graph":
            graph(saver).invoke({"steps": []}, config)
        elif mode == "saves":
            saves(saver, thread_id)
        elif mode == "resume":
            compiled = graph(saver)
            state = compiled.get_state(config)
            # No checkpoint: killed before the first one, so start over; else go on from
            # the last one (its finished tasks' writes are kept, the others run again).
            compiled.invoke({"steps": []} if state.metadata is None else None, config)
            print(json.dumps(compiled.get_state(config).values), flush=True)


if __name__ == "__main__":
    main()
