"""Typed array parameters: ``text[]``, ``jsonb[]`` and ``bytea[]`` sent in binary.

Every save passes its values as parallel arrays. psycopg adapts a plain ``list`` by
looking through it for the type of its elements, choosing a dumper for that type and
then dumping element by element; for the short arrays of a save that search costs
more than the data (about 14 us an array, 6 arrays a put). The arrays the client sends
always hold one known type, so each gets a ``list`` subclass with a binary dumper
registered through psycopg's documented adaptation API (``AdaptersMap.register_dumper``):
it writes the array's binary form (PostgreSQL's ``array_recv`` layout) in one pass.

A connection made before this module was imported does not know these dumpers; psycopg
then adapts the subclasses as the ``list`` they are, which is slower and the same.
"""

from __future__ import annotations

import struct
from typing import Any

import psycopg
from psycopg.adapt import Dumper
from psycopg.pq import Format

# Binary array: ndim, has_nulls, element oid, then (length, lower bound) per dimension.
_HEADER = struct.Struct("!iiIii")
_EMPTY = struct.Struct("!iiI")
_NULL = b"\xff\xff\xff\xff"
_JSONB_VERSION = b"\x01"

TEXT_OID, JSONB_OID, BYTEA_OID = 25, 3802, 17
TEXT_ARRAY_OID, JSONB_ARRAY_OID, BYTEA_ARRAY_OID = 1009, 3807, 1001


def _array(items: list[Any], element_oid: int, encode: Any) -> bytes:
    if not items:
        return _EMPTY.pack(0, 0, element_oid)
    parts = [b""]
    has_nulls = 0
    for item in items:
        if item is None:
            has_nulls = 1
            parts.append(_NULL)
        else:
            data = encode(item)
            parts.append(len(data).to_bytes(4, "big"))
            parts.append(data)
    parts[0] = _HEADER.pack(1, has_nulls, element_oid, len(items), 1)
    return b"".join(parts)


def _text(item: str) -> bytes:
    return item.encode()


def _jsonb(item: str) -> bytes:
    # jsonb's binary input is a version byte and the JSON text.
    return _JSONB_VERSION + item.encode()


def _bytea(item: bytes) -> bytes:
    return bytes(item)


class TextArray(list):  # type: ignore[type-arg]
    """A ``text[]`` parameter: ``str`` or ``None`` elements."""

    __slots__ = ()


class JsonbArray(list):  # type: ignore[type-arg]
    """A ``jsonb[]`` parameter: elements are JSON text (``str``) or ``None``."""

    __slots__ = ()


class ByteaArray(list):  # type: ignore[type-arg]
    """A ``bytea[]`` parameter: ``bytes`` or ``None`` elements."""

    __slots__ = ()


class _TextArrayDumper(Dumper):
    format = Format.BINARY
    oid = TEXT_ARRAY_OID

    def dump(self, obj: Any) -> bytes:
        return _array(obj, TEXT_OID, _text)


class _JsonbArrayDumper(Dumper):
    format = Format.BINARY
    oid = JSONB_ARRAY_OID

    def dump(self, obj: Any) -> bytes:
        return _array(obj, JSONB_OID, _jsonb)


class _ByteaArrayDumper(Dumper):
    format = Format.BINARY
    oid = BYTEA_ARRAY_OID

    def dump(self, obj: Any) -> bytes:
        return _array(obj, BYTEA_OID, _bytea)


def register(adapters: Any = None) -> None:
    """Register the dumpers on ``adapters`` (default: psycopg's global map, which every
    connection made afterwards starts from)."""
    target = psycopg.adapters if adapters is None else adapters
    target.register_dumper(TextArray, _TextArrayDumper)
    target.register_dumper(JsonbArray, _JsonbArrayDumper)
    target.register_dumper(ByteaArray, _ByteaArrayDumper)


register()
