"""Saver behaviour beyond conformance: errors, setup, copies, round trips, concurrency."""

from __future__ import annotations

import asyncio
import copy
import threading
import time
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote
from uuid import uuid4

import psycopg
import pytest
from langgraph.checkpoint.base import BaseCheckpointSaver, empty_checkpoint
from langgraph.checkpoint.serde.jsonplus import JsonPlusSerializer
from psycopg import AsyncCursor, Cursor
from psycopg.conninfo import conninfo_to_dict, make_conninfo
from psycopg_pool import AsyncConnectionPool, ConnectionPool

from langgraph.checkpoint.plpgsql import (
    AsyncPostgresCheckpointer,
    CheckpointerError,
    InsufficientPrivilegeError,
    InvalidArgumentError,
    InvalidConfigError,
    InvalidIdentifierError,
    PostgresCheckpointer,
    PostgresConfig,
    RetryConfig,
    SchemaNotDeployedError,
    SchemaVersionError,
)


def _config(thread_id: str, checkpoint_id: str | None = None, ns: str = "") -> dict[str, Any]:
    configurable = {"thread_id": thread_id, "checkpoint_ns": ns}
    if checkpoint_id:
        configurable["checkpoint_id"] = checkpoint_id
    return {"configurable": configurable}


def _put(saver: Any, thread_id: str, parent: dict | None = None, step: int = 0, **values: Any) -> dict:
    checkpoint = empty_checkpoint()
    checkpoint["channel_values"] = values
    versions = {k: saver.get_next_version(None, None) for k in values}
    checkpoint["channel_versions"] = versions
    config = parent or _config(thread_id)
    return saver.put(config, checkpoint, {"source": "loop", "step": step, "parents": {}}, versions)


# ----------------------------------------------------------------- statements


class CountingCursor(Cursor):
    statements: list[str] = []

    def execute(self, query, params=None, **kwargs):
        CountingCursor.statements.append(str(query))
        return super().execute(query, params, **kwargs)

    def stream(self, query, params=None, **kwargs):
        CountingCursor.statements.append(str(query))
        return super().stream(query, params, **kwargs)


class CountingAsyncCursor(AsyncCursor):
    statements: list[str] = []

    async def execute(self, query, params=None, **kwargs):
        CountingAsyncCursor.statements.append(str(query))
        return await super().execute(query, params, **kwargs)

    def stream(self, query, params=None, **kwargs):
        CountingAsyncCursor.statements.append(str(query))
        return super().stream(query, params, **kwargs)


def _count(statements: list[str], action) -> int:
    statements.clear()
    action()
    return len(statements)


def test_each_method_is_one_statement(database_url: str, thread_id: str) -> None:
    with ConnectionPool(
        database_url, min_size=1, max_size=2, open=True,
        kwargs={"autocommit": True, "cursor_factory": CountingCursor},
    ) as pool:
        saver = PostgresCheckpointer(pool)
        stmts = CountingCursor.statements
        holder: dict[str, Any] = {}

        def put() -> None:
            holder["config"] = _put(saver, thread_id, messages=["a"], other={"x": 1})

        counts = {
            "setup": _count(stmts, saver.setup),
            "put": _count(stmts, put),
            "put_writes": _count(stmts, lambda: saver.put_writes(holder["config"], [("messages", "b"), ("other", 2)], "task")),
            "get_tuple": _count(stmts, lambda: saver.get_tuple(holder["config"])),
            "get_tuple_latest": _count(stmts, lambda: saver.get_tuple(_config(thread_id))),
            "list": _count(stmts, lambda: list(saver.list(_config(thread_id)))),
            "list_limit": _count(stmts, lambda: list(saver.list(_config(thread_id), limit=1, filter={"step": 0}))),
            "get_delta_channel_history": _count(
                stmts, lambda: saver.get_delta_channel_history(config=holder["config"], channels=["messages", "other"])
            ),
            "copy_thread": _count(stmts, lambda: saver.copy_thread(thread_id, thread_id + "-copy")),
            "prune": _count(stmts, lambda: saver.prune([thread_id + "-copy"], strategy="keep_latest")),
            "delete_for_runs": _count(stmts, lambda: saver.delete_for_runs([str(uuid4())])),
            "delete_thread": _count(stmts, lambda: saver.delete_thread(thread_id)),
        }
        assert counts == dict.fromkeys(counts, 1)
        assert all(s.lstrip().startswith("SELECT") for s in stmts)


async def test_each_async_method_is_one_statement(database_url: str, thread_id: str) -> None:
    pool = AsyncConnectionPool(
        database_url, min_size=1, max_size=2, open=False,
        kwargs={"autocommit": True, "cursor_factory": CountingAsyncCursor},
    )
    await pool.open()
    try:
        saver = AsyncPostgresCheckpointer(pool)
        stmts = CountingAsyncCursor.statements
        checkpoint = empty_checkpoint()
        checkpoint["channel_values"] = {"messages": ["a"]}
        checkpoint["channel_versions"] = {"messages": saver.get_next_version(None, None)}

        async def count(coro) -> int:
            stmts.clear()
            await coro
            return len(stmts)

        async def drain(it) -> None:
            async for _ in it:
                pass

        counts = {"setup": await count(saver.setup())}
        stmts.clear()
        config = await saver.aput(_config(thread_id), checkpoint, {"step": 0}, checkpoint["channel_versions"])
        counts["aput"] = len(stmts)
        counts["aput_writes"] = await count(saver.aput_writes(config, [("messages", "b")], "task"))
        counts["aget_tuple"] = await count(saver.aget_tuple(config))
        counts["alist"] = await count(drain(saver.alist(_config(thread_id))))
        counts["alist_limit"] = await count(drain(saver.alist(_config(thread_id), limit=2)))
        counts["aget_delta_channel_history"] = await count(
            saver.aget_delta_channel_history(config=config, channels=["messages"])
        )
        counts["acopy_thread"] = await count(saver.acopy_thread(thread_id, thread_id + "-c"))
        counts["aprune"] = await count(saver.aprune([thread_id + "-c"], strategy="delete"))
        counts["adelete_for_runs"] = await count(saver.adelete_for_runs(["nope"]))
        counts["adelete_thread"] = await count(saver.adelete_thread(thread_id))
        assert counts == dict.fromkeys(counts, 1)
    finally:
        await pool.close()


# --------------------------------------------------------------------- errors


def test_sql_errors_become_typed_exceptions(saver: PostgresCheckpointer, thread_id: str) -> None:
    with pytest.raises(InvalidIdentifierError) as info:
        saver.get_tuple(_config(""))
    assert info.value.sqlstate == "LG001"
    assert info.value.hint and isinstance(info.value.__cause__, psycopg.Error)
    with pytest.raises(InvalidIdentifierError):
        saver.get_tuple(_config("x" * 1025))
    with pytest.raises(InvalidArgumentError) as info:
        list(saver.list(_config(thread_id), limit=-1))
    assert info.value.sqlstate == "LG003"
    with pytest.raises(InvalidArgumentError, match="unknown prune strategy"):
        saver.prune([thread_id], strategy="everything")
    with pytest.raises(InvalidArgumentError, match="onto itself"):
        saver.copy_thread(thread_id, thread_id)
    # Typed errors are also the standard Python types callers may already catch.
    assert issubclass(InvalidIdentifierError, ValueError)
    assert issubclass(InvalidArgumentError, CheckpointerError)


async def test_async_sql_errors_become_typed_exceptions(async_saver: AsyncPostgresCheckpointer) -> None:
    with pytest.raises(InvalidIdentifierError):
        await async_saver.aget_tuple(_config(""))
    with pytest.raises(InvalidArgumentError):
        await async_saver.aprune(["t"], strategy="nope")


def test_setup_checks_the_schema(pool: ConnectionPool) -> None:
    PostgresCheckpointer(pool).setup()
    with pytest.raises(SchemaNotDeployedError, match="langgraph-plpgsql deploy --dsn") as info:
        PostgresCheckpointer(pool, schema="not_deployed_here").setup()
    assert info.value.sqlstate == "3F000"
    assert "--schema not_deployed_here" in str(info.value)
    assert "apt-get install sqitch" in info.value.hint


def test_setup_on_an_empty_database_names_the_command_with_the_dsn_password_masked(database_url: str) -> None:
    params = conninfo_to_dict(database_url)
    url = f"postgresql://{params.get('user', 'postgres')}:{quote('pa ss@word')}@{params['host']}:{params['port']}/{params['dbname']}"
    with PostgresCheckpointer.from_conn_string(url, schema="nowhere", min_connections=1) as saver:
        with pytest.raises(SchemaNotDeployedError) as info:
            saver.setup()
    hint = info.value.hint
    expected = (
        f"langgraph-plpgsql deploy --dsn 'postgresql://{params.get('user', 'postgres')}:****@"
        f"{params['host']}:{params['port']}/{params['dbname']}' --schema nowhere"
    )
    assert expected in hint
    assert "pa ss" not in str(info.value) and "word" not in str(info.value)


def test_setup_without_the_client_role_gives_the_grant(database_url: str) -> None:
    role = f"app_{uuid4().hex[:8]}"
    with psycopg.connect(database_url, autocommit=True) as conn:
        conn.execute(f"CREATE ROLE \"{role}\" LOGIN PASSWORD 'pw'")
    try:
        params = {**conninfo_to_dict(database_url), "user": role, "password": "pw"}
        with psycopg.connect(make_conninfo("", **params), autocommit=True) as conn:
            with pytest.raises(InsufficientPrivilegeError) as info:
                PostgresCheckpointer(conn).setup()
            assert info.value.sqlstate == "42501"
            assert info.value.hint.endswith(f'GRANT "langgraph_client" TO "{role}";')
            assert isinstance(info.value, PermissionError)
    finally:
        with psycopg.connect(database_url, autocommit=True) as conn:
            conn.execute(f'DROP ROLE IF EXISTS "{role}"')


def test_setup_rejects_an_old_schema(pool: ConnectionPool) -> None:
    schema = f"lg_old_{uuid4().hex[:8]}"
    with pool.connection() as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
        conn.execute(f'CREATE FUNCTION "{schema}".schema_version() RETURNS integer LANGUAGE sql AS $$ SELECT 0 $$')
    try:
        with pytest.raises(SchemaVersionError, match="(?s)version 0.*langgraph-plpgsql deploy --dsn '"):
            PostgresCheckpointer(pool, schema=schema).setup()
    finally:
        with pool.connection() as conn:
            conn.execute(f'DROP SCHEMA "{schema}" CASCADE')


def test_methods_on_a_missing_schema_name_the_deploy_command(pool: ConnectionPool) -> None:
    with pytest.raises(SchemaNotDeployedError, match="langgraph-plpgsql deploy"):
        PostgresCheckpointer(pool, schema="missing").get_tuple(_config("t"))


async def test_async_setup(async_pool: AsyncConnectionPool) -> None:
    await AsyncPostgresCheckpointer(async_pool).setup()
    with pytest.raises(SchemaNotDeployedError):
        await AsyncPostgresCheckpointer(async_pool, schema="nope").setup()


def test_config_validation_names_the_field() -> None:
    with pytest.raises(InvalidConfigError, match="max_connections"):
        PostgresConfig(database_url="postgresql://x", max_connections=0)
    with pytest.raises(InvalidConfigError, match="min_connections"):
        PostgresConfig(database_url="postgresql://x", min_connections=20)
    with pytest.raises(InvalidConfigError, match="prepare_threshold"):
        PostgresConfig(database_url="postgresql://x", prepare_threshold=-1)
    with pytest.raises(InvalidConfigError, match="database_url"):
        PostgresConfig(database_url="")
    with pytest.raises(InvalidConfigError, match="schema"):
        PostgresConfig(database_url="postgresql://x", schema="")
    with pytest.raises(InvalidConfigError, match="max_delay_ms"):
        RetryConfig(initial_delay_ms=10, max_delay_ms=1)
    with pytest.raises(TypeError):
        PostgresConfig(database_url="postgresql://x", max_connectionz=3)  # type: ignore[call-arg]
    assert PostgresConfig(database_url="postgresql://x", prepare_threshold=None).prepare_threshold is None
    with pytest.raises(InvalidConfigError, match="conn must be"):
        PostgresCheckpointer("postgresql://x")  # type: ignore[arg-type]


def test_schema_name_is_quoted(pool: ConnectionPool) -> None:
    saver = PostgresCheckpointer(pool, schema='weird"; DROP TABLE x; --')
    assert '"weird""; DROP TABLE x; --".get_checkpoint' in saver._queries.get_checkpoint
    with pytest.raises(SchemaNotDeployedError):
        saver.setup()


# --------------------------------------------------------------- construction


def test_from_conn_string_owns_a_pool(database_url: str, thread_id: str) -> None:
    with PostgresCheckpointer.from_conn_string(database_url, max_connections=3, min_connections=1) as saver:
        saver.setup()
        config = _put(saver, thread_id, a=1)
        assert saver.get_tuple(config).checkpoint["channel_values"] == {"a": 1}
        pool = saver.conn
        assert isinstance(pool, ConnectionPool) and pool.max_size == 3
    assert pool.closed


def test_constructor_with_a_config_owns_and_closes_the_pool(database_url: str, thread_id: str) -> None:
    with PostgresCheckpointer(PostgresConfig(database_url=database_url, min_connections=0)) as saver:
        config = _put(saver, thread_id, a=1)
        assert saver.get_tuple(config) is not None
    assert saver.conn.closed


async def test_async_constructor_with_a_config(database_url: str, thread_id: str) -> None:
    async with AsyncPostgresCheckpointer(PostgresConfig(database_url=database_url, min_connections=0)) as saver:
        await saver.setup()
        assert await saver.aget_tuple(_config(thread_id)) is None
    assert saver.conn.closed


def test_single_connection_and_a_callers_transaction(database_url: str, thread_id: str) -> None:
    with psycopg.connect(database_url) as conn:  # not autocommit
        saver = PostgresCheckpointer(conn)
        with conn.transaction() as tx:
            config = _put(saver, thread_id, a=1)
            assert saver.get_tuple(config) is not None
            raise_rollback = tx
            raise psycopg.Rollback(raise_rollback)
        assert saver.get_tuple(_config(thread_id)) is None  # rolled back with the caller
        conn.commit()
        with conn.transaction():
            config = _put(saver, thread_id, a=2)
        assert saver.get_tuple(config).checkpoint["channel_values"] == {"a": 2}


def test_a_callers_row_factory_is_left_alone(database_url: str, thread_id: str) -> None:
    from psycopg.rows import dict_row

    with psycopg.connect(database_url, autocommit=True, row_factory=dict_row) as conn:
        saver = PostgresCheckpointer(conn)
        config = _put(saver, thread_id, a=1)
        assert saver.get_tuple(config).checkpoint["channel_values"] == {"a": 1}
        assert conn.row_factory is dict_row


async def test_async_single_connection(database_url: str, thread_id: str) -> None:
    async with await psycopg.AsyncConnection.connect(database_url, autocommit=True) as conn:
        saver = AsyncPostgresCheckpointer(conn)
        checkpoint = empty_checkpoint()
        config = await saver.aput(_config(thread_id), checkpoint, {}, {})
        assert (await saver.aget_tuple(config)).checkpoint["id"] == checkpoint["id"]


def test_copy_and_with_allowlist(saver: PostgresCheckpointer, thread_id: str) -> None:
    clone = copy.copy(saver)
    config = _put(clone, thread_id, a=1)
    assert saver.get_tuple(config).checkpoint["channel_values"] == {"a": 1}
    strict = PostgresCheckpointer(saver.conn, serde=JsonPlusSerializer(allowed_msgpack_modules=None))
    allowed = strict.with_allowlist([("my.module", "Thing")])
    assert type(allowed) is PostgresCheckpointer and allowed is not strict
    assert allowed.get_tuple(config).checkpoint["channel_values"] == {"a": 1}
    assert ("my.module", "Thing") in allowed._codec._reviver.allowlist
    assert strict._codec._reviver.allowlist is None


def test_get_next_version(saver: PostgresCheckpointer) -> None:
    first = saver.get_next_version(None, None)
    assert first.startswith("0" * 31 + "1.")
    second = saver.get_next_version(first, None)
    assert second > first and second.startswith("0" * 30 + "02.")
    assert saver.get_next_version(7, None).startswith("0" * 31 + "8.")
    assert len(first.split(".")[0]) == 32


def test_sync_calls_on_the_async_saver(async_saver: AsyncPostgresCheckpointer) -> None:
    # Made outside a loop: no loop to run on.
    with pytest.raises(asyncio.InvalidStateError):
        async_saver.get_tuple(_config("t"))


async def test_sync_calls_from_another_thread(async_pool: AsyncConnectionPool, thread_id: str) -> None:
    saver = AsyncPostgresCheckpointer(async_pool)
    config = await asyncio.to_thread(_put, saver, thread_id, a=1)
    tup = await asyncio.to_thread(saver.get_tuple, config)
    assert tup.checkpoint["channel_values"] == {"a": 1}
    assert len(await asyncio.to_thread(lambda: list(saver.list(_config(thread_id))))) == 1
    with pytest.raises(asyncio.InvalidStateError, match="aget_tuple"):
        saver.get_tuple(config)


async def test_lineage_batch_and_lease_sync_forms_from_another_thread(
    async_pool: AsyncConnectionPool, thread_id: str
) -> None:
    saver = AsyncPostgresCheckpointer(async_pool, lease_owner="worker-1")

    def from_a_worker_thread() -> None:
        root = _put(saver, thread_id, a=1)
        child = _put(saver, thread_id, parent=root, a=2)
        root_id, child_id = root["configurable"]["checkpoint_id"], child["configurable"]["checkpoint_id"]
        assert [e.checkpoint_id for e in saver.lineage(child)] == [child_id, root_id]
        assert [e.checkpoint_id for e in saver.descendants(root)] == [root_id, child_id]
        assert [b.head_checkpoint_id for b in saver.branches(thread_id)] == [child_id]
        assert saver.branch_point(thread_id, child_id, root_id) == root_id
        forked = saver.fork_thread(child, f"{thread_id}-fork")
        assert forked["configurable"]["thread_id"] == f"{thread_id}-fork"
        other = f"{thread_id}-batch"
        [saved] = saver.batch_save_checkpoints([(_config(other), empty_checkpoint(), {"step": -1}, {})])
        assert saver.get_tuple(saved) is not None
        with saver.lease(thread_id, ttl=10):
            assert saver.renew_lease(thread_id, ttl=10) is not None
        assert saver.release_lease(thread_id) is False  # the block released it
        assert saver.acquire_lease(thread_id) is not None
        assert saver.release_lease(thread_id) is True

    await asyncio.to_thread(from_a_worker_thread)


def test_delta_channel_history_matches_the_generic_walk(saver: PostgresCheckpointer, thread_id: str) -> None:
    config = _put(saver, thread_id, step=-1, items=["seed"])
    for step in range(3):
        saver.put_writes(config, [("items", f"w{step}a"), ("other", step)], task_id=f"b{step}", task_path=f"~{step}")
        saver.put_writes(config, [("items", f"w{step}b")], task_id=f"a{step}", task_path=f"~{step}")
        # Like a DeltaChannel between snapshots: no value stored, only writes.
        config = saver.put(config, empty_checkpoint(), {"step": step}, {})
    channels = ["items", "other", "absent"]
    fast = saver.get_delta_channel_history(config=config, channels=channels)
    reference = BaseCheckpointSaver.get_delta_channel_history(saver, config=config, channels=channels)
    assert fast == reference
    assert fast["items"]["seed"] == ["seed"]
    assert [w[2] for w in fast["items"]["writes"]] == ["w0b", "w0a", "w1b", "w1a", "w2b", "w2a"]
    assert "seed" not in fast["other"]
    assert saver.get_delta_channel_history(config=config, channels=[]) == {}


def test_thread_ids_may_be_non_strings(saver: PostgresCheckpointer) -> None:
    thread_id = uuid4()
    config = _put(saver, thread_id, a=1)  # type: ignore[arg-type]
    assert config["configurable"]["thread_id"] == str(thread_id)
    assert saver.get_tuple({"configurable": {"thread_id": thread_id}}) is not None


# ------------------------------------------------------------ prepared statements


def _prepared_statements(conn: psycopg.Connection) -> int:
    return conn.execute("SELECT count(*) FROM pg_prepared_statements").fetchone()[0]


@pytest.mark.parametrize("threshold, expect_prepared", [(None, False), (0, True)])
def test_prepare_threshold(database_url: str, thread_id: str, threshold, expect_prepared) -> None:
    with PostgresCheckpointer.from_conn_string(
        database_url, max_connections=1, min_connections=1, prepare_threshold=threshold
    ) as saver:
        config = _put(saver, thread_id, a=1)
        for _ in range(10):
            assert saver.get_tuple(config) is not None
            list(saver.list(config, limit=3))
        with saver.conn.connection() as conn:
            assert conn.prepare_threshold == threshold
            assert (_prepared_statements(conn) > 0) is expect_prepared


async def test_async_without_prepared_statements(database_url: str, thread_id: str) -> None:
    async with AsyncPostgresCheckpointer.from_conn_string(
        database_url, max_connections=1, min_connections=1, prepare_threshold=None
    ) as saver:
        checkpoint = empty_checkpoint()
        config = await saver.aput(_config(thread_id), checkpoint, {}, {})
        for _ in range(10):
            assert await saver.aget_tuple(config) is not None
        async with saver.conn.connection() as conn:
            cur = await conn.execute("SELECT count(*) FROM pg_prepared_statements")
            assert (await cur.fetchone())[0] == 0


# ----------------------------------------------------------------- concurrency


@pytest.fixture
def locked_thread(database_url: str, saver: PostgresCheckpointer) -> Iterator[tuple[str, psycopg.Connection]]:
    """A thread whose row another session holds locked, so saves to it wait."""
    blocked = f"blocked-{uuid4()}"
    _put(saver, blocked, a=0)
    with psycopg.connect(database_url) as locker:
        locker.execute("SELECT FROM langgraph.threads WHERE thread_id = %s FOR UPDATE", (blocked,))
        yield blocked, locker
        locker.rollback()


def test_calls_through_one_pool_run_in_parallel(saver: PostgresCheckpointer, locked_thread, thread_id: str) -> None:
    blocked, locker = locked_thread
    done = threading.Event()
    waiter = threading.Thread(target=lambda: (_put(saver, blocked, a=1), done.set()))
    waiter.start()
    time.sleep(0.2)
    assert not done.is_set()  # waiting for the row lock, holding a pooled connection
    # Meanwhile the same saver serves other calls: no instance-wide lock.
    started = time.monotonic()
    config = _put(saver, thread_id, a=2)
    assert saver.get_tuple(config).checkpoint["channel_values"] == {"a": 2}
    assert list(saver.list(_config(thread_id)))
    assert time.monotonic() - started < 2
    assert not done.is_set()
    locker.rollback()
    waiter.join(5)
    assert done.is_set()


async def test_async_calls_through_one_pool_run_concurrently(
    async_saver: AsyncPostgresCheckpointer, saver: PostgresCheckpointer, locked_thread, thread_id: str
) -> None:
    blocked, locker = locked_thread
    checkpoint = empty_checkpoint()
    waiting = asyncio.create_task(async_saver.aput(_config(blocked), checkpoint, {}, {}))
    await asyncio.sleep(0.2)
    assert not waiting.done()
    other = empty_checkpoint()
    config = await asyncio.wait_for(async_saver.aput(_config(thread_id), other, {}, {}), 2)
    assert (await async_saver.aget_tuple(config)).checkpoint["id"] == other["id"]
    assert not waiting.done()
    locker.rollback()
    await asyncio.wait_for(waiting, 5)


def test_many_threads_share_one_pool(saver: PostgresCheckpointer) -> None:
    errors: list[BaseException] = []

    def work(i: int) -> None:
        try:
            tid = f"many-{i}-{uuid4()}"
            config = _put(saver, tid, value=i)
            for _ in range(5):
                assert saver.get_tuple(config).checkpoint["channel_values"] == {"value": i}
            saver.delete_thread(tid)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(16)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
