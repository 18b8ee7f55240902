"""Fixtures of the scale tests (docs/scaling.md): a sharded setup (scripts/sharded), a
pg_auto_failover formation (scripts/ha) and a streaming replica.

Each setup is taken from the environment when a caller started it (scripts/test does:
``PROXY_DSN`` and ``PARTITION_DSNS``, space separated), else started here by the
scripts themselves, in a directory of its own, and stopped after the session.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]


def run_script(script: str, *args: str, env: dict[str, str] | None = None) -> dict[str, list[str]]:
    """Run scripts/<script> and parse its stdout's KEY=value lines (the interface)."""
    done = subprocess.run(
        ["bash", str(REPO_ROOT / "scripts" / script), *args],
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        timeout=600,
    )
    if done.returncode != 0:
        raise RuntimeError(f"scripts/{script} {' '.join(args)} failed:\n{done.stderr}")
    values: dict[str, list[str]] = {}
    for line in done.stdout.splitlines():
        key, sep, value = line.partition("=")
        assert sep and key.isupper(), f"scripts/{script} printed a line that is not KEY=value: {line!r}"
        values.setdefault(key, []).append(value)
    return values


@dataclass(frozen=True)
class Sharded:
    proxy: str
    partitions: list[str]


@pytest.fixture(scope="session")
def sharded() -> Iterator[Sharded]:
    proxy = os.environ.get("PROXY_DSN")
    if proxy:
        yield Sharded(proxy, os.environ["PARTITION_DSNS"].split())
        return
    with tempfile.TemporaryDirectory(prefix="lg-sharded-") as tmp:
        os.chmod(tmp, 0o755)  # the server runs as postgres when the tests run as root
        env = {"LANGGRAPH_SHARDED_DIR": f"{tmp}/state"}
        values = run_script("sharded", "up", env=env)
        try:
            yield Sharded(values["PROXY_DSN"][0], values["PARTITION_DSN"])
        finally:
            run_script("sharded", "down", env=env)


@pytest.fixture(scope="session")
def ha_formation() -> Iterator[tuple[str, dict[str, str]]]:
    """(HA_DSN, env for scripts/ha) of a formation this session starts and stops."""
    with tempfile.TemporaryDirectory(prefix="lg-ha-") as tmp:
        os.chmod(tmp, 0o755)
        env = {"LANGGRAPH_HA_DIR": f"{tmp}/state"}
        if os.environ.get("LANGGRAPH_HA_PORT"):
            env["LANGGRAPH_HA_PORT"] = os.environ["LANGGRAPH_HA_PORT"]
        values = run_script("ha", "up", env=env)
        try:
            yield values["HA_DSN"][0], env
        finally:
            run_script("ha", "down", env=env)


@pytest.fixture(scope="session")
def primary_and_replica() -> Iterator[tuple[str, str]]:
    """A primary (schema deployed) and a streaming replica made with pg_basebackup that
    applies each commit 1.5 s late (recovery_min_apply_delay), so a read it serves too
    early shows the past."""
    import shutil
    import sys

    sys.path.insert(0, str(REPO_ROOT / "python" / "tests"))
    from _cluster import free_port, server_bin, throwaway_cluster

    bin_dir = server_bin()
    assert bin_dir is not None
    with throwaway_cluster("langgraph_replica") as primary:
        primary_port = primary.url.rsplit(":", 1)[1].split("/")[0]
        data = tempfile.mkdtemp(prefix="lg-replica-")
        if os.geteuid() == 0:
            shutil.chown(data, "postgres", "postgres")
        os.chmod(data, 0o700)
        port = free_port()
        try:
            primary.run_as_owner(
                str(bin_dir / "pg_basebackup"), "-h", "127.0.0.1", "-p", primary_port, "-U", "postgres",
                "-D", data, "-R", "-X", "stream", "--checkpoint=fast",
            )  # fmt: skip
            settings = (
                f"\nport = {port}\nunix_socket_directories = '{data}'\n"
                "hot_standby = on\nrecovery_min_apply_delay = '1500ms'\n"
            )
            primary.run_as_owner("sh", "-c", f"cat >> '{data}/postgresql.conf' <<'EOF'{settings}EOF\n")
            primary.run_as_owner(
                str(bin_dir / "pg_ctl"), "start", "-D", data, "-w", "-s", "-l", f"{data}/server.log"
            )
            yield primary.url, f"postgresql://postgres@127.0.0.1:{port}/langgraph_replica"
        finally:
            subprocess.run(
                (["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else [])
                + [str(bin_dir / "pg_ctl"), "stop", "-D", data, "-m", "immediate", "-s"],
                capture_output=True,
                cwd="/",
            )
            shutil.rmtree(data, ignore_errors=True)
