"""LangGraph checkpointer on the ``langgraph`` PL/pgSQL API: a thin psycopg 3 client.

Every saver method is one call of one SQL function in one round trip; the SQL API
(deployed with Sqitch) holds the logic. See docs/python-client.md.
"""

from langgraph.checkpoint.plpgsql._pool import PoolStats
from langgraph.checkpoint.plpgsql.aio import AsyncPostgresCheckpointer
from langgraph.checkpoint.plpgsql.config import PostgresConfig, RetryConfig
from langgraph.checkpoint.plpgsql.errors import (
    CheckpointConflictError,
    CheckpointerError,
    CheckpointNotFoundError,
    DeltaBaseMissingError,
    ExtensionMissingError,
    InvalidArgumentError,
    InvalidConfigError,
    InvalidDocumentError,
    InvalidIdentifierError,
    LeaseHeldError,
    SchemaNotDeployedError,
    SchemaVersionError,
    ThreadDeletedError,
)
from langgraph.checkpoint.plpgsql.lineage import (
    Branch,
    LineageEntry,
    aresume_from_checkpoint,
    resume_from_checkpoint,
)
from langgraph.checkpoint.plpgsql.metrics import CheckpointMetrics
from langgraph.checkpoint.plpgsql.saver import PostgresCheckpointer
from langgraph.checkpoint.plpgsql.threads import ThreadFilters, ThreadInfo, ThreadStatus

__all__ = [
    "AsyncPostgresCheckpointer",
    "Branch",
    "LineageEntry",
    "aresume_from_checkpoint",
    "resume_from_checkpoint",
    "CheckpointConflictError",
    "CheckpointMetrics",
    "CheckpointNotFoundError",
    "CheckpointerError",
    "DeltaBaseMissingError",
    "ExtensionMissingError",
    "InvalidArgumentError",
    "InvalidConfigError",
    "InvalidDocumentError",
    "InvalidIdentifierError",
    "LeaseHeldError",
    "PoolStats",
    "PostgresCheckpointer",
    "PostgresConfig",
    "RetryConfig",
    "SchemaNotDeployedError",
    "SchemaVersionError",
    "ThreadDeletedError",
    "ThreadFilters",
    "ThreadInfo",
    "ThreadStatus",
]
