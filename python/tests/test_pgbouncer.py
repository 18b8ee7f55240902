"""Behind pgbouncer in transaction mode: the savers work with prepared statements off.

pgbouncer (before 1.21) hands each transaction to any server connection, so a statement
prepared on one is unknown on the next; ``prepare_threshold=None`` makes psycopg send
every statement unprepared. This starts a real pgbouncer in front of the test database.
"""

from __future__ import annotations

import operator
import os
import pwd
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated
from uuid import uuid4

import psycopg
import pytest
from langgraph.graph import END, START, StateGraph
from typing_extensions import TypedDict

from langgraph.checkpoint.plpgsql import AsyncPostgresCheckpointer, PostgresCheckpointer

from _cluster import free_port


@pytest.fixture(scope="module")
def pgbouncer_url(database_url: str) -> Iterator[str]:
    binary = shutil.which("pgbouncer") or ("/usr/sbin/pgbouncer" if Path("/usr/sbin/pgbouncer").exists() else None)
    assert binary, "pgbouncer is not installed (scripts/bootstrap installs it)"
    target = psycopg.conninfo.conninfo_to_dict(database_url)
    workdir = tempfile.mkdtemp(prefix="lg-pgbouncer-")
    # pgbouncer refuses to run as root.
    owner = pwd.getpwnam("postgres") if os.geteuid() == 0 else None
    if owner:
        os.chown(workdir, owner.pw_uid, owner.pw_gid)
    port = free_port()
    user = target.get("user", "postgres")
    password = target.get("password", "")
    Path(workdir, "users.txt").write_text(f'"{user}" "{password}"\n')
    Path(workdir, "pgbouncer.ini").write_text(
        "[databases]\n"
        f"target = host={target.get('host', '127.0.0.1')} port={target.get('port', 5432)} "
        f"dbname={target['dbname']} user={user}" + (f" password={password}" if password else "") + "\n"
        "[pgbouncer]\n"
        f"listen_addr = 127.0.0.1\nlisten_port = {port}\nunix_socket_dir =\n"
        f"auth_type = trust\nauth_file = {workdir}/users.txt\n"
        "pool_mode = transaction\ndefault_pool_size = 3\nmax_client_conn = 100\n"
        "ignore_startup_parameters = extra_float_digits,options\n"
        f"logfile = {workdir}/pgbouncer.log\npidfile = {workdir}/pgbouncer.pid\n"
    )
    if owner:
        for name in ("users.txt", "pgbouncer.ini"):
            os.chown(Path(workdir, name), owner.pw_uid, owner.pw_gid)
    command = [binary, "-d", f"{workdir}/pgbouncer.ini"]
    if owner:
        command = ["runuser", "-u", owner.pw_name, "--", *command]
    subprocess.run(command, check=True, capture_output=True, cwd="/")
    url = f"postgresql://{user}@127.0.0.1:{port}/target"
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                psycopg.connect(url, connect_timeout=2).close()
                break
            except psycopg.OperationalError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)
        yield url
    finally:
        pid = Path(workdir, "pgbouncer.pid")
        if pid.exists():
            subprocess.run(["kill", pid.read_text().strip()], capture_output=True)
            time.sleep(0.2)
        shutil.rmtree(workdir, ignore_errors=True)


class Counter(TypedDict):
    total: Annotated[int, operator.add]


def graph(checkpointer):
    builder = StateGraph(Counter)
    builder.add_node("add", lambda s: {"total": 1})
    builder.add_edge(START, "add")
    builder.add_edge("add", END)
    return builder.compile(checkpointer=checkpointer)


def test_sync_saver_through_pgbouncer_transaction_mode(pgbouncer_url: str) -> None:
    # Three pooled client connections over at most three server connections, many
    # statements each: a prepared statement would meet a server that never saw it.
    with PostgresCheckpointer.from_conn_string(
        pgbouncer_url, prepare_threshold=None, min_connections=3, max_connections=3
    ) as saver:
        saver.setup()
        app = graph(saver)
        config = {"configurable": {"thread_id": f"pgbouncer-{uuid4()}"}}
        for _ in range(15):
            app.invoke({"total": 0}, config)
        assert app.get_state(config).values["total"] == 15
        history = list(saver.list(config))
        assert len(history) == 45  # input, loop and end checkpoints of 15 runs
        assert [e.checkpoint_id for e in saver.lineage(config)] == [t.checkpoint["id"] for t in history]


async def test_async_saver_through_pgbouncer_transaction_mode(pgbouncer_url: str) -> None:
    async with AsyncPostgresCheckpointer.from_conn_string(
        pgbouncer_url, prepare_threshold=None, min_connections=2, max_connections=3
    ) as saver:
        await saver.setup()
        app = graph(saver)
        config = {"configurable": {"thread_id": f"apgbouncer-{uuid4()}"}}
        for _ in range(10):
            await app.ainvoke({"total": 0}, config)
        assert (await app.aget_state(config)).values["total"] == 10
        assert len([t async for t in saver.alist(config, limit=5)]) == 5


def test_prepared_statements_break_behind_it(pgbouncer_url: str) -> None:
    # The control: with statements prepared at once, some call lands on a server
    # connection that never saw the PREPARE. This is what prepare_threshold=None avoids,
    # and it shows the pool in front really is in transaction mode.
    with PostgresCheckpointer.from_conn_string(
        pgbouncer_url, prepare_threshold=0, min_connections=3, max_connections=3
    ) as saver:
        app = graph(saver)
        config = {"configurable": {"thread_id": f"pgbouncer-prepared-{uuid4()}"}}
        with pytest.raises(psycopg.Error) as excinfo:
            for _ in range(30):
                app.invoke({"total": 0}, config)
        # Unknown or duplicate prepared statement, or 08P01 when a Bind reaches a server
        # connection whose statement of that name was prepared for another query (its
        # parameter count differs).
        assert excinfo.value.sqlstate in {"26000", "42P05", "08P01"}, excinfo.value
