"""The read path's two shortcuts (_decoded.py): each gives exactly what it replaces.

* ``plain_constructor(cls)(values)`` is ``cls.model_construct(**values)``: same class,
  same ``__dict__`` (in the same order), fields set, extra and private state, for every
  LangChain message class; classes where that cannot be shown get no shortcut.
* ``private_copy(value)`` equals ``value`` (same types) and shares no mutable object
  with it; what it cannot copy so, it refuses.
* ``ListElements`` decodes a list exactly as the whole decoder does, reusing the
  elements of the list before only where the same element text recurs.
"""

from __future__ import annotations

import gc
import inspect
import json
from collections import deque
from decimal import Decimal
from typing import Any

import langchain_core.messages as lc_messages
import pytest
from hypothesis import given
from hypothesis import strategies as st
from langchain_core.messages import AIMessage, BaseMessage, HumanMessage
from langgraph.checkpoint.serde.jsonplus import JsonPlusSerializer
from pydantic import AliasChoices, BaseModel, ConfigDict, Field, PrivateAttr, RootModel

from _properties import examples
from _values import ROUND_TRIP_VALUES, assert_same
from langgraph.checkpoint.plpgsql._decoded import (
    IMMUTABLE,
    ListElements,
    Uncopyable,
    plain_constructor,
    private_copy,
)
from langgraph.checkpoint.plpgsql.serde import ValueCodec, dumps_json

CODEC = ValueCodec(JsonPlusSerializer())


def _state(model: Any) -> tuple[Any, ...]:
    return (
        type(model),
        list(model.__dict__.items()),
        model.__pydantic_fields_set__,
        model.__pydantic_extra__,
        type(model.__pydantic_extra__),
        model.__pydantic_private__,
    )


def _message_classes() -> list[type[BaseMessage]]:
    classes = [getattr(lc_messages, name) for name in lc_messages.__all__]
    # Those with a message type of their own (BaseMessage and BaseMessageChunk have none).
    return [
        c
        for c in classes
        if inspect.isclass(c) and issubclass(c, BaseMessage) and not c.model_fields["type"].is_required()
    ]


def _example(cls: type[BaseMessage]) -> BaseMessage:
    """A message of ``cls`` with most of its fields set."""
    extra: dict[str, Any] = {}
    fields = cls.model_fields
    if "role" in fields:
        extra["role"] = "critic"
    if "tool_call_id" in fields:
        extra["tool_call_id"] = "call-1"
        extra["artifact"] = {"rows": [1, 2]}
    if "name" in fields:
        extra["name"] = "search"
    if "tool_calls" in fields and "Chunk" not in cls.__name__:
        extra["tool_calls"] = [{"name": "search", "args": {"q": "pg", "n": 3}, "id": "call-1"}]
        extra["usage_metadata"] = {"input_tokens": 3, "output_tokens": 4, "total_tokens": 7}
    if cls.__name__ == "RemoveMessage":
        return cls(id="gone")
    return cls(
        content=[{"type": "text", "text": "hello"}, "plain"],
        id=f"{cls.__name__}-1",
        additional_kwargs={"nested": {"k": [1, 2]}},
        response_metadata={"model": "m"},
        **extra,
    )


def _stored_kwargs(message: BaseMessage) -> dict[str, Any]:
    """The kwargs a stored message envelope holds, as the decoder hands them over."""
    envelope = json.loads(dumps_json(message))
    assert envelope["__lg__"] == "lc"
    return envelope["lc"]["kwargs"]


@pytest.mark.parametrize("cls", _message_classes(), ids=lambda c: c.__name__)
def test_plain_constructor_builds_what_model_construct_builds(cls: type[BaseMessage]) -> None:
    construct = plain_constructor(cls)
    assert construct is not None, f"{cls.__name__} qualifies: no aliases, no post-init, no slots"
    kwargs = _stored_kwargs(_example(cls))
    assert set(kwargs) == set(cls.model_fields), "a stored message names every field"
    built = construct(dict(kwargs))
    assert _state(built) == _state(cls.model_construct(**kwargs))
    # Fewer or other keys than the fields: model_construct's own answer (defaults, extra).
    for values in ({"content": "x"}, {**kwargs, "unknown": 1}):
        assert _state(construct(dict(values))) == _state(cls.model_construct(**values))


def test_decoded_messages_equal_model_construct_and_validated_messages() -> None:
    for cls in _message_classes():
        message = _example(cls)
        decoded = CODEC.loads_json(dumps_json(message))
        assert decoded == message
        assert _state(decoded) == _state(cls.model_construct(**_stored_kwargs(message)))


class _Aliased(BaseModel):
    value: int = Field(alias="v")


class _ValidationAliased(BaseModel):
    value: int = Field(validation_alias=AliasChoices("v", "value"))


class _PostInit(BaseModel):
    value: int = 0

    def model_post_init(self, context: Any) -> None:
        self.value += 1


class _Private(BaseModel):
    value: int = 0
    _cache: dict[str, int] = PrivateAttr(default_factory=dict)


class _Root(RootModel[list[int]]):
    pass


class _OwnConstruct(BaseModel):
    value: int = 0

    @classmethod
    def model_construct(cls, _fields_set: set[str] | None = None, **values: Any) -> Any:
        return super().model_construct(_fields_set, **{**values, "value": 7})


class _Slotted(BaseModel):
    __slots__ = ("side",)
    value: int = 0


class _Plain(BaseModel):
    model_config = ConfigDict(extra="forbid")
    value: int = 0
    items: list[int] = []


@pytest.mark.parametrize(
    "cls", [_Aliased, _ValidationAliased, _PostInit, _Private, _Root, _OwnConstruct, _Slotted, dict, int]
)
def test_classes_that_may_differ_get_no_shortcut(cls: type) -> None:
    assert plain_constructor(cls) is None


def test_a_plain_model_without_extra_gets_none_as_extra() -> None:
    construct = plain_constructor(_Plain)
    assert construct is not None
    assert _state(construct({"value": 1, "items": [2]})) == _state(_Plain.model_construct(value=1, items=[2]))
    assert construct({"value": 1, "items": [2]}).__pydantic_extra__ is None


# ------------------------------------------------------------------ private_copy

_SKIP = (type, type(len), type(inspect), type(_state))


def _mutable_parts(value: Any) -> dict[int, Any]:
    """Every object reachable from ``value`` that an operation could change."""
    found: dict[int, Any] = {}
    stack = [value]
    while stack:
        obj = stack.pop()
        if type(obj) in IMMUTABLE or isinstance(obj, _SKIP) or id(obj) in found:
            continue
        if not isinstance(obj, tuple | frozenset):
            found[id(obj)] = obj
        stack.extend(gc.get_referents(obj))
    return found


def _assert_private_copy(value: Any) -> Any:
    copied = private_copy(value)
    assert_same(copied, value)
    shared = set(_mutable_parts(copied)) & set(_mutable_parts(value))
    assert not shared, [type(_mutable_parts(value)[i]).__name__ for i in shared]
    return copied


@pytest.mark.parametrize("name", sorted(ROUND_TRIP_VALUES))
def test_a_copy_of_any_decoded_value_equals_it_and_shares_nothing_or_is_refused(name: str) -> None:
    type_tag, text, blob = CODEC.dump(ROUND_TRIP_VALUES[name])
    decoded = CODEC.load(type_tag, text, blob)
    try:
        _assert_private_copy(decoded)
    except Uncopyable:
        # Only shapes the copy does not know: the listing decodes those fresh.
        assert type_tag != "json" or not _copyable_shape(decoded), name


def _copyable_shape(value: Any) -> bool:
    kind = type(value)
    if kind is list:
        return all(_copyable_shape(v) for v in value)
    if kind is dict:
        return all(type(k) is str and _copyable_shape(v) for k, v in value.items())
    return kind in IMMUTABLE or (isinstance(value, BaseMessage) and plain_constructor(kind) is not None)


def test_the_shapes_of_a_chat_state_are_copied() -> None:
    state = {
        "messages": [_example(cls) for cls in _message_classes()],
        "summary": "s",
        "count": 3,
        "ratio": 0.5,
        "flags": [True, None],
        "blob": b"\x00",
        "nested": {"a": [{"b": []}]},
    }
    decoded = CODEC.loads_json(dumps_json(state))
    copied = _assert_private_copy(decoded)
    copied["messages"][1].content.append("more")
    copied["messages"][1].additional_kwargs["nested"]["k"].append(3)
    copied["messages"][1].name = "renamed"
    copied["nested"]["a"][0]["b"].append(1)
    assert decoded == CODEC.loads_json(dumps_json(state)), "the original is untouched"


@pytest.mark.parametrize(
    "value", [{1: "int key"}, {"s": {1, 2}}, [deque([1])], {"m": _Private(value=1)}], ids=repr
)
def test_what_the_copy_does_not_know_is_refused(value: Any) -> None:
    with pytest.raises(Uncopyable):
        private_copy(value)


# ------------------------------------------------------------------ ListElements

# Text JSON holds (no NUL, no lone surrogates), with the separators JSONB prints in it.
_texts = st.text(st.characters(exclude_categories=("Cs",), exclude_characters="\x00"), max_size=8) | st.sampled_from(
    [", ", "}, {", "], [", '", "', "1, 2"]
)
_json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-(10**20), 10**20) | st.floats(allow_nan=False, allow_infinity=False)
    | _texts,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_texts, inner, max_size=3),
    max_leaves=8,
)
_elements = st.one_of(
    _json_values,
    st.builds(lambda text, n: HumanMessage(text, id=f"h{n}"), _texts, st.integers(0, 5)),
    st.builds(lambda text, n: AIMessage(text, id=f"a{n}"), _texts, st.integers(0, 5)),
)


def _text(value: list[Any]) -> str:
    """The value as JSONB prints it (", " and ": " separators)."""
    return json.dumps(json.loads(dumps_json(value)), ensure_ascii=False)


@examples(ci=60)
@given(st.lists(st.lists(_elements, max_size=6), min_size=1, max_size=6), st.data())
def test_list_elements_decode_as_the_whole_decoder_does(versions: list[list[Any]], data: st.DataObject) -> None:
    elements = ListElements(*CODEC.scanners)
    previous: list[Any] = []
    for version in versions:
        # Mostly versions made from the one before, as a channel's are.
        if previous and data.draw(st.booleans()):
            version = previous[data.draw(st.integers(0, len(previous))) :] + version[:2]
        text = _text(version)
        decoded = elements.decode(text)
        assert decoded is not None
        assert_same(decoded, CODEC.loads_json(text))
        previous = version


def test_list_elements_reuse_an_element_only_where_its_whole_text_recurs() -> None:
    elements = ListElements(*CODEC.scanners)
    first = elements.decode('[{"a": 1}, 1, "x", [2]]')
    assert first == [{"a": 1}, 1, "x", [2]]
    second = elements.decode('[12, 1.5, {"a": 1}, [2], [2, 3], "x"]')
    assert second == [12, 1.5, {"a": 1}, [2], [2, 3], "x"]
    assert second[2] is first[0] and second[3] is first[3], "the same texts: the same decoded elements"
    third = elements.decode('[1e3, 1, "x", "x", {"a": 1}]')
    assert third == [1e3, 1, "x", "x", {"a": 1}] and type(third[0]) is float
    for text in ("[]", '[{"a": 1}]'):
        assert elements.decode(text) == json.loads(text)


@pytest.mark.parametrize("text", ["", "[", "{}", '"[]"', "[1,2]", " [1]", "[1] ", "[1, ]", "[1 , 2]", "[1, 2"])
def test_list_elements_leave_what_jsonb_does_not_print_to_the_whole_decoder(text: str) -> None:
    assert ListElements(*CODEC.scanners).decode(text) is None


def test_list_elements_leave_numbers_beyond_the_int_limit_to_the_whole_decoder() -> None:
    text = "[" + "9" * 5000 + "]"
    assert ListElements(*CODEC.scanners).decode(text) is None
    assert CODEC.loads_json(text) == [int(Decimal("9" * 5000))]
