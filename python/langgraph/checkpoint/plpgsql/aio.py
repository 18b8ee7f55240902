"""The asynchronous saver: each method is one call of one SQL function."""

from __future__ import annotations

import asyncio
import builtins
import dataclasses
import json
import logging
from collections import OrderedDict
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Sequence
from contextlib import AsyncExitStack, asynccontextmanager, contextmanager
from datetime import datetime, timedelta
from time import perf_counter
from typing import TYPE_CHECKING, Any, TypeVar

from langchain_core.runnables import RunnableConfig
from langgraph.checkpoint.base import (
    ChannelVersions,
    Checkpoint,
    CheckpointMetadata,
    CheckpointTuple,
    DeltaChannelHistory,
)
from langgraph.checkpoint.serde.base import SerializerProtocol
from psycopg import AsyncConnection, AsyncCursor
from psycopg.rows import TupleRow, tuple_row
from psycopg_pool import AsyncConnectionPool

from langgraph.checkpoint.plpgsql import _pool
from langgraph.checkpoint.plpgsql._base import Call, SaverBase, all_rows
from langgraph.checkpoint.plpgsql._pool import PoolStats
from langgraph.checkpoint.plpgsql._sql import maintenance_queries_for
from langgraph.checkpoint.plpgsql.config import PostgresConfig, RetryConfig
from langgraph.checkpoint.plpgsql.errors import CheckpointerError, DeltaBaseMissingError, InvalidConfigError
from langgraph.checkpoint.plpgsql.lineage import Branch, LineageEntry
from langgraph.checkpoint.plpgsql.maintenance import (
    AsyncCleanupScheduler,
    _async_autocommit_connection,
    _cleanup_result,
)
from langgraph.checkpoint.plpgsql.maintenance import aoptimize_database as _aoptimize_database
from langgraph.checkpoint.plpgsql.metrics import resolve_metrics
from langgraph.checkpoint.plpgsql.retry import (
    NOT_IDEMPOTENT,
    acall_with_retry,
    breaks_connection,
    describe,
    log_retry,
)
from langgraph.checkpoint.plpgsql.saver import _CONFIGURED
from langgraph.checkpoint.plpgsql.threads import ThreadFilters, ThreadInfo

if TYPE_CHECKING:  # annotations only: typing.Unpack is 3.11+, typing_extensions comes with LangGraph
    from typing_extensions import Unpack

logger = logging.getLogger(__name__)

T = TypeVar("T")


def make_async_pool(config: PostgresConfig, **options: Any) -> AsyncConnectionPool:
    """A pool of autocommit connections, configured from ``config``; open it with
    ``await pool.open()``. Connections idle for ``config.ping_after_idle_secs`` are
    checked before use."""
    return _pool.make_async_pool(config, **options)


class AsyncPostgresCheckpointer(SaverBase):
    """Async LangGraph checkpointer backed by the ``langgraph`` PL/pgSQL API.

    ``conn`` is an ``AsyncConnectionPool`` (calls run concurrently, one borrowed
    connection each), an ``AsyncConnection`` (psycopg's connection lock serialises
    calls; a checkpoint joins the connection's open transaction, if any) or a
    ``PostgresConfig`` (the saver makes, opens on first use and owns a pool; close
    it with ``aclose()`` or ``async with``).

    The sync methods (``get_tuple``...) work from other threads by running the
    async one on the event loop the saver was made on; inside that loop use the
    ``a`` methods (``ainvoke``, ``aget_state``...).

    ``retry`` and ``metrics`` are as for ``PostgresCheckpointer``. With a
    ``PostgresConfig`` whose ``auto_cleanup`` is set, the saver runs
    ``cleanup_old_checkpoints`` in a task on its loop from first use until ``aclose()``.
    """

    def __init__(
        self,
        conn: AsyncConnection[Any] | AsyncConnectionPool[Any] | PostgresConfig,
        *,
        serde: SerializerProtocol | None = None,
        schema: str | None = None,
        exclusive: bool | None = None,
        lease_owner: str | None = None,
        retry: RetryConfig | None = RetryConfig(),
        metrics: Any = None,
        delta_writes: bool | None = None,
        tail_cache_size: int | None = None,
    ) -> None:
        owns_pool = False
        config: PostgresConfig | None = None
        if isinstance(conn, PostgresConfig):
            config = conn
            schema = schema or conn.schema
            exclusive = conn.exclusive if exclusive is None else exclusive
            lease_owner = lease_owner or conn.lease_owner
            delta_writes = conn.delta_writes if delta_writes is None else delta_writes
            tail_cache_size = conn.tail_cache_size if tail_cache_size is None else tail_cache_size
            conn = make_async_pool(conn)
            owns_pool = True
        elif not isinstance(conn, (AsyncConnection, AsyncConnectionPool)):
            raise InvalidConfigError(
                "conn must be a psycopg AsyncConnection, a psycopg_pool AsyncConnectionPool "
                f"or a PostgresConfig, got {type(conn).__name__}"
            )
        super().__init__(
            serde=serde,
            schema=schema or "langgraph",
            delta_writes=True if delta_writes is None else delta_writes,
            tail_cache_size=PostgresConfig.tail_cache_size if tail_cache_size is None else tail_cache_size,
        )
        self._set_coordination(bool(exclusive), lease_owner)
        self.conn = conn
        self._pool = conn if isinstance(conn, AsyncConnectionPool) else None
        self._owns_pool = owns_pool
        # get_tuple / list of threads this saver did not write (docs/scaling.md).
        self._read_pool: AsyncConnectionPool[Any] | None = None
        if config is not None and config.read_url is not None:
            self._read_pool = make_async_pool(dataclasses.replace(config, database_url=config.read_url))
            self._written = OrderedDict()
        self._pool_opened = not owns_pool
        self._open_lock = asyncio.Lock()
        self.config = config
        self.retry = retry
        self._metrics = resolve_metrics(metrics)
        self._maintenance = maintenance_queries_for(self.schema)
        self._cleanup: AsyncCleanupScheduler | None = None
        try:
            self.loop: asyncio.AbstractEventLoop | None = asyncio.get_running_loop()
        except RuntimeError:
            self.loop = None

    @classmethod
    @asynccontextmanager
    async def from_conn_string(
        cls,
        conn_string: str,
        *,
        serde: SerializerProtocol | None = None,
        retry: RetryConfig | None = RetryConfig(),
        metrics: Any = None,
        **options: Any,
    ) -> AsyncIterator[AsyncPostgresCheckpointer]:
        """A saver with its own pool, closed on exit. ``options`` are ``PostgresConfig`` fields."""
        config = PostgresConfig(database_url=conn_string, **options)
        async with cls(config, serde=serde, retry=retry, metrics=metrics) as saver:
            await saver._open()
            yield saver

    async def _open(self) -> None:
        """Open the pool the saver owns, on first use: probe the server (so a wrong
        address or password fails with libpq's reason), open, start the cleanup task."""
        if self._pool_opened:
            return
        async with self._open_lock:
            if self._pool_opened:
                return
            config = self.config
            assert self._pool is not None and config is not None
            retry = self.retry

            async def log(exc: BaseException, n: int, delay: float) -> None:
                log_retry("connect", exc, n, retry, delay)  # type: ignore[arg-type]

            await acall_with_retry(lambda: _pool.aprobe(config), retry, before_retry=log)
            await self._pool.open()
            if self._read_pool is not None:
                await self._read_pool.open()
            if config.auto_cleanup:
                self._cleanup = AsyncCleanupScheduler(
                    self._pool,
                    interval_secs=config.cleanup_interval_secs,
                    retention_days=config.retention_days,
                    schema=self.schema,
                ).start()
            self._pool_opened = True

    async def aclose(self) -> None:
        """Stop the cleanup task and close the pool if the saver made them; a caller's
        connection or pool is left alone."""
        if self._cleanup is not None:
            await self._cleanup.stop()
            self._cleanup = None
        if self._owns_pool and self._pool is not None:
            await self._pool.close()
        if self._read_pool is not None:
            await self._read_pool.close()

    async def __aenter__(self) -> AsyncPostgresCheckpointer:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    def close(self) -> None:
        """``aclose`` from another thread than the saver's event loop."""
        self._run_sync(self.aclose())

    @asynccontextmanager
    async def _cursor(self, replica: bool = False) -> AsyncIterator[AsyncCursor[TupleRow]]:
        if self._pool is not None:
            if not self._pool_opened:
                await self._open()
            pool = self._read_pool if replica and self._read_pool is not None else self._pool
            async with (
                _pool.aconnection(pool) as conn,
                conn.cursor(binary=True, row_factory=tuple_row) as cur,
            ):
                yield cur
        else:
            async with self.conn.cursor(binary=True, row_factory=tuple_row) as cur:  # type: ignore[union-attr]
                yield cur

    # Every call goes through ``_execute``: typed errors, retries and metrics apply here
    # and nowhere else.

    def _retry_policy(self) -> RetryConfig | None:
        # Inside a caller's transaction the error has ended the transaction, so a
        # repeated call would run outside it.
        return None if self._in_callers_transaction() else self.retry

    async def _before_retry(self, operation: str, exc: BaseException, retry: int, delay: float) -> None:
        self._metrics.retried(operation)
        assert self.retry is not None
        log_retry(operation, exc, retry, self.retry, delay)
        if self._pool is not None and breaks_connection(exc):
            # One broken connection usually means all idle ones are (a restart, a
            # failover): close those whose socket says so now, without a round trip
            # or a checkout, so the next attempt (after the wait) does not meet them.
            _pool.discard_stale(self._pool)

    async def _execute(self, operation: str, attempt: Callable[[], Awaitable[T]], *, retry: bool = True) -> T:
        started = perf_counter()
        try:
            with self._wrap:
                result = await acall_with_retry(
                    attempt,
                    self._retry_policy() if retry else None,
                    idempotent=operation not in NOT_IDEMPOTENT,
                    fresh_connection=self._pool is not None,
                    before_retry=lambda exc, n, delay: self._before_retry(operation, exc, n, delay),
                )
        except BaseException as exc:
            self._metrics.observe(operation, perf_counter() - started, exc)
            raise
        self._metrics.observe(operation, perf_counter() - started, None)
        return result

    async def _run(self, call: Call[T]) -> T:
        """Run one call: the one place every operation of this saver goes through."""

        replica = call.replica and self._read_pool is not None

        async def attempt() -> T:
            if self._pool is not None:
                if not self._pool_opened:
                    await self._open()
                pool = self._read_pool if replica and self._read_pool is not None else self._pool
                async with (
                    _pool.aconnection(pool) as conn,
                    conn.cursor(binary=True, row_factory=tuple_row) as cur,
                ):
                    await cur.execute(call.query, call.params)
                    return call.finish(await cur.fetchall())
            async with self.conn.cursor(binary=True, row_factory=tuple_row) as cur:  # type: ignore[union-attr]
                await cur.execute(call.query, call.params)
                return call.finish(await cur.fetchall())

        try:
            return await self._execute(call.operation, attempt)
        except DeltaBaseMissingError:
            if call.resend is None:
                raise
            return await self._run(call.resend())

    async def _stream(
        self, query: str, params: dict[str, Any] | None, replica: bool = False
    ) -> AsyncIterator[Any]:
        """Rows as they arrive. The call is retried until its first row; once rows
        have been handed out, an error ends the iteration."""
        end = object()

        async def start() -> tuple[AsyncExitStack, AsyncIterator[Any], Any]:
            stack = AsyncExitStack()
            try:
                cur = await stack.enter_async_context(self._cursor(replica))
                rows = cur.stream(query, params, binary=True)
                first = await anext(rows, end)
            except BaseException:
                await stack.aclose()
                raise
            return stack, rows, first

        stack, rows, first = await self._execute(self._operations.get(query, "sql"), start)
        async with stack:
            with self._wrap:
                try:
                    if first is end:
                        return
                    yield first
                    async for row in rows:
                        yield row
                finally:
                    # As in the sync saver: the suspended stream holds the connection's lock.
                    await rows.aclose()  # type: ignore[attr-defined]

    # ------------------------------------------------------------------ setup

    async def setup(self) -> None:
        """Check that the SQL API is deployed and recent enough. Runs no DDL.

        Raises ``SchemaNotDeployedError`` or ``SchemaVersionError``, whose message
        names the command that deploys it (with this connection's DSN,
        password masked); ``InsufficientPrivilegeError`` with the GRANT to run when
        the login role lacks the client role.
        """
        try:
            version: int | None = await self._run(self._call(self._queries.schema_version, None))
        except CheckpointerError as exc:
            raise self._setup_error(exc) from exc
        self._check_schema_version(version)

    # ------------------------------------------------------ health and maintenance

    async def ahealth_check(self) -> bool:
        """Whether the database answers and the SQL API is deployed. Never raises and
        never retries: it reports the state of now (a failure is logged)."""
        query = self._queries.schema_version

        async def attempt() -> None:
            self._check_schema_version(await self._scalar_once(query))

        try:
            await self._execute("health_check", attempt, retry=False)
        except Exception as exc:  # noqa: BLE001 - a health check answers, it does not raise
            logger.warning("checkpoint database health check failed: %s", describe(exc))
            return False
        return True

    async def _scalar_once(self, query: str) -> Any:
        async with self._cursor() as cur:
            await cur.execute(query)
            row = await cur.fetchone()
        return row[0] if row else None

    def pool_stats(self) -> PoolStats:
        """Connections open, idle, in use, callers waiting, and the pool's counters."""
        if self._pool is not None:
            return _pool.stats_of_pool(self._pool)
        return _pool.stats_of_connection(self.conn)  # type: ignore[arg-type]

    async def astats(self) -> dict[str, Any]:
        """``<schema>.stats()``: table sizes, row counts, oldest and newest checkpoint,
        the last cleanup run (docs/operations.md)."""
        query = self._maintenance.stats
        stats: dict[str, Any] = json.loads(await self._execute("stats", lambda: self._scalar_once(query)))
        return stats

    async def acleanup_old_checkpoints(
        self, retention_days: int | None = _CONFIGURED, *, batch_size: int = 1000, keep_last: int = 1
    ) -> tuple[int, int]:
        """CALL ``<schema>.cleanup_old_checkpoints``; returns ``(removed, skipped)``.
        See ``PostgresCheckpointer.cleanup_old_checkpoints``."""
        if retention_days is _CONFIGURED:
            retention_days = self.config.retention_days if self.config else PostgresConfig.retention_days
        params = {"retention_days": retention_days, "batch_size": batch_size, "keep_last": keep_last}
        query = self._maintenance.cleanup_old_checkpoints
        if self._pool is not None and not self._pool_opened:
            await self._open()

        async def attempt() -> tuple[int, int]:
            async with _async_autocommit_connection(self.conn) as conn:
                cur = await conn.execute(query, params)
                return _cleanup_result(await cur.fetchone())

        return await self._execute("cleanup_old_checkpoints", attempt)

    async def aoptimize_database(self) -> builtins.list[str]:
        """VACUUM (ANALYZE) every table of the schema; returns the tables done. Needs the
        schema owner's privileges (as the client role VACUUM skips every table)."""
        if self._pool is not None and not self._pool_opened:
            await self._open()

        async def attempt() -> builtins.list[str]:
            if self._pool is not None:
                async with _pool.aconnection(self._pool) as conn:
                    return await _aoptimize_database(conn, self.schema)
            return await _aoptimize_database(self.conn, self.schema)  # type: ignore[arg-type]

        return await self._execute("optimize_database", attempt)

    def health_check(self) -> bool:
        """``ahealth_check`` from another thread than the saver's event loop."""
        return self._run_sync(self.ahealth_check())

    def stats(self) -> dict[str, Any]:
        """``astats`` from another thread than the saver's event loop."""
        return self._run_sync(self.astats())

    def cleanup_old_checkpoints(
        self, retention_days: int | None = _CONFIGURED, *, batch_size: int = 1000, keep_last: int = 1
    ) -> tuple[int, int]:
        """``acleanup_old_checkpoints`` from another thread than the saver's event loop."""
        return self._run_sync(
            self.acleanup_old_checkpoints(retention_days, batch_size=batch_size, keep_last=keep_last)
        )

    def optimize_database(self) -> builtins.list[str]:
        """``aoptimize_database`` from another thread than the saver's event loop."""
        return self._run_sync(self.aoptimize_database())

    # ------------------------------------------------------------------- read

    async def aget_tuple(self, config: RunnableConfig) -> CheckpointTuple | None:
        found = await self._run(self._get_tuple_call(config))
        if touch := self._touch_after_read(found):
            await self._run(touch)
        return found

    async def alist(
        self,
        config: RunnableConfig | None,
        *,
        filter: dict[str, Any] | None = None,
        before: RunnableConfig | None = None,
        limit: int | None = None,
    ) -> AsyncIterator[CheckpointTuple]:
        """Checkpoints newest first.

        Without ``limit`` rows are streamed, and the connection is held until the
        iteration ends: with a single connection, finish iterating before calling
        the saver again.
        """
        if limit is not None:
            for saved in await self._run(self._list_page_call(config, filter, before, limit)):
                yield saved
            return
        params = self._list_params(config, filter, before, limit)
        query = self._queries.list_checkpoints_v2
        listing = self._listing()
        async for row in self._stream(query, params, self._on_replica("list_checkpoints", params)):
            done = listing.push(row)
            if done is not None:
                yield done
        last = listing.finish()
        if last is not None:
            yield last

    async def aget_delta_channel_history(
        self, *, config: RunnableConfig, channels: Sequence[str]
    ) -> dict[str, DeltaChannelHistory]:
        """Per channel, its writes along the parent chain and its seed: one SQL call."""
        if not channels:
            return {}
        rows = await self._run(
            self._call(
                self._queries.get_delta_channel_history, self._delta_params(config, channels), all_rows
            )
        )
        return self._rows_to_delta_history(rows, config)

    # ------------------------------------------------------------------ write

    async def aput(
        self,
        config: RunnableConfig,
        checkpoint: Checkpoint,
        metadata: CheckpointMetadata,
        new_versions: ChannelVersions,
    ) -> RunnableConfig:
        return await self._run(self._put_call(config, checkpoint, metadata, new_versions))

    async def aput_writes(
        self,
        config: RunnableConfig,
        writes: Sequence[tuple[str, Any]],
        task_id: str,
        task_path: str = "",
    ) -> None:
        await self._run(self._put_writes_call(config, writes, task_id, task_path))

    # ----------------------------------------------------------------- delete

    async def adelete_thread(self, thread_id: str) -> None:
        params = self._thread_params(thread_id)
        await self._run(self._forgetting_call(self._queries.delete_thread, params, [params["thread_id"]]))

    async def adelete_for_runs(self, run_ids: Sequence[str]) -> None:
        await self._run(self._call(self._queries.delete_for_runs, self._runs_params(run_ids)))

    async def acopy_thread(self, source_thread_id: str, target_thread_id: str) -> None:
        await self._run(
            self._call(self._queries.copy_thread, self._copy_params(source_thread_id, target_thread_id))
        )

    async def aprune(self, thread_ids: Sequence[str], *, strategy: str = "keep_latest") -> None:
        params = self._prune_params(thread_ids, strategy)
        await self._run(self._forgetting_call(self._queries.prune_checkpoints, params, params["thread_ids"]))

    # ------------------------------------------------- sync, from other threads

    def _run_sync(self, coro: Awaitable[T]) -> T:
        try:
            running = asyncio.get_running_loop()
        except RuntimeError:
            running = None
        if self.loop is None or running is self.loop or not self.loop.is_running():
            if asyncio.iscoroutine(coro):
                coro.close()
            raise asyncio.InvalidStateError(
                "Synchronous calls to AsyncPostgresCheckpointer are only allowed from a "
                "thread other than the event loop the saver was made on, while that loop "
                "runs. Use the async methods (e.g. `await checkpointer.aget_tuple(...)`, "
                "`await graph.ainvoke(...)`), or PostgresCheckpointer for synchronous code."
            )
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result()  # type: ignore[arg-type]

    def get_tuple(self, config: RunnableConfig) -> CheckpointTuple | None:
        return self._run_sync(self.aget_tuple(config))

    def list(
        self,
        config: RunnableConfig | None,
        *,
        filter: dict[str, Any] | None = None,
        before: RunnableConfig | None = None,
        limit: int | None = None,
    ) -> Iterator[CheckpointTuple]:
        async def collect() -> builtins.list[CheckpointTuple]:
            return [item async for item in self.alist(config, filter=filter, before=before, limit=limit)]

        yield from self._run_sync(collect())

    def get_delta_channel_history(
        self, *, config: RunnableConfig, channels: Sequence[str]
    ) -> dict[str, DeltaChannelHistory]:
        return self._run_sync(self.aget_delta_channel_history(config=config, channels=channels))

    def put(
        self,
        config: RunnableConfig,
        checkpoint: Checkpoint,
        metadata: CheckpointMetadata,
        new_versions: ChannelVersions,
    ) -> RunnableConfig:
        return self._run_sync(self.aput(config, checkpoint, metadata, new_versions))

    def put_writes(
        self,
        config: RunnableConfig,
        writes: Sequence[tuple[str, Any]],
        task_id: str,
        task_path: str = "",
    ) -> None:
        self._run_sync(self.aput_writes(config, writes, task_id, task_path))

    def delete_thread(self, thread_id: str) -> None:
        self._run_sync(self.adelete_thread(thread_id))

    def delete_for_runs(self, run_ids: Sequence[str]) -> None:
        self._run_sync(self.adelete_for_runs(run_ids))

    def copy_thread(self, source_thread_id: str, target_thread_id: str) -> None:
        self._run_sync(self.acopy_thread(source_thread_id, target_thread_id))

    def prune(self, thread_ids: Sequence[str], *, strategy: str = "keep_latest") -> None:
        self._run_sync(self.aprune(thread_ids, strategy=strategy))

    # ------------------------------------------------ lineage and time travel
    # Each walk is one recursive SQL query (docs/time-travel.md).

    async def alineage(
        self, config: RunnableConfig, *, max_depth: int | None = None
    ) -> builtins.list[LineageEntry]:
        """The checkpoint ``config`` names (the latest without a checkpoint_id) and its
        ancestors, nearest first, up to the root or ``max_depth`` steps."""
        params = self._lineage_params(config, max_depth)
        rows = await self._run(self._call(self._queries.get_ancestors, params, all_rows))
        return self._rows_to_lineage(rows, params["thread_id"], params["checkpoint_ns"])

    async def adescendants(
        self, config: RunnableConfig, *, max_depth: int | None = None
    ) -> builtins.list[LineageEntry]:
        """The checkpoint ``config`` names and everything descended from it, on every branch."""
        params = self._lineage_params(config, max_depth)
        rows = await self._run(self._call(self._queries.get_descendants, params, all_rows))
        return self._rows_to_lineage(rows, params["thread_id"], params["checkpoint_ns"])

    async def abranches(self, thread_id: str, checkpoint_ns: str = "") -> builtins.list[Branch]:
        """The head of every branch of a thread, newest first."""
        params = self._branches_params(thread_id, checkpoint_ns)
        rows = await self._run(self._call(self._queries.list_branches, params, all_rows))
        return self._rows_to_branches(rows, params["thread_id"], params["checkpoint_ns"])

    async def abranch_point(
        self, thread_id: str, checkpoint_id_a: str, checkpoint_id_b: str, checkpoint_ns: str = ""
    ) -> str | None:
        """The nearest common ancestor of two checkpoints, or ``None``."""
        return await self._run(
            self._call(
                self._queries.find_branch_point,
                self._branch_point_params(thread_id, checkpoint_id_a, checkpoint_id_b, checkpoint_ns),
            )
        )

    async def afork_thread(self, config: RunnableConfig, target_thread_id: str) -> RunnableConfig:
        """Copy the path to the checkpoint ``config`` names into a new thread; returns
        the config of that checkpoint in the new thread, ready to ``ainvoke`` from."""
        params, source = self._fork_params(config, target_thread_id)
        await self._run(self._call(self._queries.fork_thread, params))
        return self._forked_config(params, source)

    # ------------------------------------------------------------------ batch

    async def abatch_save_checkpoints(
        self,
        items: Sequence[tuple[RunnableConfig, Checkpoint, CheckpointMetadata, ChannelVersions]],
    ) -> builtins.list[RunnableConfig]:
        """Save many checkpoints (any threads) in one call and one transaction.

        ``items`` are what ``aput`` takes, in order (a parent may precede its child).
        Returns what ``aput`` would have returned for each. Retrying is harmless.
        """
        if not items:
            return []
        params, configs = self._batch_params(items)
        await self._run(self._call(self._queries.batch_save_checkpoints, params))
        return configs

    # ---------------------------------------------------------------- threads
    # Threads as objects (docs/python-client.md, "Threads"): one SQL call each.

    async def asearch_threads(
        self,
        *,
        after: ThreadInfo | tuple[datetime, str] | None = None,
        limit: int | None = 20,
        **filters: Unpack[ThreadFilters],
    ) -> builtins.list[ThreadInfo]:
        """Threads newest first, filtered by ``filters`` (``ThreadFilters``: ``metadata``,
        which one of the thread's root checkpoints contains, as a run's config metadata
        is in each checkpoint of the run; ``values``, which each channel's latest JSON
        value contains; ``status``: idle, interrupted or error; half-open ranges
        ``created_since`` / ``created_before``, ``updated_since`` / ``updated_before``).
        ``after`` is the last row of the previous page; ``limit=None`` returns every match.
        """
        return await self._run(self._search_threads_call(filters, after, limit))

    async def acount_threads(self, **filters: Unpack[ThreadFilters]) -> int:
        """How many threads ``asearch_threads`` finds with these filters, over all pages."""
        return await self._run(self._count_threads_call(filters))

    async def aset_thread_ttl(
        self, thread_id: str, ttl: float | timedelta | None, *, refresh_on_read: bool = False
    ) -> datetime | None:
        """Give a thread its own time to live (seconds or a timedelta; ``None`` removes
        it), replacing the retention procedures' parameters for it. With
        ``refresh_on_read`` a ``atouch_thread`` call restarts its clock too. Returns when
        it now expires (``None`` without a TTL or when pinned)."""
        return await self._run(self._set_thread_ttl_call(thread_id, ttl, refresh_on_read))

    async def apin_thread(self, thread_id: str, pinned: bool = True) -> bool:
        """Pin a thread (``pinned=False`` unpins it): retention leaves a pinned thread alone."""
        return await self._run(self._pin_thread_call(thread_id, pinned))

    async def atouch_thread(self, thread_id: str) -> bool:
        """Record a read: a thread whose TTL refreshes on read has its idle clock
        restarted. ``True`` when the thread refreshes on read."""
        return await self._run(self._touch_thread_call(thread_id))

    # ----------------------------------------------------------------- leases

    async def aacquire_lease(
        self, thread_id: str, *, ttl: float | timedelta = 30, owner: str | None = None
    ) -> datetime:
        """Take (or extend) the lease on a thread; returns its expiry.

        Raises ``LeaseHeldError`` while another owner holds a live lease.
        """
        return await self._run(
            self._call(self._queries.acquire_lease, self._lease_params(thread_id, owner, ttl))
        )

    async def arenew_lease(
        self, thread_id: str, *, ttl: float | timedelta = 30, owner: str | None = None
    ) -> datetime:
        """Extend this owner's live lease; raises ``LeaseHeldError`` if it has none."""
        return await self._run(
            self._call(self._queries.renew_lease, self._lease_params(thread_id, owner, ttl))
        )

    async def arelease_lease(self, thread_id: str, *, owner: str | None = None) -> bool:
        """Give the lease up; ``True`` if this owner held one."""
        return await self._run(
            self._call(self._queries.release_lease, self._lease_params(thread_id, owner, None))
        )

    @asynccontextmanager
    async def alease(
        self, thread_id: str, *, ttl: float | timedelta = 30, owner: str | None = None
    ) -> AsyncIterator[datetime]:
        """Hold the lease on a thread for the ``async with`` block, releasing it on exit."""
        expires_at = await self.aacquire_lease(thread_id, ttl=ttl, owner=owner)
        try:
            yield expires_at
        finally:
            await self.arelease_lease(thread_id, owner=owner)

    # ------------------------------------- lineage, batch and leases, from other threads
    # The same surface as PostgresCheckpointer: each runs its ``a`` method on the
    # saver's event loop.

    def lineage(self, config: RunnableConfig, *, max_depth: int | None = None) -> builtins.list[LineageEntry]:
        """``alineage`` from another thread than the saver's event loop."""
        return self._run_sync(self.alineage(config, max_depth=max_depth))

    def descendants(
        self, config: RunnableConfig, *, max_depth: int | None = None
    ) -> builtins.list[LineageEntry]:
        """``adescendants`` from another thread than the saver's event loop."""
        return self._run_sync(self.adescendants(config, max_depth=max_depth))

    def branches(self, thread_id: str, checkpoint_ns: str = "") -> builtins.list[Branch]:
        """``abranches`` from another thread than the saver's event loop."""
        return self._run_sync(self.abranches(thread_id, checkpoint_ns))

    def branch_point(
        self, thread_id: str, checkpoint_id_a: str, checkpoint_id_b: str, checkpoint_ns: str = ""
    ) -> str | None:
        """``abranch_point`` from another thread than the saver's event loop."""
        return self._run_sync(self.abranch_point(thread_id, checkpoint_id_a, checkpoint_id_b, checkpoint_ns))

    def fork_thread(self, config: RunnableConfig, target_thread_id: str) -> RunnableConfig:
        """``afork_thread`` from another thread than the saver's event loop."""
        return self._run_sync(self.afork_thread(config, target_thread_id))

    def batch_save_checkpoints(
        self,
        items: Sequence[tuple[RunnableConfig, Checkpoint, CheckpointMetadata, ChannelVersions]],
    ) -> builtins.list[RunnableConfig]:
        """``abatch_save_checkpoints`` from another thread than the saver's event loop."""
        return self._run_sync(self.abatch_save_checkpoints(items))

    def search_threads(
        self,
        *,
        after: ThreadInfo | tuple[datetime, str] | None = None,
        limit: int | None = 20,
        **filters: Unpack[ThreadFilters],
    ) -> builtins.list[ThreadInfo]:
        """``asearch_threads`` from another thread than the saver's event loop."""
        return self._run_sync(self.asearch_threads(after=after, limit=limit, **filters))

    def count_threads(self, **filters: Unpack[ThreadFilters]) -> int:
        """``acount_threads`` from another thread than the saver's event loop."""
        return self._run_sync(self.acount_threads(**filters))

    def set_thread_ttl(
        self, thread_id: str, ttl: float | timedelta | None, *, refresh_on_read: bool = False
    ) -> datetime | None:
        """``aset_thread_ttl`` from another thread than the saver's event loop."""
        return self._run_sync(self.aset_thread_ttl(thread_id, ttl, refresh_on_read=refresh_on_read))

    def pin_thread(self, thread_id: str, pinned: bool = True) -> bool:
        """``apin_thread`` from another thread than the saver's event loop."""
        return self._run_sync(self.apin_thread(thread_id, pinned))

    def touch_thread(self, thread_id: str) -> bool:
        """``atouch_thread`` from another thread than the saver's event loop."""
        return self._run_sync(self.atouch_thread(thread_id))

    def acquire_lease(
        self, thread_id: str, *, ttl: float | timedelta = 30, owner: str | None = None
    ) -> datetime:
        """``aacquire_lease`` from another thread than the saver's event loop."""
        return self._run_sync(self.aacquire_lease(thread_id, ttl=ttl, owner=owner))

    def renew_lease(
        self, thread_id: str, *, ttl: float | timedelta = 30, owner: str | None = None
    ) -> datetime:
        """``arenew_lease`` from another thread than the saver's event loop."""
        return self._run_sync(self.arenew_lease(thread_id, ttl=ttl, owner=owner))

    def release_lease(self, thread_id: str, *, owner: str | None = None) -> bool:
        """``arelease_lease`` from another thread than the saver's event loop."""
        return self._run_sync(self.arelease_lease(thread_id, owner=owner))

    @contextmanager
    def lease(
        self, thread_id: str, *, ttl: float | timedelta = 30, owner: str | None = None
    ) -> Iterator[datetime]:
        """``alease`` from another thread than the saver's event loop."""
        expires_at = self.acquire_lease(thread_id, ttl=ttl, owner=owner)
        try:
            yield expires_at
        finally:
            self.release_lease(thread_id, owner=owner)
