"""LangGraph's checkpointer conformance suite, against both savers."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Sequence
from typing import Any

import pytest
from langgraph.checkpoint.conformance import checkpointer_test, validate
from langgraph.checkpoint.conformance.capabilities import ALL_CAPABILITIES
from langgraph.checkpoint.conformance.report import CapabilityReport

from langgraph.checkpoint.plpgsql import AsyncPostgresCheckpointer, PostgresCheckpointer

EXPECTED_TESTS = 81


class ThreadedPostgresCheckpointer(PostgresCheckpointer):
    """The sync saver seen through async methods, each running the sync one in a thread."""

    async def aget_tuple(self, config):
        return await asyncio.to_thread(self.get_tuple, config)

    async def alist(self, config, *, filter=None, before=None, limit=None):
        items = await asyncio.to_thread(
            lambda: list(self.list(config, filter=filter, before=before, limit=limit))
        )
        for item in items:
            yield item

    async def aput(self, config, checkpoint, metadata, new_versions):
        return await asyncio.to_thread(self.put, config, checkpoint, metadata, new_versions)

    async def aput_writes(self, config, writes, task_id, task_path=""):
        await asyncio.to_thread(self.put_writes, config, writes, task_id, task_path)

    async def adelete_thread(self, thread_id):
        await asyncio.to_thread(self.delete_thread, thread_id)

    async def adelete_for_runs(self, run_ids: Sequence[str]):
        await asyncio.to_thread(self.delete_for_runs, run_ids)

    async def acopy_thread(self, source_thread_id, target_thread_id):
        await asyncio.to_thread(self.copy_thread, source_thread_id, target_thread_id)

    async def aprune(self, thread_ids, *, strategy="keep_latest"):
        await asyncio.to_thread(self.prune, thread_ids, strategy=strategy)

    async def aget_delta_channel_history(self, *, config, channels):
        return await asyncio.to_thread(
            self.get_delta_channel_history, config=config, channels=channels
        )


def assert_full_conformance(report: CapabilityReport) -> None:
    failures = {name: r.failures for name, r in report.results.items() if r.failures}
    assert not failures, failures
    assert {name for name, r in report.results.items() if r.detected} == {
        c.value for c in ALL_CAPABILITIES
    }
    assert all(r.passed is True for r in report.results.values())
    assert report.conformance_level() == "FULL"
    passed = sum(r.tests_passed for r in report.results.values())
    failed = sum(r.tests_failed for r in report.results.values())
    assert (passed, failed) == (EXPECTED_TESTS, 0)


async def test_async_saver_conformance(database_url: str) -> None:
    @checkpointer_test(name="AsyncPostgresCheckpointer")
    async def factory() -> AsyncIterator[Any]:
        async with AsyncPostgresCheckpointer.from_conn_string(
            database_url, min_connections=1
        ) as saver:
            yield saver

    report = await validate(factory)
    report.print_report()
    assert_full_conformance(report)


async def test_sync_saver_conformance(database_url: str) -> None:
    @checkpointer_test(name="PostgresCheckpointer")
    async def factory() -> AsyncIterator[Any]:
        with ThreadedPostgresCheckpointer.from_conn_string(
            database_url, min_connections=1
        ) as saver:
            yield saver

    report = await validate(factory)
    report.print_report()
    assert_full_conformance(report)
