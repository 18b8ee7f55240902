"""The sync and async savers offer the same operations, with the same parameters.

No database: this compares the classes. What each method does is tested elsewhere;
here a method added to one saver and forgotten in the other fails the suite.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any

import pytest

from langgraph.checkpoint.plpgsql import AsyncPostgresCheckpointer, PostgresCheckpointer

# Sync names whose async counterpart is spelled differently, or that need none.
ASYNC_NAME = {"close": "aclose"}
NO_AWAIT = {"pool_stats", "get_next_version", "with_allowlist", "config_specs", "exclusive", "lease_owner"}


def _public_methods(cls: type) -> dict[str, Callable[..., Any]]:
    """Public callables defined by the class itself or by SaverBase (not LangGraph's base)."""
    methods = {}
    for name, value in inspect.getmembers(cls):
        if name.startswith("_") or not callable(value) or isinstance(value, type):
            continue
        defined_in = next(klass for klass in cls.__mro__ if name in vars(klass))
        if defined_in.__module__.startswith("langgraph.checkpoint.plpgsql"):
            methods[name] = value
    return methods


def _parameters(method: Callable[..., Any]) -> list[tuple[str, Any, Any]]:
    return [(p.name, p.kind, p.default) for p in inspect.signature(method).parameters.values()]


SYNC = _public_methods(PostgresCheckpointer)
ASYNC = _public_methods(AsyncPostgresCheckpointer)


@pytest.mark.parametrize("name", sorted(SYNC))
def test_the_async_saver_has_each_sync_method(name: str) -> None:
    assert name in ASYNC, (
        f"PostgresCheckpointer.{name} has no AsyncPostgresCheckpointer.{name} (the sync form that "
        f"runs on the saver's loop from another thread); add it to aio.py"
    )
    assert _parameters(ASYNC[name]) == _parameters(SYNC[name]), f"{name}: the parameters differ"


@pytest.mark.parametrize("name", sorted(set(SYNC) - NO_AWAIT - {"setup", "from_conn_string"}))
def test_the_async_saver_has_an_awaitable_form_of_each_sync_method(name: str) -> None:
    async_name = ASYNC_NAME.get(name, f"a{name}")
    assert async_name in ASYNC, f"PostgresCheckpointer.{name} has no AsyncPostgresCheckpointer.{async_name}"
    method = ASYNC[async_name]
    if inspect.isgeneratorfunction(SYNC[name]):
        assert inspect.isasyncgenfunction(method), f"{async_name} must be an async generator"
    elif not inspect.isasyncgenfunction(method):
        # An async context manager (alease) wraps an async generator; the rest are coroutines.
        wrapped = getattr(method, "__wrapped__", method)
        assert inspect.iscoroutinefunction(method) or inspect.isasyncgenfunction(wrapped), async_name
    assert _parameters(method) == _parameters(SYNC[name]), f"{name} / {async_name}: the parameters differ"


def test_setup_and_from_conn_string_are_async_on_the_async_saver() -> None:
    # As in langgraph-checkpoint-postgres: the same name, awaited.
    assert inspect.iscoroutinefunction(AsyncPostgresCheckpointer.setup)
    assert _parameters(AsyncPostgresCheckpointer.from_conn_string) == _parameters(
        PostgresCheckpointer.from_conn_string
    )


def test_the_official_savers_names_are_aliases() -> None:
    from langgraph.checkpoint.plpgsql import AsyncPostgresSaver, PostgresSaver

    assert PostgresSaver is PostgresCheckpointer
    assert AsyncPostgresSaver is AsyncPostgresCheckpointer
