"""Bytes on disk and CPU per put/get for a chat workload, per storage setting.

    DATABASE_URL=postgresql://postgres@127.0.0.1:55432/postgres .venv/bin/python bench/compression.py

Creates two scratch databases next to DATABASE_URL's (bench_plpgsql, with the schema
deployed by sqitch, and bench_official for langgraph-checkpoint-postgres), drops
nothing else, and prints a Markdown table (the one in docs/performance.md).

The workload is one chat thread of STEPS checkpoints. Each step appends
MESSAGES_PER_STEP LangChain messages of about 500 bytes of text to the `messages`
channel (add_messages: every checkpoint carries the whole list, as LangGraph stores
it) and records them as the step's pending write; a `context` channel never changes.
Our values are the typed-JSON envelopes the Python client writes (JSONB type 'json'),
the official saver's are its own msgpack.
"""

from __future__ import annotations

import os
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
from psycopg.types.json import Jsonb

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "python"))

from langchain_core.messages import AIMessage, HumanMessage, ToolMessage  # noqa: E402
from langgraph.checkpoint.base import empty_checkpoint  # noqa: E402
from langgraph.checkpoint.base.id import uuid6  # noqa: E402
from langgraph.checkpoint.plpgsql import serde  # noqa: E402

STEPS = int(os.environ.get("BENCH_STEPS", 200))
MESSAGES_PER_STEP = 3
GETS = 50
TABLES = ("threads", "checkpoints", "checkpoint_blobs", "checkpoint_writes")

WORDS = (
    "the a to of and in is it you that for on with as this was be are have not at or by from "
    "your we can will an all there their if about which when one would more so what up out no "
    "time data query index table user answer question model tool result search document cost "
    "order customer account please thanks could help error request value function return list "
    "because however example should between first after before update delete write read check "
    "temperature weather city forecast tomorrow rain sunny cloudy wind degrees celsius report"
).split()


def text(rng: random.Random, size: int) -> str:
    out: list[str] = []
    length = 0
    while length < size:
        word = rng.choice(WORDS)
        out.append(word)
        length += len(word) + 1
    return " ".join(out).capitalize() + "."


def make_step_messages(rng: random.Random, step: int) -> list:
    call_id = f"call_{rng.getrandbits(64):016x}"
    return [
        HumanMessage(content=text(rng, 480), id=f"human-{step}"),
        AIMessage(
            content=text(rng, 420),
            id=f"run-{rng.getrandbits(64):016x}-0",
            tool_calls=[{"name": "search", "args": {"query": text(rng, 40)}, "id": call_id, "type": "tool_call"}],
            response_metadata={"model_name": "gpt-4o-mini", "finish_reason": "tool_calls"},
            usage_metadata={"input_tokens": 120 + step, "output_tokens": 80, "total_tokens": 200 + step},
        ),
        ToolMessage(content=text(rng, 480), tool_call_id=call_id, id=f"tool-{step}", name="search"),
    ]


def database_url(name: str) -> str:
    parts = urlsplit(os.environ.get("DATABASE_URL", "postgresql://postgres@127.0.0.1:55432/postgres"))
    return urlunsplit(parts._replace(path="/" + name))


def recreate(name: str) -> None:
    with psycopg.connect(database_url("postgres"), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def relation_bytes(conn: psycopg.Connection, schema: str, tables: tuple[str, ...]) -> int:
    conn.execute("CHECKPOINT")
    return conn.execute(
        "SELECT sum(pg_total_relation_size(format('%%I.%%I', %s::text, t)::regclass))::bigint FROM unnest(%s::text[]) AS t",
        (schema, list(tables)),
    ).fetchone()[0]


# -- ours ---------------------------------------------------------------------------

# What each setting does to our tables before the run. Values are JSONB unless the
# row says zstd.
SETTINGS: dict[str, list[str]] = {
    "pglz (default TOAST)": [],
    "lz4": [
        "ALTER TABLE langgraph.{t} ALTER COLUMN value SET COMPRESSION lz4, ALTER COLUMN blob SET COMPRESSION lz4",
    ],
    "pglz, toast_tuple_target=128": [
        "ALTER TABLE langgraph.{t} SET (toast_tuple_target = 128)",
    ],
    "lz4, toast_tuple_target=128": [
        "ALTER TABLE langgraph.{t} ALTER COLUMN value SET COMPRESSION lz4, ALTER COLUMN blob SET COMPRESSION lz4",
        "ALTER TABLE langgraph.{t} SET (toast_tuple_target = 128)",
    ],
    "lz4, STORAGE MAIN": [
        "ALTER TABLE langgraph.{t} ALTER COLUMN value SET COMPRESSION lz4, ALTER COLUMN value SET STORAGE MAIN",
    ],
    "client zstd -3 into bytea": [
        "ALTER TABLE langgraph.{t} ALTER COLUMN blob SET STORAGE EXTERNAL",
    ],
    "compression on: deltas (pglz TOAST)": [],
    "compression on: deltas + lz4": [
        "ALTER TABLE langgraph.{t} ALTER COLUMN value SET COMPRESSION lz4",
    ],
}
# Settings that turn on set_compression (delta-encoded appended arrays).
DELTA = {"compression on: deltas (pglz TOAST)", "compression on: deltas + lz4"}
VALUE_TABLES = ("checkpoint_blobs", "checkpoint_writes")


def deploy_ours() -> None:
    recreate("bench_plpgsql")
    target = "db:" + database_url("bench_plpgsql").replace("postgresql://", "pg://")
    subprocess.run(["sqitch", "--quiet", "deploy", "--target", target], cwd=REPO, check=True)


def reset_ours(conn: psycopg.Connection, setting: str) -> None:
    conn.execute("TRUNCATE langgraph.threads CASCADE")  # the scratch database is ours alone
    for table in VALUE_TABLES:
        conn.execute(
            f"ALTER TABLE langgraph.{table} ALTER COLUMN value SET COMPRESSION pglz, ALTER COLUMN value SET STORAGE EXTENDED, "
            "ALTER COLUMN blob SET COMPRESSION pglz, ALTER COLUMN blob SET STORAGE EXTENDED, RESET (toast_tuple_target)"
        )
        for statement in SETTINGS[setting]:
            conn.execute(statement.format(t=table))
    conn.execute("SELECT langgraph.set_compression(%s)", (setting in DELTA,))


PUT = """SELECT langgraph.put_checkpoint(%s, '', %s, %s, %s, %s,
          ARRAY['messages', 'context'], %s::text[], %s::jsonb[], %s::bytea[])"""
PUT_WRITES = """SELECT langgraph.put_writes(%s, '', %s, 'task-agent', ARRAY['messages'], %s::text[], %s::jsonb[], %s::bytea[])"""
GET = "SELECT * FROM langgraph.get_checkpoint(%s, '', NULL)"
# Until checkpoint_tuples rebuilds delta-encoded values itself, the benchmark adds the
# _blob_value() call it will make, so the timing includes the rebuild.
GET_DELTA = """SELECT t.*, langgraph._blob_value(t.thread_id, '', 'messages', t.checkpoint -> 'channel_versions' ->> 'messages')
               FROM langgraph.get_checkpoint(%s, '', NULL) AS t"""


def run_ours(conn: psycopg.Connection, setting: str, history: list[list]) -> dict:
    zstd = setting.startswith("client zstd")
    if zstd:
        import zstandard

        compressor = zstandard.ZstdCompressor(level=3)
        decompressor = zstandard.ZstdDecompressor()

    def value(obj):
        doc = serde.dumps_json(obj)
        if zstd:
            return "zstd+json", None, compressor.compress(doc.encode())
        return "json", Jsonb(obj, dumps=lambda _o, d=doc: d), None

    thread = f"bench-{uuid6()}"
    context = {"user": "u-1", "locale": "en-GB", "tools": ["search", "calculator"], "system": text(random.Random(7), 300)}
    before = relation_bytes(conn, "langgraph", TABLES)
    messages: list = []
    parent = None
    put_times = []
    for step, new in enumerate(history):
        messages = messages + new
        cid = str(uuid6())
        doc = {"v": 4, "id": cid, "ts": "2026-01-01T00:00:00+00:00",
               "channel_versions": {"messages": f"{step + 1:032d}.0", "context": f"{1:032d}.0"},
               "versions_seen": {"agent": {"messages": f"{step:032d}.0"}}, "updated_channels": ["messages"]}
        m_type, m_json, m_blob = value(messages)
        c_type, c_json, c_blob = value(context)
        started = time.perf_counter()
        conn.execute(PUT, (thread, cid, parent, Jsonb(doc), Jsonb({"source": "loop", "step": step}),
                           [m_type, c_type], [m_json, c_json], [m_blob, c_blob]))
        w_type, w_json, w_blob = value(new)
        conn.execute(PUT_WRITES, (thread, cid, [w_type], [w_json], [w_blob]))
        put_times.append(time.perf_counter() - started)
        parent = cid
    after = relation_bytes(conn, "langgraph", TABLES)

    get_times = []
    for _ in range(GETS):
        started = time.perf_counter()
        row = conn.execute(GET_DELTA if setting in DELTA else GET, (thread,)).fetchone()
        names, types, values, blobs = row[7], row[8], row[9], row[10]
        for name, kind, val, blob in zip(names, types, values, blobs):
            if kind == "zstd+json":
                __import__("json").loads(decompressor.decompress(blob))
        get_times.append(time.perf_counter() - started)

    readable = conn.execute(
        "SELECT jsonb_array_length(langgraph._blob_value(thread_id, '', channel, version)) FROM langgraph.checkpoint_blobs "
        "WHERE thread_id = %s AND channel = 'messages' AND type = 'json' ORDER BY version DESC LIMIT 1", (thread,)
    ).fetchone()
    return {
        "bytes": (after - before) / STEPS,
        "put_ms": statistics.mean(put_times) * 1000,
        "get_ms": statistics.median(get_times) * 1000,
        "sql_readable": readable is not None and readable[0] == len(messages),
    }


# -- the official saver ---------------------------------------------------------------

def run_official(history: list[list]) -> dict:
    from langgraph.checkpoint.postgres import PostgresSaver

    recreate("bench_official")
    url = database_url("bench_official")
    with PostgresSaver.from_conn_string(url) as saver:
        saver.setup()
        with psycopg.connect(url, autocommit=True) as conn:
            tables = ("checkpoints", "checkpoint_blobs", "checkpoint_writes")
            before = relation_bytes(conn, "public", tables)
            config = {"configurable": {"thread_id": "bench", "checkpoint_ns": ""}}
            context = {"user": "u-1", "locale": "en-GB", "tools": ["search", "calculator"], "system": text(random.Random(7), 300)}
            messages: list = []
            put_times = []
            for step, new in enumerate(history):
                messages = messages + new
                checkpoint = empty_checkpoint()
                versions = {"messages": f"{step + 1:032d}.0", "context": f"{1:032d}.0"}
                checkpoint["channel_values"] = {"messages": messages, "context": context}
                checkpoint["channel_versions"] = versions
                checkpoint["versions_seen"] = {"agent": {"messages": f"{step:032d}.0"}}
                new_versions = {"messages": versions["messages"]} if step else versions
                started = time.perf_counter()
                config = saver.put(config, checkpoint, {"source": "loop", "step": step}, new_versions)
                saver.put_writes(config, [("messages", new)], "task-agent")
                put_times.append(time.perf_counter() - started)
            after = relation_bytes(conn, "public", tables)
            get_times = []
            for _ in range(GETS):
                started = time.perf_counter()
                saver.get_tuple({"configurable": {"thread_id": "bench", "checkpoint_ns": ""}})
                get_times.append(time.perf_counter() - started)
    return {
        "bytes": (after - before) / STEPS,
        "put_ms": statistics.mean(put_times) * 1000,
        "get_ms": statistics.median(get_times) * 1000,
        "sql_readable": False,
    }


def main() -> None:
    rng = random.Random(42)
    history = [make_step_messages(rng, step) for step in range(STEPS)]
    raw = sum(len(serde.dumps_json(m)) for step in history for m in step) / (STEPS * MESSAGES_PER_STEP)
    print(f"{STEPS} checkpoints, {MESSAGES_PER_STEP} messages per step, {raw:.0f} bytes of JSON per message\n")

    official = run_official(history)
    deploy_ours()
    results = {}
    with psycopg.connect(database_url("bench_plpgsql"), autocommit=True) as conn:
        for setting in SETTINGS:
            reset_ours(conn, setting)
            results[setting] = run_ours(conn, setting, history)
    results["official PostgresSaver (msgpack, pglz)"] = official

    print("| storage | bytes / checkpoint | vs official | put+put_writes ms | get ms | SQL reads values |")
    print("| --- | ---: | ---: | ---: | ---: | --- |")
    for name, r in results.items():
        print(f"| {name} | {r['bytes']:,.0f} | {r['bytes'] / official['bytes']:.2f} | {r['put_ms']:.2f} | "
              f"{r['get_ms']:.2f} | {'yes' if r['sql_readable'] else 'no'} |")


if __name__ == "__main__":
    main()
