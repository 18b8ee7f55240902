"""LangGraph internals that serde.py relies on, checked for the shape serde.py expects.

``serde.py`` stores values as JSON by the rules of LangGraph's own msgpack path, so it
reaches into private names of langgraph-checkpoint: ``serde._msgpack.SAFE_MSGPACK_TYPES``,
``serde.types._DeltaSnapshot`` and ``JsonPlusSerializer._allowed_msgpack_modules``, plus
``EncryptedSerializer.serde`` and the serde event hook. Nothing promises they stay as
they are. When a LangGraph release changes one, these tests fail first, with a message
that names the internal and the code in serde.py to update, instead of values being
loaded under the wrong allowlist somewhere else in the suite (or in production).
No database needed.
"""

from __future__ import annotations

import importlib
import importlib.metadata
from collections.abc import Iterator
from typing import Any

import pytest

from langgraph.checkpoint.plpgsql import serde as plpgsql_serde

VERSION = importlib.metadata.version("langgraph-checkpoint")


def changed(internal: str, expected: str, used_by: str) -> str:
    return (
        f"langgraph-checkpoint {VERSION} changed {internal}: serde.py expects {expected}. "
        f"Update {used_by} in python/langgraph/checkpoint/plpgsql/serde.py for the new shape "
        "(or pin langgraph-checkpoint in python/pyproject.toml)."
    )


def _import(module: str, name: str, used_by: str) -> Any:
    try:
        return getattr(importlib.import_module(module), name)
    except (ImportError, AttributeError) as exc:
        pytest.fail(changed(f"{module}.{name}", "it to exist", used_by) + f" ({exc})")


def test_safe_msgpack_types_is_a_collection_of_module_name_pairs() -> None:
    safe = _import("langgraph.checkpoint.serde._msgpack", "SAFE_MSGPACK_TYPES", "is_allowed()")
    expected = "a set of (module, name) string pairs that supports `in`"
    assert isinstance(safe, (set, frozenset)), changed(
        "_msgpack.SAFE_MSGPACK_TYPES", expected, "is_allowed()"
    )
    assert safe and all(
        isinstance(key, tuple) and len(key) == 2 and all(isinstance(part, str) for part in key)
        for key in safe
    ), changed("_msgpack.SAFE_MSGPACK_TYPES", expected, "is_allowed()")
    # Classes serde.py encodes itself and expects LangGraph to treat as safe too.
    assert ("datetime", "datetime") in safe or ("datetime", "date") in safe, changed(
        "_msgpack.SAFE_MSGPACK_TYPES", "the datetime types among the safe ones", "is_allowed()"
    )
    assert plpgsql_serde.lg_msgpack.SAFE_MSGPACK_TYPES is safe


def test_delta_snapshot_wraps_one_value() -> None:
    snapshot_type = _import("langgraph.checkpoint.serde.types", "_DeltaSnapshot", "encode() and JsonReviver")
    expected = "a class built as _DeltaSnapshot(value) whose .value is that value"
    assert isinstance(snapshot_type, type), changed("types._DeltaSnapshot", expected, "encode()")
    try:
        snapshot = snapshot_type(["a", "b"])
    except TypeError as exc:
        pytest.fail(changed("types._DeltaSnapshot", expected, 'JsonReviver ("delta")') + f" ({exc})")
    assert getattr(snapshot, "value", None) == ["a", "b"], changed(
        "types._DeltaSnapshot", expected, "encode()"
    )
    # And serde.py's own round trip through it still holds.
    encoded = plpgsql_serde.encode(snapshot)
    assert encoded == {plpgsql_serde.RESERVED_KEY: "delta", "value": ["a", "b"]}
    revived = plpgsql_serde.JsonReviver(True)(encoded)
    assert isinstance(revived, snapshot_type) and revived.value == ["a", "b"]


@pytest.mark.parametrize(
    "setting, check",
    [
        (True, lambda allowlist: allowlist is True),
        (None, lambda allowlist: allowlist is None),
        ([("my.module", "Thing")], lambda allowlist: ("my.module", "Thing") in allowlist),
    ],
    ids=["all", "none", "listed"],
)
def test_json_plus_serializer_keeps_its_allowlist(setting: Any, check: Any) -> None:
    from langgraph.checkpoint.serde.jsonplus import JsonPlusSerializer

    expected = (
        "JsonPlusSerializer(allowed_msgpack_modules=...)._allowed_msgpack_modules to be True, None "
        "or a collection of (module, name) pairs"
    )
    serializer = JsonPlusSerializer(allowed_msgpack_modules=setting)
    assert hasattr(serializer, "_allowed_msgpack_modules"), changed(
        "JsonPlusSerializer._allowed_msgpack_modules", expected, "allowlist_of() and default_allowlist()"
    )
    assert check(serializer._allowed_msgpack_modules), changed(
        "JsonPlusSerializer._allowed_msgpack_modules", expected, "allowlist_of()"
    )
    assert check(plpgsql_serde.allowlist_of(serializer))


def test_the_default_allowlist_has_a_known_shape() -> None:
    allowlist = plpgsql_serde.default_allowlist()
    assert allowlist is True or allowlist is None or hasattr(allowlist, "__contains__"), changed(
        "JsonPlusSerializer()._allowed_msgpack_modules", "True, None or a collection", "default_allowlist()"
    )


def test_encrypted_serializer_exposes_the_serializer_it_wraps() -> None:
    from langgraph.checkpoint.serde.encrypted import EncryptedSerializer
    from langgraph.checkpoint.serde.jsonplus import JsonPlusSerializer

    class NoCipher:
        def encrypt(self, plaintext: bytes) -> tuple[str, bytes]:
            return "none", plaintext

        def decrypt(self, ciphername: str, ciphertext: bytes) -> bytes:
            return ciphertext

    inner = JsonPlusSerializer(allowed_msgpack_modules=[("my.module", "Thing")])
    encrypted = EncryptedSerializer(NoCipher(), serde=inner)
    assert getattr(encrypted, "serde", None) is inner, changed(
        "EncryptedSerializer.serde", "the wrapped serializer as .serde", "allowlist_of()"
    )
    assert ("my.module", "Thing") in plpgsql_serde.allowlist_of(encrypted)


@pytest.fixture
def serde_events() -> Iterator[list[dict[str, Any]]]:
    from langgraph.checkpoint.serde import event_hooks

    events: list[dict[str, Any]] = []
    unregister = event_hooks.register_serde_event_listener(events.append)  # type: ignore[arg-type]
    try:
        yield events
    finally:
        unregister()


def test_serde_events_reach_langgraph_listeners(serde_events: list[dict[str, Any]]) -> None:
    from langgraph.checkpoint.serde.event_hooks import SerdeEvent

    assert {"kind", "module", "name"} <= set(SerdeEvent.__annotations__), changed(
        "event_hooks.SerdeEvent", "kind, module and name keys", "is_allowed()"
    )
    assert plpgsql_serde.is_allowed(None, "my.module", "Blocked") is False
    assert {"kind": "msgpack_blocked", "module": "my.module", "name": "Blocked"} in serde_events, changed(
        "event_hooks.emit_serde_event", "events passed on to registered listeners", "is_allowed()"
    )
