"""LangGraph checkpointer on the ``langgraph`` PL/pgSQL API: a thin psycopg 3 client.

Every saver method is one call of one SQL function in one round trip; the SQL API
(deployed with Sqitch) holds the logic. See docs/python-client.md.
"""

from langgraph.checkpoint.plpgsql.aio import AsyncPostgresCheckpointer
from langgraph.checkpoint.plpgsql.config import PostgresConfig, RetryConfig
from langgraph.checkpoint.plpgsql.errors import (
    CheckpointerError,
    CheckpointNotFoundError,
    InvalidArgumentError,
    InvalidConfigError,
    InvalidDocumentError,
    InvalidIdentifierError,
    SchemaNotDeployedError,
    SchemaVersionError,
)
from langgraph.checkpoint.plpgsql.lineage import (
    Branch,
    LineageEntry,
    aresume_from_checkpoint,
    resume_from_checkpoint,
)
from langgraph.checkpoint.plpgsql.saver import PostgresCheckpointer

__all__ = [
    "AsyncPostgresCheckpointer",
    "Branch",
    "LineageEntry",
    "aresume_from_checkpoint",
    "resume_from_checkpoint",
    "CheckpointNotFoundError",
    "CheckpointerError",
    "InvalidArgumentError",
    "InvalidConfigError",
    "InvalidDocumentError",
    "InvalidIdentifierError",
    "PostgresCheckpointer",
    "PostgresConfig",
    "RetryConfig",
    "SchemaNotDeployedError",
    "SchemaVersionError",
]
