"""``langgraph-plpgsql``: deploy, check and inspect a checkpoint database.

Each module of this package defines its commands and lists them in ``COMMANDS``;
adding a command is one module and one line in ``_MODULES``. docs/operations.md
("The langgraph-plpgsql command") describes every command.
"""

from __future__ import annotations

import importlib
from typing import Any

import click

# The modules whose COMMANDS make up the command line, in the order --help lists them.
_MODULES = (
    "deploy",
    "doctor",
    "browse",
    "threads",
    "cleanup",
    "transfer",
    "migration",
)


class _Group(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(self.commands)  # in registration order, not alphabetical


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(package_name="langgraph-checkpoint-plpgsql", prog_name="langgraph-plpgsql")
def cli() -> None:
    """Deploy, check and inspect a langgraph-checkpoint-plpgsql database.

    Every command takes --dsn (default $DATABASE_URL) and --schema (default
    $CHECKPOINT_SCHEMA, else langgraph).
    """


for _name in _MODULES:
    for _command in importlib.import_module(f"{__name__}.{_name}").COMMANDS:
        cli.add_command(_command)


def main(argv: list[str] | None = None) -> Any:
    """The console script's entry point."""
    return cli.main(args=argv, prog_name="langgraph-plpgsql")
