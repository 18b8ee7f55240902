"""Value encoding: readable JSONB where that is exact, the saver's serializer otherwise.

Every channel value and every pending write is stored one of two ways, decided per
top-level value:

* ``type = 'json'``: the value as JSONB that plain SQL can read. JSON-native values
  (``dict`` with ``str`` keys, ``list``, ``str``, ``int``, ``float``, ``bool``,
  ``None``) are stored as themselves; values that need a type are wrapped in a
  *typed-JSON envelope*, an object with the reserved key ``"__lg__"``::

      {"__lg__": "lc", "module": "langchain_core.messages.human", "name": "HumanMessage",
       "lc": {"lc": 1, "type": "constructor", "id": [...], "kwargs": {"content": "hi", ...}}}
      {"__lg__": "pydantic",  "module": ..., "name": ..., "data": {...}}
      {"__lg__": "dataclass", "module": ..., "name": ..., "data": {...}}
      {"__lg__": "namedtuple","module": ..., "name": ..., "data": {...}}
      {"__lg__": "enum",      "module": ..., "name": ..., "value": ...}
      {"__lg__": "send", "node": "...", "arg": ...}          # langgraph.types.Send
      {"__lg__": "datetime" | "date" | "time" | "uuid" | "decimal", "value": "<text>"}
      {"__lg__": "timedelta", "days": 0, "seconds": 0, "microseconds": 0}
      {"__lg__": "set" | "frozenset" | "deque", "items": [...]}
      {"__lg__": "bytes", "base64": "..."}
      {"__lg__": "float", "value": "nan" | "inf" | "-inf" | "-0.0" | "1e+300"}
      {"__lg__": "delta", "value": ...}                       # DeltaChannel snapshot
      {"__lg__": "int", "hex": "0x..."}                       # beyond the int-to-str limit
      {"__lg__": "text", "value": "dict"}                     # see documents, below
      {"__lg__": "dict", "items": [["__lg__", ...], ["k", ...]]}  # a dict using the key

  A user dict that has the key ``"__lg__"`` itself is stored as the ``dict`` envelope
  (its items sorted by key, so equal dicts are equal JSONB), so user data is never
  mistaken for an envelope. Values nested deeper than ``MAX_DEPTH`` containers take the
  serializer path, whose limit is the same.

* any other type: ``serde.dumps_typed(value)`` into ``bytea`` with the serializer's
  type tag (``msgpack``, ``bytes``, ``msgpack+aes`` ...). That is what happens to
  values JSON cannot hold exactly: strings with NUL characters or lone surrogates,
  dicts with non-``str`` keys, numpy arrays, ``Path``, IP addresses, unknown objects.
  A value neither path can store raises ``UnserializableValueError`` naming it.

Documents (the checkpoint without its values, metadata, a list filter) are JSON that
SQL reads by key: ``metadata ->> 'source'``, ``checkpoint -> 'channel_versions' ->>
<channel>``. Their top level, and the channel-name maps of the checkpoint
(``channel_versions``, each map of ``versions_seen``), keep their keys as they are,
even ``"__lg__"``: only the values are typed JSON. A raw level never holds the string
``"dict"`` under the key ``"__lg__"`` (it is written as the ``text`` envelope), which
is how rows written before this (where such a level was a ``dict`` envelope) are told
apart and still read.

Round trips are exact: a value read back equals, with the same types, what
LangGraph's ``JsonPlusSerializer`` (and so ``InMemorySaver``) gives back. The JSON
path follows the msgpack path's rules: a tuple comes back as a list, a pydantic
model is rebuilt from ``model_dump()``, an exception is stored as its ``repr``.

Loading honours the serializer's msgpack allowlist (``allowed_msgpack_modules``,
``LANGGRAPH_STRICT_MSGPACK``, ``with_allowlist``): a class outside it is not
imported; as with msgpack, a warning is logged and its raw data returned instead.

With any serializer other than a plain ``JsonPlusSerializer`` (e.g.
``EncryptedSerializer``) no value is written as JSON: all go through the serializer.
"""

from __future__ import annotations

import base64
import dataclasses
import functools
import importlib
import json
import logging
import math
import re
import sys
import uuid
from collections import deque
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from enum import Enum
from typing import Any, Literal

import orjson
from langchain_core.load.serializable import Serializable
from langgraph.checkpoint.serde import _msgpack as lg_msgpack
from langgraph.checkpoint.serde.base import SerializerProtocol
from langgraph.checkpoint.serde.encrypted import EncryptedSerializer
from langgraph.checkpoint.serde.event_hooks import emit_serde_event
from langgraph.checkpoint.serde.jsonplus import JsonPlusSerializer
from langgraph.checkpoint.serde.types import SendProtocol, _DeltaSnapshot

from langgraph.checkpoint.plpgsql._decoded import plain_constructor
from langgraph.checkpoint.plpgsql.encryption import BoundEncryptedSerializer, RowKey
from langgraph.checkpoint.plpgsql.errors import InvalidDocumentError, UnserializableValueError

logger = logging.getLogger(__name__)

RESERVED_KEY = "__lg__"
_LC_MESSAGES = "langchain_core.messages."
JSON_TYPE = "json"
EMPTY_TYPE = "empty"
_RESERVED_TYPES = frozenset({JSON_TYPE, EMPTY_TYPE})

# PostgreSQL text and JSONB cannot hold these; such values take the serializer path.
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")
# repr() of a float switches to an exponent from 1e16 on; JSONB would print that
# number without one and it would come back as an int.
_FLOAT_EXPONENT_FROM = 1e16
# Containers nested deeper than this are not written as JSON; the msgpack serializer
# refuses the same depth, so such a value raises UnserializableValueError. A bound
# well inside Python's recursion limit keeps every value written readable again.
MAX_DEPTH = 255
# The checkpoint document's maps keyed by channel (or node, then channel) names, and
# how many levels of them: their keys stay as they are, for SQL to read.
CHECKPOINT_MAPS: dict[str, int] = {"channel_versions": 1, "versions_seen": 2}

_json_dumps = json.JSONEncoder(
    ensure_ascii=False, allow_nan=False, check_circular=False, separators=(",", ":")
).encode
# The standard library, not orjson: orjson turns integers beyond 64 bits into floats,
# and a round trip must give back exactly what was stored.
_json_loads = json.loads
# The standard decoder's C scanner without json.loads' wrapping (three calls and two
# regular expressions for surrounding whitespace, which JSONB's text never has): what
# the scanner does not read to the very end (whitespace, extra data, nothing at all)
# goes to the whole decoder, which reads it or raises its usual error.
_scan_plain = json.JSONDecoder().scan_once  # type: ignore[attr-defined]
# Writing is another matter: what encode() returns is plain JSON data that it has
# already checked (str keys; strings without NUL or lone surrogates; finite floats
# below 1e16, not -0.0), and for such data orjson writes the same JSON values as the
# standard library, at a tenth of the cost. What orjson refuses (an integer beyond 64
# bits, nesting past 255 levels) raises TypeError and takes the standard library.
_orjson_dumps = orjson.dumps

Allowlist = set[tuple[str, ...]] | Literal[True] | None


class NotJson(Exception):
    """A value has no exact typed-JSON form; it takes the serializer path."""


# --------------------------------------------------------------------------- encode


def _check_text(value: str) -> str:
    if "\x00" in value or (not value.isascii() and _LONE_SURROGATE.search(value)):
        raise NotJson
    return value


def _is_plain_float(value: float) -> bool:
    return (
        math.isfinite(value)
        and abs(value) < _FLOAT_EXPONENT_FROM
        and not (value == 0.0 and math.copysign(1.0, value) < 0)
    )


def encode(value: Any, depth: int = 0) -> Any:
    """The typed-JSON form of ``value`` (plain Python JSON data), or raise NotJson.

    ``depth`` is the number of containers around ``value``."""
    kind = type(value)
    if kind is str:
        return _check_text(value)
    if kind is int or kind is bool or value is None:
        return value
    if kind is float:
        return value if _is_plain_float(value) else {RESERVED_KEY: "float", "value": repr(value)}
    if kind is dict:
        return _encode_dict(value, depth)
    if kind is list or kind is tuple:
        if depth >= MAX_DEPTH:
            raise NotJson
        depth += 1
        return [encode(item, depth) for item in value]
    return _encode_object(value, depth)


def _check_key(key: Any) -> str:
    if type(key) is not str or "\x00" in key or (not key.isascii() and _LONE_SURROGATE.search(key)):
        raise NotJson
    return key


def _encode_dict(value: dict[Any, Any], depth: int) -> dict[str, Any]:
    if depth >= MAX_DEPTH:
        raise NotJson
    depth += 1
    out: dict[str, Any] = {}
    for key, item in value.items():
        if type(key) is not str or "\x00" in key or (not key.isascii() and _LONE_SURROGATE.search(key)):
            raise NotJson
        # The common scalars inline: this loop is most of the cost of a save.
        kind = type(item)
        if kind is str:
            if "\x00" in item or (not item.isascii() and _LONE_SURROGATE.search(item)):
                raise NotJson
            out[key] = item
        elif kind is int or kind is bool or item is None:
            out[key] = item
        else:
            out[key] = encode(item, depth)
    if RESERVED_KEY in out:
        return {RESERVED_KEY: "dict", "items": [[k, out[k]] for k in sorted(out)]}
    return out


def _class_ref(value: Any) -> tuple[str, str]:
    cls = type(value)
    return cls.__module__, cls.__name__


# Per pydantic class, what _encode_pydantic writes around its data: ("lc", module,
# name, lc_id) or ("pydantic", module, name, None). Every test that leads there
# (isinstance, a model_dump on the class, is_lc_serializable, lc_id) is a property of
# the class, so a model's envelope is looked up once per class rather than worked out
# per value; a chat state is mostly messages. Bounded: classes made at run time do not
# grow it past _MODEL_HEADERS_MAX.
_ModelHeader = tuple[str, str, str, list[str] | None]
_MODEL_HEADERS: dict[type, _ModelHeader] = {}
_MODEL_HEADERS_MAX = 1024


def _encode_object(value: Any, depth: int) -> Any:
    header = _MODEL_HEADERS.get(type(value))
    if header is not None:
        return _encode_model(header, value.model_dump(), depth)
    # The order mirrors JsonPlusSerializer's msgpack encoder, so an object that
    # matches several rules is treated the same way on both paths.
    if isinstance(value, Enum):
        module, name = _class_ref(value)
        return {RESERVED_KEY: "enum", "module": module, "name": name, "value": encode(value.value, depth)}
    # Subclasses of the JSON-native types are stored as the base type, as msgpack does.
    if isinstance(value, str):
        return _check_text(str(value))
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return encode(float(value), depth)
    if isinstance(value, dict):
        return _encode_dict(dict(value), depth)
    if isinstance(value, list):
        return encode(list(value), depth)
    if isinstance(value, (bytes, bytearray, memoryview)):
        return {RESERVED_KEY: "bytes", "base64": base64.b64encode(value).decode("ascii")}
    if isinstance(value, _DeltaSnapshot):
        return {RESERVED_KEY: "delta", "value": encode(value.value, depth)}
    model_dump = getattr(value, "model_dump", None)
    if callable(model_dump):
        return _encode_pydantic(value, model_dump(), depth)
    if callable(getattr(value, "get_secret_value", None)) or callable(getattr(value, "dict", None)):
        raise NotJson  # secrets and pydantic v1 models keep the serializer's form
    as_dict = getattr(value, "_asdict", None)
    if callable(as_dict):
        module, name = _class_ref(value)
        return {
            RESERVED_KEY: "namedtuple",
            "module": module,
            "name": name,
            "data": _encode_dict(dict(as_dict()), depth),
        }
    kind = type(value)
    if kind is uuid.UUID:
        return {RESERVED_KEY: "uuid", "value": str(value)}
    if kind is Decimal:
        return {RESERVED_KEY: "decimal", "value": str(value)}
    if kind is set or kind is frozenset or kind is deque:
        return {RESERVED_KEY: kind.__name__, "items": encode(list(value), depth)}
    if kind is datetime:
        return {RESERVED_KEY: "datetime", "value": value.isoformat()}
    if kind is timedelta:
        return {
            RESERVED_KEY: "timedelta",
            "days": value.days,
            "seconds": value.seconds,
            "microseconds": value.microseconds,
        }
    if kind is date:
        return {RESERVED_KEY: "date", "value": value.isoformat()}
    if kind is time and value.tzinfo is None and not value.fold:
        return {RESERVED_KEY: "time", "value": value.isoformat()}
    if isinstance(value, SendProtocol):
        return _encode_send(value, depth)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        module, name = _class_ref(value)
        data = {field.name: getattr(value, field.name) for field in dataclasses.fields(value)}
        return {RESERVED_KEY: "dataclass", "module": module, "name": name, "data": _encode_dict(data, depth)}
    if isinstance(value, BaseException):
        return _check_text(repr(value))
    raise NotJson


def _encode_pydantic(value: Any, data: dict[str, Any], depth: int) -> dict[str, Any]:
    cls = type(value)
    module, name = _class_ref(value)
    if isinstance(value, Serializable) and value.is_lc_serializable():
        # LangChain's own serialized shape, so tools that read it find
        # lc.kwargs.content etc. where they expect them.
        header: _ModelHeader = ("lc", module, name, list(cls.lc_id()))
    else:
        header = ("pydantic", module, name, None)
    if callable(getattr(cls, "model_dump", None)) and len(_MODEL_HEADERS) < _MODEL_HEADERS_MAX:
        _MODEL_HEADERS[cls] = header
    return _encode_model(header, data, depth)


def _encode_model(header: _ModelHeader, data: dict[str, Any], depth: int) -> dict[str, Any]:
    kind, module, name, lc_id = header
    encoded = _encode_dict(data, depth)
    if kind == "lc":
        lc = {"lc": 1, "type": "constructor", "id": lc_id, "kwargs": encoded}
        return {RESERVED_KEY: "lc", "module": module, "name": name, "lc": lc}
    return {RESERVED_KEY: "pydantic", "module": module, "name": name, "data": encoded}


def _encode_send(value: Any, depth: int) -> dict[str, Any]:
    if _class_ref(value) != ("langgraph.types", "Send"):
        raise NotJson
    out = {RESERVED_KEY: "send", "node": _check_text(value.node), "arg": encode(value.arg, depth + 1)}
    timeout = getattr(value, "timeout", None)
    if timeout is not None:
        out["timeout"] = encode(timeout, depth + 1)
    return out


def _big_ints(value: Any) -> Any:
    """``value`` with each int too long for ``str()`` (``sys.set_int_max_str_digits``)
    as an ``int`` envelope in hexadecimal, which has no such limit."""
    kind = type(value)
    if kind is int:
        limit = sys.get_int_max_str_digits()
        if limit and abs(value) >= 10**limit:
            return {RESERVED_KEY: "int", "hex": hex(value)}
        return value
    if kind is dict:
        return {key: _big_ints(item) for key, item in value.items()}
    if kind is list:
        return [_big_ints(item) for item in value]
    return value


def _dumps(encoded: Any) -> str:
    try:
        return _orjson_dumps(encoded).decode()
    except TypeError:
        pass
    try:
        return _json_dumps(encoded)
    except ValueError:
        # An int beyond the int-to-str limit; the only ValueError the encoder raises
        # for data encode() returns (no NaN or infinity reaches it).
        return _json_dumps(_big_ints(encoded))


def dumps_json(value: Any) -> str:
    """JSON text of ``value`` in the typed-JSON form; raises NotJson."""
    return _dumps(encode(value))


def _encode_raw(value: dict[Any, Any], maps: dict[str, int] | None, levels: int) -> dict[str, Any]:
    """A document level: keys as they are, values typed JSON (see the module docstring)."""
    out: dict[str, Any] = {}
    for key, item in value.items():
        _check_key(key)
        kind = type(item)
        # Versions are strings: inline, as in _encode_dict.
        if kind is str:
            out[key] = _check_text(item)
        elif kind is dict and (levels > 1 or (maps is not None and key in maps)):
            out[key] = _encode_raw(item, None, levels - 1 if levels > 1 else maps[key])  # type: ignore[index]
        else:
            out[key] = encode(item, 1)
    if out.get(RESERVED_KEY) == "dict":
        out[RESERVED_KEY] = {RESERVED_KEY: "text", "value": "dict"}
    return out


def dumps_raw_document(value: dict[Any, Any], maps: dict[str, int] | None = None) -> str:
    """JSON text of a document whose top level (and the maps named in ``maps``, with
    their depth) keep their keys as they are; raises NotJson."""
    return _dumps(_encode_raw(value, maps, 1))


# --------------------------------------------------------------------------- decode


def default_allowlist() -> Allowlist:
    """The msgpack allowlist a default ``JsonPlusSerializer()`` has in this process."""
    return JsonPlusSerializer()._allowed_msgpack_modules


def allowlist_of(serde: SerializerProtocol) -> Allowlist:
    """The msgpack allowlist ``serde`` enforces, to apply the same policy to JSON."""
    if isinstance(serde, EncryptedSerializer):
        serde = serde.serde
    if isinstance(serde, JsonPlusSerializer):
        return serde._allowed_msgpack_modules
    return default_allowlist()


_warned: set[tuple[str, str, str]] = set()
_MAX_WARNED = 1000


def _warn_once(kind: str, module: str, name: str, message: str, *args: object) -> None:
    key = (kind, module, name)
    if key in _warned or len(_warned) >= _MAX_WARNED:
        return
    _warned.add(key)
    logger.warning(message, *args)


def is_allowed(allowlist: Allowlist, module: str, name: str) -> bool:
    """Whether a class may be imported and built, by the msgpack path's rules."""
    key = (module, name)
    if key in lg_msgpack.SAFE_MSGPACK_TYPES:
        return True
    if allowlist is True:
        emit_serde_event({"kind": "msgpack_unregistered_allowed", "module": module, "name": name})
        _warn_once(
            "unregistered",
            module,
            name,
            "Deserializing unregistered type %s.%s from checkpoint JSON. Set "
            "LANGGRAPH_STRICT_MSGPACK=true to block it, or add [(%r, %r)] to "
            "allowed_msgpack_modules to allow it explicitly.",
            module,
            name,
            module,
            name,
        )
        return True
    if allowlist is not None and key in allowlist:
        return True
    emit_serde_event({"kind": "msgpack_blocked", "module": module, "name": name})
    _warn_once(
        "blocked",
        module,
        name,
        "Blocked deserialization of %s.%s from checkpoint JSON - not in "
        "allowed_msgpack_modules; returning its data instead. Add [(%r, %r)] to allow it.",
        module,
        name,
        module,
        name,
    )
    return False


@functools.lru_cache(maxsize=1024)
def _import(module: str, name: str) -> Any:
    # Cached: a chat state rebuilds the same few message classes on every load.
    return getattr(importlib.import_module(module), name)


class JsonReviver:
    """Turns typed-JSON envelopes back into objects, within an allowlist."""

    __slots__ = ("allowlist", "_by_kind", "_messages")

    def __init__(self, allowlist: Allowlist) -> None:
        self.allowlist = allowlist
        # (module, name) -> plain constructor of a message class that every allowlist
        # admits (SAFE_MSGPACK_TYPES: no warning, no event), so that each message after
        # the first of its class skips the checks.
        self._messages: dict[tuple[str, str], Callable[[dict[str, Any]], Any]] = {}
        self._by_kind: dict[str, Callable[[dict[str, Any]], Any]] = {
            "dict": _revive_dict,
            "int": lambda d: int(d["hex"], 16),
            "text": lambda d: d["value"],
            "float": lambda d: float(d["value"]),
            "bytes": lambda d: base64.b64decode(d["base64"]),
            "datetime": lambda d: datetime.fromisoformat(d["value"]),
            "date": lambda d: date.fromisoformat(d["value"]),
            "time": lambda d: time.fromisoformat(d["value"]),
            "timedelta": lambda d: timedelta(d["days"], d["seconds"], d["microseconds"]),
            "uuid": lambda d: uuid.UUID(d["value"]),
            "decimal": lambda d: Decimal(d["value"]),
            "set": lambda d: set(d["items"]),
            "frozenset": lambda d: frozenset(d["items"]),
            "deque": lambda d: deque(d["items"]),
            "delta": lambda d: _DeltaSnapshot(d["value"]),
            "send": _revive_send,
            "enum": self._revive_enum,
            "namedtuple": self._revive_kwargs,
            "dataclass": self._revive_kwargs,
            "pydantic": self._revive_pydantic,
            "lc": self._revive_lc,
        }

    def __call__(self, obj: dict[str, Any]) -> Any:
        kind = obj.get(RESERVED_KEY)
        if kind is None:
            return obj
        revive = self._by_kind.get(kind) if isinstance(kind, str) else None
        if revive is None:
            # Written by something else (plain SQL, a newer client): keep it as data.
            _warn_once("kind", str(kind), "", "Unknown typed-JSON kind %r; kept as a dict.", kind)
            return obj
        try:
            return revive(obj)
        except Exception as exc:
            # As msgpack does with a value it cannot rebuild (e.g. a set of lists):
            # return its data rather than lose it or fail the whole load.
            _warn_once(
                "revive",
                str(obj.get("module", kind)),
                str(obj.get("name", "")),
                "Could not rebuild a %r value from checkpoint JSON (%s); returning its data.",
                kind,
                type(exc).__name__,
            )
            for payload_key in ("data", "items", "value"):
                if payload_key in obj:
                    return obj[payload_key]
            return obj

    def _revive_enum(self, obj: dict[str, Any]) -> Any:
        module, name, value = obj["module"], obj["name"], obj["value"]
        if not is_allowed(self.allowlist, module, name):
            return value
        return _import(module, name)(value)

    def _revive_kwargs(self, obj: dict[str, Any]) -> Any:
        module, name, data = obj["module"], obj["name"], obj["data"]
        if not is_allowed(self.allowlist, module, name):
            return data
        try:
            return _import(module, name)(**data)
        except Exception as exc:
            _warn_once(
                "rebuild",
                module,
                name,
                "Could not reconstruct %s.%s from checkpoint (%s); returning its data instead.",
                module,
                name,
                type(exc).__name__,
            )
            return data

    def _revive_pydantic(self, obj: dict[str, Any]) -> Any:
        return self._build_model(obj["module"], obj["name"], obj["data"])

    def _revive_lc(self, obj: dict[str, Any]) -> Any:
        module, name, kwargs = obj["module"], obj["name"], obj["lc"]["kwargs"]
        construct = self._messages.get((module, name))
        if construct is not None:
            try:
                return construct(kwargs)
            except Exception:
                return self._build_model(module, name, kwargs)
        if module.startswith(_LC_MESSAGES) and is_allowed(self.allowlist, module, name):
            # A message was stored from model_dump() of a validated message, so every
            # field is present and already in its validated form: building it without
            # validating again gives an equal message (same fields, same fields set)
            # at a third of the cost, and a chat state is mostly messages. The plain
            # constructor (_decoded.py) is model_construct's result without its loop.
            try:
                cls = _import(module, name)
                construct = plain_constructor(cls)
                if construct is None:
                    return cls.model_construct(**kwargs)
                if (module, name) in lg_msgpack.SAFE_MSGPACK_TYPES:
                    self._messages[(module, name)] = construct
                return construct(kwargs)
            except Exception:
                pass
        return self._build_model(module, name, kwargs)

    def _build_model(self, module: str, name: str, data: dict[str, Any]) -> Any:
        if not is_allowed(self.allowlist, module, name):
            return data
        try:
            cls = _import(module, name)
        except Exception:
            return data
        try:
            return cls(**data)
        except Exception:
            try:
                return cls.model_construct(**data)
            except Exception:
                return data


def _revive_dict(obj: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in obj["items"]}


def _revive_send(obj: dict[str, Any]) -> Any:
    from langgraph.types import Send

    if "timeout" in obj:
        return Send(obj["node"], obj["arg"], timeout=obj["timeout"])
    return Send(obj["node"], obj["arg"])


# --------------------------------------------------------------------------- codec


def writes_json(serde: SerializerProtocol) -> bool:
    """Whether values may be stored as readable JSON with this serializer.

    Only a plain ``JsonPlusSerializer`` (its own dumps/loads) qualifies: an
    ``EncryptedSerializer`` or a custom serializer gets every value as it wants it.
    """
    kind = type(serde)
    return (
        isinstance(serde, JsonPlusSerializer)
        and kind.dumps_typed is JsonPlusSerializer.dumps_typed
        and kind.loads_typed is JsonPlusSerializer.loads_typed
    )


class ValueCodec:
    """Encodes values for the SQL API's (types, values, blobs) arrays and back.

    One codec belongs to one serializer; savers rebuild it when their ``serde``
    changes (``with_allowlist`` gives a copy of the saver a new serializer).
    """

    __slots__ = ("serde", "use_json", "bound", "_reviver", "_loads_revived", "_scan_revived")

    def __init__(self, serde: SerializerProtocol) -> None:
        self.serde = serde
        self.use_json = writes_json(serde)
        # Values bound to their row (encryption.py): dump and load take the row's key.
        self.bound = serde if isinstance(serde, BoundEncryptedSerializer) else None
        self._reviver = JsonReviver(allowlist_of(serde))
        decoder = json.JSONDecoder(object_hook=self._reviver)
        self._loads_revived = decoder.decode
        self._scan_revived = decoder.scan_once  # type: ignore[attr-defined]

    # values -----------------------------------------------------------------

    def dump(
        self,
        value: Any,
        channel: str | None = None,
        write_index: int | None = None,
        key: RowKey | None = None,
    ) -> tuple[str, str | None, bytes | None]:
        """``(type, json_text, blob)`` for one channel value or write; ``channel`` and
        ``write_index`` name it in the error raised when nothing can store it; ``key`` is
        the key of its row, for a serializer that binds values to it."""
        if self.use_json and type(value) not in (bytes, bytearray):
            try:
                return JSON_TYPE, dumps_json(value), None
            except (NotJson, RecursionError):
                pass
        try:
            if self.bound is not None and key is not None:
                type_tag, blob = self.bound.dumps_bound(value, key)
            else:
                type_tag, blob = self.serde.dumps_typed(value)
        except Exception as exc:
            field = "value" if channel is None else f"channel {channel!r}"
            if write_index is not None:
                field = f"write {write_index} to {field}"
            raise UnserializableValueError(
                f"{field} cannot be serialized by {type(self.serde).__name__}: {type(exc).__name__}: {exc}",
                field=field,
                hint=(
                    f"Values may nest at most {MAX_DEPTH} containers deep, and the "
                    "serializer must support every type in them (msgpack holds integers "
                    "of at most 64 bits outside JSON)."
                ),
            ) from exc
        if type_tag in _RESERVED_TYPES:
            raise InvalidDocumentError(
                f"the serializer {type(self.serde).__name__} returned the type tag "
                f"{type_tag!r}, which the SQL API reserves; use another tag"
            )
        return type_tag, None, blob

    def load(
        self, type_tag: str, json_text: str | None, blob: bytes | None, key: RowKey | None = None
    ) -> Any:
        """The value stored as ``(type, json_text, blob)`` in the row ``key``."""
        if type_tag == JSON_TYPE:
            return self.loads_json(json_text)  # type: ignore[arg-type]
        if self.bound is not None and key is not None:
            return self.bound.loads_bound((type_tag, blob if blob is not None else b""), key)
        return self.serde.loads_typed((type_tag, blob if blob is not None else b""))

    @property
    def scanners(self) -> tuple[Callable[[str, int], tuple[Any, int]], Callable[[str, int], tuple[Any, int]]]:
        """The JSON scanners ``loads_json`` uses: without and with the typed-JSON reviver."""
        return _scan_plain, self._scan_revived

    # documents (checkpoint, metadata, filters) --------------------------------

    def loads_json(self, text: str) -> Any:
        # Most documents have no envelope; they skip the per-object hook.
        try:
            revived = '"__lg__"' in text
            try:
                value, end = (self._scan_revived if revived else _scan_plain)(text, 0)
            except StopIteration:
                end = -1
            if end == len(text):
                return value
            return self._loads_revived(text) if revived else _json_loads(text)
        except ValueError:
            # A number beyond the int-to-str limit, written by SQL: read it exactly.
            return json.loads(text, parse_int=_parse_big_int, object_hook=self._reviver)

    def loads_document(self, text: str, maps: dict[str, int] | None = None) -> Any:
        """A document written by ``dumps_document`` (or by an older client)."""
        if '"__lg__"' not in text:
            return self.loads_json(text)
        try:
            raw = _json_loads(text)
        except ValueError:
            raw = json.loads(text, parse_int=_parse_big_int)
        return self._revive_raw(raw, maps, 1) if type(raw) is dict else self._revive(raw)

    def _revive_raw(self, raw: dict[str, Any], maps: dict[str, int] | None, levels: int) -> Any:
        if raw.get(RESERVED_KEY) == "dict":
            return self._revive(raw)  # a dict envelope: written before documents were raw
        out: dict[str, Any] = {}
        for key, item in raw.items():
            nested = maps.get(key) if maps is not None else None
            if nested and type(item) is dict:
                out[key] = self._revive_raw(item, None, nested)
            elif levels > 1 and type(item) is dict:
                out[key] = self._revive_raw(item, None, levels - 1)
            else:
                out[key] = self._revive(item)
        return out

    def _revive(self, value: Any) -> Any:
        """What the object hook would make of ``value``, bottom up."""
        kind = type(value)
        if kind is dict:
            return self._reviver({key: self._revive(item) for key, item in value.items()})
        if kind is list:
            return [self._revive(item) for item in value]
        return value

    @staticmethod
    def dumps_document(value: Any, what: str, maps: dict[str, int] | None = None) -> str:
        """JSON text of a document that must be JSON (metadata, filter, checkpoint):
        its top level keeps its keys for SQL (``dumps_raw_document``)."""
        try:
            if type(value) is not dict:
                raise NotJson
            return dumps_raw_document(value, maps)
        except (NotJson, RecursionError):
            raise InvalidDocumentError(
                f"{what} cannot be stored as JSON",
                hint=(
                    "Use a dict of JSON-compatible values (str keys; no NUL characters or "
                    f"lone surrogates in strings; no arbitrary objects; at most {MAX_DEPTH} "
                    "levels deep)."
                ),
            ) from None


def _parse_big_int(text: str) -> int:
    # Decimal to int does not go through str(), so the int-to-str limit does not apply.
    return int(Decimal(text))
