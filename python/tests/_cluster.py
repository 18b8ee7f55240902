"""Throwaway PostgreSQL clusters for the tests: initdb into a temporary folder, a free
port, the schema deployed with ``sqitch deploy``; stopped and removed afterwards.

``conftest.py`` falls back to one when neither ``DATABASE_URL`` nor Docker is there, and
``test_restart.py`` makes its own so it can restart the server without disturbing
anything else.
"""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

import psycopg

REPO_ROOT = Path(__file__).resolve().parents[2]


class ClusterUnavailable(RuntimeError):
    """This machine cannot run a throwaway cluster (no server binaries, sqitch or user)."""


def server_bin() -> Path | None:
    configured = os.environ.get("LANGGRAPH_PG_BIN")
    candidates = [Path(configured)] if configured else sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True)
    if not configured and shutil.which("initdb"):
        candidates.append(Path(shutil.which("initdb")).parent)  # type: ignore[arg-type]
    for candidate in candidates:
        if (candidate / "initdb").exists() and (candidate / "pg_ctl").exists():
            return candidate
    return None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def sqitch_deploy(url_host_port_db: str) -> None:
    """Deploy the repository's schema into ``postgres@host:port/db``."""
    env = {**os.environ, "SQITCH_TARGET": f"db:pg://{url_host_port_db}"}
    deploy = subprocess.run(["sqitch", "deploy"], cwd=REPO_ROOT, env=env, capture_output=True, text=True)
    if deploy.returncode != 0:
        raise RuntimeError(f"sqitch deploy failed:\n{deploy.stdout}\n{deploy.stderr}")


@dataclass
class Cluster:
    url: str
    run_as_owner: Callable[..., subprocess.CompletedProcess]
    pg_ctl: Path
    data: str

    def restart(self, mode: str = "fast") -> None:
        self.run_as_owner(str(self.pg_ctl), "restart", "-D", self.data, "-m", mode, "-w", "-s",
                          "-l", f"{self.data}/server.log")

    def stop(self, mode: str = "fast") -> None:
        self.run_as_owner(str(self.pg_ctl), "stop", "-D", self.data, "-m", mode, "-w", "-s")

    def start(self) -> None:
        self.run_as_owner(str(self.pg_ctl), "start", "-D", self.data, "-w", "-s", "-l", f"{self.data}/server.log")

    def promote(self) -> None:
        self.run_as_owner(str(self.pg_ctl), "promote", "-D", self.data, "-w", "-s")

    @property
    def host_port(self) -> str:
        return self.url.split("@", 1)[1].split("/", 1)[0]


@contextmanager
def standby_of(primary: Cluster) -> Iterator[Cluster]:
    """A streaming standby of ``primary`` (``pg_basebackup -R``), running on its own port;
    its ``url`` names the same database. Stopped and removed afterwards."""
    data = tempfile.mkdtemp(prefix="lg-standby-")
    owner_uid_gid = os.stat(primary.data).st_uid, os.stat(primary.data).st_gid
    os.chown(data, *owner_uid_gid)
    os.chmod(data, 0o700)
    host, port = primary.host_port.split(":")
    standby_port = free_port()
    bin_dir = primary.pg_ctl.parent
    try:
        primary.run_as_owner(str(bin_dir / "pg_basebackup"), "-h", host, "-p", port, "-U", "postgres",
                             "-D", data, "-R", "-X", "stream", "-c", "fast")
        settings = f"\nport = {standby_port}\nunix_socket_directories = '{data}'\n"
        primary.run_as_owner("sh", "-c", f"cat >> '{data}/postgresql.conf' <<'EOF'{settings}EOF\n")
        primary.run_as_owner(str(primary.pg_ctl), "start", "-D", data, "-w", "-s", "-l", f"{data}/server.log")
        database = primary.url.rsplit("/", 1)[1]
        yield Cluster(f"postgresql://postgres@{host}:{standby_port}/{database}", primary.run_as_owner,
                      primary.pg_ctl, data)
    finally:
        if Path(data, "postmaster.pid").exists():
            with suppress(subprocess.CalledProcessError):
                primary.run_as_owner(str(primary.pg_ctl), "stop", "-D", data, "-m", "immediate", "-s")
        shutil.rmtree(data, ignore_errors=True)


@contextmanager
def throwaway_cluster(database: str, *, pg_cron: bool = False, deploy: bool = True) -> Iterator[Cluster]:
    """A running cluster with ``database`` created and (unless not ``deploy``) the schema
    deployed in it.

    With ``pg_cron`` the server preloads pg_cron for that database and the extension is
    created, as scripts/lib/db.sh does.
    """
    bin_dir = server_bin()
    if bin_dir is None or shutil.which("sqitch") is None:
        raise ClusterUnavailable("needs the PostgreSQL server binaries (initdb, pg_ctl) and sqitch")
    as_root = os.geteuid() == 0
    owner = None
    if as_root:
        try:
            owner = pwd.getpwnam(os.environ.get("LANGGRAPH_PG_CTL_USER") or "postgres")
        except KeyError as exc:
            raise ClusterUnavailable("running as root and there is no postgres user to run the server") from exc

    def run_as_owner(*argv: str) -> subprocess.CompletedProcess:
        command = ["runuser", "-u", owner.pw_name, "--", *argv] if owner else list(argv)
        return subprocess.run(command, check=True, capture_output=True, text=True, cwd="/")

    data = tempfile.mkdtemp(prefix="lg-cluster-")
    if owner:
        os.chown(data, owner.pw_uid, owner.pw_gid)
    port = free_port()
    try:
        run_as_owner(str(bin_dir / "initdb"), "-D", data, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-sync")
        settings = (
            f"\nlisten_addresses = '127.0.0.1'\nport = {port}\nunix_socket_directories = '{data}'\n"
            "fsync = off\nsynchronous_commit = off\nfull_page_writes = off\nmax_connections = 100\n"
        )
        if pg_cron:
            settings += f"shared_preload_libraries = 'pg_cron'\ncron.database_name = '{database}'\n"
        run_as_owner("sh", "-c", f"cat >> '{data}/postgresql.conf' <<'EOF'{settings}EOF\n")
        run_as_owner(str(bin_dir / "pg_ctl"), "start", "-D", data, "-w", "-s", "-l", f"{data}/server.log")
        with psycopg.connect(f"postgresql://postgres@127.0.0.1:{port}/postgres", autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{database}"')
        url = f"postgresql://postgres@127.0.0.1:{port}/{database}"
        if pg_cron:
            with psycopg.connect(url, autocommit=True) as conn:
                conn.execute("CREATE EXTENSION IF NOT EXISTS pg_cron")
        if deploy:
            sqitch_deploy(f"postgres@127.0.0.1:{port}/{database}")
        yield Cluster(url, run_as_owner, bin_dir / "pg_ctl", data)
    finally:
        if Path(data, "postmaster.pid").exists():
            subprocess.run(
                (["runuser", "-u", owner.pw_name, "--"] if owner else [])
                + [str(bin_dir / "pg_ctl"), "stop", "-D", data, "-m", "immediate", "-s"],
                capture_output=True, cwd="/",
            )
        shutil.rmtree(data, ignore_errors=True)
