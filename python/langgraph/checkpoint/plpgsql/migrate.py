"""Import checkpoints from another LangGraph saver: the official Postgres saver's tables
(``langgraph-checkpoint-postgres``), a ``langgraph-checkpoint-sqlite`` file, an
``InMemorySaver``, or any ``BaseCheckpointSaver``. docs/migration.md is the guide.

The path has two halves, so any source pairs with the target:

* ``export_all(source, thread_ids)`` reads the source through its public ``list`` and
  ``get_tuple`` and yields one ``CheckpointRecord`` per checkpoint, thread by thread and
  oldest first, so every parent comes before its children. Per thread it holds only the
  checkpoint keys; values are read one checkpoint at a time.
* ``import_all(target, records)`` saves them with ``batch_save_checkpoints`` (one
  transaction per ``batch_size`` checkpoints) and ``put_writes``, sending each channel
  value once per version. Ids, parents, metadata, namespaces, pending writes (with their
  task paths where the source has them) and values are kept; running it again stores
  nothing new (saves of an existing id replace it with the same content, writes are
  idempotent per task and index).

``verify(source, target, thread_ids)`` reads every checkpoint back through both savers
and returns the differences. ``from_postgres``, ``from_sqlite`` and ``from_memory``
give, for each kind of source, the thread ids and task paths that the public interface
does not list. ``langgraph-plpgsql migrate`` (``cli/migration.py``) wraps ``from_postgres``
and ``from_sqlite`` for the command line.
"""

from __future__ import annotations

import inspect
import time
from collections import defaultdict
from collections.abc import (
    AsyncIterable,
    AsyncIterator,
    Awaitable,
    Callable,
    Iterable,
    Iterator,
    Mapping,
    Sequence,
)
from dataclasses import dataclass, field
from typing import Any

from langchain_core.runnables import RunnableConfig
from langgraph.checkpoint.base import (
    WRITES_IDX_MAP,
    BaseCheckpointSaver,
    ChannelVersions,
    Checkpoint,
    CheckpointMetadata,
    CheckpointTuple,
)
from langgraph.checkpoint.memory import InMemorySaver

from langgraph.checkpoint.plpgsql._sql import (
    SQL_SOURCE_POSTGRES_KEYS,
    SQL_SOURCE_POSTGRES_TASK_PATHS,
    SQL_SOURCE_POSTGRES_THREADS,
    SQL_SOURCE_SQLITE_KEYS,
    SQL_SOURCE_SQLITE_TASK_PATHS,
    SQL_SOURCE_SQLITE_THREADS,
    SQL_SOURCE_SQLITE_WRITES_COLUMNS,
)
from langgraph.checkpoint.plpgsql.aio import AsyncPostgresCheckpointer
from langgraph.checkpoint.plpgsql.saver import PostgresCheckpointer

# The target: the sync saver, or the async one called from another thread than its loop.
Target = PostgresCheckpointer | AsyncPostgresCheckpointer
# (thread_id, checkpoint_ns, checkpoint_id) -> {task_id: task_path}
TaskPaths = Callable[[str, str, str], Mapping[str, str]]
# thread_id -> (checkpoint_ns, checkpoint_id, parent_checkpoint_id) of its checkpoints.
ThreadKeys = Callable[[str], list[tuple[str, str, str | None]]]


@dataclass(frozen=True)
class CheckpointRecord:
    """One checkpoint of the source with everything needed to save it again."""

    thread_id: str
    checkpoint_ns: str
    checkpoint_id: str
    parent_checkpoint_id: str | None
    checkpoint: Checkpoint
    metadata: CheckpointMetadata
    # (task_id, channel, value, task_path), in the source's order.
    pending_writes: list[tuple[str, str, Any, str]]
    # The source names a parent that it no longer holds (pruned): saved as a root.
    orphaned: bool = False


@dataclass
class ImportReport:
    """What ``import_all`` did."""

    threads: int = 0
    checkpoints: int = 0
    writes: int = 0
    orphaned_parents: list[tuple[str, str, str]] = field(default_factory=list)
    seconds: float = 0.0
    # With verify=True (the from_* functions): what verify() found; [] means it all
    # matches. None: not verified.
    problems: list[str] | None = None


def _config(thread_id: str, checkpoint_ns: str, checkpoint_id: str | None) -> RunnableConfig:
    configurable: dict[str, Any] = {"thread_id": thread_id, "checkpoint_ns": checkpoint_ns}
    if checkpoint_id is not None:
        configurable["checkpoint_id"] = checkpoint_id
    return {"configurable": configurable}


def _key(tup: CheckpointTuple) -> tuple[str, str, str | None]:
    conf = tup.config["configurable"]
    parent = (tup.parent_config or {}).get("configurable", {}).get("checkpoint_id")
    return conf.get("checkpoint_ns", ""), conf["checkpoint_id"], parent


def thread_keys(
    source: BaseCheckpointSaver[Any], thread_id: str, page_size: int = 100
) -> list[tuple[str, str, str | None]]:
    """(checkpoint_ns, checkpoint_id, parent_checkpoint_id) of every checkpoint of a
    thread, in every namespace, oldest first. Only the keys are kept. The savers that
    list a thread newest first across its namespaces (the official Postgres and SQLite
    savers, this one) are read ``page_size`` tuples at a time with ``before``; an
    ``InMemorySaver``, which lists namespace by namespace and holds everything in memory
    anyway, in one pass. Checkpoint ids are unique in a thread, as LangGraph makes them."""
    config: RunnableConfig = {"configurable": {"thread_id": thread_id}}
    if isinstance(source, InMemorySaver):
        return _sorted_keys(source.list(config))
    keys: list[tuple[str, str, str | None]] = []
    before: RunnableConfig | None = None
    while True:
        page = [_key(t) for t in source.list(config, before=before, limit=page_size)]
        keys.extend(page)
        if len(page) < page_size:
            return sorted(keys, key=lambda k: (k[1], k[0]))
        before = {"configurable": {"thread_id": thread_id, "checkpoint_id": page[-1][1]}}


def all_thread_ids(source: BaseCheckpointSaver[Any]) -> list[str]:
    """Every thread of any saver, through ``list(None)``: it reads every checkpoint, so
    prefer a source's own listing (``memory_thread_ids``, ``sqlite_thread_ids``,
    ``postgres_thread_ids``) where there is one."""
    seen: dict[str, None] = {}
    for tup in source.list(None):
        seen.setdefault(tup.config["configurable"]["thread_id"], None)
    return sorted(seen)


def export_all(
    source: BaseCheckpointSaver[Any],
    thread_ids: Iterable[str] | None = None,
    *,
    task_paths: TaskPaths | None = None,
    keys: ThreadKeys | None = None,
) -> Iterator[CheckpointRecord]:
    """Every checkpoint of ``thread_ids`` (default: every thread of the source) in
    ``source``, per thread oldest first (ids are time-ordered, so a parent comes before
    its children). An ``InMemorySaver`` gives its threads and task paths itself.
    ``keys`` lists a thread's checkpoint keys more cheaply than ``list`` (which loads
    every value), as the ``from_*`` functions do from the source's tables."""
    if isinstance(source, InMemorySaver):
        task_paths = task_paths or memory_task_paths(source)
        thread_ids = memory_thread_ids(source) if thread_ids is None else thread_ids
    elif thread_ids is None:
        thread_ids = all_thread_ids(source)
    for thread_id in thread_ids:
        found = keys(thread_id) if keys else thread_keys(source, thread_id)
        present = {(ns, checkpoint_id) for ns, checkpoint_id, _ in found}
        for ns, checkpoint_id, parent_id in found:
            tup = source.get_tuple(_config(thread_id, ns, checkpoint_id))
            if tup is None:  # deleted since the keys were read
                continue
            paths = task_paths(thread_id, ns, checkpoint_id) if task_paths and tup.pending_writes else {}
            yield _record(tup, parent_id, present, paths)


def _record(
    tup: CheckpointTuple, parent_id: str | None, present: set[tuple[str, str]], paths: Mapping[str, str]
) -> CheckpointRecord:
    conf = tup.config["configurable"]
    ns = conf.get("checkpoint_ns", "")
    orphaned = parent_id is not None and (ns, parent_id) not in present
    return CheckpointRecord(
        thread_id=conf["thread_id"],
        checkpoint_ns=ns,
        checkpoint_id=conf["checkpoint_id"],
        parent_checkpoint_id=None if orphaned else parent_id,
        checkpoint=tup.checkpoint,
        metadata=tup.metadata,
        pending_writes=[
            (task, channel, value, paths.get(task, "")) for task, channel, value in tup.pending_writes or []
        ],
        orphaned=orphaned,
    )


def _sorted_keys(tuples: Iterable[CheckpointTuple]) -> list[tuple[str, str, str | None]]:
    return sorted((_key(t) for t in tuples), key=lambda k: (k[1], k[0]))


PutItem = tuple[RunnableConfig, Checkpoint, CheckpointMetadata, ChannelVersions]
WriteCall = tuple[RunnableConfig, list[tuple[str, Any]], str, str]


class _Batcher:
    """The I/O-free part of an import, shared by ``import_all`` and ``aimport_all``: it
    groups records into batches and says what to send for each."""

    def __init__(self, batch_size: int) -> None:
        if batch_size < 1:
            raise ValueError("batch_size must be at least 1")
        self.batch_size = batch_size
        self.report = ImportReport()
        self._started = time.perf_counter()
        # The channel versions of the current thread already sent, per namespace: a
        # value is sent with the first checkpoint that has its version, as LangGraph's
        # own put does. Forgotten when the next thread starts: memory follows one thread.
        self._sent: dict[str, set[tuple[str, str]]] = defaultdict(set)
        self._thread: str | None = None
        self._batch: list[tuple[CheckpointRecord, ChannelVersions]] = []

    def add(self, record: CheckpointRecord) -> bool:
        """Queue a record; true when the batch is full."""
        if record.thread_id != self._thread:
            self._thread = record.thread_id
            self.report.threads += 1
            self._sent.clear()
        sent = self._sent[record.checkpoint_ns]
        new_versions = {
            channel: version
            for channel, version in record.checkpoint["channel_versions"].items()
            if (channel, str(version)) not in sent
        }
        sent.update((channel, str(version)) for channel, version in new_versions.items())
        if record.orphaned:
            self.report.orphaned_parents.append(
                (record.thread_id, record.checkpoint_ns, record.checkpoint_id)
            )
        self._batch.append((record, new_versions))
        return len(self._batch) >= self.batch_size

    def take(self) -> tuple[list[PutItem], list[WriteCall]]:
        """The batch_save_checkpoints items and the put_writes calls of the queued
        records, which are then counted as done."""
        items = [
            (
                _config(r.thread_id, r.checkpoint_ns, r.parent_checkpoint_id),
                r.checkpoint,
                r.metadata,
                versions,
            )
            for r, versions in self._batch
        ]
        writes = [call for r, _ in self._batch for call in write_calls(r)]
        self.report.checkpoints += len(self._batch)
        self.report.writes += sum(len(r.pending_writes) for r, _ in self._batch)
        self._batch.clear()
        return items, writes

    def finish(self) -> ImportReport:
        self.report.seconds = time.perf_counter() - self._started
        return self.report


def write_calls(record: CheckpointRecord) -> list[WriteCall]:
    """A record's pending writes as put_writes calls, one per task: its regular writes in
    order, then its special ones (__error__, __interrupt__, ...) in their fixed slots."""
    by_task: dict[tuple[str, str], list[tuple[str, Any]]] = {}
    for task_id, channel, value, task_path in record.pending_writes:
        by_task.setdefault((task_id, task_path), []).append((channel, value))
    config = _config(record.thread_id, record.checkpoint_ns, record.checkpoint_id)
    calls: list[WriteCall] = []
    for (task_id, task_path), writes in by_task.items():
        regular = [w for w in writes if w[0] not in WRITES_IDX_MAP]
        special = [w for w in writes if w[0] in WRITES_IDX_MAP]
        calls.extend((config, part, task_id, task_path) for part in (regular, special) if part)
    return calls


def import_all(
    target: Target,
    records: Iterable[CheckpointRecord],
    *,
    batch_size: int = 100,
    on_batch: Callable[[ImportReport], None] | None = None,
) -> ImportReport:
    """Save ``records`` (parents before children, as ``export_all`` yields them) into
    ``target``: ``batch_size`` checkpoints per transaction, then their pending writes."""
    batcher = _Batcher(batch_size)

    def flush() -> None:
        items, writes = batcher.take()
        if items:
            target.batch_save_checkpoints(items)
        for call in writes:
            target.put_writes(*call)
        if items and on_batch:
            on_batch(batcher.report)

    for record in records:
        if batcher.add(record):
            flush()
    flush()
    return batcher.finish()


def import_checkpoint(target: Target, record: CheckpointRecord) -> None:
    """Save one record (its parent must be saved already) with its pending writes. It
    sends every channel value, where ``import_all`` sends each version once: use it for
    a few checkpoints, ``import_all`` for a stream."""
    parent = _config(record.thread_id, record.checkpoint_ns, record.parent_checkpoint_id)
    target.put(parent, record.checkpoint, record.metadata, dict(record.checkpoint["channel_versions"]))
    for call in write_calls(record):
        target.put_writes(*call)


def import_from(
    source: BaseCheckpointSaver[Any],
    target: Target,
    thread_ids: Iterable[str],
    *,
    task_paths: TaskPaths | None = None,
    keys: ThreadKeys | None = None,
    batch_size: int = 100,
    on_batch: Callable[[ImportReport], None] | None = None,
) -> ImportReport:
    """``import_all(target, export_all(source, thread_ids, ...))``."""
    records = export_all(source, thread_ids, task_paths=task_paths, keys=keys)
    return import_all(target, records, batch_size=batch_size, on_batch=on_batch)


# ----------------------------------------------------------------- verification


def _comparable(tup: CheckpointTuple | None) -> Any:
    if tup is None:
        return None
    return (
        {
            k: v
            for k, v in tup.config["configurable"].items()
            if k in ("thread_id", "checkpoint_ns", "checkpoint_id")
        },
        dict(tup.checkpoint),
        dict(tup.metadata),
        None if tup.parent_config is None else tup.parent_config["configurable"].get("checkpoint_id"),
        [tuple(w) for w in tup.pending_writes or []],
    )


def verify(
    source: BaseCheckpointSaver[Any],
    target: BaseCheckpointSaver[Any],
    thread_ids: Iterable[str],
) -> list[str]:
    """Read every checkpoint of ``thread_ids`` through both savers (``get_tuple``, and
    the latest of each namespace without an id) and describe each difference; an empty
    list means the target holds what the source does."""
    problems: list[str] = []
    for thread_id in thread_ids:
        keys = _same_keys(thread_id, thread_keys(source, thread_id), thread_keys(target, thread_id), problems)
        for config in _configs_to_compare(thread_id, keys):
            _compare(config, source.get_tuple(config), target.get_tuple(config), problems)
    return problems


def _same_keys(
    thread_id: str,
    source_keys: list[tuple[str, str, str | None]],
    target_keys: list[tuple[str, str, str | None]],
    problems: list[str],
) -> list[tuple[str, str, str | None]]:
    """The keys to compare tuple by tuple: none when the sets of checkpoints differ."""
    if [k[:2] for k in source_keys] == [k[:2] for k in target_keys]:
        return source_keys
    problems.append(
        f"{thread_id}: the checkpoints differ "
        f"({len(source_keys)} in the source, {len(target_keys)} in the target)"
    )
    return []


def _configs_to_compare(thread_id: str, keys: list[tuple[str, str, str | None]]) -> list[RunnableConfig]:
    """Each checkpoint by id, then the latest of each namespace (no id)."""
    by_id = [_config(thread_id, ns, checkpoint_id) for ns, checkpoint_id, _ in keys]
    return by_id + [_config(thread_id, ns, None) for ns in sorted({k[0] for k in keys})]


def _compare(
    config: RunnableConfig, a: CheckpointTuple | None, b: CheckpointTuple | None, problems: list[str]
) -> None:
    left, right = _comparable(a), _comparable(b)
    if left != right:
        conf = config["configurable"]
        where = conf.get("checkpoint_id", "latest")
        problems.append(f"{conf['thread_id']} {conf['checkpoint_ns']!r} {where}: {_difference(left, right)}")


def _difference(a: Any, b: Any) -> str:
    if a is None or b is None:
        return "missing in the " + ("source" if a is None else "target")
    names = ("config", "checkpoint", "metadata", "parent", "pending_writes")
    return ", ".join(f"{name} differs" for name, x, y in zip(names, a, b, strict=True) if x != y)


# ------------------------------------------------------------------- async
# The same path for async sources (AsyncPostgresSaver, AsyncSqliteSaver, InMemorySaver)
# and the async target, with the same records, batches and comparisons.

ATaskPaths = Callable[[str, str, str], Awaitable[Mapping[str, str]]]


async def athread_keys(
    source: BaseCheckpointSaver[Any], thread_id: str, page_size: int = 100
) -> list[tuple[str, str, str | None]]:
    """``thread_keys`` through ``alist``."""
    config: RunnableConfig = {"configurable": {"thread_id": thread_id}}
    if isinstance(source, InMemorySaver):
        return _sorted_keys([t async for t in source.alist(config)])
    keys: list[tuple[str, str, str | None]] = []
    before: RunnableConfig | None = None
    while True:
        page = [_key(t) async for t in source.alist(config, before=before, limit=page_size)]
        keys.extend(page)
        if len(page) < page_size:
            return sorted(keys, key=lambda k: (k[1], k[0]))
        before = {"configurable": {"thread_id": thread_id, "checkpoint_id": page[-1][1]}}


async def aexport_all(
    source: BaseCheckpointSaver[Any],
    thread_ids: Iterable[str],
    *,
    task_paths: TaskPaths | ATaskPaths | None = None,
) -> AsyncIterator[CheckpointRecord]:
    """``export_all`` through ``alist`` and ``aget_tuple``; ``task_paths`` may be async."""
    if isinstance(source, InMemorySaver):
        task_paths = task_paths or memory_task_paths(source)
    for thread_id in thread_ids:
        keys = await athread_keys(source, thread_id)
        present = {(ns, checkpoint_id) for ns, checkpoint_id, _ in keys}
        for ns, checkpoint_id, parent_id in keys:
            tup = await source.aget_tuple(_config(thread_id, ns, checkpoint_id))
            if tup is None:
                continue
            paths: Any = task_paths(thread_id, ns, checkpoint_id) if task_paths and tup.pending_writes else {}
            if inspect.isawaitable(paths):
                paths = await paths
            yield _record(tup, parent_id, present, paths)


async def aimport_all(
    target: AsyncPostgresCheckpointer,
    records: AsyncIterable[CheckpointRecord] | Iterable[CheckpointRecord],
    *,
    batch_size: int = 100,
    on_batch: Callable[[ImportReport], None] | None = None,
) -> ImportReport:
    """``import_all`` on the async saver."""
    batcher = _Batcher(batch_size)

    async def flush() -> None:
        items, writes = batcher.take()
        if items:
            await target.abatch_save_checkpoints(items)
        for call in writes:
            await target.aput_writes(*call)
        if items and on_batch:
            on_batch(batcher.report)

    if isinstance(records, AsyncIterable):
        async for record in records:
            if batcher.add(record):
                await flush()
    else:
        for record in records:
            if batcher.add(record):
                await flush()
    await flush()
    return batcher.finish()


async def aimport_from(
    source: BaseCheckpointSaver[Any],
    target: AsyncPostgresCheckpointer,
    thread_ids: Iterable[str],
    *,
    task_paths: TaskPaths | ATaskPaths | None = None,
    batch_size: int = 100,
    on_batch: Callable[[ImportReport], None] | None = None,
) -> ImportReport:
    """``aimport_all(target, aexport_all(source, thread_ids, ...))``."""
    records = aexport_all(source, thread_ids, task_paths=task_paths)
    return await aimport_all(target, records, batch_size=batch_size, on_batch=on_batch)


async def averify(
    source: BaseCheckpointSaver[Any], target: BaseCheckpointSaver[Any], thread_ids: Iterable[str]
) -> list[str]:
    """``verify`` through ``alist`` and ``aget_tuple``."""
    problems: list[str] = []
    for thread_id in thread_ids:
        source_keys, target_keys = (
            await athread_keys(source, thread_id),
            await athread_keys(target, thread_id),
        )
        for config in _configs_to_compare(
            thread_id, _same_keys(thread_id, source_keys, target_keys, problems)
        ):
            _compare(config, await source.aget_tuple(config), await target.aget_tuple(config), problems)
    return problems


async def afrom_postgres(conninfo: str, target: AsyncPostgresCheckpointer, **options: Any) -> ImportReport:
    """``from_postgres`` with the official ``AsyncPostgresSaver`` and the async saver."""
    from langgraph.checkpoint.postgres.aio import AsyncPostgresSaver
    from psycopg import AsyncConnection
    from psycopg.rows import dict_row

    async with (
        await AsyncConnection.connect(
            conninfo, autocommit=True, prepare_threshold=0, row_factory=dict_row
        ) as saver_conn,
        await AsyncConnection.connect(conninfo, autocommit=True) as lookups,
    ):
        thread_ids: list[str] = []
        after = ""
        while True:
            cur = await lookups.execute(SQL_SOURCE_POSTGRES_THREADS, {"after": after, "limit": 1000})
            rows = await cur.fetchall()
            thread_ids.extend(thread_id for (thread_id,) in rows)
            if len(rows) < 1000:
                break
            after = rows[-1][0]

        cache: dict[str, _PerThread] = {}

        async def paths(thread_id: str, checkpoint_ns: str, checkpoint_id: str) -> Mapping[str, str]:
            if thread_id not in cache:
                cur = await lookups.execute(SQL_SOURCE_POSTGRES_TASK_PATHS, {"thread_id": thread_id})
                rows = await cur.fetchall()
                cache.clear()
                cache[thread_id] = _PerThread(lambda _: rows)
            return cache[thread_id](thread_id, checkpoint_ns, checkpoint_id)

        source = AsyncPostgresSaver(saver_conn)
        return await aimport_from(source, target, thread_ids, task_paths=paths, **options)


# --------------------------------------------------------------------- sources
# What the public interface does not say: which threads exist, and each write's task
# path. One small query per kind of source, on its own tables.


def memory_thread_ids(saver: Any) -> list[str]:
    """The threads of an ``InMemorySaver``."""
    return sorted(saver.storage)


def memory_task_paths(saver: Any) -> TaskPaths:
    def paths(thread_id: str, checkpoint_ns: str, checkpoint_id: str) -> Mapping[str, str]:
        writes = saver.writes.get((thread_id, checkpoint_ns, checkpoint_id), {})
        return {task_id: task_path for task_id, _channel, _value, task_path in writes.values()}

    return paths


def sqlite_thread_ids(conn: Any) -> Iterator[str]:
    """The threads of a ``langgraph-checkpoint-sqlite`` database (its ``sqlite3`` connection)."""
    for (thread_id,) in conn.execute(SQL_SOURCE_SQLITE_THREADS):
        yield thread_id


class _PerThread:
    """Answers lookups for one thread at a time from one query per thread: the task
    paths of its writes, by (checkpoint_ns, checkpoint_id, task_id)."""

    def __init__(self, load: Callable[[str], Iterable[Sequence[Any]]]) -> None:
        self._load = load
        self._thread: str | None = None
        self._paths: dict[tuple[str, str], dict[str, str]] = {}

    def __call__(self, thread_id: str, checkpoint_ns: str, checkpoint_id: str) -> Mapping[str, str]:
        if thread_id != self._thread:
            self._thread, self._paths = thread_id, {}
            for ns, cid, task_id, task_path in self._load(thread_id):
                self._paths.setdefault((ns, cid), {})[task_id] = task_path
        return self._paths.get((checkpoint_ns, checkpoint_id), {})


def _key_rows(rows: Iterable[Sequence[Any]]) -> list[tuple[str, str, str | None]]:
    return [(ns, checkpoint_id, parent_id) for ns, checkpoint_id, parent_id in rows]


def sqlite_task_paths(conn: Any) -> TaskPaths:
    if "task_path" not in {name for (name,) in conn.execute(SQL_SOURCE_SQLITE_WRITES_COLUMNS)}:
        return lambda thread_id, checkpoint_ns, checkpoint_id: {}
    return _PerThread(lambda thread_id: conn.execute(SQL_SOURCE_SQLITE_TASK_PATHS, {"thread_id": thread_id}))


def sqlite_keys(conn: Any) -> ThreadKeys:
    return lambda thread_id: _key_rows(conn.execute(SQL_SOURCE_SQLITE_KEYS, {"thread_id": thread_id}))


def postgres_thread_ids(conn: Any, *, page_size: int = 1000) -> Iterator[str]:
    """The threads in the official Postgres saver's ``checkpoints`` table, paged by id
    (``conn``: a psycopg connection to that database)."""
    after = ""
    while True:
        rows = conn.execute(SQL_SOURCE_POSTGRES_THREADS, {"after": after, "limit": page_size}).fetchall()
        for (thread_id,) in rows:
            yield thread_id
        if len(rows) < page_size:
            return
        after = rows[-1][0]


def postgres_task_paths(conn: Any) -> TaskPaths:
    return _PerThread(
        lambda thread_id: conn.execute(SQL_SOURCE_POSTGRES_TASK_PATHS, {"thread_id": thread_id})
    )


def postgres_keys(conn: Any) -> ThreadKeys:
    return lambda thread_id: _key_rows(conn.execute(SQL_SOURCE_POSTGRES_KEYS, {"thread_id": thread_id}))


def _import_and_verify(
    source: BaseCheckpointSaver[Any],
    target: Target,
    thread_ids: Callable[[], Iterable[str]],
    task_paths: TaskPaths,
    verify_after: bool,
    options: Any,
    keys: ThreadKeys | None = None,
) -> ImportReport:
    report = import_from(source, target, thread_ids(), task_paths=task_paths, keys=keys, **options)
    if verify_after:
        report.problems = verify(source, target, thread_ids())
    return report


def from_memory(saver: Any, target: Target, *, verify: bool = False, **options: Any) -> ImportReport:
    """Import everything an ``InMemorySaver`` holds; with ``verify``, compare it after."""
    return _import_and_verify(
        saver, target, lambda: memory_thread_ids(saver), memory_task_paths(saver), verify, options
    )


def from_sqlite(path: str, target: Target, *, verify: bool = False, **options: Any) -> ImportReport:
    """Import a ``langgraph-checkpoint-sqlite`` database file (needs that package); with
    ``verify``, compare every checkpoint after."""
    import sqlite3
    from contextlib import closing

    from langgraph.checkpoint.sqlite import SqliteSaver

    with closing(sqlite3.connect(path, check_same_thread=False)) as conn:
        source = SqliteSaver(conn)
        return _import_and_verify(
            source,
            target,
            lambda: list(sqlite_thread_ids(conn)),
            sqlite_task_paths(conn),
            verify,
            options,
            keys=sqlite_keys(conn),
        )


def from_postgres(conninfo: str, target: Target, *, verify: bool = False, **options: Any) -> ImportReport:
    """Import the official Postgres saver's tables (``checkpoints``, ``checkpoint_blobs``,
    ``checkpoint_writes``) from the database ``conninfo`` names, which may be the target's
    own (needs ``langgraph-checkpoint-postgres``); with ``verify``, compare every
    checkpoint after. ``options`` go to ``import_from`` (``batch_size``, ``on_batch``)."""
    import psycopg
    from langgraph.checkpoint.postgres import PostgresSaver
    from psycopg.rows import dict_row

    with (
        psycopg.connect(conninfo, autocommit=True, prepare_threshold=0, row_factory=dict_row) as saver_conn,
        psycopg.connect(conninfo, autocommit=True) as lookups,
    ):
        source = PostgresSaver(saver_conn)
        return _import_and_verify(
            source,
            target,
            lambda: postgres_thread_ids(lookups),
            postgres_task_paths(lookups),
            verify,
            options,
        )
