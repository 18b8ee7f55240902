"""Values for round-trip tests, and a strict comparison (equal *and* same types)."""

from __future__ import annotations

import dataclasses
import math
from collections import OrderedDict, defaultdict, deque, namedtuple
from datetime import date, datetime, time, timedelta, timezone
from decimal import Decimal
from enum import Enum, IntEnum
from typing import Any
from uuid import UUID

from langchain_core.messages import AIMessage, HumanMessage, SystemMessage, ToolMessage
from langgraph.types import Command, Interrupt, Send
from pydantic import BaseModel


class Color(Enum):
    RED = "red"
    BLUE = "blue"


class Level(IntEnum):
    LOW = 1
    HIGH = 2


@dataclasses.dataclass
class Point:
    x: int
    y: float
    label: str = ""


@dataclasses.dataclass
class Nested:
    point: Point
    tags: list[str]
    when: datetime


class Profile(BaseModel):
    name: str
    age: int
    tags: list[str] = []
    created: datetime | None = None


class Outer(BaseModel):
    profile: Profile
    scores: dict[str, float]


Pair = namedtuple("Pair", "left right")

UTC = timezone.utc

ROUND_TRIP_VALUES: dict[str, Any] = {
    "str": "hello",
    "unicode": "héllo wörld ✓ 日本",
    "empty_str": "",
    "int": 42,
    "negative_int": -7,
    "int64_max": 2**63 - 1,
    "uint64_max": 2**64 - 1,
    "float": 3.14159,
    "float_integral": 2.0,
    "float_small": 1e-7,
    "float_tiny": 5e-324,
    "float_big": 1e300,
    "float_1e16": 1e16,
    "float_negative_zero": -0.0,
    "float_nan": math.nan,
    "float_inf": math.inf,
    "float_minus_inf": -math.inf,
    "true": True,
    "false": False,
    "none": None,
    "list": [1, "two", 3.0, None, True],
    "empty_list": [],
    "empty_dict": {},
    "nested": {"a": {"b": {"c": [1, {"d": [2, 3]}]}}, "e": []},
    "tuple": (1, 2, (3, 4)),
    "empty_tuple": (),
    "set": {1, 2, 3},
    "empty_set": set(),
    "frozenset": frozenset({"a", "b"}),
    "deque": deque([1, 2, 3]),
    "bytes": b"\x00\x01binary\xff",
    "empty_bytes": b"",
    "bytearray": bytearray(b"abc"),
    "nested_bytes": {"payload": b"\x00\xff", "list": [b"x"]},
    "datetime_utc": datetime(2024, 5, 17, 12, 30, 45, 123456, tzinfo=UTC),
    "datetime_offset": datetime(2024, 5, 17, 12, 30, tzinfo=timezone(timedelta(hours=-5, minutes=-30))),
    "datetime_naive": datetime(2024, 1, 1, 0, 0),
    "date": date(2024, 2, 29),
    "time": time(23, 59, 59, 999999),
    "time_tz": time(8, 0, tzinfo=UTC),
    "timedelta": timedelta(days=-1, seconds=5, microseconds=7),
    "uuid": UUID("12345678-1234-5678-1234-567812345678"),
    "decimal": Decimal("12345.678900"),
    "decimal_nan": Decimal("NaN"),
    "enum": Color.RED,
    "int_enum": Level.HIGH,
    "dataclass": Point(1, 2.5, "p"),
    "nested_dataclass": Nested(Point(0, 0.0), ["a"], datetime(2020, 1, 1, tzinfo=UTC)),
    "pydantic": Profile(name="Ada", age=36, tags=["x"], created=datetime(2021, 1, 1, tzinfo=UTC)),
    "nested_pydantic": Outer(profile=Profile(name="B", age=1), scores={"a": 1.5}),
    "namedtuple": Pair(1, "two"),
    "human_message": HumanMessage("hi there", id="h1"),
    "ai_message_tool_calls": AIMessage(
        "",
        id="a1",
        tool_calls=[{"name": "search", "args": {"q": "pg", "n": 3}, "id": "call_1"}],
        usage_metadata={"input_tokens": 3, "output_tokens": 4, "total_tokens": 7},
        response_metadata={"model": "m", "finish_reason": "tool_calls"},
    ),
    "tool_message": ToolMessage("42", tool_call_id="call_1", name="search", artifact={"raw": [1]}),
    "system_message_blocks": SystemMessage(content=[{"type": "text", "text": "be brief"}]),
    "message_list": [HumanMessage("a", id="1"), AIMessage("b", id="2")],
    "send": Send("node", {"arg": 1}),
    "command": Command(update={"x": 1}, goto="next", resume="yes"),
    "interrupt": Interrupt(value={"question": "ok?"}, id="int-1"),
    "interrupt_list": [Interrupt(value="why", id="i2")],
    "reserved_key_dict": {"__lg__": "user data", "other": 1},
    "reserved_key_nested": {"outer": {"__lg__": {"__lg__": "deep"}}},
    "envelope_lookalike": {"__lg__": "datetime", "value": "2024-01-01T00:00:00"},
    "nul_string": "a\x00b",
    "nul_nested": {"text": "x\x00y"},
    "nul_key": {"k\x00": 1},
    "surrogate": "bad \ud800 surrogate",
    "int_keys": {1: "a", 2: "b"},
    "tuple_keys": {(1, 2): "pair"},
    "ordered_dict": OrderedDict([("b", 1), ("a", 2)]),
    "defaultdict": defaultdict(list, {"a": [1]}),
    "exception": ValueError("boom"),
    "str_enum_in_dict": {"color": Color.BLUE, "level": Level.LOW},
    "mixed_state": {
        "messages": [HumanMessage("q", id="m1")],
        "when": datetime(2024, 1, 1, tzinfo=UTC),
        "ids": {UUID(int=1)},
        "point": Point(3, 4.0),
    },
}

# Values JSONB cannot hold exactly: they must take the serializer (bytea) path.
SERIALIZER_PATH = {
    "bytes",
    "empty_bytes",
    "bytearray",
    "nul_string",
    "nul_nested",
    "nul_key",
    "surrogate",
    "int_keys",
    "tuple_keys",
    "time_tz",
}


def assert_same(actual: Any, expected: Any, path: str = "value") -> None:
    """Equal, with the same types all the way down (nan equals nan)."""
    assert type(actual) is type(expected), f"{path}: {type(actual)} != {type(expected)}"
    if isinstance(expected, float):
        if math.isnan(expected):
            assert math.isnan(actual), path
        else:
            assert actual == expected and math.copysign(1, actual) == math.copysign(1, expected), (
                f"{path}: {actual!r} != {expected!r}"
            )
    elif isinstance(expected, Decimal) and expected.is_nan():
        assert actual.is_nan(), path
    elif isinstance(expected, dict):
        assert list(actual) == list(expected) or set(actual) == set(expected), path
        assert set(actual) == set(expected), f"{path}: keys {set(actual)} != {set(expected)}"
        for key in expected:
            assert_same(actual[key], expected[key], f"{path}[{key!r}]")
    elif isinstance(expected, (list, tuple)) and not hasattr(expected, "_fields"):
        assert len(actual) == len(expected), f"{path}: length"
        for i, (a, e) in enumerate(zip(actual, expected)):
            assert_same(a, e, f"{path}[{i}]")
    elif isinstance(expected, BaseModel):
        assert actual == expected, f"{path}: {actual!r} != {expected!r}"
        assert_same(actual.model_dump(), expected.model_dump(), f"{path}.model_dump()")
    elif dataclasses.is_dataclass(expected):
        for field in dataclasses.fields(expected):
            assert_same(getattr(actual, field.name), getattr(expected, field.name), f"{path}.{field.name}")
    else:
        assert actual == expected, f"{path}: {actual!r} != {expected!r}"
