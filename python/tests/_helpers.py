"""Small builders the tests of the production client share."""

from __future__ import annotations

from typing import Any

from langgraph.checkpoint.base import empty_checkpoint


def config_for(thread_id: str, checkpoint_id: str | None = None) -> dict[str, Any]:
    configurable = {"thread_id": thread_id, "checkpoint_ns": ""}
    if checkpoint_id:
        configurable["checkpoint_id"] = checkpoint_id
    return {"configurable": configurable}


def put_values(saver: Any, config: dict, metadata: dict[str, Any] | None = None, **values: Any) -> dict:
    """Save a checkpoint holding ``values`` as new channel values (``metadata`` added to
    the checkpoint's own)."""
    checkpoint = empty_checkpoint()
    checkpoint["channel_values"] = values
    versions = {k: saver.get_next_version(None, None) for k in values}
    checkpoint["channel_versions"] = versions
    return saver.put(config, checkpoint, {"source": "loop", "step": 0, "parents": {}, **(metadata or {})}, versions)


def retries_total(registry: Any) -> float:
    """``postgres_checkpoint_retries_total`` summed over operations."""
    return sum(
        sample.value
        for metric in registry.collect()
        if metric.name == "postgres_checkpoint_retries"
        for sample in metric.samples
        if sample.name.endswith("_total")
    )
