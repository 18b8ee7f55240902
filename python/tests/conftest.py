"""Test database: DATABASE_URL, or a throwaway container when Docker is available.

The tests never create or truncate tables: the SQL API must already be deployed
(scripts/test does it), and every test uses its own uuid4 thread ids, so the suite
can share a database with other runs.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from uuid import uuid4

import pytest
from psycopg_pool import AsyncConnectionPool, ConnectionPool

from langgraph.checkpoint.plpgsql import AsyncPostgresCheckpointer, PostgresCheckpointer

REPO_ROOT = Path(__file__).resolve().parents[2]


def _docker_works() -> bool:
    if shutil.which("docker") is None:
        return False
    try:
        return subprocess.run(["docker", "info"], capture_output=True, timeout=10).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


def _start_container() -> str:
    """Start PostgreSQL with the schema deployed, from ../docker/postgres. Kept apart
    from the rest: the infrastructure owns that image."""
    from testcontainers.core.image import DockerImage
    from testcontainers.postgres import PostgresContainer

    image = DockerImage(path=str(REPO_ROOT / "docker" / "postgres"), tag="langgraph-plpgsql-test")
    image.build()
    container = PostgresContainer(str(image), username="postgres", password="postgres", dbname="test")
    container.start()
    _CONTAINERS.append(container)
    return container.get_connection_url(driver=None)


_CONTAINERS: list = []


@pytest.fixture(scope="session")
def database_url() -> Iterator[str]:
    url = os.environ.get("DATABASE_URL")
    if not url and _docker_works() and (REPO_ROOT / "docker" / "postgres").is_dir():
        url = _start_container()
    if not url:
        pytest.exit(
            "DATABASE_URL is not set. Run the tests with scripts/test (it starts a "
            "throwaway PostgreSQL and deploys the schema), or point DATABASE_URL at a "
            "database where `sqitch deploy` has been run.",
            returncode=2,
        )
    yield url
    for container in _CONTAINERS:
        container.stop()


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
