"""Failover with a multi-host DSN: the saver follows the primary.

A primary and a streaming standby (``pg_basebackup -R``) on throwaway clusters; the
savers connect with ``host=primary,standby`` and ``target_session_attrs=read-write``,
so libpq skips a host that is down or read-only. Writers (sync and async, default
settings) run while the primary is stopped and the standby promoted: every call
succeeds, and every checkpoint and write they were told was saved is on the new
primary exactly once. (The pg_auto_failover harness in scripts/ha drives the full
automatic failover; this test is the client's side of it.)
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from uuid import uuid4

import pytest
from langgraph.checkpoint.base import empty_checkpoint

from langgraph.checkpoint.plpgsql import PostgresCheckpointer, RetryConfig

from _cluster import Cluster, ClusterUnavailable, standby_of, throwaway_cluster
from test_restart import Writers, _assert_all_stored


@pytest.fixture
def primary_and_standby() -> Iterator[tuple[Cluster, Cluster]]:
    try:
        with throwaway_cluster("lg_failover") as primary, standby_of(primary) as standby:
            yield primary, standby
    except ClusterUnavailable as exc:
        pytest.skip(str(exc))


def _multi_host(first: Cluster, second: Cluster) -> str:
    database = first.url.rsplit("/", 1)[1]
    return (
        f"postgresql://postgres@{first.host_port},{second.host_port}/{database}"
        "?target_session_attrs=read-write&connect_timeout=2"
    )


def test_a_read_only_first_host_is_skipped(primary_and_standby: tuple[Cluster, Cluster]) -> None:
    primary, standby = primary_and_standby
    with PostgresCheckpointer.from_conn_string(_multi_host(standby, primary), metrics=False) as saver:
        config = {"configurable": {"thread_id": f"failover-{uuid4()}", "checkpoint_ns": ""}}
        stored = saver.put(config, empty_checkpoint(), {}, {})
        assert saver.get_tuple(stored) is not None
        with saver.conn.connection() as conn:  # type: ignore[union-attr]
            assert conn.info.port == int(primary.host_port.split(":")[1])


def test_writers_follow_a_promoted_standby(primary_and_standby: tuple[Cluster, Cluster]) -> None:
    primary, standby = primary_and_standby
    url = _multi_host(primary, standby)
    with Writers(url, RetryConfig(), join_secs=150) as writers:
        sync_work, async_work = writers.sync_work, writers.async_work
        time.sleep(1)
        before = sync_work.calls + async_work.calls
        started = time.monotonic()
        # A clean stop sends the standby every WAL record up to the shutdown checkpoint,
        # so nothing the primary acknowledged is missing there (a crash of the primary
        # needs synchronous replication for that: docs/reliability.md).
        primary.stop()
        time.sleep(0.5)
        standby.promote()
        promoted = time.monotonic() - started
        # Run until both writers made progress on the new primary.
        deadline = time.monotonic() + 60
        after = sync_work.calls, async_work.calls
        while time.monotonic() < deadline and (sync_work.calls <= after[0] + 30 or async_work.calls <= after[1] + 30):
            time.sleep(0.2)
    failures = sync_work.failures + async_work.failures
    longest = max(max(w.call_secs, default=0.0) for w in (sync_work, async_work))
    print(
        f"\nfailover test: promoted {promoted:.1f} s after the stop; {sync_work.calls + async_work.calls} calls "
        f"({before} before), {len(failures)} failed, longest call {longest:.1f} s"
    )
    assert not failures, failures[:3]
    assert sync_work.calls > after[0] + 30 and async_work.calls > after[1] + 30, "writers did not resume"
    _assert_all_stored(standby.url, sync_work, async_work)
