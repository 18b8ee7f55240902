"""Result types of the lineage and time-travel methods, and the LangGraph way to resume.

The walks themselves happen in SQL (``get_ancestors``, ``get_descendants``,
``list_branches``, ``find_branch_point``, ``fork_thread``); these are their rows, with a
``config`` ready to hand to a graph.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from langchain_core.runnables import RunnableConfig


def checkpoint_config(thread_id: str, checkpoint_id: str, checkpoint_ns: str = "") -> RunnableConfig:
    """The config that addresses one checkpoint: pass it to ``graph.invoke`` to resume there."""
    return {
        "configurable": {
            "thread_id": thread_id,
            "checkpoint_ns": checkpoint_ns,
            "checkpoint_id": checkpoint_id,
        }
    }


@dataclass(frozen=True)
class LineageEntry:
    """One checkpoint of a lineage walk; ``depth`` counts steps from the start (0)."""

    depth: int
    checkpoint_id: str
    parent_checkpoint_id: str | None
    metadata: dict[str, Any]
    created_at: datetime
    config: RunnableConfig


@dataclass(frozen=True)
class Branch:
    """The head (leaf) of one branch of a thread.

    ``branch_point_id`` is the checkpoint the branch split off from (``None`` when it
    reaches the root without splitting); ``length`` counts the branch's checkpoints
    below that point; ``is_latest`` marks the head ``get_tuple`` loads.
    """

    head_checkpoint_id: str
    branch_point_id: str | None
    length: int
    is_latest: bool
    metadata: dict[str, Any]
    created_at: datetime
    config: RunnableConfig


def resume_from_checkpoint(
    graph: Any,
    thread_id: str,
    checkpoint_id: str,
    input: Any = None,
    *,
    checkpoint_ns: str = "",
    config: RunnableConfig | None = None,
    **kwargs: Any,
) -> Any:
    """Run ``graph`` again from a past checkpoint of a thread: LangGraph's replay.

    The same as ``graph.invoke(input, {"configurable": {"thread_id": ...,
    "checkpoint_id": ...}})``: with ``input=None`` the graph continues from that
    checkpoint (replaying nothing that ran after it); the new checkpoints form a
    branch whose parent is ``checkpoint_id``. ``config`` adds other settings
    (callbacks, recursion_limit, more ``configurable`` keys); ``kwargs`` go to ``invoke``.
    """
    return graph.invoke(input, _resume_config(thread_id, checkpoint_id, checkpoint_ns, config), **kwargs)


async def aresume_from_checkpoint(
    graph: Any,
    thread_id: str,
    checkpoint_id: str,
    input: Any = None,
    *,
    checkpoint_ns: str = "",
    config: RunnableConfig | None = None,
    **kwargs: Any,
) -> Any:
    """Async ``resume_from_checkpoint``: ``await graph.ainvoke(...)``."""
    return await graph.ainvoke(
        input, _resume_config(thread_id, checkpoint_id, checkpoint_ns, config), **kwargs
    )


def _resume_config(
    thread_id: str, checkpoint_id: str, checkpoint_ns: str, config: RunnableConfig | None
) -> RunnableConfig:
    base: dict[str, Any] = dict(config or {})
    target = checkpoint_config(thread_id, checkpoint_id, checkpoint_ns)["configurable"]
    base["configurable"] = {**(base.get("configurable") or {}), **target}
    return base  # type: ignore[return-value]
