"""Every SQL statement the client sends. Nothing else in the package holds SQL.

Each statement calls one function of the SQL API with named arguments and explicit
casts. The schema name is quoted as an identifier and composed into the text once
per schema (``queries_for``), so no call builds SQL.

Parameters are sent in binary (``%(name)b``): in text format psycopg would quote
every element of a jsonb[] / bytea[] array, which costs more than the call itself.
Results are read in binary too; JSONB comes back as text (``::text``) so the client
decodes it itself, with its typed-JSON reviver.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, fields

from psycopg import sql

# The schema_version() this client needs at least.
REQUIRED_SCHEMA_VERSION = 1

# Columns of a checkpoint tuple, in the order ``_base.SaverBase.row_to_tuple`` unpacks.
_TUPLE_COLUMNS = """
    t.thread_id, t.checkpoint_ns, t.checkpoint_id, t.parent_checkpoint_id,
    t.checkpoint::text, t.metadata::text,
    t.channel_names, t.channel_types, t.channel_values::text[], t.channel_blobs,
    t.write_task_ids, t.write_channels, t.write_types, t.write_values::text[], t.write_blobs"""

_TEMPLATES = {
    "schema_version": "SELECT {schema}.schema_version()",
    "get_checkpoint": f"""
SELECT {_TUPLE_COLUMNS}
FROM {{schema}}.get_checkpoint(
    p_thread_id     => %(thread_id)b::text,
    p_checkpoint_ns => %(checkpoint_ns)b::text,
    p_checkpoint_id => %(checkpoint_id)b::text) AS t""",
    "list_checkpoints": f"""
SELECT {_TUPLE_COLUMNS}
FROM {{schema}}.list_checkpoints(
    p_thread_id     => %(thread_id)b::text,
    p_checkpoint_ns => %(checkpoint_ns)b::text,
    p_checkpoint_id => %(checkpoint_id)b::text,
    p_filter        => %(filter)b::jsonb,
    p_before        => %(before)b::text,
    p_limit         => %(limit)b::integer) AS t""",
    "put_checkpoint": """
SELECT {schema}.put_checkpoint(
    p_thread_id            => %(thread_id)b::text,
    p_checkpoint_ns        => %(checkpoint_ns)b::text,
    p_checkpoint_id        => %(checkpoint_id)b::text,
    p_parent_checkpoint_id => %(parent_checkpoint_id)b::text,
    p_checkpoint           => %(checkpoint)b::jsonb,
    p_metadata             => %(metadata)b::jsonb,
    p_channels             => %(channels)b::text[],
    p_types                => %(types)b::text[],
    p_values               => %(values)b::jsonb[],
    p_blobs                => %(blobs)b::bytea[])""",
    "put_writes": """
SELECT {schema}.put_writes(
    p_thread_id     => %(thread_id)b::text,
    p_checkpoint_ns => %(checkpoint_ns)b::text,
    p_checkpoint_id => %(checkpoint_id)b::text,
    p_task_id       => %(task_id)b::text,
    p_channels      => %(channels)b::text[],
    p_types         => %(types)b::text[],
    p_values        => %(values)b::jsonb[],
    p_blobs         => %(blobs)b::bytea[],
    p_task_path     => %(task_path)b::text)""",
    "delete_thread": "SELECT {schema}.delete_thread(p_thread_id => %(thread_id)b::text)",
    "delete_for_runs": "SELECT {schema}.delete_for_runs(p_run_ids => %(run_ids)b::text[])",
    "copy_thread": """
SELECT {schema}.copy_thread(
    p_source_thread_id => %(source_thread_id)b::text,
    p_target_thread_id => %(target_thread_id)b::text)""",
    "prune_checkpoints": """
SELECT {schema}.prune_checkpoints(
    p_thread_ids => %(thread_ids)b::text[],
    p_strategy   => %(strategy)b::text)""",
    "get_delta_channel_history": """
SELECT h.channel, h.has_seed, h.seed_type, h.seed_value::text, h.seed_blob,
       h.write_task_ids, h.write_types, h.write_values::text[], h.write_blobs
FROM {schema}.get_delta_channel_history(
    p_thread_id     => %(thread_id)b::text,
    p_checkpoint_ns => %(checkpoint_ns)b::text,
    p_checkpoint_id => %(checkpoint_id)b::text,
    p_channels      => %(channels)b::text[]) AS h""",
}


@dataclass(frozen=True)
class Queries:
    """The statements of one deployment schema, ready to execute."""

    schema_version: str
    get_checkpoint: str
    list_checkpoints: str
    put_checkpoint: str
    put_writes: str
    delete_thread: str
    delete_for_runs: str
    copy_thread: str
    prune_checkpoints: str
    get_delta_channel_history: str


@functools.lru_cache(maxsize=16)
def queries_for(schema: str) -> Queries:
    """Compose every statement for ``schema`` (quoted as an identifier), once."""
    schema_sql = sql.Identifier(schema)
    return Queries(
        **{
            field.name: sql.SQL(_TEMPLATES[field.name].strip())
            .format(schema=schema_sql)
            .as_string(None)
            for field in fields(Queries)
        }
    )
