"""Test database: DATABASE_URL, else a container when Docker is available, else a
throwaway local cluster (tests/_cluster.py).

The tests never create or truncate tables: the SQL API must already be deployed
(scripts/test does it), and every test uses its own uuid4 thread ids, so the suite
can share a database with other runs.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import AsyncIterator, Iterator
from contextlib import ExitStack
from pathlib import Path
from uuid import uuid4

import pytest
from psycopg_pool import AsyncConnectionPool, ConnectionPool

from langgraph.checkpoint.plpgsql import AsyncPostgresCheckpointer, PostgresCheckpointer

from _cluster import ClusterUnavailable, sqitch_deploy, throwaway_cluster

REPO_ROOT = Path(__file__).resolve().parents[2]


def _docker_works() -> bool:
    if shutil.which("docker") is None:
        return False
    try:
        return subprocess.run(["docker", "info"], capture_output=True, timeout=10).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


def _start_container() -> str:
    """PostgreSQL 15 with pg_cron and pgTAP from ../docker/postgres, schema deployed."""
    from testcontainers.core.image import DockerImage
    from testcontainers.postgres import PostgresContainer

    image = DockerImage(path=str(REPO_ROOT / "docker" / "postgres"), tag="langgraph-plpgsql-test")
    image.build()
    container = PostgresContainer(str(image), username="postgres", password="postgres", dbname="langgraph")
    container.with_command("postgres -c shared_preload_libraries=pg_cron -c cron.database_name=langgraph")
    container.start()
    _CLEANUPS.append(container.stop)
    host, port = container.get_container_host_ip(), container.get_exposed_port(5432)
    sqitch_deploy(f"postgres:postgres@{host}:{port}/langgraph")
    return f"postgresql://postgres:postgres@{host}:{port}/langgraph"


def _start_local_cluster() -> str | None:
    """A throwaway cluster of our own (initdb + pg_ctl, pg_cron preloaded), or None."""
    stack = ExitStack()
    try:
        cluster = stack.enter_context(throwaway_cluster("langgraph_test", pg_cron=True))
    except ClusterUnavailable:
        stack.close()
        return None
    _CLEANUPS.append(stack.close)
    return cluster.url


_CLEANUPS: list = []


@pytest.fixture(scope="session")
def database_url() -> Iterator[str]:
    """DATABASE_URL (scripts/test sets it), else a container when Docker works, else a
    throwaway local cluster; the last two get the schema deployed with sqitch."""
    url = os.environ.get("DATABASE_URL")
    if not url and _docker_works() and (REPO_ROOT / "docker" / "postgres").is_dir():
        url = _start_container()
    if not url:
        url = _start_local_cluster()
    if not url:
        pytest.exit(
            "No database: DATABASE_URL is not set, Docker is not running, and no PostgreSQL "
            "server binaries and sqitch are installed for a throwaway cluster. Run "
            "scripts/test, which installs them.",
            returncode=2,
        )
    yield url
    for cleanup in reversed(_CLEANUPS):
        cleanup()


@pytest.fixture
def thread_id() -> str:
    return f"test-{uuid4()}"


@pytest.fixture(scope="session")
def pool(database_url: str) -> Iterator[ConnectionPool]:
    with ConnectionPool(
        database_url, min_size=1, max_size=8, kwargs={"autocommit": True}, open=True
    ) as pool:
        yield pool


@pytest.fixture
def saver(pool: ConnectionPool) -> PostgresCheckpointer:
    return PostgresCheckpointer(pool)


@pytest.fixture
async def async_pool(database_url: str) -> AsyncIterator[AsyncConnectionPool]:
    pool = AsyncConnectionPool(
        database_url, min_size=1, max_size=8, kwargs={"autocommit": True}, open=False
    )
    await pool.open()
    try:
        yield pool
    finally:
        await pool.close()


@pytest.fixture
async def async_saver(async_pool: AsyncConnectionPool) -> AsyncPostgresCheckpointer:
    return AsyncPostgresCheckpointer(async_pool)
