"""Running Sqitch on the Sqitch project this package ships.

The wheel holds the repository's ``sqitch.plan``, ``deploy/``, ``revert/``, ``verify/``
and ``sqitch.conf`` under ``langgraph/checkpoint/plpgsql/sqitch/`` (``hatch_build.py``);
an editable install or a checkout uses the repository's top level instead. The
connection goes to Sqitch as libpq environment variables and the target ``db:pg:``, so
the password is never on a command line.
"""

from __future__ import annotations

import getpass
import os
import shutil
import socket
import subprocess
from collections.abc import Sequence
from pathlib import Path

import click

from langgraph.checkpoint.plpgsql._dsn import libpq_environment
from langgraph.checkpoint.plpgsql.cli._common import CommandError, Target

SQITCH_ENV = "LANGGRAPH_SQITCH"
CONTAINER_IMAGE = "sqitch/sqitch"
_PACKAGE_DIR = Path(__file__).resolve().parent.parent


def project_dir() -> Path:
    """The directory holding ``sqitch.plan``: the bundled copy, else the checkout's."""
    for candidate in (_PACKAGE_DIR / "sqitch", _PACKAGE_DIR.parents[3]):
        if (candidate / "sqitch.plan").is_file():
            return candidate
    raise CommandError(
        f"no Sqitch plan in {_PACKAGE_DIR / 'sqitch'}",
        "reinstall the package from its wheel (pip install langgraph-checkpoint-plpgsql), "
        "or run from a clone of the repository",
    )


def registry_args(schema: str) -> list[str]:
    """A schema other than the default keeps its own Sqitch registry (README, "Deploying")."""
    return [] if schema == "langgraph" else ["--registry", f"sqitch_{schema}"]


def variable_args(schema: str) -> list[str]:
    return ["--set", f"schema={schema}"]


def missing_sqitch_hint(target: Target, command: str) -> str:
    project = project_dir()
    extra = " ".join(
        registry_args(target.schema) + (variable_args(target.schema) if command != "status" else [])
    )
    docker = (
        f"docker run --rm --network host -e PGPASSWORD --mount type=bind,src={project},dst=/repo "
        f"{CONTAINER_IMAGE} {command} --target 'db:{target.masked.replace('postgresql://', 'pg://', 1)}'"
        + (f" {extra}" if extra else "")
    )
    return (
        "install Sqitch with the PostgreSQL driver: "
        "`apt-get install sqitch libdbd-pg-perl postgresql-client` "
        f"(Debian, Ubuntu), or run the official container image from the bundled plan:\n  {docker}\n"
        f"or point --sqitch (or ${SQITCH_ENV}) at a sqitch executable."
    )


def find_sqitch(executable: str | None, target: Target, command: str) -> str:
    name = executable or os.environ.get(SQITCH_ENV) or "sqitch"
    found = shutil.which(name)
    if found is None:
        raise CommandError(
            f"Sqitch is not installed (no {name!r} on PATH)", missing_sqitch_hint(target, command)
        )
    return found


def sqitch_environment(target: Target) -> dict[str, str]:
    env = dict(os.environ)
    try:
        env.update(libpq_environment(target.dsn))
    except ValueError as exc:
        raise CommandError(str(exc)) from exc
    # Sqitch records who deployed; a container's root has no full name.
    env.setdefault("SQITCH_FULLNAME", getpass.getuser())
    env.setdefault("SQITCH_EMAIL", f"{getpass.getuser()}@{socket.gethostname()}")
    return env


def run_sqitch(target: Target, command: str, args: Sequence[str], *, executable: str | None = None) -> int:
    """``sqitch <command> --target db:pg: <args>`` in the project directory; its output
    is echoed line by line as it comes. Returns Sqitch's exit status."""
    sqitch = find_sqitch(executable, target, command)
    argv = [sqitch, command, "--target", "db:pg:", *args]
    with subprocess.Popen(
        argv,
        cwd=project_dir(),
        env=sqitch_environment(target),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        bufsize=1,
    ) as process:
        assert process.stdout is not None
        for line in process.stdout:
            click.echo(line, nl=False)
    return process.returncode
