"""Stored values: readable JSONB where exact, the serializer otherwise; exact round trips."""

from __future__ import annotations

import functools
import json
import logging
from typing import Any
from uuid import uuid4

import orjson
import psycopg
import pytest
from _values import ROUND_TRIP_VALUES, SERIALIZER_PATH, Point, Profile, assert_same
from langchain_core.messages import AIMessage
from langgraph.checkpoint.base import empty_checkpoint
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.checkpoint.serde.encrypted import EncryptedSerializer
from langgraph.checkpoint.serde.jsonplus import JsonPlusSerializer
from pydantic import BaseModel

from langgraph.checkpoint.plpgsql import (
    InvalidDocumentError,
    InvalidIdentifierError,
    PostgresCheckpointer,
    serde,
)
from langgraph.checkpoint.plpgsql.serde import ValueCodec, dumps_json


def _save(saver: Any, thread_id: str, value: Any) -> Any:
    """Store ``value`` as a channel value and as a pending write; read both back."""
    checkpoint = empty_checkpoint()
    checkpoint["channel_values"] = {"value": value}
    checkpoint["channel_versions"] = {"value": saver.get_next_version(None, None)}
    config = saver.put(
        {"configurable": {"thread_id": thread_id, "checkpoint_ns": ""}},
        checkpoint,
        {"source": "loop", "step": 0, "parents": {}},
        checkpoint["channel_versions"],
    )
    saver.put_writes(config, [("value", value)], task_id="task-1", task_path="path")
    stored = saver.get_tuple(config)
    return stored.checkpoint["channel_values"]["value"], stored.pending_writes[0][2]


def _stored_types(conn: psycopg.Connection, thread_id: str) -> tuple[str, str]:
    return conn.execute(
        """SELECT (SELECT type FROM langgraph.checkpoint_blobs WHERE thread_id = %(t)s),
                  (SELECT type FROM langgraph.checkpoint_writes WHERE thread_id = %(t)s)""",
        {"t": thread_id},
    ).fetchone()


@pytest.fixture(scope="module")
def admin(database_url: str):
    with psycopg.connect(database_url, autocommit=True) as conn:
        yield conn


@pytest.mark.parametrize("name", list(ROUND_TRIP_VALUES))
def test_round_trip_matches_in_memory_saver(name: str, saver: PostgresCheckpointer, admin) -> None:
    value = ROUND_TRIP_VALUES[name]
    thread_id = f"serde-{name}-{uuid4()}"
    expected_value, expected_write = _save(InMemorySaver(), thread_id, value)
    actual_value, actual_write = _save(saver, thread_id, value)
    assert_same(actual_value, expected_value)
    assert_same(actual_write, expected_write)

    blob_type, write_type = _stored_types(admin, thread_id)
    expected_type = "json" if name not in SERIALIZER_PATH else blob_type
    assert blob_type == write_type == expected_type
    if name in SERIALIZER_PATH:
        assert blob_type != "json"


def test_big_int_beyond_msgpack_is_stored_as_json(saver: PostgresCheckpointer, thread_id: str) -> None:
    # msgpack (so InMemorySaver) cannot store it at all; JSONB can.
    value, write = _save(saver, thread_id, {"n": 2**70, "m": -(2**65)})
    assert value == write == {"n": 2**70, "m": -(2**65)}


@pytest.mark.parametrize("name", [n for n in ROUND_TRIP_VALUES if n not in SERIALIZER_PATH])
def test_fast_writer_writes_what_the_standard_library_writes(name: str) -> None:
    # dumps_json writes encode()'s output with orjson; the standard library's JSON of the
    # same data must parse to the same values, with the same types.
    value = ROUND_TRIP_VALUES[name]
    encoded = serde.encode(value)
    fast, standard = dumps_json(value), json.dumps(encoded, ensure_ascii=False, allow_nan=False)
    assert_same(json.loads(fast), json.loads(standard))


@pytest.mark.parametrize(
    "value",
    [
        2**64,
        -(2**63) - 1,
        {"n": [2**100]},
        # 252 lists around a message: within MAX_DEPTH, past orjson's limit once the
        # message's envelope adds its levels.
        functools.reduce(lambda v, _: [v], range(252), AIMessage(content="deep", id="d")),
    ],
    ids=["u64+1", "i64-1", "nested-2**100", "deep-envelope"],
)
def test_what_orjson_refuses_takes_the_standard_library(value: Any) -> None:
    # Beyond 64 bits, or nested past orjson's 255 levels: the standard library writes it.
    with pytest.raises(TypeError):
        orjson.dumps(serde.encode(value))
    assert ValueCodec(JsonPlusSerializer()).loads_json(dumps_json(value)) == value


def test_model_envelope_is_the_same_from_the_class_cache() -> None:
    # The first value of a class works its envelope out and keeps it; later ones use it.
    class Note(BaseModel):
        text: str
        tags: list[str] = []

    serde._MODEL_HEADERS.pop(Note, None)
    serde._MODEL_HEADERS.pop(AIMessage, None)
    values = [Note(text="a", tags=["x"]), AIMessage(content="hi", id="m1", response_metadata={"k": 1})]
    first = [dumps_json(v) for v in values]
    assert Note in serde._MODEL_HEADERS and AIMessage in serde._MODEL_HEADERS
    assert [dumps_json(v) for v in values] == first
    codec = ValueCodec(JsonPlusSerializer())
    assert json.loads(first[1])["lc"]["id"] == ["langchain", "schema", "messages", "AIMessage"]
    assert codec.loads_json(first[1]) == values[1]
    # The cached lc id is not shared with what was written: editing one output leaves
    # the next one whole.
    json.loads(first[1])["lc"]["id"].append("x")
    assert dumps_json(values[1]) == first[1]


def test_reserved_key_is_escaped() -> None:
    text = dumps_json({"__lg__": "datetime", "value": "2024-01-01"})
    assert text.startswith('{"__lg__":"dict"')
    codec = ValueCodec(JsonPlusSerializer())
    assert codec.loads_json(text) == {"__lg__": "datetime", "value": "2024-01-01"}


def test_unknown_or_foreign_envelopes_stay_data() -> None:
    codec = ValueCodec(JsonPlusSerializer())
    assert codec.loads_json('{"__lg__":"martian","x":1}') == {"__lg__": "martian", "x": 1}
    assert codec.loads_json('{"__lg__":5}') == {"__lg__": 5}


class _XorCipher:
    def encrypt(self, plaintext: bytes) -> tuple[str, bytes]:
        return "xor", bytes(b ^ 0x5A for b in plaintext)

    def decrypt(self, ciphername: str, ciphertext: bytes) -> bytes:
        assert ciphername == "xor"
        return bytes(b ^ 0x5A for b in ciphertext)


def test_encrypted_serializer_writes_no_plaintext_values(pool, admin, thread_id: str) -> None:
    saver = PostgresCheckpointer(pool, serde=EncryptedSerializer(_XorCipher()))
    value = {"secret": "launch code", "when": ROUND_TRIP_VALUES["datetime_utc"]}
    stored_value, stored_write = _save(saver, thread_id, value)
    assert stored_value == stored_write == value
    rows = admin.execute(
        """SELECT type, value IS NULL, position('launch'::bytea in blob) FROM langgraph.checkpoint_blobs WHERE thread_id = %(t)s
           UNION ALL
           SELECT type, value IS NULL, position('launch'::bytea in blob) FROM langgraph.checkpoint_writes WHERE thread_id = %(t)s""",
        {"t": thread_id},
    ).fetchall()
    assert rows == [("msgpack+xor", True, 0), ("msgpack+xor", True, 0)]
    # Metadata and the checkpoint's structure stay readable.
    step = admin.execute(
        "SELECT metadata->>'step', checkpoint->'channel_versions' ? 'value' FROM langgraph.checkpoints WHERE thread_id = %s",
        (thread_id,),
    ).fetchone()
    assert step == ("0", True)


def test_strict_allowlist_blocks_unlisted_classes_like_msgpack(pool, thread_id: str, caplog) -> None:
    strict = JsonPlusSerializer(allowed_msgpack_modules=None)
    saver = PostgresCheckpointer(pool, serde=strict)
    memory = InMemorySaver(serde=strict)
    value = {"point": Point(1, 2.0), "profile": Profile(name="x", age=1), "msg": ROUND_TRIP_VALUES["human_message"]}
    with caplog.at_level(logging.WARNING):
        actual, _ = _save(saver, thread_id, value)
        expected, _ = _save(memory, thread_id, value)
    # Not instantiated: the raw data comes back, as msgpack does; messages are always safe.
    assert_same(actual, expected)
    assert actual["point"] == {"x": 1, "y": 2.0, "label": ""}
    assert actual["msg"] == value["msg"]
    assert any("Blocked deserialization" in r.getMessage() for r in caplog.records)


def test_with_allowlist_allows_listed_classes(pool, thread_id: str) -> None:
    strict = JsonPlusSerializer(allowed_msgpack_modules=None)
    saver = PostgresCheckpointer(pool, serde=strict).with_allowlist([Point])
    assert isinstance(saver, PostgresCheckpointer)
    actual, _ = _save(saver, thread_id, Point(1, 2.0))
    assert actual == Point(1, 2.0)
    # The original saver keeps its stricter policy.
    blocked = PostgresCheckpointer(pool, serde=strict)
    assert blocked.get_tuple({"configurable": {"thread_id": thread_id}}).checkpoint[
        "channel_values"
    ]["value"] == {"x": 1, "y": 2.0, "label": ""}


def test_nul_in_metadata_is_a_clear_error(saver: PostgresCheckpointer, thread_id: str) -> None:
    checkpoint = empty_checkpoint()
    with pytest.raises(InvalidDocumentError, match="metadata cannot be stored as JSON"):
        saver.put(
            {"configurable": {"thread_id": thread_id, "checkpoint_ns": ""}},
            checkpoint,
            {"source": "loop", "step": 0, "nested": {"bad": "a\x00b"}},
            {},
        )


def test_top_level_nul_in_metadata_is_stripped_by_langgraph(saver: PostgresCheckpointer, thread_id: str) -> None:
    checkpoint = empty_checkpoint()
    config = saver.put(
        {"configurable": {"thread_id": thread_id, "checkpoint_ns": ""}},
        checkpoint,
        {"source": "loop", "step": 0, "note": "a\x00b"},
        {},
    )
    assert saver.get_tuple(config).metadata["note"] == "ab"


@pytest.mark.parametrize("field", ["thread_id", "checkpoint_ns"])
def test_nul_in_identifiers_is_a_clear_error(saver: PostgresCheckpointer, field: str) -> None:
    configurable = {"thread_id": "t", "checkpoint_ns": ""}
    configurable[field] = "bad\x00id"
    with pytest.raises(InvalidIdentifierError, match=f"{field} must not contain NUL"):
        saver.get_tuple({"configurable": configurable})
    with pytest.raises(InvalidIdentifierError):
        saver.put({"configurable": configurable}, empty_checkpoint(), {}, {})


def test_nul_in_task_id_is_a_clear_error(saver: PostgresCheckpointer, thread_id: str) -> None:
    config = {"configurable": {"thread_id": thread_id, "checkpoint_ns": "", "checkpoint_id": "c"}}
    with pytest.raises(InvalidIdentifierError, match="task_id"):
        saver.put_writes(config, [("ch", 1)], task_id="t\x00")
