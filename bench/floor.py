"""The raw floor: the least a PostgreSQL checkpointer can do per call.

A hand-written saver with one prepared statement per operation and no checks: the
checkpoint (without its channel values) as msgpack bytes, each changed channel value
as msgpack bytes, the pending writes as msgpack bytes, in three plain tables keyed
by their natural primary keys. ``get_tuple`` is a backward scan of the checkpoints
primary key plus the values and writes of that row in the same statement; ``list``
reads the same primary key with a limit. What it costs is a round trip and moving
the bytes; a real saver pays that plus whatever it does on top.

It is a real ``BaseCheckpointSaver``, so graphs compile against it, and it is used
only by the benchmark.
"""

from __future__ import annotations

import random
from collections.abc import Iterator, Sequence
from typing import Any

from langchain_core.runnables import RunnableConfig
from langgraph.checkpoint.base import (
    WRITES_IDX_MAP,
    BaseCheckpointSaver,
    ChannelVersions,
    Checkpoint,
    CheckpointMetadata,
    CheckpointTuple,
    get_checkpoint_id,
    get_serializable_checkpoint_metadata,
)
from psycopg.types.json import Jsonb
from psycopg_pool import ConnectionPool

TABLES = ("floor_checkpoints", "floor_blobs", "floor_writes")

SCHEMA = """
CREATE TABLE IF NOT EXISTS floor_checkpoints (
    thread_id text, checkpoint_ns text, checkpoint_id text, parent_id text,
    checkpoint bytea NOT NULL, metadata jsonb NOT NULL, channels text[] NOT NULL, versions text[] NOT NULL,
    PRIMARY KEY (thread_id, checkpoint_ns, checkpoint_id));
CREATE TABLE IF NOT EXISTS floor_blobs (
    thread_id text, checkpoint_ns text, channel text, version text, type text NOT NULL, value bytea,
    PRIMARY KEY (thread_id, checkpoint_ns, channel, version));
CREATE TABLE IF NOT EXISTS floor_writes (
    thread_id text, checkpoint_ns text, checkpoint_id text, task_id text, idx int,
    channel text NOT NULL, type text NOT NULL, value bytea, task_path text NOT NULL,
    PRIMARY KEY (thread_id, checkpoint_ns, checkpoint_id, task_id, idx));
"""

PUT = """
WITH blobs AS (
    INSERT INTO floor_blobs
    SELECT %(thread_id)s, %(ns)s, c, v, t, b
    FROM unnest(%(blob_channels)s::text[], %(blob_versions)s::text[], %(blob_types)s::text[], %(blob_values)s::bytea[]) AS x(c, v, t, b)
    ON CONFLICT DO NOTHING)
INSERT INTO floor_checkpoints
VALUES (%(thread_id)s, %(ns)s, %(id)s, %(parent_id)s, %(checkpoint)s, %(metadata)s, %(channels)s::text[], %(versions)s::text[])
ON CONFLICT (thread_id, checkpoint_ns, checkpoint_id)
DO UPDATE SET checkpoint = EXCLUDED.checkpoint, metadata = EXCLUDED.metadata,
              channels = EXCLUDED.channels, versions = EXCLUDED.versions
"""

PUT_WRITES = """
INSERT INTO floor_writes
SELECT %(thread_id)s, %(ns)s, %(id)s, %(task_id)s, i, c, t, b, %(task_path)s
FROM unnest(%(idx)s::int[], %(channels)s::text[], %(types)s::text[], %(values)s::bytea[]) AS x(i, c, t, b)
ON CONFLICT (thread_id, checkpoint_ns, checkpoint_id, task_id, idx)
DO UPDATE SET channel = EXCLUDED.channel, type = EXCLUDED.type, value = EXCLUDED.value
"""

def _select(where: str, tail: str = "") -> str:
    """The rows ``where`` picks (ordered and limited by ``tail`` first), each with its
    channel values and pending writes, newest first."""
    return f"""
SELECT c.thread_id, c.checkpoint_ns, c.checkpoint_id, c.parent_id, c.checkpoint, c.metadata,
       b.channels, b.types, b.values, w.task_ids, w.channels, w.types, w.values
FROM (SELECT * FROM floor_checkpoints {where} {tail}) c
CROSS JOIN LATERAL (
    SELECT array_agg(fb.channel) AS channels, array_agg(fb.type) AS types, array_agg(fb.value) AS values
    FROM unnest(c.channels, c.versions) AS cv(channel, version)
    JOIN floor_blobs fb ON fb.thread_id = c.thread_id AND fb.checkpoint_ns = c.checkpoint_ns
                       AND fb.channel = cv.channel AND fb.version = cv.version) b
CROSS JOIN LATERAL (
    SELECT array_agg(fw.task_id ORDER BY fw.task_id, fw.idx) AS task_ids,
           array_agg(fw.channel ORDER BY fw.task_id, fw.idx) AS channels,
           array_agg(fw.type ORDER BY fw.task_id, fw.idx) AS types,
           array_agg(fw.value ORDER BY fw.task_id, fw.idx) AS values
    FROM floor_writes fw
    WHERE fw.thread_id = c.thread_id AND fw.checkpoint_ns = c.checkpoint_ns
      AND fw.checkpoint_id = c.checkpoint_id) w
ORDER BY c.checkpoint_id DESC"""


GET_LATEST = _select("WHERE thread_id = %s AND checkpoint_ns = %s", "ORDER BY checkpoint_id DESC LIMIT 1")
GET_BY_ID = _select("WHERE thread_id = %s AND checkpoint_ns = %s AND checkpoint_id = %s")


class FloorSaver(BaseCheckpointSaver[str]):
    """The raw floor over a pool of autocommit connections."""

    def __init__(self, pool: ConnectionPool) -> None:
        super().__init__()
        self.pool = pool

    def setup(self) -> None:
        with self.pool.connection() as conn:
            conn.execute(SCHEMA)

    # ------------------------------------------------------------------ read

    def _run(self, query: str, params: Any) -> list[tuple]:
        with self.pool.connection() as conn:
            with conn.cursor(binary=True) as cur:
                cur.execute(query, params, prepare=True)
                return cur.fetchall()

    def _tuple(self, row: tuple) -> CheckpointTuple:
        thread_id, ns, cid, parent, blob, metadata, b_ch, b_ty, b_va, w_ta, w_ch, w_ty, w_va = row
        checkpoint = self.serde.loads_typed(("msgpack", blob))
        checkpoint["channel_values"] = {
            ch: self.serde.loads_typed((ty, va)) for ch, ty, va in zip(b_ch or (), b_ty or (), b_va or ())
            if ty != "empty"
        }
        writes = [
            (task, ch, self.serde.loads_typed((ty, va)))
            for task, ch, ty, va in zip(w_ta or (), w_ch or (), w_ty or (), w_va or ())
        ]
        config = {"configurable": {"thread_id": thread_id, "checkpoint_ns": ns, "checkpoint_id": cid}}
        parent_config = (
            {"configurable": {"thread_id": thread_id, "checkpoint_ns": ns, "checkpoint_id": parent}}
            if parent else None
        )
        return CheckpointTuple(config, checkpoint, metadata, parent_config, writes)

    def get_tuple(self, config: RunnableConfig) -> CheckpointTuple | None:
        configurable = config["configurable"]
        ns = configurable.get("checkpoint_ns", "")
        if checkpoint_id := get_checkpoint_id(config):
            rows = self._run(GET_BY_ID, (configurable["thread_id"], ns, checkpoint_id))
        else:
            rows = self._run(GET_LATEST, (configurable["thread_id"], ns))
        return self._tuple(rows[0]) if rows else None

    def list(
        self,
        config: RunnableConfig | None,
        *,
        filter: dict[str, Any] | None = None,
        before: RunnableConfig | None = None,
        limit: int | None = None,
    ) -> Iterator[CheckpointTuple]:
        # One statement text per combination of arguments, so each is prepared once.
        wheres: list[str] = []
        params: list[Any] = []
        configurable = (config or {}).get("configurable") or {}
        if "thread_id" in configurable:
            wheres.append("thread_id = %s")
            params.append(configurable["thread_id"])
        if configurable.get("checkpoint_ns") is not None:
            wheres.append("checkpoint_ns = %s")
            params.append(configurable["checkpoint_ns"])
        if checkpoint_id := get_checkpoint_id(config) if config else None:
            wheres.append("checkpoint_id = %s")
            params.append(checkpoint_id)
        if filter:
            wheres.append("metadata @> %s")
            params.append(Jsonb(filter))
        if before is not None:
            wheres.append("checkpoint_id < %s")
            params.append(get_checkpoint_id(before))
        tail = "ORDER BY checkpoint_id DESC"
        if limit is not None:
            tail += " LIMIT %s"
            params.append(int(limit))
        query = _select("WHERE " + " AND ".join(wheres) if wheres else "", tail)
        for row in self._run(query, params):
            yield self._tuple(row)

    # ----------------------------------------------------------------- write

    def put_params(
        self, config: RunnableConfig, checkpoint: Checkpoint, metadata: CheckpointMetadata,
        new_versions: ChannelVersions,
    ) -> tuple[dict[str, Any], RunnableConfig]:
        configurable = config["configurable"]
        values = checkpoint["channel_values"]
        changed = [ch for ch in new_versions if ch in values]
        dumped = [self.serde.dumps_typed(values[ch]) for ch in changed]
        kind, blob = self.serde.dumps_typed({**checkpoint, "channel_values": {}})
        assert kind == "msgpack"
        channels = list(values)
        params = {
            "thread_id": configurable["thread_id"],
            "ns": configurable.get("checkpoint_ns", ""),
            "id": checkpoint["id"],
            "parent_id": configurable.get("checkpoint_id"),
            "checkpoint": blob,
            "metadata": Jsonb(get_serializable_checkpoint_metadata(config, metadata)),
            "channels": channels,
            "versions": [str(checkpoint["channel_versions"][ch]) for ch in channels],
            "blob_channels": changed,
            "blob_versions": [str(new_versions[ch]) for ch in changed],
            "blob_types": [t for t, _ in dumped],
            "blob_values": [b for _, b in dumped],
        }
        next_config = {"configurable": {
            "thread_id": params["thread_id"], "checkpoint_ns": params["ns"], "checkpoint_id": checkpoint["id"]}}
        return params, next_config

    def put(
        self, config: RunnableConfig, checkpoint: Checkpoint, metadata: CheckpointMetadata,
        new_versions: ChannelVersions,
    ) -> RunnableConfig:
        params, next_config = self.put_params(config, checkpoint, metadata, new_versions)
        with self.pool.connection() as conn:
            conn.execute(PUT, params, prepare=True, binary=True)
        return next_config

    def put_writes_params(
        self, config: RunnableConfig, writes: Sequence[tuple[str, Any]], task_id: str, task_path: str = ""
    ) -> dict[str, Any]:
        configurable = config["configurable"]
        dumped = [self.serde.dumps_typed(value) for _, value in writes]
        return {
            "thread_id": configurable["thread_id"],
            "ns": configurable.get("checkpoint_ns", ""),
            "id": configurable["checkpoint_id"],
            "task_id": task_id,
            "task_path": task_path,
            "idx": [WRITES_IDX_MAP.get(ch, i) for i, (ch, _) in enumerate(writes)],
            "channels": [ch for ch, _ in writes],
            "types": [t for t, _ in dumped],
            "values": [b for _, b in dumped],
        }

    def put_writes(
        self, config: RunnableConfig, writes: Sequence[tuple[str, Any]], task_id: str, task_path: str = ""
    ) -> None:
        with self.pool.connection() as conn:
            conn.execute(PUT_WRITES, self.put_writes_params(config, writes, task_id, task_path),
                         prepare=True, binary=True)

    def get_next_version(self, current: str | None, channel: None = None) -> str:
        current_v = 0 if current is None else int(str(current).split(".")[0])
        return f"{current_v + 1:032}.{random.random():016}"
