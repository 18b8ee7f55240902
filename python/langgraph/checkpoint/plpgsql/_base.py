"""What the sync and async savers share: arguments in, rows out. No I/O here.

Each saver method is: build the parameters of one SQL call (here), run it (in
``saver.py`` / ``aio.py``), turn the rows into LangGraph's types (here).
"""

from __future__ import annotations

import getpass
import random
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any, Generic, TypeVar

from langchain_core.runnables import RunnableConfig
from langgraph.checkpoint.base import (
    BaseCheckpointSaver,
    ChannelVersions,
    Checkpoint,
    CheckpointMetadata,
    CheckpointTuple,
    DeltaChannelHistory,
    get_checkpoint_id,
    get_serializable_checkpoint_metadata,
)
from langgraph.checkpoint.serde.base import SerializerProtocol
from psycopg.conninfo import conninfo_to_dict
from psycopg.pq import TransactionStatus

from langgraph.checkpoint.plpgsql._arrays import ByteaArray, JsonbArray, TextArray
from langgraph.checkpoint.plpgsql._decoded import IMMUTABLE, ListElements, Uncopyable, private_copy
from langgraph.checkpoint.plpgsql._sql import REQUIRED_SCHEMA_VERSION, Queries, operation_names, queries_for
from langgraph.checkpoint.plpgsql._tails import Held, Key, TailCache
from langgraph.checkpoint.plpgsql.config import check_schema_name
from langgraph.checkpoint.plpgsql.encryption import RowKey, value_key, write_key
from langgraph.checkpoint.plpgsql.errors import (
    CheckpointerError,
    InsufficientPrivilegeError,
    InvalidArgumentError,
    InvalidIdentifierError,
    SchemaNotDeployedError,
    SchemaVersionError,
    deploy_hint,
    grant_hint,
    wrap_exceptions,
)
from langgraph.checkpoint.plpgsql.lineage import Branch, LineageEntry, checkpoint_config
from langgraph.checkpoint.plpgsql.serde import (
    _LONE_SURROGATE,
    CHECKPOINT_MAPS,
    EMPTY_TYPE,
    JSON_TYPE,
    NotJson,
    ValueCodec,
    dumps_json,
)
from langgraph.checkpoint.plpgsql.threads import (
    ThreadFilters,
    ThreadInfo,
    filter_params,
    page_params,
    rows_to_threads,
    ttl_interval,
)

Params = dict[str, Any]
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Call(Generic[T]):
    """One call of one SQL function, described without running it.

    The methods of ``SaverBase`` turn each saver operation into a ``Call``; the sync and
    async savers each run every call in one place (``_run``: cursor, retries, metrics,
    typed errors), so the logic exists once and I/O twice. ``finish`` turns the rows into
    what the method returns; ``resend``, when set, is the same call with every value
    whole, sent once if the server refuses an appended tail (LG009, ``_tails.py``).
    """

    operation: str
    query: str
    params: Params | None
    finish: Callable[[list[Any]], T]
    resend: Callable[[], Call[T]] | None = None
    # Sent to the read replica (PostgresConfig.read_url) rather than the primary.
    replica: bool = False


# What a read replica serves (PostgresConfig.read_url), unless this saver wrote the thread.
REPLICA_READS = frozenset({"get_checkpoint", "list_checkpoints"})
# Threads a saver with a replica remembers having written, newest kept. Reads of those
# go to the primary: the replica may not have replayed the write yet (docs/scaling.md).
WRITTEN_THREADS_REMEMBERED = 100_000


def first_value(rows: list[Any]) -> Any:
    return rows[0][0] if rows else None


def all_rows(rows: list[Any]) -> list[Any]:
    return rows


# A list value put() sent: (key, version, value, elements already known to the cache).
Remembered = tuple[Key, str, list[Any], int]


def _identifier(value: Any, name: str) -> str:
    # PostgreSQL text cannot hold NUL, and UTF-8 cannot encode a lone surrogate: say
    # so here rather than let the driver fail.
    text = value if type(value) is str else str(value)
    if "\x00" in text:
        raise InvalidIdentifierError(
            f"{name} must not contain NUL characters",
            hint="PostgreSQL text cannot store U+0000; remove it from the identifier.",
        )
    if not text.isascii() and _LONE_SURROGATE.search(text):
        raise InvalidIdentifierError(
            f"{name} must not contain lone surrogates (U+D800 to U+DFFF)",
            hint="Identifiers are stored as UTF-8 text; pass well-formed Unicode.",
        )
    return text


_MAX_COUNT = 2**31 - 1  # the SQL API's integer parameters


def _count(value: Any, name: str) -> int | None:
    """A limit or depth for an ``integer`` parameter: one past its range means no limit."""
    if value is None:
        return None
    if type(value) is bool or not isinstance(value, int):
        raise InvalidArgumentError(
            f"{name} must be an integer or None, got {type(value).__name__}",
            hint=f"Pass a count of at least 0, or None for no {name}.",
        )
    if value < -_MAX_COUNT - 1:
        # Within the range the SQL API says so itself (LG003).
        raise InvalidArgumentError(
            f"{name} must not be negative, got {value}",
            hint=f"Pass a count of at least 0, or None for no {name}.",
        )
    return None if value > _MAX_COUNT else int(value)


def _optional_identifier(value: Any, name: str) -> str | None:
    return None if value is None else _identifier(value, name)


def _identifiers(values: Iterable[Any], name: str) -> list[str]:
    return [_identifier(value, name) for value in values]


def _value_key(thread_id: str, checkpoint_ns: str, channel: str, versions: Mapping[str, Any]) -> RowKey:
    version = versions.get(channel)
    return value_key(thread_id, checkpoint_ns, channel, None if version is None else str(version))


class SaverBase(BaseCheckpointSaver[str]):
    """Shared, I/O-free logic of ``PostgresCheckpointer`` and ``AsyncPostgresCheckpointer``."""

    schema: str
    _queries: Queries
    # Coordination (docs/time-travel.md): every save refuses to fork the thread when
    # exclusive; lease_owner is who this saver is for thread leases.
    exclusive: bool = False
    lease_owner: str | None = None
    # Threads (threads.md): when true, get_tuple records each read with touch_thread, so a
    # thread whose TTL refreshes on read stays alive while it is read (one more call).
    touch_on_read: bool = False

    def __init__(
        self,
        *,
        serde: SerializerProtocol | None = None,
        schema: str = "langgraph",
        delta_writes: bool = True,
        tail_cache_size: int = 1024,
    ) -> None:
        super().__init__(serde=serde)
        # Appended tails of list channels (_tails.py); None sends every value whole.
        self._tails = TailCache(tail_cache_size) if delta_writes and tail_cache_size > 0 else None
        self.schema = check_schema_name(schema)
        self._queries = queries_for(self.schema)
        self._wrap = wrap_exceptions(self.schema)
        self._codec_cache = ValueCodec(self.serde)
        self._operations = operation_names(self._queries)
        # Threads written through this saver, when it has a read replica; else None.
        self._written: OrderedDict[str, None] | None = None

    def _on_replica(self, operation: str, params: Params | None) -> bool:
        """Whether a call goes to the read replica; remembers the threads a write names.

        A read goes there unless this saver wrote its thread: read-your-writes by
        routing to the primary, not by waiting for replay (docs/scaling.md)."""
        written = self._written
        if written is None:
            return False
        if operation in REPLICA_READS:
            thread_id = params.get("thread_id") if params else None
            return thread_id not in written
        if params:
            named = [
                params.get("thread_id"),
                params.get("target_thread_id"),
                *(params.get("thread_ids") or ()),
            ]
            for thread_id in named:
                if isinstance(thread_id, str):
                    written[thread_id] = None
                    written.move_to_end(thread_id)
            while len(written) > WRITTEN_THREADS_REMEMBERED:
                written.popitem(last=False)
        return False

    def _in_callers_transaction(self) -> bool:
        """Whether calls run inside a transaction of the caller's (their connection, not
        in autocommit or not idle): an error there ends the caller's transaction, so
        nothing may be retried or sent again."""
        if self._pool is not None:  # type: ignore[attr-defined]
            return False
        conn = self.conn  # type: ignore[attr-defined]
        return not (conn.autocommit and conn.info.transaction_status == TransactionStatus.IDLE)

    def _set_coordination(self, exclusive: bool, lease_owner: str | None) -> None:
        self.exclusive = exclusive
        self.lease_owner = _optional_identifier(lease_owner, "lease_owner")

    @property
    def _codec(self) -> ValueCodec:
        # with_allowlist() hands a shallow copy of the saver a new serializer; the
        # codec follows whatever serializer the saver holds now.
        codec = self._codec_cache
        if codec.serde is not self.serde:
            codec = self._codec_cache = ValueCodec(self.serde)
        return codec

    # ------------------------------------------------------------------ calls

    def _call(
        self, query: str, params: Params | None, finish: Callable[[list[Any]], T] = first_value
    ) -> Call[T]:
        operation = self._operations.get(query, "sql")
        return Call(operation, query, params, finish, replica=self._on_replica(operation, params))

    def _get_tuple_call(self, config: RunnableConfig) -> Call[CheckpointTuple | None]:
        params, held = self._get_held_params(config)

        def finish(rows: list[Any]) -> CheckpointTuple | None:
            return self._pieces_to_tuple(rows[0], held) if rows else None

        return self._call(self._queries.get_checkpoint_v2, params, finish)

    def _list_page_call(
        self,
        config: RunnableConfig | None,
        filter: Mapping[str, Any] | None,
        before: RunnableConfig | None,
        limit: int,
    ) -> Call[list[CheckpointTuple]]:
        listing = self._listing()
        return self._call(
            self._queries.list_checkpoints_v2,
            self._list_params(config, filter, before, limit),
            listing.all,
        )

    def _put_call(
        self,
        config: RunnableConfig,
        checkpoint: Checkpoint,
        metadata: CheckpointMetadata,
        new_versions: ChannelVersions,
        *,
        use_tails: bool | None = None,
    ) -> Call[RunnableConfig]:
        if use_tails is None:
            # A refused tail (LG009) would end a caller's transaction: whole values there.
            use_tails = not self._in_callers_transaction()
        params, next_config, remembered = self._put_params(
            config, checkpoint, metadata, new_versions, use_tails=use_tails
        )

        def finish(rows: list[Any]) -> RunnableConfig:
            self._remember(remembered)
            return next_config

        def resend() -> Call[RunnableConfig]:
            # A version this process remembered is gone (retention, a prune).
            self._forget_threads([params["thread_id"]])
            return self._put_call(config, checkpoint, metadata, new_versions, use_tails=False)

        call = self._call(self._queries.put_checkpoint_v2, params, finish)
        return replace(call, resend=resend) if params["base_versions"] is not None else call

    def _put_writes_call(
        self, config: RunnableConfig, writes: Sequence[tuple[str, Any]], task_id: str, task_path: str
    ) -> Call[None]:
        return self._call(
            self._queries.put_writes,
            self._put_writes_params(config, writes, task_id, task_path),
            lambda rows: None,
        )

    def _forgetting_call(self, query: str, params: Params, thread_ids: Iterable[str]) -> Call[None]:
        """A call that removes checkpoints: the tail cache forgets those threads first."""
        self._forget_threads(thread_ids)
        return self._call(query, params, lambda rows: None)

    # ------------------------------------------------------------------ setup

    def _conninfo(self) -> str | None:
        """The connection string this saver connects with (for hints; masked there)."""
        config = getattr(self, "config", None)
        if config is not None:
            return str(config.database_url)
        pool = self._pool  # type: ignore[attr-defined]
        if pool is not None:
            return str(pool.conninfo)
        info = self.conn.info  # type: ignore[attr-defined]
        # ConnectionInfo.dsn leaves the password out; say that there is one.
        return f"{info.dsn} password=x" if info.password else str(info.dsn)

    def _login_role(self) -> str | None:
        conninfo = self._conninfo()
        try:
            user = conninfo_to_dict(conninfo or "").get("user")
        except Exception:  # noqa: BLE001 - only for a hint
            return None
        return str(user) if user else getpass.getuser()

    def _setup_error(self, exc: CheckpointerError) -> CheckpointerError:
        """``exc`` with a hint for this database: the deploy command with its DSN
        (password masked), or the GRANT the login role lacks."""
        if isinstance(exc, SchemaNotDeployedError):
            hint = deploy_hint(self.schema, self._conninfo())
        elif isinstance(exc, InsufficientPrivilegeError):
            hint = grant_hint(self.schema, self._login_role())
        else:
            return exc
        return type(exc)(exc.message, sqlstate=exc.sqlstate, detail=exc.detail, hint=hint)

    def _check_schema_version(self, version: int | None) -> None:
        if version is None:
            raise SchemaNotDeployedError(
                f"schema {self.schema!r} has no schema_version()",
                hint=deploy_hint(self.schema, self._conninfo()),
            )
        if version < REQUIRED_SCHEMA_VERSION:
            raise SchemaVersionError(
                f"schema {self.schema!r} is at version {version}; this client needs "
                f"version {REQUIRED_SCHEMA_VERSION} or later",
                hint=deploy_hint(self.schema, self._conninfo()),
            )

    # ------------------------------------------------------------- parameters

    def _get_params(self, config: RunnableConfig) -> Params:
        configurable = config["configurable"]
        return {
            "thread_id": _identifier(configurable["thread_id"], "thread_id"),
            "checkpoint_ns": _identifier(configurable.get("checkpoint_ns", ""), "checkpoint_ns"),
            "checkpoint_id": _optional_identifier(get_checkpoint_id(config), "checkpoint_id"),
        }

    def _get_held_params(self, config: RunnableConfig) -> tuple[Params, dict[str, tuple[Held, ...]]]:
        """get_checkpoint_v2's parameters, naming every version of a list value this
        process holds (a channel once per version), and a snapshot of those values to
        rebuild the answer from."""
        params = self._get_params(config)
        tails = self._tails
        held = tails.held(params["thread_id"], params["checkpoint_ns"]) if tails is not None else {}
        if held:
            params["known_channels"] = TextArray(c for c, versions in held.items() for _ in versions)
            params["known_versions"] = TextArray(v for versions in held.values() for v, _ in versions)
        else:
            params["known_channels"] = params["known_versions"] = None
        return params, held

    def _list_params(
        self,
        config: RunnableConfig | None,
        filter: Mapping[str, Any] | None,
        before: RunnableConfig | None,
        limit: int | None,
    ) -> Params:
        configurable = (config or {}).get("configurable") or {}
        before_id = get_checkpoint_id(before) if before else None
        return {
            "thread_id": _optional_identifier(configurable.get("thread_id"), "thread_id"),
            "checkpoint_ns": _optional_identifier(configurable.get("checkpoint_ns"), "checkpoint_ns"),
            "checkpoint_id": _optional_identifier(configurable.get("checkpoint_id"), "checkpoint_id"),
            "filter": self._codec.dumps_document(dict(filter), "filter") if filter else None,
            "before": _optional_identifier(before_id, "before"),
            "limit": _count(limit, "limit"),
        }

    def _put_params(
        self,
        config: RunnableConfig,
        checkpoint: Checkpoint,
        metadata: CheckpointMetadata,
        new_versions: ChannelVersions,
        *,
        use_tails: bool = True,
    ) -> tuple[Params, RunnableConfig, list[Remembered]]:
        """put_checkpoint_v2's parameters, the config put() returns, and the list
        values to remember once the save succeeded (``_tails.py``)."""
        configurable = config["configurable"]
        thread_id = _identifier(configurable["thread_id"], "thread_id")
        checkpoint_ns = _identifier(configurable.get("checkpoint_ns", ""), "checkpoint_ns")
        checkpoint_id = _identifier(checkpoint["id"], "checkpoint_id")
        codec = self._codec
        tails = self._tails if use_tails and codec.use_json else None
        values = checkpoint["channel_values"]
        channels = _identifiers(new_versions, "channel")
        # The version each value is stored under: what SQL reads from the document.
        document_versions = checkpoint["channel_versions"] if codec.bound is not None else {}
        types: list[str] = []
        jsons: list[str | None] = []
        blobs: list[bytes | None] = []
        bases: list[str | None] = []
        remembered: list[Remembered] = []
        for channel in channels:
            base = None
            if channel not in values:
                type_tag, json_text, blob = EMPTY_TYPE, None, None
            else:
                value = values[channel]
                if tails is not None and type(value) is list:
                    key = (thread_id, checkpoint_ns, channel)
                    version = str(new_versions[channel])
                    hit = tails.base_for(key, value)
                    if hit is not None:
                        try:
                            json_text = dumps_json(value[hit[1] :])
                        except (NotJson, RecursionError):
                            hit = None
                        else:
                            base, type_tag, blob = hit[0], JSON_TYPE, None
                            remembered.append((key, version, value, hit[1]))
                    if hit is None:
                        type_tag, json_text, blob = codec.dump(value, channel)
                        if type_tag == JSON_TYPE:
                            remembered.append((key, version, value, 0))
                else:
                    row_key = None
                    if codec.bound is not None:
                        row_key = _value_key(thread_id, checkpoint_ns, channel, document_versions)
                    type_tag, json_text, blob = codec.dump(value, channel, None, row_key)
            types.append(type_tag)
            jsons.append(json_text)
            blobs.append(blob)
            bases.append(base)
        document = {key: value for key, value in checkpoint.items() if key != "channel_values"}
        params = {
            "thread_id": thread_id,
            "checkpoint_ns": checkpoint_ns,
            "checkpoint_id": checkpoint_id,
            "parent_checkpoint_id": _optional_identifier(
                configurable.get("checkpoint_id"), "parent_checkpoint_id"
            ),
            "checkpoint": codec.dumps_document(document, "checkpoint", CHECKPOINT_MAPS),
            "metadata": codec.dumps_document(
                get_serializable_checkpoint_metadata(config, metadata), "metadata"
            ),
            "channels": TextArray(channels),
            "types": TextArray(types),
            "values": JsonbArray(jsons),
            "blobs": ByteaArray(blobs),
            "base_versions": TextArray(bases) if any(b is not None for b in bases) else None,
            "exclusive": self.exclusive,
            "lease_owner": self.lease_owner,
        }
        next_config: RunnableConfig = {
            "configurable": {
                "thread_id": thread_id,
                "checkpoint_ns": checkpoint_ns,
                "checkpoint_id": checkpoint_id,
            }
        }
        return params, next_config, remembered

    def _remember(self, remembered: list[Remembered]) -> None:
        tails = self._tails
        if tails is not None:
            for key, version, value, known_prefix in remembered:
                tails.remember(key, version, value, known_prefix=known_prefix)

    def _forget_threads(self, thread_ids: Iterable[str]) -> None:
        if self._tails is not None:
            self._tails.forget_threads(thread_ids)

    def _put_writes_params(
        self,
        config: RunnableConfig,
        writes: Sequence[tuple[str, Any]],
        task_id: str,
        task_path: str,
    ) -> Params:
        configurable = config["configurable"]
        codec = self._codec
        dump = codec.dump
        thread_id = _identifier(configurable["thread_id"], "thread_id")
        checkpoint_ns = _identifier(configurable.get("checkpoint_ns", ""), "checkpoint_ns")
        checkpoint_id = _identifier(configurable["checkpoint_id"], "checkpoint_id")
        task_id = _identifier(task_id, "task_id")
        channels: list[str] = []
        types: list[str] = []
        jsons: list[str | None] = []
        blobs: list[bytes | None] = []
        for idx, (channel, value) in enumerate(writes):
            channels.append(_identifier(channel, "channel"))
            row_key = None
            if codec.bound is not None:
                row_key = write_key(thread_id, checkpoint_ns, checkpoint_id, task_id, channel)
            type_tag, json_text, blob = dump(value, channel, idx, row_key)
            types.append(type_tag)
            jsons.append(json_text)
            blobs.append(blob)
        return {
            "thread_id": thread_id,
            "checkpoint_ns": checkpoint_ns,
            "checkpoint_id": checkpoint_id,
            "task_id": task_id,
            "channels": TextArray(channels),
            "types": TextArray(types),
            "values": JsonbArray(jsons),
            "blobs": ByteaArray(blobs),
            "task_path": _identifier(task_path, "task_path"),
        }

    @staticmethod
    def _thread_params(thread_id: str) -> Params:
        return {"thread_id": _identifier(thread_id, "thread_id")}

    @staticmethod
    def _runs_params(run_ids: Sequence[str]) -> Params:
        return {"run_ids": _identifiers(run_ids, "run_id")}

    @staticmethod
    def _copy_params(source_thread_id: str, target_thread_id: str) -> Params:
        return {
            "source_thread_id": _identifier(source_thread_id, "source_thread_id"),
            "target_thread_id": _identifier(target_thread_id, "target_thread_id"),
        }

    @staticmethod
    def _prune_params(thread_ids: Sequence[str], strategy: str) -> Params:
        if strategy not in ("keep_latest", "delete"):
            # What prune_checkpoints says too; here also for text it cannot be sent (NUL).
            raise InvalidArgumentError(
                f"unknown prune strategy {strategy!r}", hint="Use 'keep_latest' or 'delete'."
            )
        return {"thread_ids": _identifiers(thread_ids, "thread_id"), "strategy": strategy}

    def _delta_params(self, config: RunnableConfig, channels: Sequence[str]) -> Params:
        params = self._get_params(config)
        params["channels"] = _identifiers(channels, "channel")
        return params

    # ------------------------------------------------------------------- rows

    def _listing(self) -> Listing:
        """A reader of one list_checkpoints_v2 result, row by row in order (``Listing``)."""
        return Listing(self)

    def _pieces_to_tuple(self, row: Sequence[Any], held: dict[str, tuple[Held, ...]]) -> CheckpointTuple:
        """A row of get_checkpoint_v2: values arrive as stored pieces, oldest first, the
        first one extending nothing or a version in ``held`` (``_tails.py``)."""
        (
            thread_id,
            checkpoint_ns,
            checkpoint_id,
            parent_checkpoint_id,
            checkpoint_text,
            metadata_text,
            piece_channels,
            piece_types,
            piece_values,
            piece_blobs,
            piece_extends,
            *writes,
        ) = row
        load = self._codec.load
        checkpoint = self._codec.loads_document(checkpoint_text, CHECKPOINT_MAPS)
        versions = checkpoint.get("channel_versions") or {}
        values: dict[str, Any] = {}
        from_held: dict[str, int] = {}
        for channel, entries in held.items():
            wanted = str(versions.get(channel))
            for version, items in entries:
                if version == wanted:
                    values[channel] = list(items)
                    from_held[channel] = len(items)
                    break
        previous = None
        bound = self._codec.bound is not None
        for channel, type_tag, value, blob, extends in zip(
            piece_channels, piece_types, piece_values, piece_blobs, piece_extends, strict=True
        ):
            piece = load(
                type_tag,
                value,
                blob,
                _value_key(thread_id, checkpoint_ns, channel, versions) if bound else None,
            )
            if channel == previous:
                values[channel].extend(piece)
                continue
            previous = channel
            if extends is None:
                values[channel] = piece
                continue
            base = next((items for version, items in held.get(channel, ()) if version == extends), None)
            if base is None:
                raise CheckpointerError(
                    f"channel {channel!r} of checkpoint {checkpoint_id} extends version "
                    f"{extends!r}, which this client did not ask about"
                )
            values[channel] = [*base, *piece]
            from_held[channel] = len(base)
        checkpoint["channel_values"] = values
        saved = self._tuple(
            thread_id, checkpoint_ns, checkpoint_id, parent_checkpoint_id, checkpoint, metadata_text, writes
        )
        tails = self._tails
        if tails is not None and self._codec.use_json:
            # What was just read is on the server at these versions: the next put may
            # send only what it appends, and the next read gets only what changed.
            json_channels = set(from_held)
            json_channels.update(
                c for c, t in zip(piece_channels, piece_types, strict=True) if t == JSON_TYPE
            )
            for channel in json_channels:
                value = values[channel]
                if type(value) is list and channel in versions:
                    tails.remember(
                        (thread_id, checkpoint_ns, channel),
                        str(versions[channel]),
                        value,
                        known_prefix=from_held.get(channel, 0),
                    )
        return saved

    def _tuple(
        self,
        thread_id: str,
        checkpoint_ns: str,
        checkpoint_id: str,
        parent_checkpoint_id: str | None,
        checkpoint: Any,
        metadata_text: str,
        writes: Sequence[Any],
    ) -> CheckpointTuple:
        write_task_ids, write_channels, write_types, write_values, write_blobs = writes
        load_write = self._write_loader(thread_id, checkpoint_ns, self._codec.bound is not None)
        return CheckpointTuple(
            config={
                "configurable": {
                    "thread_id": thread_id,
                    "checkpoint_ns": checkpoint_ns,
                    "checkpoint_id": checkpoint_id,
                }
            },
            checkpoint=checkpoint,
            metadata=self._codec.loads_document(metadata_text),
            parent_config=(
                {
                    "configurable": {
                        "thread_id": thread_id,
                        "checkpoint_ns": checkpoint_ns,
                        "checkpoint_id": parent_checkpoint_id,
                    }
                }
                if parent_checkpoint_id is not None
                else None
            ),
            pending_writes=[
                (task_id, channel, load_write(checkpoint_id, task_id, channel, type_tag, value, blob))
                for task_id, channel, type_tag, value, blob in zip(
                    write_task_ids, write_channels, write_types, write_values, write_blobs, strict=True
                )
            ],
        )

    def _write_loader(
        self, thread_id: str | None, checkpoint_ns: str, bound: bool
    ) -> Callable[[str | None, str, str, str, str | None, bytes | None], Any]:
        """Loads a pending write of this thread and namespace, checked against its row's
        key when values are bound to their rows (encryption.py)."""
        load = self._codec.load

        def load_write(
            checkpoint_id: str | None,
            task_id: str,
            channel: str,
            type_tag: str,
            value: str | None,
            blob: bytes | None,
        ) -> Any:
            key = write_key(thread_id, checkpoint_ns, checkpoint_id, task_id, channel) if bound else None
            return load(type_tag, value, blob, key)

        return load_write

    def _rows_to_delta_history(
        self, rows: Iterable[Sequence[Any]], config: RunnableConfig | None = None
    ) -> dict[str, DeltaChannelHistory]:
        load = self._codec.load
        # The rows name no checkpoint or version: a bound value is checked against the
        # parts of its row's key that are known here (encryption.py).
        configurable = (config or {}).get("configurable") or {}
        thread_id = configurable.get("thread_id")
        checkpoint_ns = configurable.get("checkpoint_ns", "")
        bound = self._codec.bound is not None and config is not None
        load_write = self._write_loader(thread_id, checkpoint_ns, bound)
        history: dict[str, DeltaChannelHistory] = {}
        for (
            channel,
            has_seed,
            seed_type,
            seed_value,
            seed_blob,
            task_ids,
            types,
            values,
            blobs,
        ) in rows:
            entry: DeltaChannelHistory = {
                "writes": [
                    (task_id, channel, load_write(None, task_id, channel, type_tag, value, blob))
                    for task_id, type_tag, value, blob in zip(task_ids, types, values, blobs, strict=True)
                ]
            }
            if has_seed:
                entry["seed"] = load(
                    seed_type,
                    seed_value,
                    seed_blob,
                    value_key(thread_id, checkpoint_ns, channel, None) if bound else None,
                )
            history[channel] = entry
        return history

    # ------------------------------------------------ lineage and time travel

    def _lineage_params(self, config: RunnableConfig, max_depth: int | None) -> Params:
        params = self._get_params(config)
        params["max_depth"] = _count(max_depth, "max_depth")
        return params

    def _rows_to_lineage(
        self, rows: Iterable[Sequence[Any]], thread_id: str, checkpoint_ns: str
    ) -> list[LineageEntry]:
        loads = self._codec.loads_document
        return [
            LineageEntry(
                depth=depth,
                checkpoint_id=checkpoint_id,
                parent_checkpoint_id=parent_id,
                metadata=loads(metadata_text),
                created_at=created_at,
                config=checkpoint_config(thread_id, checkpoint_id, checkpoint_ns),
            )
            for depth, checkpoint_id, parent_id, metadata_text, created_at in rows
        ]

    @staticmethod
    def _branches_params(thread_id: str, checkpoint_ns: str) -> Params:
        return {
            "thread_id": _identifier(thread_id, "thread_id"),
            "checkpoint_ns": _identifier(checkpoint_ns, "checkpoint_ns"),
        }

    def _rows_to_branches(
        self, rows: Iterable[Sequence[Any]], thread_id: str, checkpoint_ns: str
    ) -> list[Branch]:
        loads = self._codec.loads_document
        return [
            Branch(
                head_checkpoint_id=head,
                branch_point_id=branch_point,
                length=length,
                is_latest=is_latest,
                metadata=loads(metadata_text),
                created_at=created_at,
                config=checkpoint_config(thread_id, head, checkpoint_ns),
            )
            for head, branch_point, length, is_latest, metadata_text, created_at in rows
        ]

    @staticmethod
    def _branch_point_params(
        thread_id: str, checkpoint_id_a: str, checkpoint_id_b: str, checkpoint_ns: str
    ) -> Params:
        return {
            "thread_id": _identifier(thread_id, "thread_id"),
            "checkpoint_id_a": _identifier(checkpoint_id_a, "checkpoint_id"),
            "checkpoint_id_b": _identifier(checkpoint_id_b, "checkpoint_id"),
            "checkpoint_ns": _identifier(checkpoint_ns, "checkpoint_ns"),
        }

    def _fork_params(self, config: RunnableConfig, target_thread_id: str) -> tuple[Params, Params]:
        """Parameters of fork_thread, and the source's (thread, ns) for the result config."""
        source = self._get_params(config)
        params = {
            "source_thread_id": source["thread_id"],
            "checkpoint_id": source["checkpoint_id"],
            "target_thread_id": _identifier(target_thread_id, "target_thread_id"),
            "checkpoint_ns": source["checkpoint_ns"],
        }
        return params, source

    @staticmethod
    def _forked_config(params: Params, source: Params) -> RunnableConfig:
        return checkpoint_config(params["target_thread_id"], source["checkpoint_id"], source["checkpoint_ns"])

    def _batch_params(
        self,
        items: Sequence[tuple[RunnableConfig, Checkpoint, CheckpointMetadata, ChannelVersions]],
    ) -> tuple[Params, list[RunnableConfig]]:
        """One batch_save_checkpoints call from what N put() calls would send."""
        columns: dict[str, list[Any]] = {
            key: []
            for key in (
                "thread_ids",
                "checkpoint_ns",
                "checkpoint_ids",
                "parent_ids",
                "checkpoints",
                "metadata",
                "value_owners",
                "channels",
                "types",
                "values",
                "blobs",
            )
        }
        configs: list[RunnableConfig] = []
        for owner, item in enumerate(items, start=1):
            single, next_config, _ = self._put_params(*item, use_tails=False)
            columns["thread_ids"].append(single["thread_id"])
            columns["checkpoint_ns"].append(single["checkpoint_ns"])
            columns["checkpoint_ids"].append(single["checkpoint_id"])
            columns["parent_ids"].append(single["parent_checkpoint_id"])
            columns["checkpoints"].append(single["checkpoint"])
            columns["metadata"].append(single["metadata"])
            columns["value_owners"].extend([owner] * len(single["channels"]))
            for key in ("channels", "types", "values", "blobs"):
                columns[key].extend(single[key])
            configs.append(next_config)
        params: Params = {**columns, "exclusive": self.exclusive, "lease_owner": self.lease_owner}
        return params, configs

    # ---------------------------------------------------------------- threads
    # Each is one call (threads.py shapes the arguments and rows).

    def _search_threads_call(
        self,
        filters: ThreadFilters,
        after: ThreadInfo | tuple[datetime, str] | None,
        limit: int | None,
    ) -> Call[list[ThreadInfo]]:
        params = {**self._thread_filters(filters), **page_params(after, limit)}
        loads = self._codec.loads_json
        return self._call(self._queries.search_threads, params, lambda rows: rows_to_threads(rows, loads))

    def _count_threads_call(self, filters: ThreadFilters) -> Call[int]:
        return self._call(self._queries.count_threads, self._thread_filters(filters))

    def _thread_filters(self, filters: ThreadFilters) -> Params:
        return filter_params(self._codec.dumps_document, **filters)

    def _set_thread_ttl_call(
        self, thread_id: str, ttl: float | timedelta | None, refresh_on_read: bool
    ) -> Call[datetime | None]:
        params = {
            "thread_id": _identifier(thread_id, "thread_id"),
            "ttl": ttl_interval(ttl),
            "refresh_on_read": refresh_on_read,
        }
        return self._call(self._queries.set_thread_ttl, params)

    def _pin_thread_call(self, thread_id: str, pinned: bool) -> Call[bool]:
        params = {"thread_id": _identifier(thread_id, "thread_id"), "pinned": pinned}
        return self._call(self._queries.pin_thread, params)

    def _touch_after_read(self, found: CheckpointTuple | None) -> Call[bool] | None:
        """The touch_thread call owed after a get_tuple, if any."""
        if found is None or not self.touch_on_read:
            return None
        return self._touch_thread_call(found.config["configurable"]["thread_id"])

    def _touch_thread_call(self, thread_id: str) -> Call[bool]:
        return self._call(self._queries.touch_thread, {"thread_id": _identifier(thread_id, "thread_id")})

    # ----------------------------------------------------------------- leases

    def _lease_params(self, thread_id: str, owner: str | None, ttl: float | timedelta | None) -> Params:
        owner = owner if owner is not None else self.lease_owner
        if owner is None:
            raise InvalidArgumentError(
                "a lease needs an owner",
                hint="Pass owner=..., or give the saver a lease_owner (PostgresConfig.lease_owner).",
            )
        params: Params = {
            "thread_id": _identifier(thread_id, "thread_id"),
            "owner": _identifier(owner, "owner"),
        }
        # NULL when not given: acquire_lease and renew_lease refuse it (LG003).
        params["ttl"] = None
        if ttl is not None:
            try:
                params["ttl"] = ttl if isinstance(ttl, timedelta) else timedelta(seconds=ttl)
            except (TypeError, ValueError, OverflowError):
                raise InvalidArgumentError(
                    f"ttl must be a timedelta or a number of seconds, got {ttl!r}",
                    hint="A short ttl such as 30 seconds, renewed while working.",
                ) from None
        return params

    # --------------------------------------------------------------- versions

    def get_next_version(self, current: str | int | None, channel: None = None) -> str:
        """The next channel version: a 32-digit counter, a dot, a random tiebreak.

        The same format the SQL ``save_checkpoint`` makes, so versions written by
        either compare correctly as strings.
        """
        if current is None:
            counter = 0
        elif isinstance(current, int):
            counter = current
        else:
            counter = int(str(current).split(".", 1)[0])
        return f"{counter + 1:032}.{random.random():016}"


# What a held value has been decoded into (Listing): nothing yet, or, for a value
# private_copy refuses, nothing ever (each tuple decodes it fresh).
_UNDECODED: Any = object()
_FRESH: Any = object()


class Listing:
    """Turns the rows of one list_checkpoints_v2 result, in order, into tuples.

    A row carries a channel's value only where its version differs from the one the
    row before (same thread and namespace) named, so the reader keeps the latest value
    it was sent per channel: one value per channel, however long the result.

    Each tuple gets a value of its own, sharing nothing mutable with any other tuple's,
    as if it had decoded the value itself: a JSON value is decoded once, and while the
    next row (same thread and namespace) may use it again, the decoded value stays here
    and the tuple gets a ``private_copy`` of it, which is cheaper than decoding again;
    the last row to use it gets the decoded value itself. A list of typed objects (a
    chat's messages) is decoded element by element (``ListElements``), each element
    once however many versions of the list hold it, and every tuple gets copies.
    Immutable values (a string, a number) are shared. Values private_copy refuses, and
    serializer blobs, are decoded for each tuple. So the tuple of a row is made once the
    next row is known: ``push`` returns the tuple of the row before, ``finish`` the last.
    """

    __slots__ = (
        "_saver",
        "_latest",
        "_pending",
        "_load",
        "_loads_json",
        "_loads_document",
        "_bound",
        "_lists",
        "_scanners",
    )

    def __init__(self, saver: SaverBase) -> None:
        codec = saver._codec
        self._saver = saver
        # (thread, namespace, channel) -> [version, type, json text, blob, decoded value]
        self._latest: dict[tuple[str, str, str], list[Any]] = {}
        self._pending: tuple[Sequence[Any], dict[str, Any], dict[str, Any]] | None = None
        self._load = codec.load
        self._loads_json = codec.loads_json
        self._loads_document = codec.loads_document
        self._bound = codec.bound is not None
        # Per channel, the elements of its list value decoded last (any thread).
        self._lists: dict[str, ListElements] = {}
        self._scanners = codec.scanners

    def push(self, row: Sequence[Any]) -> CheckpointTuple | None:
        """Takes the next row; returns the tuple of the row before it, if any."""
        checkpoint = self._loads_document(row[4], CHECKPOINT_MAPS)
        current = (row, checkpoint, checkpoint.get("channel_versions") or {})
        pending = self._pending
        done = self._tuple_of(pending, current) if pending is not None else None
        latest = self._latest
        thread_id, checkpoint_ns, versions = row[0], row[1], current[2]
        for name, type_tag, value, blob in zip(row[6], row[7], row[8], row[9], strict=True):
            latest[(thread_id, checkpoint_ns, name)] = [versions[name], type_tag, value, blob, _UNDECODED]
        self._pending = current
        return done

    def finish(self) -> CheckpointTuple | None:
        """The tuple of the last row pushed, if any."""
        pending, self._pending = self._pending, None
        return self._tuple_of(pending, None) if pending is not None else None

    def tuples(self, rows: Iterable[Sequence[Any]]) -> Iterator[CheckpointTuple]:
        """The tuples of ``rows``, in order, each once the row after it is read."""
        for row in rows:
            done = self.push(row)
            if done is not None:
                yield done
        last = self.finish()
        if last is not None:
            yield last

    def all(self, rows: Iterable[Sequence[Any]]) -> list[CheckpointTuple]:
        return list(self.tuples(rows))

    def _tuple_of(
        self,
        current: tuple[Sequence[Any], dict[str, Any], dict[str, Any]],
        following: tuple[Sequence[Any], dict[str, Any], dict[str, Any]] | None,
    ) -> CheckpointTuple:
        row, checkpoint, versions = current
        thread_id, checkpoint_ns = row[0], row[1]
        # The versions the next row names, if it is of the same thread and namespace:
        # where it names a channel at another version, no later row uses this one's
        # value (the server sends it again to a row whose previous row named another
        # version). Rows of other threads or namespaces in between: not kept, decoded again.
        next_versions = None
        if following is not None and following[0][0] == thread_id and following[0][1] == checkpoint_ns:
            next_versions = following[2]
        latest = self._latest
        values: dict[str, Any] = {}
        for name in sorted(versions):
            held = latest.get((thread_id, checkpoint_ns, name))
            version = versions[name]
            # Not held at this version: the channel is empty there.
            if held is None or held[0] != version:
                continue
            if held[1] == JSON_TYPE:
                again = next_versions is not None and next_versions.get(name, version) == version
                values[name] = self._json_value(name, held, again)
            else:
                key = _value_key(thread_id, checkpoint_ns, name, versions) if self._bound else None
                values[name] = self._load(held[1], held[2], held[3], key)
        checkpoint["channel_values"] = values
        return self._saver._tuple(thread_id, checkpoint_ns, row[2], row[3], checkpoint, row[5], row[10:])

    def _json_value(self, name: str, held: list[Any], again: bool) -> Any:
        """A tuple's own value of ``held``; ``again``: a later row may use it too."""
        decoded = held[4]
        if decoded is _UNDECODED:
            text = held[2]
            if text.startswith("[{") and '"__lg__"' in text:
                # A list of typed objects (messages): element by element, each element
                # decoded once however many versions of the list hold it.
                elements = self._elements(name).decode(text)
                if elements is not None:
                    held[4] = _Elements(elements)
                    return self._copy_elements(name, held, elements)
            value = self._loads_json(text)
            if type(value) in IMMUTABLE:
                held[4] = value
            elif again:
                try:
                    copied = private_copy(value)
                except (Uncopyable, RecursionError):
                    held[4] = _FRESH
                else:
                    held[4] = value
                    return copied
            return value
        if decoded is _FRESH:
            return self._loads_json(held[2])
        if type(decoded) is _Elements:
            return self._copy_elements(name, held, decoded.values)
        if type(decoded) in IMMUTABLE:
            return decoded
        if not again:
            # The last use: it takes the decoded value, which nothing else holds now.
            held[4] = _UNDECODED
            return decoded
        try:
            return private_copy(decoded)
        except (Uncopyable, RecursionError):  # copied once already, so not expected
            held[4] = _FRESH
            return self._loads_json(held[2])

    def _elements(self, name: str) -> ListElements:
        found = self._lists.get(name)
        if found is None:
            found = self._lists[name] = ListElements(*self._scanners)
        return found

    def _copy_elements(self, name: str, held: list[Any], elements: list[Any]) -> Any:
        try:
            return private_copy(elements)
        except (Uncopyable, RecursionError):
            # Decoded fresh for each tuple from now on, and not reused for other lists.
            held[4] = _FRESH
            self._elements(name).forget()
            return self._loads_json(held[2])


class _Elements:
    """The decoded elements of a held list value (ListElements), each kept private."""

    __slots__ = ("values",)

    def __init__(self, values: list[Any]) -> None:
        self.values = values
