"""The savers under test, each in its own database on one server, behind one timing API.

* ``ours`` / ``ours_async``: PostgresCheckpointer / AsyncPostgresCheckpointer (their
  own pools, as ``from_conn_string`` makes them), in the database of DATABASE_URL;
* ``official`` / ``official_async``: langgraph-checkpoint-postgres' PostgresSaver /
  AsyncPostgresSaver as its README shows them (``from_conn_string``, one connection,
  ``setup()``), in ``<db>_official_bench``;
* ``floor``: the raw floor (floor.py) over a pool, in ``<db>_floor_bench``;
* ``empty``: our sync saver against ``<db>_empty_bench``, a copy of our schema whose
  put_checkpoint_v2 and put_writes return at once (``hollow()``): what our call costs
  before the function does any work, the floor of put and put_writes for our design;
* ``memory``: InMemorySaver, for the end-to-end graphs only.

Async savers run on one event loop that runs in a thread of its own (so the pools'
background tasks run as they would in an application); their calls are timed inside
the loop, so handing a call to the loop is not part of any measurement.
"""

from __future__ import annotations

import asyncio
import getpass
import os
import subprocess
import threading
import time
from collections.abc import Callable, Sequence
from contextlib import AsyncExitStack, ExitStack
from pathlib import Path
from typing import Any

import psycopg
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.checkpoint.postgres import PostgresSaver
from langgraph.checkpoint.postgres.aio import AsyncPostgresSaver
from langgraph.checkpoint.serde.types import _DeltaSnapshot
from psycopg.conninfo import conninfo_to_dict, make_conninfo
from psycopg.rows import dict_row
from psycopg.types.json import Jsonb
from psycopg_pool import AsyncConnectionPool, ConnectionPool

from langgraph.checkpoint.base import get_serializable_checkpoint_metadata
from langgraph.checkpoint.plpgsql import AsyncPostgresCheckpointer, PostgresCheckpointer

import floor
from workload import Call

LABELS = {
    "ours": "ours (sync)",
    "ours_async": "ours (async)",
    "official": "official (sync)",
    "official_async": "official (async)",
    "floor": "raw floor",
    "empty": "ours, empty functions",
    "memory": "InMemorySaver",
}
POSTGRES_KEYS = ("ours", "ours_async", "official", "official_async", "floor")
WRITERS = 8
REPO = Path(__file__).resolve().parent.parent


def database_url(url: str, suffix: str, *, fresh: bool) -> str:
    """The URL of ``<db>_<suffix>`` on the same server, created (empty when ``fresh``)."""
    info = conninfo_to_dict(url)
    name = f"{info.get('dbname', 'postgres')}_{suffix}"
    ident = psycopg.sql.Identifier(name)
    with psycopg.connect(url, autocommit=True) as conn:
        if fresh:
            conn.execute(psycopg.sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(ident))
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone():
            conn.execute(psycopg.sql.SQL("CREATE DATABASE {}").format(ident))
    info["dbname"] = name
    return make_conninfo(**info)


# The functions hollow() empties, and what each returns instead of doing its work.
HOLLOW = {"put_checkpoint_v2": "p_checkpoint_id", "put_writes": "0"}


def deploy(url: str) -> None:
    """Deploy our schema into ``url`` with Sqitch, as bench/run does for DATABASE_URL."""
    info = conninfo_to_dict(url)
    user = info.get("user") or os.environ.get("PGUSER") or getpass.getuser()
    target = f"db:pg://{user}@{info.get('host', 'localhost')}:{info.get('port', 5432)}/{info['dbname']}"
    env = {**os.environ, **({"PGPASSWORD": info["password"]} if info.get("password") else {})}
    subprocess.run(["sqitch", "deploy", "--target", target], cwd=REPO, env=env, check=True,
                   stdout=subprocess.DEVNULL)


def hollow(url: str, schema: str = "langgraph") -> None:
    """Replace the bodies of the HOLLOW functions in ``url``'s deployed schema by a
    bare RETURN, keeping their signatures, SET clauses and privileges: the same call,
    parameters and transfer, and no work."""
    with psycopg.connect(url, autocommit=True) as conn:
        for name, returns in HOLLOW.items():
            (definition,) = conn.execute(
                """SELECT pg_get_functiondef(p.oid) FROM pg_proc p
                   JOIN pg_namespace n ON n.oid = p.pronamespace
                   WHERE n.nspname = %s AND p.proname = %s""", (schema, name)).fetchone()
            head, _, _ = definition.partition("AS $function$")
            conn.execute(f"{head}AS $function$BEGIN RETURN {returns}; END$function$")  # type: ignore[arg-type]


def run_in(loop: asyncio.AbstractEventLoop | None, coro: Any) -> Any:
    assert loop is not None
    return asyncio.run_coroutine_threadsafe(coro, loop).result()


async def _in_loop(make: Callable[..., Any], *args: Any) -> Any:
    return make(*args)


def total_bytes(url: str, schema: str) -> int:
    """pg_total_relation_size (heap, TOAST, indexes) of every table in ``schema``."""
    with psycopg.connect(url, autocommit=True) as conn:
        return int(conn.execute(
            """SELECT coalesce(sum(pg_total_relation_size(c.oid)), 0)
               FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
               WHERE n.nspname = %s AND c.relkind = 'r'""", (schema,)).fetchone()[0])


def dbname(url: str) -> str:
    return conninfo_to_dict(url).get("dbname", "postgres")


class Target:
    """One saver, with every call returning ``(result, seconds)``."""

    def __init__(self, key: str, saver: Any, loop: asyncio.AbstractEventLoop | None = None) -> None:
        self.key = key
        self.label = LABELS[key]
        self.saver = saver
        self.loop = loop
        self.is_async = loop is not None

    def _sync(self, fn: Callable[[], Any]) -> tuple[Any, float]:
        start = time.perf_counter()
        result = fn()
        return result, time.perf_counter() - start

    def _async(self, make: Callable[[], Any]) -> tuple[Any, float]:
        async def timed() -> tuple[Any, float]:
            start = time.perf_counter()
            result = await make()
            return result, time.perf_counter() - start

        return run_in(self.loop, timed())

    def put(self, args: tuple) -> tuple[Any, float]:
        if self.is_async:
            return self._async(lambda: self.saver.aput(*args))
        return self._sync(lambda: self.saver.put(*args))

    def put_writes(self, args: tuple) -> tuple[Any, float]:
        if self.is_async:
            return self._async(lambda: self.saver.aput_writes(*args))
        return self._sync(lambda: self.saver.put_writes(*args))

    def replay(self, calls: Sequence[Call]) -> None:
        for call in calls:
            (self.put if call.kind == "put" else self.put_writes)(call.args)

    def get(self, config: dict) -> tuple[Any, float]:
        if self.is_async:
            return self._async(lambda: self.saver.aget_tuple(config))
        return self._sync(lambda: self.saver.get_tuple(config))

    def list(self, config: dict | None, **kwargs: Any) -> tuple[list, float]:
        if self.is_async:
            async def collect() -> list:
                return [t async for t in self.saver.alist(config, **kwargs)]

            return self._async(collect)
        return self._sync(lambda: list(self.saver.list(config, **kwargs)))

    def forget(self, thread_id: str) -> None:
        """Make the next read of ``thread_id`` what another process's would be: drop
        what our savers hold of it (the appended-tail cache, ``_tails.py``). The other
        savers hold nothing between calls."""
        tails = getattr(self.saver, "_tails", None)
        if tails is not None:
            tails.forget_threads([thread_id])

    def invoke(self, graph: Any, value: Any, config: dict) -> tuple[Any, float]:
        if self.is_async:
            return self._async(lambda: graph.ainvoke(value, config))
        return self._sync(lambda: graph.invoke(value, config))


class Savers:
    """Opens every saver (and a pooled twin of each for the concurrent writers)."""

    def __init__(self, url: str, official_url: str, floor_url: str, empty_url: str | None = None) -> None:
        self.url, self.official_url, self.floor_url = url, official_url, floor_url
        self.empty_url = empty_url
        self.loop = asyncio.new_event_loop()
        self._loop_thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self._loop_thread.start()
        self._stack = ExitStack()
        self._astack = AsyncExitStack()
        self.targets: dict[str, Target] = {}
        self.extra: dict[str, Target] = {}  # measured for writes only (``empty``)
        self.writers: dict[str, Target] = {}

    def _enter_async(self, make: Callable[[], Any]) -> Any:
        """Enter the async context manager ``make()`` builds, inside the loop (pools
        need a running loop from their construction on)."""

        async def enter() -> Any:
            return await self._astack.enter_async_context(make())

        return run_in(self.loop, enter())

    def open(self, *, relay_url: Callable[[str], str] = lambda u: u) -> Savers:
        url, official_url, floor_url = (relay_url(u) for u in (self.url, self.official_url, self.floor_url))
        ours = self._stack.enter_context(
            PostgresCheckpointer.from_conn_string(url, max_connections=WRITERS, min_connections=1, metrics=False))
        ours.setup()
        ours_async = self._enter_async(lambda: AsyncPostgresCheckpointer.from_conn_string(
            url, max_connections=WRITERS, min_connections=1, metrics=False))
        run_in(self.loop, ours_async.setup())
        official = self._stack.enter_context(PostgresSaver.from_conn_string(official_url))
        official.setup()
        official_async = self._enter_async(lambda: AsyncPostgresSaver.from_conn_string(official_url))
        run_in(self.loop, official_async.setup())
        floor_pool = self._stack.enter_context(
            ConnectionPool(floor_url, min_size=1, max_size=WRITERS, kwargs={"autocommit": True}, open=False))
        floor_saver = floor.FloorSaver(floor_pool)
        floor_saver.setup()
        if self.empty_url is not None:
            empty = self._stack.enter_context(PostgresCheckpointer.from_conn_string(
                relay_url(self.empty_url), max_connections=WRITERS, min_connections=1, metrics=False))
            self.extra = {"empty": Target("empty", empty)}
        self.targets = {
            "ours": Target("ours", ours),
            "ours_async": Target("ours_async", ours_async, self.loop),
            "official": Target("official", official),
            "official_async": Target("official_async", official_async, self.loop),
            "floor": Target("floor", floor_saver),
        }
        # The official saver with a pool, as its docs show for concurrent use.
        pool_kwargs = {"autocommit": True, "prepare_threshold": 0, "row_factory": dict_row}
        official_pool = self._stack.enter_context(
            ConnectionPool(official_url, min_size=1, max_size=WRITERS, kwargs=pool_kwargs, open=False))
        official_apool = self._enter_async(lambda: AsyncConnectionPool(
            official_url, min_size=1, max_size=WRITERS, kwargs=pool_kwargs, open=False))
        self.writers = {
            "ours": self.targets["ours"],
            "ours_async": self.targets["ours_async"],
            "official": Target("official", PostgresSaver(official_pool)),
            "official_async": Target("official_async", run_in(self.loop, _in_loop(AsyncPostgresSaver, official_apool)),
                                     self.loop),
            "floor": self.targets["floor"],
        }
        return self

    def memory(self) -> Target:
        return Target("memory", InMemorySaver())

    def close(self) -> None:
        run_in(self.loop, self._astack.aclose())
        self._stack.close()
        self.loop.call_soon_threadsafe(self.loop.stop)
        self._loop_thread.join()
        self.loop.close()

    # ------------------------------------------------------------- sizes

    def total_bytes(self, key: str) -> int:
        url, schema = {
            "ours": (self.url, "langgraph"), "ours_async": (self.url, "langgraph"),
            "official": (self.official_url, "public"), "official_async": (self.official_url, "public"),
            "floor": (self.floor_url, "public"),
        }[key]
        return total_bytes(url, schema)

    def analyze(self) -> None:
        """What autovacuum would have done by now to freshly loaded tables."""
        for url in (self.url, self.official_url, self.floor_url):
            with psycopg.connect(url, autocommit=True) as conn:
                conn.execute("VACUUM ANALYZE")

    def database_of(self, key: str) -> str:
        return dbname({"ours": self.url, "official": self.official_url, "floor": self.floor_url}[key.removesuffix("_async")])


# ----------------------------------------------------------------- bulk loads
# Each saver is loaded through its own write path, batched: ours with
# batch_save_checkpoints (and its put_writes SQL function in a pipeline), the
# official saver with its own put SQL and serialisation in a pipeline, the floor with
# its put statement in a pipeline.


def bulk_load(key: str, saver: Any, threads: Sequence[Sequence[Call]], *, writes: bool, chunk: int = 250) -> None:
    puts = [c.args for t in threads for c in t if c.kind == "put"]
    pending = [c.args for t in threads for c in t if c.kind == "put_writes"] if writes else []
    if key == "ours":
        for i in range(0, len(puts), chunk):
            saver.batch_save_checkpoints(puts[i:i + chunk])
        if pending:
            with saver._cursor() as cur:
                cur.executemany(saver._queries.put_writes, [saver._put_writes_params(*w) for w in pending])
    elif key == "official":
        _official_bulk(saver, puts, pending, chunk)
    elif key == "floor":
        with saver.pool.connection() as conn:
            with conn.cursor(binary=True) as cur:
                for i in range(0, len(puts), chunk):
                    cur.executemany(floor.PUT, [saver.put_params(*p)[0] for p in puts[i:i + chunk]])
                if pending:
                    cur.executemany(floor.PUT_WRITES, [saver.put_writes_params(*w) for w in pending])
    else:
        raise ValueError(key)


def _official_bulk(saver: PostgresSaver, puts: Sequence[tuple], pending: Sequence[tuple], chunk: int) -> None:
    """What PostgresSaver.put / put_writes send, many at a time (their code, batched)."""
    for i in range(0, len(puts), chunk):
        blob_rows: list[Any] = []
        checkpoint_rows: list[Any] = []
        for config, checkpoint, metadata, new_versions in puts[i:i + chunk]:
            configurable = config["configurable"]
            copy = {**checkpoint, "channel_values": dict(checkpoint["channel_values"])}
            blob_values = {}
            for k, v in checkpoint["channel_values"].items():
                if isinstance(v, _DeltaSnapshot) or not (v is None or isinstance(v, (str, int, float, bool))):
                    blob_values[k] = copy["channel_values"].pop(k)
            blob_versions = {k: v for k, v in new_versions.items() if k in blob_values}
            if blob_versions:
                blob_rows.extend(saver._dump_blobs(
                    configurable["thread_id"], configurable["checkpoint_ns"], blob_values, blob_versions))
            checkpoint_rows.append((
                configurable["thread_id"], configurable["checkpoint_ns"], checkpoint["id"],
                configurable.get("checkpoint_id"), Jsonb(copy),
                Jsonb(get_serializable_checkpoint_metadata(config, metadata)),
            ))
        with saver._cursor(pipeline=True) as cur:
            if blob_rows:
                cur.executemany(saver.UPSERT_CHECKPOINT_BLOBS_SQL, blob_rows)
            cur.executemany(saver.UPSERT_CHECKPOINTS_SQL, checkpoint_rows)
    if pending:
        rows = []
        for config, writes, task_id, task_path in pending:
            c = config["configurable"]
            rows.extend(saver._dump_writes(c["thread_id"], c["checkpoint_ns"], c["checkpoint_id"],
                                           task_id, task_path, writes))
        with saver._cursor(pipeline=True) as cur:
            cur.executemany(saver.UPSERT_CHECKPOINT_WRITES_SQL, rows)
