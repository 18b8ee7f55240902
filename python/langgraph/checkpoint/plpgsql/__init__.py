"""LangGraph checkpointer on the ``langgraph`` PL/pgSQL API: a thin psycopg 3 client.

Every saver method is one call of one SQL function in one round trip; the SQL API
(deployed with Sqitch) holds the logic. See docs/python-client.md.
"""

from langgraph.checkpoint.plpgsql._pool import PoolStats
from langgraph.checkpoint.plpgsql.aio import AsyncPostgresCheckpointer
from langgraph.checkpoint.plpgsql.config import PostgresConfig, RetryConfig
from langgraph.checkpoint.plpgsql.encryption import BoundEncryptedSerializer
from langgraph.checkpoint.plpgsql.errors import (
    CheckpointConflictError,
    CheckpointerError,
    CheckpointNotFoundError,
    CrossPartitionError,
    DatabaseUnavailableError,
    DeltaBaseMissingError,
    ExtensionMissingError,
    InsufficientPrivilegeError,
    InvalidArgumentError,
    InvalidConfigError,
    InvalidDocumentError,
    InvalidIdentifierError,
    LeaseHeldError,
    PartitionUnavailableError,
    RowBindingError,
    SchemaNotDeployedError,
    SchemaVersionError,
    ThreadDeletedError,
    UnserializableValueError,
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

# The names of the official langgraph-checkpoint-postgres savers, for a drop-in import.
PostgresSaver = PostgresCheckpointer
AsyncPostgresSaver = AsyncPostgresCheckpointer

__all__ = [
    "BoundEncryptedSerializer",
    "AsyncPostgresCheckpointer",
    "AsyncPostgresSaver",
    "Branch",
    "LineageEntry",
    "aresume_from_checkpoint",
    "resume_from_checkpoint",
    "CheckpointConflictError",
    "CheckpointMetrics",
    "CheckpointNotFoundError",
    "CheckpointerError",
    "CrossPartitionError",
    "DatabaseUnavailableError",
    "DeltaBaseMissingError",
    "ExtensionMissingError",
    "InsufficientPrivilegeError",
    "InvalidArgumentError",
    "InvalidConfigError",
    "InvalidDocumentError",
    "InvalidIdentifierError",
    "LeaseHeldError",
    "PartitionUnavailableError",
    "RowBindingError",
    "PoolStats",
    "PostgresCheckpointer",
    "PostgresConfig",
    "PostgresSaver",
    "RetryConfig",
    "SchemaNotDeployedError",
    "SchemaVersionError",
    "ThreadDeletedError",
    "ThreadFilters",
    "ThreadInfo",
    "ThreadStatus",
    "UnserializableValueError",
]
