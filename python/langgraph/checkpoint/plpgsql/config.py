"""Connection and retry settings, validated when they are made."""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields
from typing import Any

from psycopg.conninfo import conninfo_to_dict, make_conninfo

from langgraph.checkpoint.plpgsql.errors import InvalidConfigError

# PostgreSQL truncates identifiers longer than this many bytes.
_MAX_IDENTIFIER_BYTES = 63


def check_schema_name(schema: object, field: str = "schema") -> str:
    """Return ``schema`` if it can name a PostgreSQL schema, else raise.

    Any such name is safe: it is always quoted as an identifier, never spliced.
    """
    if not isinstance(schema, str) or not schema:
        raise InvalidConfigError(f"{field} must be a non-empty string, got {schema!r}")
    if "\x00" in schema:
        raise InvalidConfigError(f"{field} must not contain NUL characters")
    if len(schema.encode()) > _MAX_IDENTIFIER_BYTES:
        raise InvalidConfigError(f"{field} must be at most {_MAX_IDENTIFIER_BYTES} bytes, got {schema!r}")
    return schema


def redact_conninfo(conninfo: object) -> str:
    """``conninfo`` with its password masked, for reprs and messages."""
    if not isinstance(conninfo, str):
        return repr(conninfo)
    try:
        params = conninfo_to_dict(conninfo)
    except Exception:  # noqa: BLE001 - never echo a string we cannot parse: it may hold a password
        return "<unparsable connection string>"
    if "password" not in params:
        return conninfo
    params["password"] = "********"
    return make_conninfo("", **params)


def _require(ok: bool, field: str, rule: str, value: object) -> None:
    if not ok:
        raise InvalidConfigError(f"{field} {rule}, got {value!r}")


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


@dataclass(frozen=True)
class PostgresConfig:
    """How a saver connects when it owns its connection pool.

    ``from_conn_string(dsn, **options)`` takes these fields as options.
    ``prepare_threshold`` is passed to every pooled connection: ``None`` turns
    server-side prepared statements off (pgbouncer in transaction mode before 1.21).
    ``auto_cleanup``, ``cleanup_interval_secs`` and ``retention_days`` describe
    retention, which runs in the database. ``exclusive`` makes every save refuse to
    fork a thread another instance advanced (``CheckpointConflictError``), and
    ``lease_owner`` names this instance for thread leases (see docs/time-travel.md).
    ``delta_writes`` sends a list channel that grew at the end as its new elements only,
    remembering the list channels of up to ``tail_cache_size`` (thread, namespace) pairs
    (``_tails.py``, docs/python-client.md). ``read_url`` is an optional read-only server
    (a streaming replica) for ``get_tuple`` and ``list``; a thread this saver wrote is
    read from the primary, so its reads never go back in time (docs/scaling.md).
    """

    database_url: str
    max_connections: int = 10
    min_connections: int = 2
    max_lifetime_secs: float = 3600
    idle_timeout_secs: float = 600
    schema: str = "langgraph"
    auto_cleanup: bool = False
    cleanup_interval_secs: float = 3600
    retention_days: int = 30
    prepare_threshold: int | None = 5
    exclusive: bool = False
    lease_owner: str | None = None
    ping_after_idle_secs: float = 30
    delta_writes: bool = True
    tail_cache_size: int = 1024
    read_url: str | None = None

    def __repr__(self) -> str:
        # The dataclass repr would show database_url, password included.
        shown = ", ".join(
            f"{f.name}={redact_conninfo(getattr(self, f.name))!r}"
            if f.name in ("database_url", "read_url") and getattr(self, f.name) is not None
            else f"{f.name}={getattr(self, f.name)!r}"
            for f in fields(self)
        )
        return f"PostgresConfig({shown})"

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **overrides: Any) -> PostgresConfig:
        """A config from environment variables (``os.environ`` unless ``environ`` is given).

        ``DATABASE_URL`` is required; ``CHECKPOINT_MAX_CONNECTIONS``,
        ``CHECKPOINT_MIN_CONNECTIONS``, ``CHECKPOINT_RETENTION_DAYS``,
        ``CHECKPOINT_AUTO_CLEANUP`` (true/false, 1/0, yes/no, on/off),
        ``CHECKPOINT_CLEANUP_INTERVAL_SECS``, ``CHECKPOINT_MAX_LIFETIME_SECS``,
        ``CHECKPOINT_IDLE_TIMEOUT_SECS``, ``CHECKPOINT_SCHEMA`` and ``CHECKPOINT_READ_URL`` are
        optional (unset or empty: the default). ``overrides`` are fields that win over the environment.
        """
        env = os.environ if environ is None else environ
        values: dict[str, Any] = {}
        url = env.get("DATABASE_URL", "")
        if url.strip():
            values["database_url"] = url
        elif "database_url" not in overrides:
            raise InvalidConfigError("DATABASE_URL is not set (PostgresConfig.database_url is required)")
        for variable, (field, parse) in _ENVIRONMENT.items():
            text = env.get(variable, "").strip()
            if text:
                try:
                    values[field] = parse(text)
                except ValueError:
                    raise InvalidConfigError(
                        f"{variable} (PostgresConfig.{field}) must be {_ENV_KINDS[parse]}, got {text!r}"
                    ) from None
        values.update(overrides)
        return cls(**values)

    def __post_init__(self) -> None:
        _require(
            isinstance(self.database_url, str) and bool(self.database_url.strip()),
            "PostgresConfig.database_url",
            "must be a non-empty connection string",
            self.database_url,
        )
        _require(
            _is_int(self.max_connections) and self.max_connections >= 1,
            "PostgresConfig.max_connections",
            "must be an integer >= 1",
            self.max_connections,
        )
        _require(
            _is_int(self.min_connections) and 0 <= self.min_connections <= self.max_connections,
            "PostgresConfig.min_connections",
            f"must be an integer between 0 and max_connections ({self.max_connections})",
            self.min_connections,
        )
        for field in ("max_lifetime_secs", "idle_timeout_secs", "cleanup_interval_secs"):
            value = getattr(self, field)
            _require(
                _is_number(value) and value > 0,
                f"PostgresConfig.{field}",
                "must be a number > 0",
                value,
            )
        _require(
            isinstance(self.auto_cleanup, bool),
            "PostgresConfig.auto_cleanup",
            "must be a bool",
            self.auto_cleanup,
        )
        _require(
            _is_int(self.retention_days) and self.retention_days >= 1,
            "PostgresConfig.retention_days",
            "must be an integer >= 1",
            self.retention_days,
        )
        _require(
            self.prepare_threshold is None
            or (_is_int(self.prepare_threshold) and self.prepare_threshold >= 0),
            "PostgresConfig.prepare_threshold",
            "must be None (no prepared statements) or an integer >= 0",
            self.prepare_threshold,
        )
        _require(
            isinstance(self.exclusive, bool), "PostgresConfig.exclusive", "must be a bool", self.exclusive
        )
        _require(
            self.lease_owner is None
            or (
                isinstance(self.lease_owner, str)
                and bool(self.lease_owner)
                and "\x00" not in self.lease_owner
            ),
            "PostgresConfig.lease_owner",
            "must be None or a non-empty string without NUL characters",
            self.lease_owner,
        )
        _require(
            _is_number(self.ping_after_idle_secs) and self.ping_after_idle_secs >= 0,
            "PostgresConfig.ping_after_idle_secs",
            "must be a number >= 0",
            self.ping_after_idle_secs,
        )
        _require(
            isinstance(self.delta_writes, bool),
            "PostgresConfig.delta_writes",
            "must be true or false",
            self.delta_writes,
        )
        _require(
            _is_int(self.tail_cache_size) and self.tail_cache_size >= 0,
            "PostgresConfig.tail_cache_size",
            "must be an integer >= 0",
            self.tail_cache_size,
        )
        _require(
            self.read_url is None or (isinstance(self.read_url, str) and bool(self.read_url.strip())),
            "PostgresConfig.read_url",
            "must be None or a non-empty connection string",
            self.read_url,
        )
        check_schema_name(self.schema, "PostgresConfig.schema")


def _parse_bool(text: str) -> bool:
    lowered = text.lower()
    if lowered in ("true", "1", "yes", "on"):
        return True
    if lowered in ("false", "0", "no", "off"):
        return False
    raise ValueError(text)


def _parse_number(text: str) -> float:
    number = float(text)
    return int(number) if number.is_integer() else number


_ENV_KINDS: dict[Callable[[str], Any], str] = {
    int: "an integer",
    _parse_number: "a number",
    _parse_bool: "true or false (1/0, yes/no, on/off)",
    str: "a string",
}

# Environment variable -> (PostgresConfig field, parser).
_ENVIRONMENT: dict[str, tuple[str, Callable[[str], Any]]] = {
    "CHECKPOINT_MAX_CONNECTIONS": ("max_connections", int),
    "CHECKPOINT_MIN_CONNECTIONS": ("min_connections", int),
    "CHECKPOINT_RETENTION_DAYS": ("retention_days", int),
    "CHECKPOINT_AUTO_CLEANUP": ("auto_cleanup", _parse_bool),
    "CHECKPOINT_CLEANUP_INTERVAL_SECS": ("cleanup_interval_secs", _parse_number),
    "CHECKPOINT_MAX_LIFETIME_SECS": ("max_lifetime_secs", _parse_number),
    "CHECKPOINT_IDLE_TIMEOUT_SECS": ("idle_timeout_secs", _parse_number),
    "CHECKPOINT_SCHEMA": ("schema", str),
    "CHECKPOINT_READ_URL": ("read_url", str),
}


@dataclass(frozen=True)
class RetryConfig:
    """Backoff settings for retrying transient database errors.

    ``max_retries`` bounds the attempts that failed (a connection lost mid-call, a
    serialization failure...). ``outage_deadline_secs`` bounds how long a call waits for
    a usable connection while the server is down, restarting or failing over; past it
    the call raises ``DatabaseUnavailableError`` (docs/reliability.md).
    """

    max_retries: int = 3
    initial_delay_ms: float = 100
    max_delay_ms: float = 5000
    exponential_base: float = 2.0
    jitter: bool = True
    outage_deadline_secs: float = 120

    def __post_init__(self) -> None:
        _require(
            _is_int(self.max_retries) and self.max_retries >= 0,
            "RetryConfig.max_retries",
            "must be an integer >= 0",
            self.max_retries,
        )
        _require(
            _is_number(self.initial_delay_ms) and self.initial_delay_ms >= 0,
            "RetryConfig.initial_delay_ms",
            "must be a number >= 0",
            self.initial_delay_ms,
        )
        _require(
            _is_number(self.max_delay_ms) and self.max_delay_ms >= self.initial_delay_ms,
            "RetryConfig.max_delay_ms",
            f"must be a number >= initial_delay_ms ({self.initial_delay_ms})",
            self.max_delay_ms,
        )
        _require(
            _is_number(self.exponential_base) and self.exponential_base >= 1,
            "RetryConfig.exponential_base",
            "must be a number >= 1",
            self.exponential_base,
        )
        _require(isinstance(self.jitter, bool), "RetryConfig.jitter", "must be a bool", self.jitter)
        _require(
            _is_number(self.outage_deadline_secs) and self.outage_deadline_secs > 0,
            "RetryConfig.outage_deadline_secs",
            "must be a number > 0",
            self.outage_deadline_secs,
        )
