"""Lineage, branches, forks, resume and batch save through the client (issue 4).

Each method is one SQL call; these tests drive them with real graphs and compare with
what LangGraph itself reports (get_state_history, InMemorySaver).
"""

from __future__ import annotations

import operator
from typing import Annotated
from uuid import uuid4

import psycopg
import pytest
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.graph import END, START, StateGraph
from typing_extensions import TypedDict

from langgraph.checkpoint.plpgsql import (
    AsyncPostgresCheckpointer,
    PostgresCheckpointer,
    aresume_from_checkpoint,
    resume_from_checkpoint,
)


class Counter(TypedDict):
    total: Annotated[int, operator.add]
    log: Annotated[list, operator.add]


def counter_graph(checkpointer):
    builder = StateGraph(Counter)
    builder.add_node("add", lambda s: {"total": 1, "log": [f"add@{s['total']}"]})
    builder.add_edge(START, "add")
    builder.add_edge("add", END)
    return builder.compile(checkpointer=checkpointer)


def cfg(thread_id: str, **extra) -> dict:
    return {"configurable": {"thread_id": thread_id, **extra}}


def run_turns(graph, thread_id: str, turns: int) -> None:
    for _ in range(turns):
        graph.invoke({"total": 0, "log": []}, cfg(thread_id))


def test_lineage_follows_the_parent_chain(saver: PostgresCheckpointer, thread_id: str) -> None:
    graph = counter_graph(saver)
    run_turns(graph, thread_id, 3)
    history = [s.config["configurable"]["checkpoint_id"] for s in graph.get_state_history(cfg(thread_id))]
    lineage = saver.lineage(cfg(thread_id))
    assert [e.checkpoint_id for e in lineage] == history
    assert [e.depth for e in lineage] == list(range(len(history)))
    assert lineage[-1].parent_checkpoint_id is None
    assert all(e.parent_checkpoint_id == lineage[i + 1].checkpoint_id for i, e in enumerate(lineage[:-1]))
    assert lineage[0].metadata["step"] == max(e.metadata["step"] for e in lineage)
    assert [e.checkpoint_id for e in saver.lineage(cfg(thread_id), max_depth=2)] == history[:3]
    # The entry's config addresses that checkpoint.
    assert saver.get_tuple(lineage[2].config).checkpoint["id"] == history[2]


def test_update_state_on_an_old_checkpoint_makes_a_branch(saver: PostgresCheckpointer, thread_id: str) -> None:
    graph = counter_graph(saver)
    run_turns(graph, thread_id, 2)
    history = list(graph.get_state_history(cfg(thread_id)))
    old = history[-2]  # an early checkpoint with children
    fork_config = graph.update_state(old.config, {"total": 100, "log": ["forked"]})
    branches = saver.branches(thread_id)
    assert len(branches) == 2
    latest = [b for b in branches if b.is_latest]
    assert [b.head_checkpoint_id for b in latest] == [fork_config["configurable"]["checkpoint_id"]]
    old_id = old.config["configurable"]["checkpoint_id"]
    assert latest[0].branch_point_id == old_id and latest[0].length == 1
    main_head = history[0].config["configurable"]["checkpoint_id"]
    assert saver.branch_point(thread_id, main_head, fork_config["configurable"]["checkpoint_id"]) == old_id
    below = {e.checkpoint_id for e in saver.descendants(old.config)}
    assert fork_config["configurable"]["checkpoint_id"] in below and main_head in below


def test_fork_thread_and_resume_in_the_new_thread(saver: PostgresCheckpointer, thread_id: str) -> None:
    graph = counter_graph(saver)
    run_turns(graph, thread_id, 3)
    history = list(graph.get_state_history(cfg(thread_id)))
    middle = history[len(history) // 2]
    target = f"fork-{uuid4()}"
    forked = saver.fork_thread(middle.config, target)
    assert forked["configurable"]["thread_id"] == target
    source_view = graph.get_state(middle.config)
    fork_view = graph.get_state(forked)
    assert (fork_view.values, fork_view.next) == (source_view.values, source_view.next)
    assert [e.checkpoint_id for e in saver.lineage(cfg(target))] == [
        e.checkpoint_id for e in saver.lineage(middle.config)
    ]
    before = graph.get_state(cfg(thread_id)).values
    graph.invoke({"total": 0, "log": []}, cfg(target))
    assert graph.get_state(cfg(target)).values["total"] > middle.values["total"]
    assert graph.get_state(cfg(thread_id)).values == before  # the source is untouched


def test_resume_from_checkpoint_matches_in_memory_replay(saver: PostgresCheckpointer) -> None:
    results = []
    for checkpointer in (InMemorySaver(), saver):
        graph = counter_graph(checkpointer)
        tid = f"resume-{uuid4()}"
        run_turns(graph, tid, 2)
        history = list(graph.get_state_history(cfg(tid)))
        target = next(s for s in history if s.next == ("add",))
        out = resume_from_checkpoint(graph, tid, target.config["configurable"]["checkpoint_id"])
        results.append((out, [s.values for s in graph.get_state_history(cfg(tid))]))
    assert results[0] == results[1]


async def test_async_lineage_fork_and_resume(async_saver: AsyncPostgresCheckpointer) -> None:
    graph = counter_graph(async_saver)
    tid = f"aresume-{uuid4()}"
    for _ in range(2):
        await graph.ainvoke({"total": 0, "log": []}, cfg(tid))
    lineage = await async_saver.alineage(cfg(tid))
    assert lineage[0].metadata["step"] > lineage[-1].metadata["step"]
    first_loop = next(e for e in reversed(lineage) if e.metadata["source"] == "loop")
    out = await aresume_from_checkpoint(graph, tid, first_loop.checkpoint_id)
    assert out["total"] >= 1
    heads = await async_saver.abranches(tid)
    assert len(heads) == 2 and sum(b.is_latest for b in heads) == 1
    assert await async_saver.abranch_point(tid, heads[0].head_checkpoint_id, heads[1].head_checkpoint_id) is not None
    target = f"afork-{uuid4()}"
    forked = await async_saver.afork_thread(cfg(tid, checkpoint_id=first_loop.checkpoint_id), target)
    assert (await async_saver.aget_tuple(forked)).checkpoint["id"] == first_loop.checkpoint_id
    below_root = await async_saver.adescendants(cfg(tid, checkpoint_id=lineage[-1].checkpoint_id))
    assert {e.checkpoint_id for e in lineage} < {e.checkpoint_id for e in below_root}


def recorded_puts(turns: int) -> list[tuple]:
    """The put() calls LangGraph makes for a short chat, recorded on InMemorySaver."""
    calls: list[tuple] = []

    class Recorder(InMemorySaver):
        def put(self, config, checkpoint, metadata, new_versions):
            calls.append((config, checkpoint, metadata, new_versions))
            return super().put(config, checkpoint, metadata, new_versions)

    run_turns(counter_graph(Recorder()), "recorded", turns)
    return calls


def retarget(calls: list[tuple], thread_id: str) -> list[tuple]:
    return [
        ({**c, "configurable": {**c["configurable"], "thread_id": thread_id}}, cp, md, nv)
        for c, cp, md, nv in calls
    ]


def test_batch_save_matches_single_puts(saver: PostgresCheckpointer) -> None:
    calls = recorded_puts(3)
    single, batched = f"single-{uuid4()}", f"batch-{uuid4()}"
    other = f"batch-other-{uuid4()}"
    expected = [saver.put(*item) for item in retarget(calls, single)]
    items = retarget(calls, batched) + retarget(calls, other)
    configs = saver.batch_save_checkpoints(items)
    assert [c["configurable"]["checkpoint_id"] for c in configs] == [
        c["configurable"]["checkpoint_id"] for c in expected
    ] * 2
    for tid in (batched, other):
        got = [(t.checkpoint, t.metadata, t.parent_config and t.parent_config["configurable"]["checkpoint_id"])
               for t in saver.list(cfg(tid))]
        want = [(t.checkpoint, t.metadata, t.parent_config and t.parent_config["configurable"]["checkpoint_id"])
                for t in saver.list(cfg(single))]
        assert got == want
    # Retrying the same batch stores nothing twice.
    saver.batch_save_checkpoints(items)
    assert len(list(saver.list(cfg(batched)))) == len(expected)


def test_batch_save_is_all_or_nothing(saver: PostgresCheckpointer) -> None:
    calls = recorded_puts(2)
    good, bad = f"good-{uuid4()}", f"bad-{uuid4()}"
    broken = retarget(calls, bad)
    # The last item names a parent that does not exist: the whole batch is refused.
    config, checkpoint, metadata, versions = broken[-1]
    broken[-1] = ({**config, "configurable": {**config["configurable"], "checkpoint_id": "no-such-parent"}},
                  checkpoint, metadata, versions)
    with pytest.raises(Exception) as excinfo:
        saver.batch_save_checkpoints(retarget(calls, good) + broken)
    assert getattr(excinfo.value, "sqlstate", None) == "LG008"
    assert list(saver.list(cfg(good))) == [] and list(saver.list(cfg(bad))) == []


async def test_async_batch_save(async_saver: AsyncPostgresCheckpointer) -> None:
    calls = recorded_puts(2)
    tid = f"abatch-{uuid4()}"
    configs = await async_saver.abatch_save_checkpoints(retarget(calls, tid))
    latest = await async_saver.aget_tuple(cfg(tid))
    assert latest.checkpoint["id"] == configs[-1]["configurable"]["checkpoint_id"]
    assert await async_saver.abatch_save_checkpoints([]) == []


def test_leases_gate_saves_by_owner(pool, thread_id: str) -> None:
    alice = PostgresCheckpointer(pool, lease_owner="alice")
    bob = PostgresCheckpointer(pool, lease_owner="bob")
    calls = retarget(recorded_puts(1), thread_id)
    with alice.lease(thread_id, ttl=30) as expires_at:
        assert expires_at is not None
        alice.put(*calls[0])  # the holder saves
        with pytest.raises(Exception) as excinfo:
            bob.put(*calls[1])
        assert getattr(excinfo.value, "sqlstate", None) == "LG006"
        with pytest.raises(Exception) as excinfo:
            bob.acquire_lease(thread_id)
        assert getattr(excinfo.value, "sqlstate", None) == "LG006"
        assert alice.renew_lease(thread_id, ttl=60) > expires_at
    # Released: bob can take it and save.
    bob.acquire_lease(thread_id, ttl=5)
    bob.put(*calls[1])
    assert bob.release_lease(thread_id) is True
    assert bob.release_lease(thread_id) is False
    assert len(list(bob.list(cfg(thread_id)))) == 2


async def test_async_leases(async_pool) -> None:
    saver = AsyncPostgresCheckpointer(async_pool, lease_owner=f"owner-{uuid4()}")
    tid = f"alease-{uuid4()}"
    async with saver.alease(tid, ttl=10):
        other = AsyncPostgresCheckpointer(async_pool)
        with pytest.raises(Exception) as excinfo:
            await other.aacquire_lease(tid, owner="someone-else")
        assert getattr(excinfo.value, "sqlstate", None) == "LG006"
        assert await saver.arenew_lease(tid, ttl=20) is not None
    assert await saver.arelease_lease(tid) is False


def test_a_lease_needs_an_owner(saver: PostgresCheckpointer, thread_id: str) -> None:
    with pytest.raises(ValueError, match="owner"):
        saver.acquire_lease(thread_id)


def test_exclusive_mode_refuses_a_silent_fork(pool, thread_id: str) -> None:
    exclusive = PostgresCheckpointer(pool, exclusive=True)
    calls = retarget(recorded_puts(1), thread_id)
    first = exclusive.put(*calls[0])
    exclusive.put(*calls[1])
    exclusive.put(*calls[1])  # a retry of the same save is not a conflict
    # Another instance that still thinks `first` is the head saves a different child.
    config, checkpoint, metadata, versions = calls[1]
    rival = {**checkpoint, "id": f"{checkpoint['id'][:-4]}ffff"}
    with pytest.raises(Exception) as excinfo:
        exclusive.put(first, rival, {**metadata, "source": "loop"}, versions)
    assert getattr(excinfo.value, "sqlstate", None) == "LG005"
    assert len(list(exclusive.list(cfg(thread_id)))) == 2
    # Explicit time travel may branch.
    exclusive.put(first, rival, {**metadata, "source": "fork"}, versions)
    assert len(exclusive.branches(thread_id)) == 2
