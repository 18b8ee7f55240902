"""What every command shares: the connection options, the console, errors."""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

import click
import psycopg
from rich.console import Console
from rich.markup import escape

from langgraph.checkpoint.plpgsql._dsn import masked_url
from langgraph.checkpoint.plpgsql.config import PostgresConfig, check_schema_name
from langgraph.checkpoint.plpgsql.errors import CheckpointerError, InvalidConfigError, translate
from langgraph.checkpoint.plpgsql.saver import PostgresCheckpointer

F = TypeVar("F", bound=Callable[..., Any])


# Output that is not a terminal (a pipe, a log, CI) has no width to wrap at: rich's
# default of 80 columns would break every table row and tree line in two.
PIPE_WIDTH = 200


def _width(stream: Any) -> int | None:
    interactive = hasattr(stream, "isatty") and stream.isatty()
    return None if interactive or os.environ.get("COLUMNS") else PIPE_WIDTH


def console() -> Console:
    """Standard output (as it is now: CliRunner swaps it); rich turns colour and live
    displays off when it is not a terminal."""
    return Console(highlight=False, width=_width(sys.stdout))


def err_console() -> Console:
    return Console(stderr=True, highlight=False, width=_width(sys.stderr))


class Target:
    """The database and schema a command works on (``--dsn``, ``--schema``)."""

    def __init__(self, dsn: str, schema: str) -> None:
        self.dsn = dsn
        self.schema = schema

    @property
    def masked(self) -> str:
        return masked_url(self.dsn)

    @contextmanager
    def connect(self, *, autocommit: bool = True) -> Iterator[psycopg.Connection[Any]]:
        """One connection; database errors of the SQL API come out as ``click`` errors."""
        with errors(self.schema):
            conn = psycopg.connect(self.dsn, autocommit=autocommit)
        with conn, errors(self.schema):
            yield conn

    @contextmanager
    def saver(self) -> Iterator[PostgresCheckpointer]:
        """A saver on one connection of its own, for the commands that read checkpoints."""
        with self.connect() as conn:
            yield PostgresCheckpointer(conn, schema=self.schema)


class CommandError(click.ClickException):
    """A failure with what to do about it; exits with status 1."""

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.hint = hint

    def show(self, file: Any = None) -> None:
        out = err_console()
        out.print(f"[bold red]error:[/] {escape(self.message)}")
        if self.hint:
            out.print(f"[bold]fix:[/] {escape(self.hint)}")


@contextmanager
def errors(schema: str) -> Iterator[None]:
    """Database and checkpointer errors as ``CommandError``: message, then the fix."""
    try:
        yield
    except CheckpointerError as exc:
        raise CommandError(_message(exc), exc.hint) from exc
    except psycopg.Error as exc:
        typed = translate(exc, schema)
        if typed is not None:
            raise CommandError(_message(typed), typed.hint) from exc
        diag = exc.diag
        raise CommandError(diag.message_primary or str(exc).strip(), diag.message_hint) from exc


def _message(exc: CheckpointerError) -> str:
    return exc.message + (f" ({exc.detail})" if exc.detail else "")


def connection_options(func: F) -> F:
    """``--dsn`` (or ``DATABASE_URL``) and ``--schema`` (or ``CHECKPOINT_SCHEMA``), passed
    to the command as ``target``."""

    @click.option(
        "--dsn",
        envvar="DATABASE_URL",
        metavar="URL",
        help="PostgreSQL connection string (URL or key=value); default: $DATABASE_URL.",
    )
    @click.option(
        "--schema",
        envvar="CHECKPOINT_SCHEMA",
        default="langgraph",
        show_default=True,
        help="Schema of the SQL API (a Sqitch variable); default: $CHECKPOINT_SCHEMA.",
    )
    @functools.wraps(func)
    def wrapper(*args: Any, dsn: str | None, schema: str, **kwargs: Any) -> Any:
        if not dsn:
            raise CommandError(
                "no database given",
                "pass --dsn 'postgresql://user@host:5432/db' or set DATABASE_URL",
            )
        try:
            schema = check_schema_name(schema)
        except InvalidConfigError as exc:
            raise click.BadParameter(exc.message, param_hint="--schema") from exc
        return func(*args, target=Target(dsn, schema), **kwargs)

    return wrapper  # type: ignore[return-value]


def retention_days_option(help: str) -> Callable[[F], F]:
    """``--retention-days``, defaulting like ``PostgresConfig.from_env``."""
    return click.option(
        "--retention-days",
        type=click.IntRange(min=0),
        default=lambda: int(os.environ.get("CHECKPOINT_RETENTION_DAYS") or PostgresConfig.retention_days),
        show_default="$CHECKPOINT_RETENTION_DAYS, else 30",
        help=help,
    )
