"""Connection and retry settings, validated when they are made."""

from __future__ import annotations

from dataclasses import dataclass

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
        raise InvalidConfigError(
            f"{field} must be at most {_MAX_IDENTIFIER_BYTES} bytes, got {schema!r}"
        )
    return schema


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
    retention, which runs in the database.
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
            _is_int(self.min_connections)
            and 0 <= self.min_connections <= self.max_connections,
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
        check_schema_name(self.schema, "PostgresConfig.schema")


@dataclass(frozen=True)
class RetryConfig:
    """Backoff settings for retrying transient database errors."""

    max_retries: int = 3
    initial_delay_ms: float = 100
    max_delay_ms: float = 5000
    exponential_base: float = 2.0
    jitter: bool = True

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
        _require(
            isinstance(self.jitter, bool), "RetryConfig.jitter", "must be a bool", self.jitter
        )
