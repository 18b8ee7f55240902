"""``deploy``, ``verify``, ``revert``, ``status``: Sqitch on the bundled plan."""

from __future__ import annotations

import click

from langgraph.checkpoint.plpgsql.cli._common import CommandError, Target, connection_options, console
from langgraph.checkpoint.plpgsql.cli._sqitch import project_dir, registry_args, run_sqitch, variable_args

sqitch_option = click.option(
    "--sqitch",
    "sqitch_executable",
    metavar="PATH",
    help="The sqitch executable; default: $LANGGRAPH_SQITCH, else sqitch on PATH.",
)


def _finish(status: int, command: str) -> None:
    if status != 0:
        raise CommandError(f"sqitch {command} failed (exit status {status})", _FIXES.get(command))


_FIXES = {
    "deploy": "read Sqitch's message above; the role in --dsn must be allowed to create schemas and roles "
    "(the database owner or a superuser)",
    "verify": "run `langgraph-plpgsql deploy` to deploy what is missing",
    "revert": "read Sqitch's message above",
    "status": "run `langgraph-plpgsql deploy`",
}


@click.command()
@connection_options
@click.option("--to", "to_change", metavar="CHANGE", help="Deploy up to this change or @tag only.")
@sqitch_option
def deploy(target: Target, to_change: str | None, sqitch_executable: str | None) -> None:
    """Deploy (or upgrade) the SQL API with Sqitch, verifying each change.

    Connect as the database owner: the plan creates the schema and the roles
    <schema>_client and <schema>_reader.
    """
    console().print(f"Deploying schema [bold]{target.schema}[/] to {target.masked} (plan: {project_dir()})")
    args = ["--verify", *variable_args(target.schema), *registry_args(target.schema)]
    if to_change:
        args += ["--to", to_change]
    _finish(run_sqitch(target, "deploy", args, executable=sqitch_executable), "deploy")


@click.command()
@connection_options
@sqitch_option
def verify(target: Target, sqitch_executable: str | None) -> None:
    """Run the plan's verify scripts against the database."""
    args = [*variable_args(target.schema), *registry_args(target.schema)]
    _finish(run_sqitch(target, "verify", args, executable=sqitch_executable), "verify")


@click.command()
@connection_options
@click.option("--to", "to_change", metavar="CHANGE", help="Revert down to this change or @tag (kept).")
@click.option("-y", "--yes", is_flag=True, help="Do not ask for confirmation.")
@sqitch_option
def revert(target: Target, to_change: str | None, yes: bool, sqitch_executable: str | None) -> None:
    """Revert the SQL API (everything, or down to --to). Drops the data with it."""
    what = f"down to {to_change}" if to_change else "every change, with all checkpoints"
    if not yes:
        click.confirm(f"Revert {what} of schema {target.schema} in {target.masked}?", abort=True)
    args = ["-y", *variable_args(target.schema), *registry_args(target.schema)]
    if to_change:
        args += ["--to", to_change]
    _finish(run_sqitch(target, "revert", args, executable=sqitch_executable), "revert")


@click.command()
@connection_options
@sqitch_option
def status(target: Target, sqitch_executable: str | None) -> None:
    """Show which change of the plan the database is at."""
    console().print(f"plan: {project_dir()}")
    _finish(
        run_sqitch(target, "status", registry_args(target.schema), executable=sqitch_executable), "status"
    )


COMMANDS = [deploy, verify, revert, status]
