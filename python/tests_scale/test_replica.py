"""Read replicas (PostgresConfig.read_url, docs/scaling.md) against a real streaming
replica that replays 1.5 s late: get_tuple and list of a thread this saver wrote go to
the primary, so they never go back in time; other threads' reads go to the replica,
which this proves by catching it in the past.
"""

from __future__ import annotations

import time
import uuid

import psycopg
import pytest
from langgraph.checkpoint.base import empty_checkpoint

from langgraph.checkpoint.plpgsql import AsyncPostgresCheckpointer, PostgresCheckpointer


def _checkpoint(step: int) -> tuple[dict, dict, dict]:
    checkpoint = empty_checkpoint()
    checkpoint["channel_values"] = {"messages": [f"m{i}" for i in range(step)]}
    checkpoint["channel_versions"] = {"messages": str(step)}
    return checkpoint, {"step": step, "source": "loop"}, {"messages": str(step)}


def _latest_id(tup) -> str | None:
    return None if tup is None else tup.checkpoint["id"]


def test_the_replica_is_a_real_standby(primary_and_replica: tuple[str, str]) -> None:
    _, replica = primary_and_replica
    with psycopg.connect(replica) as conn:
        assert conn.execute("SELECT pg_is_in_recovery()").fetchone()[0] is True
        with pytest.raises(psycopg.errors.ReadOnlySqlTransaction):
            conn.execute("SELECT langgraph.save_checkpoint('x', '{}')")


def test_a_threads_reads_after_its_own_writes_never_go_back(primary_and_replica: tuple[str, str]) -> None:
    primary, replica = primary_and_replica
    thread_id = f"ryw-{uuid.uuid4()}"
    base = {"configurable": {"thread_id": thread_id, "checkpoint_ns": ""}}
    stale_reads = 0
    with (
        PostgresCheckpointer.from_conn_string(primary, read_url=replica, min_connections=1) as writer,
        PostgresCheckpointer.from_conn_string(primary, read_url=replica, min_connections=1) as other,
    ):
        writer.setup()
        config = base
        for step in range(1, 16):
            config = writer.put(config, *_checkpoint(step))
            written = config["configurable"]["checkpoint_id"]
            # The writer's own reads: the checkpoint it just wrote, every time.
            assert _latest_id(writer.get_tuple(base)) == written
            assert [t.checkpoint["id"] for t in writer.list(base, limit=1)] == [written]
            assert [t.checkpoint["id"] for t in writer.list(base)][0] == written
            # Another saver, which wrote nothing there, reads the replica: the past.
            if _latest_id(other.get_tuple(base)) != written:
                stale_reads += 1
        assert stale_reads >= 10, "the other saver's reads did not come from the lagging replica"
        # Once replayed, the replica serves the present too.
        deadline = time.monotonic() + 30
        while _latest_id(other.get_tuple(base)) != written:
            assert time.monotonic() < deadline, "the replica never replayed the write"
            time.sleep(0.2)


async def test_the_async_saver_routes_the_same_way(primary_and_replica: tuple[str, str]) -> None:
    primary, replica = primary_and_replica
    thread_id = f"ryw-async-{uuid.uuid4()}"
    base = {"configurable": {"thread_id": thread_id, "checkpoint_ns": ""}}
    async with (
        AsyncPostgresCheckpointer.from_conn_string(primary, read_url=replica, min_connections=1) as writer,
        AsyncPostgresCheckpointer.from_conn_string(primary, read_url=replica, min_connections=1) as other,
    ):
        config = await writer.aput(base, *_checkpoint(1))
        written = config["configurable"]["checkpoint_id"]
        assert _latest_id(await writer.aget_tuple(base)) == written
        assert [t.checkpoint["id"] async for t in writer.alist(base)] == [written]
        assert await other.aget_tuple(base) is None  # not replayed yet: the replica's past
