"""Prometheus metrics of the savers, labelled by ``operation`` (the SQL function called).

* ``postgres_checkpoint_saves_total``: calls that save (``put_checkpoint``,
  ``put_writes``, ``batch_save_checkpoints``, ``save_checkpoint``);
* ``postgres_checkpoint_loads_total``: calls that load (``get_checkpoint``,
  ``list_checkpoints``, ``get_delta_channel_history``, ``load_checkpoint``);
* ``postgres_checkpoint_operation_duration_seconds``: latency of every call, retries
  and backoff included (a histogram);
* ``postgres_checkpoint_errors_total``: calls that failed, with ``error`` (the type of
  the exception the caller got);
* ``postgres_checkpoint_retries_total``: retries after a transient error.

Saves and loads count every call, failed or not: an error ratio is
``errors_total / operation_duration_seconds_count``.

``metrics=`` on a saver: ``None`` (default) records into prometheus-client's default
registry when prometheus-client is installed and records nothing otherwise; a
``CollectorRegistry`` records there; ``False`` turns metrics off. Savers that share a
registry share the metric objects (a registry refuses a name twice).
"""

from __future__ import annotations

import threading
from typing import Any

try:
    import prometheus_client
except ImportError:  # an optional dependency: pip install 'langgraph-checkpoint-plpgsql[metrics]'
    prometheus_client = None  # type: ignore[assignment]

SAVE_OPERATIONS = frozenset({"put_checkpoint", "put_writes", "batch_save_checkpoints", "save_checkpoint"})
LOAD_OPERATIONS = frozenset(
    {"get_checkpoint", "list_checkpoints", "get_delta_channel_history", "load_checkpoint"}
)

# Checkpoint calls take from well under a millisecond (a cached get) to seconds (a
# retried call across a failover); the buckets cover that range.
DURATION_BUCKETS = (
    0.0005,
    0.001,
    0.0025,
    0.005,
    0.01,
    0.025,
    0.05,
    0.1,
    0.25,
    0.5,
    1.0,
    2.5,
    5.0,
    10.0,
    30.0,
)


class NoMetrics:
    """Records nothing: metrics are off, or prometheus-client is not installed."""

    def observe(self, operation: str, seconds: float, error: BaseException | None) -> None:
        return None

    def retried(self, operation: str) -> None:
        return None


class CheckpointMetrics(NoMetrics):
    """The savers' Prometheus metrics in one registry (default: prometheus-client's)."""

    def __init__(self, registry: Any = None) -> None:
        if prometheus_client is None:
            raise ImportError(
                "metrics need prometheus-client: pip install 'langgraph-checkpoint-plpgsql[metrics]'"
            )
        registry = prometheus_client.REGISTRY if registry is None else registry
        self.registry = registry
        self._children: dict[str, tuple[Any, Any]] = {}
        self.saves = prometheus_client.Counter(
            "postgres_checkpoint_saves_total",
            "Checkpoint save calls (put_checkpoint, put_writes, batch saves), failed or not.",
            ["operation"],
            registry=registry,
        )
        self.loads = prometheus_client.Counter(
            "postgres_checkpoint_loads_total",
            "Checkpoint load calls (get_checkpoint, list_checkpoints, delta history), failed or not.",
            ["operation"],
            registry=registry,
        )
        self.duration = prometheus_client.Histogram(
            "postgres_checkpoint_operation_duration_seconds",
            "Latency of checkpoint calls, retries included.",
            ["operation"],
            buckets=DURATION_BUCKETS,
            registry=registry,
        )
        self.errors = prometheus_client.Counter(
            "postgres_checkpoint_errors_total",
            "Checkpoint calls that failed, by the type of the error raised.",
            ["operation", "error"],
            registry=registry,
        )
        self.retries = prometheus_client.Counter(
            "postgres_checkpoint_retries_total",
            "Retries of checkpoint calls after a transient database error.",
            ["operation"],
            registry=registry,
        )

    def observe(self, operation: str, seconds: float, error: BaseException | None) -> None:
        # The labelled children are looked up once per operation: labels() costs about
        # as much as the rest of this method, on every call of the saver.
        children = self._children.get(operation)
        if children is None:
            counter = (
                self.saves
                if operation in SAVE_OPERATIONS
                else self.loads
                if operation in LOAD_OPERATIONS
                else None
            )
            children = self._children[operation] = (
                counter.labels(operation) if counter is not None else None,
                self.duration.labels(operation),
            )
        count, duration = children
        if count is not None:
            count.inc()
        duration.observe(seconds)
        if error is not None:
            self.errors.labels(operation, type(error).__name__).inc()

    def retried(self, operation: str) -> None:
        self.retries.labels(operation).inc()


NO_METRICS = NoMetrics()
_by_registry: dict[int, tuple[Any, CheckpointMetrics]] = {}
_lock = threading.Lock()


def metrics_for(registry: Any = None) -> CheckpointMetrics:
    """The one ``CheckpointMetrics`` of ``registry`` (default: prometheus-client's)."""
    if prometheus_client is None:
        raise ImportError(
            "metrics need prometheus-client: pip install 'langgraph-checkpoint-plpgsql[metrics]'"
        )
    registry = prometheus_client.REGISTRY if registry is None else registry
    with _lock:
        entry = _by_registry.get(id(registry))
        if entry is None or entry[0] is not registry:
            entry = (registry, CheckpointMetrics(registry))
            _by_registry[id(registry)] = entry
        return entry[1]


def resolve_metrics(option: Any) -> NoMetrics:
    """What a saver's ``metrics=`` argument means (see the module docstring)."""
    if option is None:
        return metrics_for() if prometheus_client is not None else NO_METRICS
    if option is False:
        return NO_METRICS
    if option is True:
        return metrics_for()
    if isinstance(option, NoMetrics):
        return option
    return metrics_for(option)


__all__ = [
    "CheckpointMetrics",
    "LOAD_OPERATIONS",
    "NoMetrics",
    "SAVE_OPERATIONS",
    "metrics_for",
    "resolve_metrics",
]
