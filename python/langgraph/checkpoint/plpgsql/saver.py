"""The synchronous saver: each method is one call of one SQL function."""

from __future__ import annotations

import builtins
import dataclasses
import json
import logging
from collections import OrderedDict
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
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
from psycopg import Connection, Cursor
from psycopg.rows import TupleRow, tuple_row
from psycopg_pool import ConnectionPool

from langgraph.checkpoint.plpgsql import _pool
from langgraph.checkpoint.plpgsql._base import Call, SaverBase, all_rows
from langgraph.checkpoint.plpgsql._pool import POOL_NAME, PoolStats
from langgraph.checkpoint.plpgsql._sql import maintenance_queries_for
from langgraph.checkpoint.plpgsql.config import PostgresConfig, RetryConfig
from langgraph.checkpoint.plpgsql.errors import CheckpointerError, DeltaBaseMissingError, InvalidConfigError
from langgraph.checkpoint.plpgsql.lineage import Branch, LineageEntry
from langgraph.checkpoint.plpgsql.maintenance import (
    CleanupScheduler,
    _autocommit_connection,
    _cleanup_result,
)
from langgraph.checkpoint.plpgsql.maintenance import optimize_database as _optimize_database
from langgraph.checkpoint.plpgsql.metrics import resolve_metrics
from langgraph.checkpoint.plpgsql.retry import (
    NOT_IDEMPOTENT,
    breaks_connection,
    call_with_retry,
    describe,
    log_retry,
)
from langgraph.checkpoint.plpgsql.threads import ThreadFilters, ThreadInfo

if TYPE_CHECKING:  # annotations only: typing.Unpack is 3.11+, typing_extensions comes with LangGraph
    from typing_extensions import Unpack

logger = logging.getLogger(__name__)

T = TypeVar("T")

# What ``cleanup_old_checkpoints()`` uses when no retention is given: the config's.
_CONFIGURED: Any = object()

__all__ = ["POOL_NAME", "PostgresCheckpointer", "make_pool"]


def make_pool(config: PostgresConfig, **options: Any) -> ConnectionPool:
    """An open pool of autocommit connections, configured from ``config``; connections
    idle for ``config.ping_after_idle_secs`` are checked before use."""
    pool = _pool.make_pool(config, **options)
    pool.open()
    return pool


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

    ``retry`` (default ``RetryConfig()``; ``None`` turns it off) repeats calls that
    meet a transient error (``retry.py``); never a call inside a caller's transaction.
    ``metrics`` is a prometheus-client ``CollectorRegistry``, ``None`` for the default
    registry (when prometheus-client is installed) or ``False`` (``metrics.py``).
    With a ``PostgresConfig`` whose ``auto_cleanup`` is set, the saver also runs
    ``cleanup_old_checkpoints`` every ``cleanup_interval_secs`` until it is closed.
    """

    def __init__(
        self,
        conn: Connection[Any] | ConnectionPool[Any] | PostgresConfig,
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
            # Fail now, with libpq's reason, if the server cannot be reached at all.
            call_with_retry(
                lambda: _pool.probe(config),
                retry,
                before_retry=lambda exc, n, delay: log_retry("connect", exc, n, retry, delay),  # type: ignore[arg-type]
            )
            conn = make_pool(conn)
            owns_pool = True
        elif not isinstance(conn, (Connection, ConnectionPool)):
            raise InvalidConfigError(
                "conn must be a psycopg Connection, a psycopg_pool ConnectionPool or a "
                f"PostgresConfig, got {type(conn).__name__}"
            )
        super().__init__(
            serde=serde,
            schema=schema or "langgraph",
            delta_writes=True if delta_writes is None else delta_writes,
            tail_cache_size=PostgresConfig.tail_cache_size if tail_cache_size is None else tail_cache_size,
        )
        self._set_coordination(bool(exclusive), lease_owner)
        self.conn = conn
        self._pool = conn if isinstance(conn, ConnectionPool) else None
        self._owns_pool = owns_pool
        # get_tuple / list of threads this saver did not write (docs/scaling.md).
        self._read_pool: ConnectionPool[Any] | None = None
        if config is not None and config.read_url is not None:
            self._read_pool = make_pool(dataclasses.replace(config, database_url=config.read_url))
            self._written = OrderedDict()
        self.config = config
        self.retry = retry
        self._metrics = resolve_metrics(metrics)
        self._maintenance = maintenance_queries_for(self.schema)
        self._cleanup: CleanupScheduler | None = None
        if config is not None and config.auto_cleanup:
            self._cleanup = CleanupScheduler(
                self.conn,
                interval_secs=config.cleanup_interval_secs,
                retention_days=config.retention_days,
                schema=self.schema,
            ).start()

    @classmethod
    @contextmanager
    def from_conn_string(
        cls,
        conn_string: str,
        *,
        serde: SerializerProtocol | None = None,
        retry: RetryConfig | None = RetryConfig(),
        metrics: Any = None,
        **options: Any,
    ) -> Iterator[PostgresCheckpointer]:
        """A saver with its own pool, closed on exit. ``options`` are ``PostgresConfig`` fields."""
        config = PostgresConfig(database_url=conn_string, **options)
        with cls(config, serde=serde, retry=retry, metrics=metrics) as saver:
            yield saver

    def close(self) -> None:
        """Stop the cleanup scheduler and close the pool if the saver made them; a
        caller's connection or pool is left alone."""
        if self._cleanup is not None:
            self._cleanup.stop()
            self._cleanup = None
        if self._owns_pool and self._pool is not None:
            self._pool.close()
        if self._read_pool is not None:
            self._read_pool.close()

    def __enter__(self) -> PostgresCheckpointer:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    @contextmanager
    def _cursor(self, replica: bool = False) -> Iterator[Cursor[TupleRow]]:
        pool = self._read_pool if replica and self._read_pool is not None else self._pool
        if pool is not None:
            with (
                _pool.connection(pool) as conn,
                conn.cursor(binary=True, row_factory=tuple_row) as cur,
            ):
                yield cur
        else:
            with self.conn.cursor(binary=True, row_factory=tuple_row) as cur:  # type: ignore[union-attr]
                yield cur

    # Every call goes through ``_execute``: typed errors, retries and metrics apply here
    # and nowhere else.

    def _retry_policy(self) -> RetryConfig | None:
        # Inside a caller's transaction the error has ended the transaction, so a
        # repeated call would run outside it.
        return None if self._in_callers_transaction() else self.retry

    def _before_retry(self, operation: str, exc: BaseException, retry: int, delay: float) -> None:
        self._metrics.retried(operation)
        assert self.retry is not None
        log_retry(operation, exc, retry, self.retry, delay)
        if self._pool is not None and breaks_connection(exc):
            # One broken connection usually means all idle ones are (a restart, a
            # failover): close those whose socket says so now, without a round trip
            # or a checkout, so the next attempt (after the wait) does not meet them.
            _pool.discard_stale(self._pool)

    def _execute(self, operation: str, attempt: Callable[[], T], *, retry: bool = True) -> T:
        started = perf_counter()
        try:
            with self._wrap:
                result = call_with_retry(
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

    def _run(self, call: Call[T]) -> T:
        """Run one call: the one place every operation of this saver goes through."""

        pool = self._read_pool if call.replica and self._read_pool is not None else self._pool

        def attempt() -> T:
            if pool is not None:
                with (
                    _pool.connection(pool) as conn,
                    conn.cursor(binary=True, row_factory=tuple_row) as cur,
                ):
                    cur.execute(call.query, call.params)
                    return call.finish(cur.fetchall())
            with self.conn.cursor(binary=True, row_factory=tuple_row) as cur:  # type: ignore[union-attr]
                cur.execute(call.query, call.params)
                return call.finish(cur.fetchall())

        try:
            return self._execute(call.operation, attempt)
        except DeltaBaseMissingError:
            if call.resend is None:
                raise
            return self._run(call.resend())

    def _stream(self, query: str, params: dict[str, Any] | None, replica: bool = False) -> Iterator[Any]:
        """Rows as they arrive. The call is retried until its first row; once rows
        have been handed out, an error ends the iteration."""
        end = object()

        def start() -> tuple[ExitStack, Iterator[Any], Any]:
            stack = ExitStack()
            try:
                cur = stack.enter_context(self._cursor(replica))
                rows = cur.stream(query, params, binary=True)
                first = next(rows, end)
            except BaseException:
                stack.close()
                raise
            return stack, rows, first

        stack, rows, first = self._execute(self._operations.get(query, "sql"), start)
        with stack, self._wrap:
            try:
                if first is end:
                    return
                yield first
                yield from rows
            finally:
                # psycopg's stream holds the connection's lock while suspended: close it
                # before the connection is given back, or an error raised by the caller
                # mid-stream (a value that fails to load) waits on that lock for ever.
                rows.close()  # type: ignore[attr-defined]

    # ------------------------------------------------------------------ setup

    def setup(self) -> None:
        """Check that the SQL API is deployed and recent enough. Runs no DDL.

        Raises ``SchemaNotDeployedError`` or ``SchemaVersionError``, whose message
        names the command that deploys it (with this connection's DSN,
        password masked); ``InsufficientPrivilegeError`` with the GRANT to run when
        the login role lacks the client role.
        """
        try:
            version: int | None = self._run(self._call(self._queries.schema_version, None))
        except CheckpointerError as exc:
            raise self._setup_error(exc) from exc
        self._check_schema_version(version)

    # ------------------------------------------------------ health and maintenance

    def health_check(self) -> bool:
        """Whether the database answers and the SQL API is deployed. Never raises and
        never retries: it reports the state of now (a failure is logged)."""
        query = self._queries.schema_version
        try:
            self._execute(
                "health_check",
                lambda: self._check_schema_version(self._scalar_once(query)),
                retry=False,
            )
        except Exception as exc:  # noqa: BLE001 - a health check answers, it does not raise
            logger.warning("checkpoint database health check failed: %s", describe(exc))
            return False
        return True

    def _scalar_once(self, query: str) -> Any:
        with self._cursor() as cur:
            cur.execute(query)
            row = cur.fetchone()
        return row[0] if row else None

    def pool_stats(self) -> PoolStats:
        """Connections open, idle, in use, callers waiting, and the pool's counters."""
        if self._pool is not None:
            return _pool.stats_of_pool(self._pool)
        return _pool.stats_of_connection(self.conn)  # type: ignore[arg-type]

    def stats(self) -> dict[str, Any]:
        """``<schema>.stats()``: table sizes, row counts, oldest and newest checkpoint,
        the last cleanup run (docs/operations.md)."""
        query = self._maintenance.stats
        stats: dict[str, Any] = json.loads(self._execute("stats", lambda: self._scalar_once(query)))
        return stats

    def cleanup_old_checkpoints(
        self, retention_days: int | None = _CONFIGURED, *, batch_size: int = 1000, keep_last: int = 1
    ) -> tuple[int, int]:
        """CALL ``<schema>.cleanup_old_checkpoints``; returns ``(removed, skipped)``.

        ``retention_days`` defaults to the config's (30 without one); ``None`` means no
        age limit (only ``keep_last`` decides). The procedure COMMITs between batches,
        so it runs in autocommit mode and not on a connection inside a transaction.
        """
        if retention_days is _CONFIGURED:
            retention_days = self.config.retention_days if self.config else PostgresConfig.retention_days
        params = {"retention_days": retention_days, "batch_size": batch_size, "keep_last": keep_last}
        query = self._maintenance.cleanup_old_checkpoints

        def attempt() -> tuple[int, int]:
            with _autocommit_connection(self.conn) as conn:
                return _cleanup_result(conn.execute(query, params).fetchone())

        return self._execute("cleanup_old_checkpoints", attempt)

    def optimize_database(self) -> builtins.list[str]:
        """VACUUM (ANALYZE) every table of the schema; returns the tables done. Needs the
        schema owner's privileges (as the client role VACUUM skips every table)."""

        def attempt() -> builtins.list[str]:
            if self._pool is not None:
                with _pool.connection(self._pool) as conn:
                    return _optimize_database(conn, self.schema)
            return _optimize_database(self.conn, self.schema)  # type: ignore[arg-type]

        return self._execute("optimize_database", attempt)

    # ------------------------------------------------------------------- read

    def get_tuple(self, config: RunnableConfig) -> CheckpointTuple | None:
        found = self._run(self._get_tuple_call(config))
        if touch := self._touch_after_read(found):
            self._run(touch)
        return found

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
        if limit is not None:
            yield from self._run(self._list_page_call(config, filter, before, limit))
            return
        params = self._list_params(config, filter, before, limit)
        replica = self._on_replica("list_checkpoints", params)
        rows = self._stream(self._queries.list_checkpoints_v2, params, replica)
        yield from self._listing().tuples(rows)

    def get_delta_channel_history(
        self, *, config: RunnableConfig, channels: Sequence[str]
    ) -> dict[str, DeltaChannelHistory]:
        """Per channel, its writes along the parent chain and its seed: one SQL call."""
        if not channels:
            return {}
        rows = self._run(
            self._call(
                self._queries.get_delta_channel_history, self._delta_params(config, channels), all_rows
            )
        )
        return self._rows_to_delta_history(rows, config)

    # ------------------------------------------------------------------ write

    def put(
        self,
        config: RunnableConfig,
        checkpoint: Checkpoint,
        metadata: CheckpointMetadata,
        new_versions: ChannelVersions,
    ) -> RunnableConfig:
        return self._run(self._put_call(config, checkpoint, metadata, new_versions))

    def put_writes(
        self,
        config: RunnableConfig,
        writes: Sequence[tuple[str, Any]],
        task_id: str,
        task_path: str = "",
    ) -> None:
        self._run(self._put_writes_call(config, writes, task_id, task_path))

    # ----------------------------------------------------------------- delete

    def delete_thread(self, thread_id: str) -> None:
        params = self._thread_params(thread_id)
        self._run(self._forgetting_call(self._queries.delete_thread, params, [params["thread_id"]]))

    def delete_for_runs(self, run_ids: Sequence[str]) -> None:
        self._run(self._call(self._queries.delete_for_runs, self._runs_params(run_ids)))

    def copy_thread(self, source_thread_id: str, target_thread_id: str) -> None:
        self._run(
            self._call(self._queries.copy_thread, self._copy_params(source_thread_id, target_thread_id))
        )

    def prune(self, thread_ids: Sequence[str], *, strategy: str = "keep_latest") -> None:
        params = self._prune_params(thread_ids, strategy)
        self._run(self._forgetting_call(self._queries.prune_checkpoints, params, params["thread_ids"]))

    # ------------------------------------------------ lineage and time travel
    # Each walk is one recursive SQL query (docs/time-travel.md).

    def lineage(self, config: RunnableConfig, *, max_depth: int | None = None) -> builtins.list[LineageEntry]:
        """The checkpoint ``config`` names (the latest without a checkpoint_id) and its
        ancestors, nearest first, up to the root or ``max_depth`` steps."""
        params = self._lineage_params(config, max_depth)
        rows = self._run(self._call(self._queries.get_ancestors, params, all_rows))
        return self._rows_to_lineage(rows, params["thread_id"], params["checkpoint_ns"])

    def descendants(
        self, config: RunnableConfig, *, max_depth: int | None = None
    ) -> builtins.list[LineageEntry]:
        """The checkpoint ``config`` names and everything descended from it, on every branch."""
        params = self._lineage_params(config, max_depth)
        rows = self._run(self._call(self._queries.get_descendants, params, all_rows))
        return self._rows_to_lineage(rows, params["thread_id"], params["checkpoint_ns"])

    def branches(self, thread_id: str, checkpoint_ns: str = "") -> builtins.list[Branch]:
        """The head of every branch of a thread, newest first."""
        params = self._branches_params(thread_id, checkpoint_ns)
        rows = self._run(self._call(self._queries.list_branches, params, all_rows))
        return self._rows_to_branches(rows, params["thread_id"], params["checkpoint_ns"])

    def branch_point(
        self, thread_id: str, checkpoint_id_a: str, checkpoint_id_b: str, checkpoint_ns: str = ""
    ) -> str | None:
        """The nearest common ancestor of two checkpoints, or ``None``."""
        return self._run(
            self._call(
                self._queries.find_branch_point,
                self._branch_point_params(thread_id, checkpoint_id_a, checkpoint_id_b, checkpoint_ns),
            )
        )

    def fork_thread(self, config: RunnableConfig, target_thread_id: str) -> RunnableConfig:
        """Copy the path to the checkpoint ``config`` names into a new thread; returns
        the config of that checkpoint in the new thread, ready to ``invoke`` from."""
        params, source = self._fork_params(config, target_thread_id)
        self._run(self._call(self._queries.fork_thread, params))
        return self._forked_config(params, source)

    # ------------------------------------------------------------------ batch

    def batch_save_checkpoints(
        self,
        items: Sequence[tuple[RunnableConfig, Checkpoint, CheckpointMetadata, ChannelVersions]],
    ) -> builtins.list[RunnableConfig]:
        """Save many checkpoints (any threads) in one call and one transaction.

        ``items`` are what ``put`` takes, in order (a parent may precede its child).
        Returns what ``put`` would have returned for each. Retrying is harmless.
        """
        if not items:
            return []
        params, configs = self._batch_params(items)
        self._run(self._call(self._queries.batch_save_checkpoints, params))
        return configs

    # ---------------------------------------------------------------- threads
    # Threads as objects (docs/python-client.md, "Threads"): one SQL call each.

    def search_threads(
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
        return self._run(self._search_threads_call(filters, after, limit))

    def count_threads(self, **filters: Unpack[ThreadFilters]) -> int:
        """How many threads ``search_threads`` finds with these filters, over all pages."""
        return self._run(self._count_threads_call(filters))

    def set_thread_ttl(
        self, thread_id: str, ttl: float | timedelta | None, *, refresh_on_read: bool = False
    ) -> datetime | None:
        """Give a thread its own time to live (seconds or a timedelta; ``None`` removes
        it), replacing the retention procedures' parameters for it. With
        ``refresh_on_read`` a ``touch_thread`` call restarts its clock too. Returns when
        it now expires (``None`` without a TTL or when pinned)."""
        return self._run(self._set_thread_ttl_call(thread_id, ttl, refresh_on_read))

    def pin_thread(self, thread_id: str, pinned: bool = True) -> bool:
        """Pin a thread (``pinned=False`` unpins it): retention leaves a pinned thread alone."""
        return self._run(self._pin_thread_call(thread_id, pinned))

    def touch_thread(self, thread_id: str) -> bool:
        """Record a read: a thread whose TTL refreshes on read has its idle clock
        restarted. ``True`` when the thread refreshes on read."""
        return self._run(self._touch_thread_call(thread_id))

    # ----------------------------------------------------------------- leases

    def acquire_lease(
        self, thread_id: str, *, ttl: float | timedelta = 30, owner: str | None = None
    ) -> datetime:
        """Take (or extend) the lease on a thread; returns its expiry.

        Raises ``LeaseHeldError`` while another owner holds a live lease.
        """
        return self._run(self._call(self._queries.acquire_lease, self._lease_params(thread_id, owner, ttl)))

    def renew_lease(
        self, thread_id: str, *, ttl: float | timedelta = 30, owner: str | None = None
    ) -> datetime:
        """Extend this owner's live lease; raises ``LeaseHeldError`` if it has none."""
        return self._run(self._call(self._queries.renew_lease, self._lease_params(thread_id, owner, ttl)))

    def release_lease(self, thread_id: str, *, owner: str | None = None) -> bool:
        """Give the lease up; ``True`` if this owner held one."""
        return self._run(self._call(self._queries.release_lease, self._lease_params(thread_id, owner, None)))

    @contextmanager
    def lease(
        self, thread_id: str, *, ttl: float | timedelta = 30, owner: str | None = None
    ) -> Iterator[datetime]:
        """Hold the lease on a thread for the ``with`` block, releasing it on exit.

        For runs longer than ``ttl``, call ``renew_lease`` while working.
        """
        expires_at = self.acquire_lease(thread_id, ttl=ttl, owner=owner)
        try:
            yield expires_at
        finally:
            self.release_lease(thread_id, owner=owner)
