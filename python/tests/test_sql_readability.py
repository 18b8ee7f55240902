"""What Python saves, plain SQL reads at the paths docs/python-client.md documents; and
what SQL writes as JSON, Python loads."""

from __future__ import annotations

from datetime import datetime, timezone
from uuid import UUID

import psycopg
import pytest
from langchain_core.messages import AIMessage, HumanMessage
from langgraph.checkpoint.base import empty_checkpoint
from langgraph.graph import END, START, MessagesState, StateGraph

from langgraph.checkpoint.plpgsql import PostgresCheckpointer


@pytest.fixture(scope="module")
def sql(database_url: str):
    with psycopg.connect(database_url, autocommit=True) as conn:
        yield conn


def chat_graph(saver: PostgresCheckpointer):
    def respond(state: MessagesState) -> dict:
        return {
            "messages": [
                AIMessage(
                    f"echo: {state['messages'][-1].content}",
                    id="ai-1",
                    tool_calls=[{"name": "lookup", "args": {"q": "pg"}, "id": "call-1"}],
                )
            ]
        }

    builder = StateGraph(MessagesState)
    builder.add_node("respond", respond)
    builder.add_edge(START, "respond")
    builder.add_edge("respond", END)
    return builder.compile(checkpointer=saver)


def test_message_text_is_readable_with_plain_sql(saver: PostgresCheckpointer, sql, thread_id: str) -> None:
    chat_graph(saver).invoke(
        {"messages": [HumanMessage("hello from python", id="h-1")]},
        {"configurable": {"thread_id": thread_id}},
    )
    # Through the JSONB API (works whatever the storage does, e.g. compression).
    rows = sql.execute(
        """SELECT m->>'name', m->'lc'->'kwargs'->>'type', m->'lc'->'kwargs'->>'content',
                  m->'lc'->'kwargs'->'tool_calls'->0->>'name'
           FROM jsonb_array_elements(
                    langgraph.load_checkpoint(p_thread_id => %s)->'state'->'messages') AS m""",
        (thread_id,),
    ).fetchall()
    assert rows == [
        ("HumanMessage", "human", "hello from python", None),
        ("AIMessage", "ai", "echo: hello from python", "lookup"),
    ]
    # Metadata is plain JSONB too.
    source, step = sql.execute(
        "SELECT metadata->>'source', (metadata->>'step')::int FROM langgraph.checkpoints "
        "WHERE thread_id = %s ORDER BY checkpoint_id DESC LIMIT 1",
        (thread_id,),
    ).fetchone()
    assert (source, step) == ("loop", 1)


def test_the_stored_row_holds_readable_json(saver: PostgresCheckpointer, sql, thread_id: str) -> None:
    checkpoint = empty_checkpoint()
    checkpoint["channel_values"] = {
        "when": datetime(2024, 5, 17, 12, 0, tzinfo=timezone.utc),
        "who": UUID(int=7),
        "plain": {"count": 3, "tags": ["a", "b"]},
    }
    checkpoint["channel_versions"] = {k: saver.get_next_version(None, None) for k in checkpoint["channel_values"]}
    config = saver.put(
        {"configurable": {"thread_id": thread_id, "checkpoint_ns": ""}},
        checkpoint, {"source": "input", "step": -1}, checkpoint["channel_versions"],
    )
    saver.put_writes(config, [("plain", {"count": 4})], task_id="task-1")
    when, who, count, written = sql.execute(
        """SELECT (d->'state'->'when'->>'value')::timestamptz,
                  (d->'state'->'who'->>'value')::uuid,
                  (d->'state'->'plain'->>'count')::int,
                  (d->'pending_writes'->0->'value'->>'count')::int
           FROM langgraph.load_checkpoint(p_thread_id => %s) AS d""",
        (thread_id,),
    ).fetchone()
    assert when == datetime(2024, 5, 17, 12, 0, tzinfo=timezone.utc)
    assert who == UUID(int=7)
    assert (count, written) == (3, 4)
    types = dict(sql.execute(
        "SELECT channel, type FROM langgraph.checkpoint_blobs WHERE thread_id = %s", (thread_id,)
    ).fetchall())
    assert types == {"when": "json", "who": "json", "plain": "json"}


def test_json_written_by_sql_loads_in_python(saver: PostgresCheckpointer, sql, thread_id: str) -> None:
    state = {
        "messages": [{
            "__lg__": "lc", "module": "langchain_core.messages.human", "name": "HumanMessage",
            "lc": {"lc": 1, "type": "constructor", "id": ["langchain", "schema", "messages", "HumanMessage"],
                   "kwargs": {"content": "written in SQL", "type": "human", "id": "sql-1"}},
        }],
        "count": 1,
    }
    sql.execute(
        "SELECT langgraph.save_checkpoint(p_thread_id => %s, p_state => %s::jsonb)",
        (thread_id, psycopg.types.json.Jsonb(state)),
    )
    values = saver.get_tuple({"configurable": {"thread_id": thread_id}}).checkpoint["channel_values"]
    assert values == {"messages": [HumanMessage("written in SQL", id="sql-1")], "count": 1}
    # And a graph continues from it.
    result = chat_graph(saver).invoke({"messages": []}, {"configurable": {"thread_id": thread_id}})
    assert [m.content for m in result["messages"]] == ["written in SQL", "echo: written in SQL"]
