"""Shortcuts of the read path, each exact or not taken (docs/architecture.md,
"Decoding a listing").

* ``plain_constructor(cls)``: what ``cls.model_construct(**values)`` returns, built
  without its per-field loop, for a pydantic model class where that call provably does
  nothing but store the values (no aliases, no post-init, not a root model, no own
  ``__slots__``, ``model_construct`` and ``__new__`` not overridden) and only when the
  values name exactly the class's fields; anything else goes to ``model_construct``.
  Each class is checked once, and the shortcut is compared with ``model_construct`` on
  a probe before it is used.
* ``private_copy(value)``: a copy of a decoded value that shares no mutable object with
  it, for the shapes the typed-JSON decoder produces: ``dict`` with ``str`` keys,
  ``list``, immutable scalars (returned as they are) and instances of the classes
  ``plain_constructor`` accepted; anything else raises ``Uncopyable``, and the caller
  decodes the value again instead.
* ``ListElements``: a list decoded element by element, each element text that recurs
  from the list decoded before taking that list's decoded element.

A listing (``_base.Listing``) decodes each value once and gives each tuple such copies.
"""

from __future__ import annotations

import functools
import uuid
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from pydantic import BaseModel

Constructor = Callable[[dict[str, Any]], Any]

_BASE_CONSTRUCT = BaseModel.model_construct.__func__  # type: ignore[attr-defined]
# The instance state of a pydantic model: BaseModel's four slots, set through their
# descriptors (what object.__setattr__ finds for them, at half its cost).
_SLOTS = tuple(BaseModel.__slots__)
_set_dict = BaseModel.__dict__["__dict__"].__set__
_set_fields_set = BaseModel.__dict__["__pydantic_fields_set__"].__set__
_set_extra = BaseModel.__dict__["__pydantic_extra__"].__set__
_set_private = BaseModel.__dict__["__pydantic_private__"].__set__
_new = object.__new__

# Values no operation can change: a copy may be the value itself.
IMMUTABLE: frozenset[type] = frozenset(
    {str, int, float, bool, type(None), bytes, datetime, date, time, timedelta, uuid.UUID, Decimal}
)

# The classes plain_constructor accepted: private_copy copies their instances.
_plain: dict[type, Constructor] = {}


class Uncopyable(Exception):
    """A value private_copy does not know how to copy without sharing."""


def _is_plain_model(cls: Any) -> bool:
    if not (isinstance(cls, type) and issubclass(cls, BaseModel)):
        return False
    if cls.__pydantic_root_model__ or cls.__pydantic_post_init__ is not None:
        return False
    if getattr(cls.model_construct, "__func__", None) is not _BASE_CONSTRUCT or cls.__new__ is not _new:
        return False
    for klass in cls.__mro__:
        if klass is BaseModel:
            break
        # State outside BaseModel's slots would be neither set nor copied, and the
        # slots must be BaseModel's own, which the descriptors above set.
        if klass.__dict__.get("__slots__") or any(name in klass.__dict__ for name in _SLOTS):
            return False
    return not any(
        field.alias is not None or field.validation_alias is not None
        for field in cls.__pydantic_fields__.values()
    )


def _same_state(a: Any, b: Any) -> bool:
    return (
        type(a) is type(b)
        and list(a.__dict__.items()) == list(b.__dict__.items())
        and a.__pydantic_fields_set__ == b.__pydantic_fields_set__
        and a.__pydantic_extra__ == b.__pydantic_extra__
        and type(a.__pydantic_extra__) is type(b.__pydantic_extra__)
        and a.__pydantic_private__ == b.__pydantic_private__
    )


@functools.lru_cache(maxsize=256)
def plain_constructor(cls: type) -> Constructor | None:
    """A function equal to ``lambda values: cls.model_construct(**values)``, faster when
    ``values`` names exactly the fields of ``cls``; None when ``cls`` does not qualify."""
    if not _is_plain_model(cls):
        return None
    model: Any = cls
    names = tuple(model.__pydantic_fields__)
    name_set = frozenset(names)
    allow_extra = model.model_config.get("extra") == "allow"

    def construct(values: dict[str, Any]) -> Any:
        if values.keys() != name_set:
            return model.model_construct(**values)
        built = _new(model)
        _set_dict(built, {name: values[name] for name in names})
        _set_fields_set(built, set(names))
        # model_construct keeps what it did not pop from its **values: nothing here.
        _set_extra(built, {} if allow_extra else None)
        _set_private(built, None)
        return built

    try:
        probe = {name: None for name in names}
        if not _same_state(construct(dict(probe)), model.model_construct(**probe)):
            return None
    except Exception:  # noqa: BLE001 - a class the probe cannot build keeps model_construct
        return None
    _plain[cls] = construct
    return construct


def private_copy(value: Any) -> Any:
    """A copy of ``value`` sharing no mutable object with it; raises ``Uncopyable``."""
    kind = type(value)
    if kind is list:
        return [item if type(item) in IMMUTABLE else private_copy(item) for item in value]
    if kind is dict:
        if not value:
            return {}
        for key in value:
            if type(key) is not str:
                raise Uncopyable
        return {key: item if type(item) in IMMUTABLE else private_copy(item) for key, item in value.items()}
    if kind in IMMUTABLE:
        return value
    if kind in _plain and value.__pydantic_private__ is None:
        return _copy_model(value, kind)
    raise Uncopyable


def _copy_model(value: Any, kind: type) -> Any:
    # Its keys are field names; most values are scalars, kept, or empty containers.
    state = value.__dict__.copy()
    for key, item in state.items():
        item_kind = type(item)
        if item_kind in IMMUTABLE:
            continue
        if not item and (item_kind is dict or item_kind is list):
            state[key] = item_kind()
        else:
            state[key] = private_copy(item)
    copied: Any = _new(kind)
    _set_dict(copied, state)
    _set_fields_set(copied, set(value.__pydantic_fields_set__))
    extra = value.__pydantic_extra__
    if extra is not None:
        extra = {} if not extra and type(extra) is dict else private_copy(extra)
    _set_extra(copied, extra)
    _set_private(copied, None)
    return copied


Scan = Callable[[str, int], tuple[Any, int]]


class ListElements:
    """Decodes list values element by element, reusing the elements of the list decoded
    before wherever the same element text recurs.

    Consecutive versions of a list channel mostly hold the same elements (a chat's
    messages: one appended, maybe the oldest dropped), and JSONB prints equal values as
    equal text. The decoded elements are kept here, private; the caller gives out
    ``private_copy`` of them, and copying a message costs a third of decoding it.

    An element is reused only at a position where an element of the list starts (the
    list is read from its start, one element after the other), when the list's text
    there continues with the element's whole text and then ``,`` or ``]``. A JSON
    value's text ends where its grammar says (a closing bracket or quote; a number at
    the first character that cannot continue it), so the element that starts there is
    that text, and decodes to what it decoded to before: decoding depends on nothing but
    the text. Anything else is decoded from the text, by the same scanner a whole-list
    decode uses.
    """

    __slots__ = ("_texts", "_values", "_scan_plain", "_scan_revived")

    # Comparisons spent looking for a known element that is not the one expected next,
    # per list: twice the known elements and a few more, so a list unlike the one
    # before costs a bounded search, and a list that drops or inserts a few finds them.
    _SEARCH_FACTOR = 2
    _SEARCH_EXTRA = 8

    def __init__(self, scan_plain: Scan, scan_revived: Scan) -> None:
        self._scan_plain = scan_plain
        self._scan_revived = scan_revived
        self._texts: list[str] = []
        self._values: list[Any] = []

    def decode(self, text: str) -> list[Any] | None:
        """The elements of the JSON list ``text``, private (copy them before giving them
        out); None when ``text`` is not a list read this way (not a list, whitespace
        JSONB does not print, an element the scanner cannot read): decode it whole."""
        last = len(text) - 1
        if last < 1 or text[0] != "[" or text[last] != "]":
            return None
        if last == 1:
            return []
        scan = self._scan_revived if '"__lg__"' in text else self._scan_plain
        known_texts, known_values = self._texts, self._values
        count = len(known_texts)
        texts: list[str] = []
        values: list[Any] = []
        budget = self._SEARCH_FACTOR * count + self._SEARCH_EXTRA
        expected = -1  # the known element that followed the one just reused
        start = 1
        while True:
            match = -1
            if 0 <= expected < count and self._continues(text, start, known_texts[expected]):
                match = expected
            else:
                for index in range(min(count, budget)):
                    if self._continues(text, start, known_texts[index]):
                        match = index
                        break
                budget -= count if match < 0 else match + 1
            if match >= 0:
                element_text = known_texts[match]
                value = known_values[match]
                end = start + len(element_text)
                expected = match + 1
            else:
                try:
                    value, end = scan(text, start)
                except (StopIteration, ValueError):
                    return None
                element_text = text[start:end]
                expected = -1
            texts.append(element_text)
            values.append(value)
            if end == last:
                break
            if not text.startswith(", ", end):
                return None
            start = end + 2
        self._texts, self._values = texts, values
        return values

    @staticmethod
    def _continues(text: str, start: int, element: str) -> bool:
        end = start + len(element)
        return end < len(text) and text[end] in ",]" and text.startswith(element, start)

    def forget(self) -> None:
        """Drop the kept elements (after some of them were given out)."""
        self._texts, self._values = [], []
