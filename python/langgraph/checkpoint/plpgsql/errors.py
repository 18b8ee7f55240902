"""Typed exceptions, and the one place that maps a PostgreSQL SQLSTATE to them.

The SQL API raises its domain errors in the project's own SQLSTATE class ``LG``
(``LG001`` ...). Nothing here looks at message text: the code decides the type, and
the server's message, DETAIL and HINT are carried over as they are.
"""

from __future__ import annotations

from types import TracebackType

import psycopg
from psycopg import sql

from langgraph.checkpoint.plpgsql._dsn import masked_url

# The console command this distribution installs; it runs Sqitch on the plan the
# package ships (``langgraph-plpgsql deploy --help``).
DEPLOY_COMMAND = "langgraph-plpgsql deploy"
SQITCH_INSTALL = "apt-get install sqitch, or the sqitch/sqitch container image"


class CheckpointerError(Exception):
    """Base class of every error this package raises.

    ``sqlstate``, ``detail`` and ``hint`` are set when the error came from the
    database, else ``None``.
    """

    def __init__(
        self,
        message: str,
        *,
        sqlstate: str | None = None,
        detail: str | None = None,
        hint: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.sqlstate = sqlstate
        self.detail = detail
        self.hint = hint

    def __str__(self) -> str:
        parts = [self.message]
        if self.detail:
            parts.append(f"DETAIL: {self.detail}")
        if self.hint:
            parts.append(f"HINT: {self.hint}")
        return "\n".join(parts)


class InvalidIdentifierError(CheckpointerError, ValueError):
    """LG001: a thread id, namespace, checkpoint id or task id is empty, too long,
    or holds a character PostgreSQL text cannot store (NUL)."""


class InvalidDocumentError(CheckpointerError, ValueError):
    """LG002: a checkpoint document, metadata or value array is malformed, or
    metadata cannot be stored as JSON."""


class InvalidArgumentError(CheckpointerError, ValueError):
    """LG003: an argument is out of range (negative limit, unknown prune strategy...)."""


class CheckpointNotFoundError(CheckpointerError, LookupError):
    """LG004: the checkpoint an operation needs does not exist."""


class CheckpointConflictError(CheckpointerError):
    """LG005: an exclusive save would fork the thread: another instance advanced it.
    Reload the latest checkpoint and run again, or take a lease."""


class LeaseHeldError(CheckpointerError):
    """LG006: another owner holds a live lease on the thread."""


class ExtensionMissingError(CheckpointerError):
    """LG007: a PostgreSQL extension the operation needs (pg_cron) is not installed
    in this database."""


class ThreadDeletedError(CheckpointerError, LookupError):
    """LG008: the thread, or the checkpoint a run writes to, was removed while the run was
    still writing (the parent checkpoint is gone, or writes or a re-save arrive for a
    checkpoint that delete_thread, delete_checkpoint, delete_for_runs, a prune or retention
    removed)."""


class DeltaBaseMissingError(CheckpointerError, LookupError):
    """LG009: a value was sent as the appended tail of a stored version that the server
    does not have as a JSON array (retention removed it, or it was written whole by
    another path). The savers handle it themselves by sending the whole value."""


class PartitionUnavailableError(CheckpointerError):
    """LGP01 (sharded deployments, docs/scaling.md): the partition that owns the thread,
    or one a cross-thread call needs, could not be reached. Only its threads fail."""


class CrossPartitionError(CheckpointerError):
    """LGP02 (sharded deployments): a batch save names threads that live on different
    partitions, and a batch is one transaction; split it by partition."""


class InvalidConfigError(CheckpointerError, ValueError):
    """A ``PostgresConfig`` or ``RetryConfig`` field has an invalid value."""


class SchemaNotDeployedError(CheckpointerError):
    """The SQL API is not deployed in the database (schema or function missing)."""


class SchemaVersionError(SchemaNotDeployedError):
    """The deployed SQL API is older than this client needs."""


class InsufficientPrivilegeError(CheckpointerError, PermissionError):
    """42501: the login role may not use the SQL API, usually because it has not been
    granted the client role (``<schema>_client``). The hint is the ``GRANT`` to run."""


def deploy_command(schema: str = "langgraph", conninfo: str | None = None) -> str:
    """``langgraph-plpgsql deploy --dsn '...'`` for this database, password masked."""
    dsn = masked_url(conninfo) if conninfo else "postgresql://<owner>@<host>:<port>/<database>"
    command = f"{DEPLOY_COMMAND} --dsn '{dsn}'"
    return command if schema == "langgraph" else f"{command} --schema {schema}"


def deploy_hint(schema: str, conninfo: str | None = None) -> str:
    """How to deploy the SQL API, for error messages."""
    return (
        f"Deploy it as the database owner with the command this package installs: "
        f"{deploy_command(schema, conninfo)} (it runs Sqitch: {SQITCH_INSTALL})"
    )


def grant_statement(schema: str = "langgraph", role: str | None = None) -> str:
    """The ``GRANT`` that lets ``role`` (a login role) call the SQL API."""
    client = sql.Identifier(f"{schema}_client").as_string(None)
    grantee = sql.Identifier(role).as_string(None) if role else "<login role>"
    return f"GRANT {client} TO {grantee};"


def grant_hint(schema: str, role: str | None = None) -> str:
    return f"As the schema owner, grant the client role to the login role: {grant_statement(schema, role)}"


# SQLSTATE -> exception type. Adding an error code of the SQL API is one line here.
SQLSTATE_ERRORS: dict[str, type[CheckpointerError]] = {
    "LG001": InvalidIdentifierError,
    "LG002": InvalidDocumentError,
    "LG003": InvalidArgumentError,
    "LG004": CheckpointNotFoundError,
    "LG005": CheckpointConflictError,
    "LG006": LeaseHeldError,
    "LG007": ExtensionMissingError,
    "LG008": ThreadDeletedError,
    "LG009": DeltaBaseMissingError,
    # Raised by the proxy of a sharded deployment (sharded/), never by a partition.
    "LGP01": PartitionUnavailableError,
    "LGP02": CrossPartitionError,
    # The API is missing: the schema (invalid_schema_name) or one of its functions
    # (undefined_function, e.g. a schema deployed by an older release).
    "3F000": SchemaNotDeployedError,
    "42883": SchemaNotDeployedError,
    # permission denied (for schema, for function): a login role without the client role.
    "42501": InsufficientPrivilegeError,
}


def translate(exc: psycopg.Error, schema: str = "langgraph") -> CheckpointerError | None:
    """The typed exception for a database error, or ``None`` to let it through."""
    sqlstate = exc.sqlstate
    error_type = SQLSTATE_ERRORS.get(sqlstate) if sqlstate else None
    if error_type is None:
        return None
    diag = exc.diag
    hint = diag.message_hint
    if issubclass(error_type, SchemaNotDeployedError):
        hint = deploy_hint(schema)
    elif issubclass(error_type, InsufficientPrivilegeError) and not hint:
        hint = grant_hint(schema)
    return error_type(
        diag.message_primary or str(exc),
        sqlstate=sqlstate,
        detail=diag.message_detail,
        hint=hint,
    )


class wrap_exceptions:  # noqa: N801 - used like a function: ``with wrap_exceptions(schema):``
    """Re-raise database errors of the SQL API as typed exceptions.

    A plain class rather than ``@contextmanager``: it sits on every call, and works
    unchanged around ``await`` in the async saver.
    """

    __slots__ = ("schema",)

    def __init__(self, schema: str = "langgraph") -> None:
        self.schema = schema

    def __enter__(self) -> None:
        return None

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if isinstance(exc, psycopg.Error):
            typed = translate(exc, self.schema)
            if typed is not None:
                raise typed from exc


class DatabaseUnavailableError(CheckpointerError, psycopg.OperationalError):
    """No usable connection to the database within the outage deadline
    (``RetryConfig.outage_deadline_secs``, or the pool's timeout when retries are off):
    the server is down, unreachable, refusing connections, or every host of a multi-host
    DSN is read-only. Raised instead of psycopg_pool's ``PoolTimeout`` (the cause); an
    ``OperationalError``, so code that catches those still does."""


class UnserializableValueError(InvalidDocumentError):
    """A channel value or pending write that neither typed JSON nor the saver's
    serializer can store (nested deeper than ``serde.MAX_DEPTH``, an integer msgpack
    cannot hold, a type the serializer refuses). ``field`` names it, e.g.
    ``"channel 'messages'"``; nothing was written."""

    def __init__(self, message: str, *, field: str, hint: str | None = None) -> None:
        super().__init__(message, hint=hint)
        self.field = field


class RowBindingError(CheckpointerError):
    """A value encrypted by ``BoundEncryptedSerializer`` was read from a row other than
    the one it was written for (copied onto another thread, checkpoint, channel or
    task, or altered): its associated data does not authenticate."""
