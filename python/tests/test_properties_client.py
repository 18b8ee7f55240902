"""Properties of the client: whatever it is handed (ids, namespaces, channel names,
values, metadata, writes, task ids and paths, list filters) either round-trips exactly,
as LangGraph's InMemorySaver gives it back, or raises a CheckpointerError and leaves the
database unchanged; and a metadata filter selects what InMemorySaver's selects.

InMemorySaver is the oracle where it stores a value at all (it refuses integers beyond
64 bits and values nested past msgpack's limit; this saver stores big integers as JSON
and refuses the same depth with UnserializableValueError).

Known, documented differences the filter property leaves out (docs/reliability.md): in
Python ``True == 1`` and ``-0.0 == 0.0``, so InMemorySaver's filter treats them as equal;
JSON keeps booleans apart from numbers, and this saver stores -0.0, NaN, infinities and
floats of 1e16 or more as typed JSON, which a filter compares by what they are.
"""

from __future__ import annotations

import math
import uuid
from datetime import datetime, timezone
from typing import Any

from hypothesis import assume, event, given
from hypothesis import strategies as st
from langgraph.checkpoint.base import empty_checkpoint
from langgraph.checkpoint.memory import InMemorySaver
from psycopg_pool import ConnectionPool

from langgraph.checkpoint.plpgsql import CheckpointerError, PostgresCheckpointer

from _properties import examples, snapshot

RESERVED_KEYS = ["__lg__", "~__lg__", "__lg__.", "items", "value"]
any_text = st.text(max_size=8)  # lone surrogates and NUL included
keys = st.one_of(st.sampled_from(RESERVED_KEYS), any_text)
_valid_ids = st.text(min_size=1, max_size=8)
# Mostly ids that may be valid (with lone surrogates now and then), sometimes ones that are not.
identifiers = st.one_of(
    _valid_ids, _valid_ids, _valid_ids, st.sampled_from(["", "t" * 1025, "a\x00b", "a\ud800"])
)


def _nested(depth: int) -> Any:
    value: Any = []
    for _ in range(depth):
        value = [value]
    return value


scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    # Beyond 64 bits, and beyond Python's int-to-str limit (4300 digits).
    st.tuples(st.sampled_from([1, -1]), st.sampled_from([(2, 63), (2, 70), (10, 4300), (10, 5000)])).map(
        lambda s: s[0] * s[1][0] ** s[1][1]
    ),
    st.floats(),
    any_text,
    st.binary(max_size=8),
    st.datetimes(timezones=st.just(timezone.utc)),
    st.uuids(),
)
values = st.one_of(
    st.recursive(
        scalars,
        lambda inner: st.one_of(
            st.lists(inner, max_size=3),
            st.dictionaries(keys, inner, max_size=3),
            st.sets(any_text, max_size=3),
        ),
        max_leaves=8,
    ),
    st.sampled_from([{"__lg__": "datetime", "value": "2024-01-01T00:00:00"}, {"__lg__": "dict", "items": []}]),
    st.integers(min_value=250, max_value=260).map(_nested),
)
metadata_values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), any_text),
    lambda inner: st.one_of(st.lists(inner, max_size=2), st.dictionaries(keys, inner, max_size=2)),
    max_leaves=4,
)
metadata = st.dictionaries(keys, metadata_values, max_size=4)
channels = st.one_of(st.sampled_from(["messages", "__lg__", "items"]), any_text)


def same(a: Any, b: Any) -> bool:
    """Equal with the same types all the way down, NaN equal to NaN."""
    if type(a) is not type(b):
        return False
    if isinstance(a, float):
        return (math.isnan(a) and math.isnan(b)) or (a == b and math.copysign(1, a) == math.copysign(1, b))
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, (list, tuple)):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    return bool(a == b)


def _checkpoint(saver: Any, channel_values: dict[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
    checkpoint = empty_checkpoint()
    checkpoint["channel_values"] = channel_values
    versions = {name: saver.get_next_version(None) for name in channel_values}
    checkpoint["channel_versions"] = versions
    # Node and channel names of every kind, the reserved key among them.
    checkpoint["versions_seen"] = {"node": dict(versions), "__lg__": dict(versions)}
    return checkpoint, versions


def _save(saver: Any, config: dict[str, Any], checkpoint: Any, meta: Any, versions: Any, writes: Any) -> Any:
    task_id, task_path, pending = writes
    saved_config = saver.put(config, checkpoint, meta, versions)
    saver.put_writes(saved_config, pending, task_id, task_path)
    return saver.get_tuple(saved_config)


@examples(ci=40, full=400)
@given(
    thread=identifiers,
    namespace=st.one_of(st.just(""), st.just(""), any_text),
    channel_values=st.dictionaries(channels, values, max_size=3),
    meta=metadata,
    writes=st.tuples(identifiers, any_text, st.lists(st.tuples(channels, values), max_size=3)),
)
def test_anything_round_trips_or_raises_a_typed_error(
    pool: ConnectionPool, thread: str, namespace: str, channel_values: Any, meta: Any, writes: Any
) -> None:
    saver = PostgresCheckpointer(pool)
    thread = f"{uuid.uuid4().hex[:6]}{thread}" if thread not in ("", "t" * 1025) else thread
    config = {"configurable": {"thread_id": thread, "checkpoint_ns": namespace}}
    checkpoint, versions = _checkpoint(saver, channel_values)
    with pool.connection() as conn:
        before = snapshot(conn)
    try:
        ours = _save(saver, config, checkpoint, meta, versions, writes)
    except CheckpointerError as exc:
        event(f"refused: {type(exc).__name__}")
        # put_writes after a successful put may be what refused: then only the
        # checkpoint is new; otherwise nothing is.
        with pool.connection() as conn:
            after = snapshot(conn)
        if after != before:
            assert saver.get_tuple(config) is not None, "a refused save changed the database"
            with pool.connection() as conn:
                n = conn.execute(
                    "SELECT count(*) FROM langgraph.checkpoint_writes WHERE thread_id = %s", (thread,)
                ).fetchone()[0]
            assert n == 0, "refused writes were stored"
            saver.delete_thread(thread)
        return
    saver.delete_thread(thread)
    assert ours is not None
    try:
        oracle = _save(InMemorySaver(), config, checkpoint, meta, versions, writes)
    except Exception:
        event("stored; InMemorySaver cannot hold it")
        return  # InMemorySaver cannot hold it (big integers, depth): nothing to compare
    event("stored; compared with InMemorySaver")
    assert same(ours.checkpoint["channel_values"], oracle.checkpoint["channel_values"])
    assert same(ours.checkpoint["channel_versions"], oracle.checkpoint["channel_versions"])
    assert same(ours.checkpoint["versions_seen"], oracle.checkpoint["versions_seen"])
    assert same(ours.metadata, oracle.metadata)

    def by_channel(pending: list[Any]) -> list[Any]:
        return sorted(pending, key=lambda w: (w[0], w[1]))

    assert same(by_channel(ours.pending_writes), by_channel(oracle.pending_writes))


# Values a filter compares the way Python does (see the module docstring).
filter_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**63), max_value=2**63 - 1).filter(lambda i: i not in (0, 1)),
    st.floats(allow_nan=False, allow_infinity=False, max_value=1e15, min_value=-1e15).filter(
        lambda f: f not in (0.0, 1.0)
    ),
    st.sampled_from(["loop", "input", "a", ""]),
)
filter_values = st.recursive(
    filter_scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=2), st.dictionaries(st.sampled_from(["x", "__lg__"]), inner, max_size=2)),
    max_leaves=3,
)
filter_keys = st.sampled_from(["source", "step", "__lg__", "tags", "run_id", "absent"])
filter_metadata = st.dictionaries(filter_keys, filter_values, max_size=4)


@examples(ci=25, full=300)
@given(
    metadatas=st.lists(filter_metadata, min_size=1, max_size=4),
    picks=st.lists(st.tuples(st.integers(min_value=0, max_value=3), filter_keys), max_size=3),
    extra=filter_metadata,
    use_extra=st.booleans(),
)
def test_metadata_filters_match_what_in_memory_saver_matches(
    pool: ConnectionPool, metadatas: list[Any], picks: list[Any], extra: Any, use_extra: bool
) -> None:
    # The filter takes entries of stored metadata (so it matches something), maybe
    # with arbitrary ones added.
    wanted: dict[str, Any] = {}
    for index, key in picks:
        source = metadatas[index % len(metadatas)]
        wanted[key] = source.get(key)
    if use_extra:
        wanted.update(extra)
    assume(wanted)
    thread = f"filter-{uuid.uuid4()}"
    ours, oracle = PostgresCheckpointer(pool), InMemorySaver()
    config: dict[str, Any] = {"configurable": {"thread_id": thread, "checkpoint_ns": ""}}
    for meta in metadatas:
        checkpoint, versions = _checkpoint(ours, {})
        config = ours.put(config, checkpoint, meta, versions)
        oracle.put(config, checkpoint, meta, versions)
    root = {"configurable": {"thread_id": thread}}
    try:
        found = [t.config["configurable"]["checkpoint_id"] for t in ours.list(root, filter=wanted)]
        expected = [t.config["configurable"]["checkpoint_id"] for t in oracle.list(root, filter=wanted)]
        assert found == expected, f"filter {wanted!r} over {metadatas!r}"
        event(f"{len(expected)} of {len(metadatas)} match")
    finally:
        ours.delete_thread(thread)


def test_old_rows_with_dict_envelopes_still_read(pool: ConnectionPool) -> None:
    """Rows written before documents kept their keys raw: a metadata or channel map
    holding the key __lg__ was a dict envelope. They load as they did."""
    saver = PostgresCheckpointer(pool)
    thread = f"old-envelope-{uuid.uuid4()}"
    version = saver.get_next_version(None)
    document = {
        "v": 4, "id": "1ef-old", "ts": datetime.now(timezone.utc).isoformat(),
        "channel_versions": {"__lg__": "dict", "items": [["__lg__", version], ["b", version]]},
        "versions_seen": {"node": {"__lg__": "dict", "items": [["__lg__", version]]}},
        "updated_channels": ["__lg__"],
    }
    meta = {"__lg__": "dict", "items": [["__lg__", "user"], ["source", "loop"], ["step", 1]]}
    import json

    with pool.connection() as conn:
        conn.execute("INSERT INTO langgraph.threads (thread_id) VALUES (%s)", (thread,))
        conn.execute(
            "INSERT INTO langgraph.checkpoints (thread_id, checkpoint_ns, checkpoint_id, checkpoint, metadata)"
            " VALUES (%s, '', '1ef-old', %s::jsonb, %s::jsonb)",
            (thread, json.dumps(document), json.dumps(meta)),
        )
    try:
        saved = saver.get_tuple({"configurable": {"thread_id": thread, "checkpoint_ns": ""}})
        assert saved is not None
        assert saved.metadata == {"__lg__": "user", "source": "loop", "step": 1}
        assert saved.checkpoint["channel_versions"] == {"__lg__": version, "b": version}
        assert saved.checkpoint["versions_seen"] == {"node": {"__lg__": version}}
    finally:
        saver.delete_thread(thread)


def test_a_channel_and_a_metadata_key_named_like_the_envelope_stay_visible_to_sql(
    pool: ConnectionPool,
) -> None:
    saver = PostgresCheckpointer(pool)
    thread = f"reserved-{uuid.uuid4()}"
    checkpoint, versions = _checkpoint(saver, {"__lg__": [1, 2], "b": {"__lg__": "x"}})
    config = saver.put(
        {"configurable": {"thread_id": thread, "checkpoint_ns": ""}},
        checkpoint,
        {"__lg__": "dict", "source": "loop", "step": 3, "run_id": "run-reserved"},
        versions,
    )
    try:
        with pool.connection() as conn:
            row = conn.execute(
                "SELECT metadata ->> 'source', metadata -> 'step', checkpoint -> 'channel_versions' ->> '__lg__'"
                " FROM langgraph.checkpoints WHERE thread_id = %s",
                (thread,),
            ).fetchone()
        assert row == ("loop", 3, versions["__lg__"])
        saved = saver.get_tuple(config)
        assert saved is not None
        assert saved.checkpoint["channel_values"] == {"__lg__": [1, 2], "b": {"__lg__": "x"}}
        assert saved.metadata["__lg__"] == "dict"
        assert [t.config for t in saver.list(None, filter={"__lg__": "dict", "run_id": "run-reserved"})] == [config]
        saver.delete_for_runs(["run-reserved"])
        assert saver.get_tuple(config) is None
    finally:
        saver.delete_thread(thread)


# Arguments of the other methods: anything a caller might pass, valid or not.
counts = st.one_of(
    st.none(), st.integers(min_value=-3, max_value=5), st.just(2**40), st.just(-(2**40)), st.just(2.5), st.just("3")
)
ttls = st.one_of(
    st.none(), st.floats(), st.integers(min_value=-5, max_value=10**6), st.just(10**30), st.timedeltas()
)
OTHER_CALLS: dict[str, Any] = {
    "list": lambda s, a: list(s.list(a["config"], filter=a["filter"], before=a["before"], limit=a["limit"])),
    "lineage": lambda s, a: s.lineage(a["config"], max_depth=a["limit"]),
    "descendants": lambda s, a: s.descendants(a["config"], max_depth=a["limit"]),
    "branches": lambda s, a: s.branches(a["thread"], a["namespace"]),
    "branch_point": lambda s, a: s.branch_point(a["thread"], a["id"], a["other"], a["namespace"]),
    "fork_thread": lambda s, a: s.fork_thread(a["config"], a["other"]),
    "copy_thread": lambda s, a: s.copy_thread(a["thread"], a["other"]),
    "prune": lambda s, a: s.prune([a["thread"]], strategy=a["other"]),
    "delete_for_runs": lambda s, a: s.delete_for_runs([a["other"]]),
    "delta_history": lambda s, a: s.get_delta_channel_history(config=a["config"], channels=[a["other"]]),
    "acquire_lease": lambda s, a: s.acquire_lease(a["thread"], owner=a["other"], ttl=a["ttl"]),
    "renew_lease": lambda s, a: s.renew_lease(a["thread"], owner=a["other"], ttl=a["ttl"]),
    "release_lease": lambda s, a: s.release_lease(a["thread"], owner=a["other"]),
}


@examples(ci=40, full=600)
@given(
    call=st.sampled_from(sorted(OTHER_CALLS)),
    thread=identifiers,
    namespace=st.one_of(st.just(""), any_text),
    checkpoint_id=st.one_of(st.none(), identifiers),
    other=st.one_of(identifiers, st.sampled_from(["keep_latest", "delete"])),
    filter=st.one_of(st.none(), metadata, st.just({1: 2})),
    limit=counts,
    ttl=ttls,
)
def test_other_methods_return_or_raise_a_typed_error(
    pool: ConnectionPool, call: str, thread: str, namespace: str, checkpoint_id: Any, other: str,
    filter: Any, limit: Any, ttl: Any,
) -> None:
    saver = PostgresCheckpointer(pool)
    prefix = uuid.uuid4().hex[:6]
    thread = f"{prefix}{thread}" if thread not in ("", "t" * 1025) else thread
    other = f"{prefix}{other}" if call in ("fork_thread", "copy_thread") and other not in ("", "t" * 1025) else other
    configurable = {"thread_id": thread, "checkpoint_ns": namespace}
    if checkpoint_id is not None:
        configurable["checkpoint_id"] = checkpoint_id
    args = {
        "config": {"configurable": configurable}, "thread": thread, "namespace": namespace,
        "id": checkpoint_id or "x", "other": other, "filter": filter, "before": None, "limit": limit,
        "ttl": ttl,
    }
    with pool.connection() as conn:
        before = snapshot(conn)
    try:
        OTHER_CALLS[call](saver, args)
    except CheckpointerError as exc:
        event(f"{call} refused: {type(exc).__name__}")
        with pool.connection() as conn:
            assert snapshot(conn) == before, f"{call} refused ({exc}) but changed the database"
    else:
        event(f"{call} returned")
    finally:
        for thread_id in (thread, other):
            try:
                saver.delete_thread(thread_id)
                saver.release_lease(thread_id, owner=other)
            except CheckpointerError:
                pass
