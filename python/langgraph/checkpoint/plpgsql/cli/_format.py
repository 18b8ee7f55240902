"""Checkpoint values as text a person reads: messages as ``role: content``."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from rich.console import RenderableType
from rich.markup import escape
from rich.pretty import Pretty
from rich.text import Text


def is_message(value: Any) -> bool:
    return hasattr(value, "type") and hasattr(value, "content")


def is_message_list(value: Any) -> bool:
    return isinstance(value, list) and bool(value) and all(is_message(v) for v in value)


def message_line(message: Any) -> str:
    content = message.content if isinstance(message.content, str) else repr(message.content)
    extra = ""
    tool_calls = getattr(message, "tool_calls", None)
    if tool_calls:
        extra = " [tool calls: " + ", ".join(str(call.get("name")) for call in tool_calls) + "]"
    return f"{message.type}: {content}{extra}"


def render_value(value: Any) -> RenderableType:
    if is_message_list(value):
        return Text("\n".join(message_line(m) for m in value))
    if is_message(value):
        return Text(message_line(value))
    return Pretty(value, max_string=400, max_length=50)


def short_time(moment: datetime | None) -> str:
    return "" if moment is None else f"{moment:%Y-%m-%d %H:%M:%S}"


def markup(text: str) -> str:
    return escape(text)


def joined(names: Sequence[str]) -> str:
    return ", ".join(names) if names else "-"
