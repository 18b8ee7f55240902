"""The synchronous saver: each method is one call of one SQL function."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from langchain_core.runnables import RunnableConfig
from langgraph.checkpoint.base import (
    ChannelVersions,
    Checkpoint,
    CheckpointMetadata,
    CheckpointTuple,
    DeltaChannelHistory,
)
from langgraph.checkpoint.serde.base import SerializerProtocol
from psycopg import Connection, Cursor
from psycopg.rows import TupleRow, tuple_row
from psycopg_pool import ConnectionPool

from langgraph.checkpoint.plpgsql._base import SaverBase
from langgraph.checkpoint.plpgsql.config import PostgresConfig
from langgraph.checkpoint.plpgsql.errors import InvalidConfigError

POOL_NAME = "langgraph-checkpoint-plpgsql"


def make_pool(config: PostgresConfig) -> ConnectionPool:
    """An open pool of autocommit connections, configured from ``config``."""
    return ConnectionPool(
        conninfo=config.database_url,
        min_size=config.min_connections,
        max_size=config.max_connections,
        max_lifetime=config.max_lifetime_secs,
        max_idle=config.idle_timeout_secs,
        kwargs={"autocommit": True, "prepare_threshold": config.prepare_threshold},
        check=ConnectionPool.check_connection,
        name=POOL_NAME,
        open=True,
    )


class PostgresCheckpointer(SaverBase):
    """LangGraph checkpointer backed by the ``langgraph`` PL/pgSQL API.

    ``conn`` is one of:

    * a ``psycopg_pool.ConnectionPool``: each call borrows a connection, so calls
      from many threads run in parallel; there is no lock in the saver;
    * a ``psycopg.Connection``: calls are serialised by psycopg's own connection
      lock. If the connection is in a transaction, checkpoints join it (and commit
      or roll back with it); use ``autocommit=True`` otherwise;
    * a ``PostgresConfig``: the saver makes and owns a pool (close it with
      ``close()`` or a ``with`` block).

    ``schema`` is the schema the SQL API is deployed in (default ``langgraph``, or
    the config's). ``serde`` is LangGraph's serializer; values it would store as
    msgpack are stored as readable JSONB when that round-trips exactly (see
    ``langgraph.checkpoint.plpgsql.serde``).
    """

    def __init__(
        self,
        conn: Connection[Any] | ConnectionPool[Any] | PostgresConfig,
        *,
        serde: SerializerProtocol | None = None,
        schema: str | None = None,
    ) -> None:
        owns_pool = False
        if isinstance(conn, PostgresConfig):
            schema = schema or conn.schema
            conn = make_pool(conn)
            owns_pool = True
        elif not isinstance(conn, (Connection, ConnectionPool)):
            raise InvalidConfigError(
                "conn must be a psycopg Connection, a psycopg_pool ConnectionPool or a "
                f"PostgresConfig, got {type(conn).__name__}"
            )
        super().__init__(serde=serde, schema=schema or "langgraph")
        self.conn = conn
        self._pool = conn if isinstance(conn, ConnectionPool) else None
        self._owns_pool = owns_pool

    @classmethod
    @contextmanager
    def from_conn_string(
        cls,
        conn_string: str,
        *,
        serde: SerializerProtocol | None = None,
        **options: Any,
    ) -> Iterator[PostgresCheckpointer]:
        """A saver with its own pool, closed on exit. ``options`` are ``PostgresConfig`` fields."""
        config = PostgresConfig(database_url=conn_string, **options)
        with make_pool(config) as pool:
            yield cls(pool, serde=serde, schema=config.schema)

    def close(self) -> None:
        """Close the pool if the saver made it; a caller's connection or pool is left alone."""
        if self._owns_pool and self._pool is not None:
            self._pool.close()

    def __enter__(self) -> PostgresCheckpointer:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    @contextmanager
    def _cursor(self) -> Iterator[Cursor[TupleRow]]:
        if self._pool is not None:
            with self._pool.connection() as conn:
                with conn.cursor(binary=True, row_factory=tuple_row) as cur:
                    yield cur
        else:
            with self.conn.cursor(binary=True, row_factory=tuple_row) as cur:  # type: ignore[union-attr]
                yield cur

    def _scalar(self, query: str, params: dict[str, Any] | None) -> Any:
        with self._wrap, self._cursor() as cur:
            cur.execute(query, params)
            row = cur.fetchone()
        return row[0] if row else None

    # ------------------------------------------------------------------ setup

    def setup(self) -> None:
        """Check that the SQL API is deployed and recent enough. Runs no DDL.

        Raises ``SchemaNotDeployedError`` or ``SchemaVersionError``, whose message
        names the command that deploys it.
        """
        self._check_schema_version(self._scalar(self._queries.schema_version, None))

    # ------------------------------------------------------------------- read

    def get_tuple(self, config: RunnableConfig) -> CheckpointTuple | None:
        params = self._get_params(config)
        with self._wrap, self._cursor() as cur:
            cur.execute(self._queries.get_checkpoint, params)
            row = cur.fetchone()
        return self._row_to_tuple(row) if row is not None else None

    def list(
        self,
        config: RunnableConfig | None,
        *,
        filter: dict[str, Any] | None = None,
        before: RunnableConfig | None = None,
        limit: int | None = None,
    ) -> Iterator[CheckpointTuple]:
        """Checkpoints newest first.

        Without ``limit`` rows are streamed, and the connection is held until the
        iteration ends: with a single connection, finish iterating before calling
        the saver again.
        """
        params = self._list_params(config, filter, before, limit)
        query = self._queries.list_checkpoints
        if limit is not None:
            with self._wrap, self._cursor() as cur:
                cur.execute(query, params)
                rows = cur.fetchall()
            for row in rows:
                yield self._row_to_tuple(row)
            return
        with self._wrap, self._cursor() as cur:
            for row in cur.stream(query, params, binary=True):
                yield self._row_to_tuple(row)

    def get_delta_channel_history(
        self, *, config: RunnableConfig, channels: Sequence[str]
    ) -> dict[str, DeltaChannelHistory]:
        """Per channel, its writes along the parent chain and its seed: one SQL call."""
        if not channels:
            return {}
        params = self._delta_params(config, channels)
        with self._wrap, self._cursor() as cur:
            cur.execute(self._queries.get_delta_channel_history, params)
            rows = cur.fetchall()
        return self._rows_to_delta_history(rows)

    # ------------------------------------------------------------------ write

    def put(
        self,
        config: RunnableConfig,
        checkpoint: Checkpoint,
        metadata: CheckpointMetadata,
        new_versions: ChannelVersions,
    ) -> RunnableConfig:
        params, next_config = self._put_params(config, checkpoint, metadata, new_versions)
        self._scalar(self._queries.put_checkpoint, params)
        return next_config

    def put_writes(
        self,
        config: RunnableConfig,
        writes: Sequence[tuple[str, Any]],
        task_id: str,
        task_path: str = "",
    ) -> None:
        self._scalar(
            self._queries.put_writes,
            self._put_writes_params(config, writes, task_id, task_path),
        )

    # ----------------------------------------------------------------- delete

    def delete_thread(self, thread_id: str) -> None:
        self._scalar(self._queries.delete_thread, self._thread_params(thread_id))

    def delete_for_runs(self, run_ids: Sequence[str]) -> None:
        self._scalar(self._queries.delete_for_runs, self._runs_params(run_ids))

    def copy_thread(self, source_thread_id: str, target_thread_id: str) -> None:
        self._scalar(
            self._queries.copy_thread, self._copy_params(source_thread_id, target_thread_id)
        )

    def prune(self, thread_ids: Sequence[str], *, strategy: str = "keep_latest") -> None:
        self._scalar(self._queries.prune_checkpoints, self._prune_params(thread_ids, strategy))
