"""Properties of the SQL API: any arguments either succeed or raise one of the
project's LG SQLSTATEs (never a table constraint's, a cast's or an internal error),
and a call that raises leaves every table of the schema as it was.

Arguments are drawn per parameter type, with ids, channels and documents taken from
small pools so calls reach real rows and the checks past the first ones. Text holds no
NUL: PostgreSQL refuses U+0000 in text and jsonb while converting the argument, before
any function of the API runs (the client refuses it earlier, test_properties_client.py).
Functions that act on the whole database (retention procedures, pg_cron scheduling,
the global compression setting) are called only with arguments that must be refused.
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import psycopg
import pytest
from hypothesis import event, given
from hypothesis import strategies as st
from psycopg.types.json import Jsonb

from _properties import examples, snapshot

RUN = uuid.uuid4().hex[:8]
THREADS = [f"fuzz-{RUN}-a", f"fuzz-{RUN}-b"]
CHECKPOINT_IDS = ["cp-1", "cp-2", "cp-3"]
CHANNELS = ["a", "b", "__lg__", "messages"]
TYPED_ERROR = re.compile(r"^LG\d{3}$")

_text = st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=6)


def _maybe(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.one_of(st.none(), strategy)


def ids(pool: list[str]) -> st.SearchStrategy[str | None]:
    # Mostly ids of the pool, so most calls get past their first check.
    known = st.sampled_from(pool)
    return st.one_of(known, known, known, known, st.sampled_from([None, "", "x" * 1025]), _text)


thread_ids = ids(THREADS)
checkpoint_ids = ids(CHECKPOINT_IDS)
namespaces = st.one_of(st.just(""), st.just(""), st.just("child:1"), st.sampled_from([None, "n" * 1025]), _text)
channels = st.one_of(st.none(), st.just(""), st.sampled_from(CHANNELS), _text)
json_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=False, allow_infinity=False),
    _text,
)
json_values = st.recursive(
    json_scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(_text, inner, max_size=3)),
    max_leaves=6,
)
versions = st.one_of(st.none(), st.sampled_from(["1", "2", "00000000000000000000000000000001.5"]), json_values)
checkpoints = st.one_of(
    json_values,
    st.fixed_dictionaries(
        {},
        optional={
            "id": checkpoint_ids,
            "v": json_values,
            "channel_versions": st.one_of(json_values, st.dictionaries(st.sampled_from(CHANNELS), versions)),
            "versions_seen": json_values,
        },
    ),
)
metadata_objects = st.one_of(
    st.fixed_dictionaries(
        {},
        optional={
            "source": st.one_of(st.sampled_from(["loop", "input", "update", "fork"]), json_values),
            "step": json_values,
            "run_id": st.one_of(st.just("run-1"), json_values),
            "__lg__": json_values,
            "counters_since_delta_snapshot": json_values,
        },
    ),
)
metadata = st.one_of(json_values, metadata_objects, metadata_objects)
types = st.one_of(st.none(), st.sampled_from(["json", "empty", "msgpack", "", "bytes"]))
blobs = st.one_of(st.none(), st.binary(max_size=8))


def arrays(element: st.SearchStrategy[Any], size: st.SearchStrategy[int]) -> st.SearchStrategy[Any]:
    return st.one_of(st.none(), size.flatmap(lambda n: st.lists(element, min_size=n, max_size=n)))


# Most calls get value arrays of one length, so they pass the length check.
sizes = st.shared(st.integers(min_value=0, max_value=3), key="size")
any_size = st.integers(min_value=0, max_value=3)


def array_of(element: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.one_of(arrays(element, sizes), arrays(element, sizes), arrays(element, any_size))


ints = st.one_of(st.none(), st.integers(min_value=-(2**31), max_value=2**31 - 1), st.sampled_from([-1, 0, 1, 2]))
intervals = st.one_of(
    st.none(),
    st.timedeltas(min_value=timedelta(days=-3), max_value=timedelta(days=3)),
    st.just(timedelta(0)),
)
negative_days = st.integers(min_value=-(2**31), max_value=-1)
# A batch size a retention procedure must refuse, so it never runs on the shared database.
bad_batch_sizes = st.one_of(st.none(), st.integers(min_value=-(2**31), max_value=0))


class Jsonb_:
    """A jsonb argument: text, so NULL inside arrays and JSON null stay apart."""


def jsonb(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return _maybe(strategy.map(lambda v: Jsonb(v)))


def jsonb_array(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return array_of(_maybe(strategy.map(lambda v: json.dumps(v))))


VALUES = jsonb_array(json_values)

# function -> (kind, {parameter: (SQL type, strategy)})
API: dict[str, tuple[str, dict[str, tuple[str, st.SearchStrategy[Any]]]]] = {
    "acquire_lease": ("select", {"p_thread_id": ("text", thread_ids), "p_owner": ("text", ids(["o1", "o2"])), "p_ttl": ("interval", intervals)}),
    "renew_lease": ("select", {"p_thread_id": ("text", thread_ids), "p_owner": ("text", ids(["o1", "o2"])), "p_ttl": ("interval", intervals)}),
    "release_lease": ("select", {"p_thread_id": ("text", thread_ids), "p_owner": ("text", ids(["o1", "o2"]))}),
    "batch_save_checkpoints": ("select", {
        "p_thread_ids": ("text[]", array_of(thread_ids)),
        "p_checkpoint_ns": ("text[]", array_of(namespaces)),
        "p_checkpoint_ids": ("text[]", array_of(checkpoint_ids)),
        "p_parent_ids": ("text[]", array_of(checkpoint_ids)),
        "p_checkpoints": ("jsonb[]", jsonb_array(checkpoints)),
        "p_metadata": ("jsonb[]", jsonb_array(metadata)),
        "p_value_owners": ("integer[]", array_of(ints)),
        "p_channels": ("text[]", array_of(channels)),
        "p_types": ("text[]", array_of(types)),
        "p_values": ("jsonb[]", VALUES),
        "p_blobs": ("bytea[]", array_of(blobs)),
        "p_exclusive": ("boolean", _maybe(st.booleans())),
        "p_lease_owner": ("text", ids(["o1"])),
    }),
    "calculate_state_size": ("select", {"p_thread_id": ("text", thread_ids), "p_checkpoint_id": ("text", checkpoint_ids), "p_checkpoint_ns": ("text", namespaces)}),
    "copy_thread": ("select", {"p_source_thread_id": ("text", thread_ids), "p_target_thread_id": ("text", thread_ids)}),
    "delete_checkpoint": ("select", {"p_thread_id": ("text", thread_ids), "p_checkpoint_id": ("text", checkpoint_ids), "p_checkpoint_ns": ("text", namespaces)}),
    "delete_for_runs": ("select", {"p_run_ids": ("text[]", array_of(ids(["run-1"])))}),
    "delete_thread": ("select", {"p_thread_id": ("text", thread_ids)}),
    "find_branch_point": ("select", {"p_thread_id": ("text", thread_ids), "p_checkpoint_id_a": ("text", checkpoint_ids), "p_checkpoint_id_b": ("text", checkpoint_ids), "p_checkpoint_ns": ("text", namespaces)}),
    "fork_thread": ("select", {"p_source_thread_id": ("text", thread_ids), "p_checkpoint_id": ("text", checkpoint_ids), "p_target_thread_id": ("text", thread_ids), "p_checkpoint_ns": ("text", namespaces)}),
    "get_ancestors": ("select", {"p_thread_id": ("text", thread_ids), "p_checkpoint_ns": ("text", namespaces), "p_checkpoint_id": ("text", checkpoint_ids), "p_max_depth": ("integer", ints)}),
    "get_descendants": ("select", {"p_thread_id": ("text", thread_ids), "p_checkpoint_ns": ("text", namespaces), "p_checkpoint_id": ("text", checkpoint_ids), "p_max_depth": ("integer", ints)}),
    "get_checkpoint": ("select", {"p_thread_id": ("text", thread_ids), "p_checkpoint_ns": ("text", namespaces), "p_checkpoint_id": ("text", checkpoint_ids)}),
    "get_checkpoint_v2": ("select", {"p_thread_id": ("text", thread_ids), "p_checkpoint_ns": ("text", namespaces), "p_checkpoint_id": ("text", checkpoint_ids), "p_known_channels": ("text[]", array_of(channels)), "p_known_versions": ("text[]", array_of(_maybe(st.sampled_from(["1", "2"]))))}),
    "get_delta_channel_history": ("select", {"p_thread_id": ("text", thread_ids), "p_checkpoint_ns": ("text", namespaces), "p_checkpoint_id": ("text", checkpoint_ids), "p_channels": ("text[]", array_of(channels))}),
    "list_branches": ("select", {"p_thread_id": ("text", thread_ids), "p_checkpoint_ns": ("text", namespaces)}),
    "list_checkpoints": ("select", {"p_thread_id": ("text", thread_ids), "p_checkpoint_ns": ("text", namespaces), "p_checkpoint_id": ("text", checkpoint_ids), "p_filter": ("jsonb", jsonb(metadata)), "p_before": ("text", checkpoint_ids), "p_limit": ("integer", ints)}),
    "list_checkpoints_v2": ("select", {"p_thread_id": ("text", thread_ids), "p_checkpoint_ns": ("text", namespaces), "p_checkpoint_id": ("text", checkpoint_ids), "p_filter": ("jsonb", jsonb(metadata)), "p_before": ("text", checkpoint_ids), "p_limit": ("integer", ints)}),
    "load_checkpoint": ("select", {"p_thread_id": ("text", thread_ids), "p_checkpoint_id": ("text", checkpoint_ids), "p_checkpoint_ns": ("text", namespaces)}),
    "prune_checkpoints": ("select", {"p_thread_ids": ("text[]", array_of(thread_ids)), "p_strategy": ("text", _maybe(st.sampled_from(["keep_latest", "delete", "", "other"])))}),
    "put_checkpoint": ("select", {
        "p_thread_id": ("text", thread_ids), "p_checkpoint_ns": ("text", namespaces),
        "p_checkpoint_id": ("text", checkpoint_ids), "p_parent_checkpoint_id": ("text", checkpoint_ids),
        "p_checkpoint": ("jsonb", jsonb(checkpoints)), "p_metadata": ("jsonb", jsonb(metadata)),
        "p_channels": ("text[]", array_of(channels)), "p_types": ("text[]", array_of(types)),
        "p_values": ("jsonb[]", VALUES), "p_blobs": ("bytea[]", array_of(blobs)),
        "p_exclusive": ("boolean", _maybe(st.booleans())), "p_lease_owner": ("text", ids(["o1"])),
    }),
    "put_checkpoint_v2": ("select", {
        "p_thread_id": ("text", thread_ids), "p_checkpoint_ns": ("text", namespaces),
        "p_checkpoint_id": ("text", checkpoint_ids), "p_parent_checkpoint_id": ("text", checkpoint_ids),
        "p_checkpoint": ("jsonb", jsonb(checkpoints)), "p_metadata": ("jsonb", jsonb(metadata)),
        "p_channels": ("text[]", array_of(channels)), "p_types": ("text[]", array_of(types)),
        "p_values": ("jsonb[]", VALUES), "p_blobs": ("bytea[]", array_of(blobs)),
        "p_base_versions": ("text[]", array_of(_maybe(st.sampled_from(["1", "2", ""])))),
        "p_exclusive": ("boolean", _maybe(st.booleans())), "p_lease_owner": ("text", ids(["o1"])),
    }),
    "put_writes": ("select", {
        "p_thread_id": ("text", thread_ids), "p_checkpoint_ns": ("text", namespaces),
        "p_checkpoint_id": ("text", checkpoint_ids), "p_task_id": ("text", ids(["task-1", "task-2"])),
        "p_channels": ("text[]", array_of(channels)), "p_types": ("text[]", array_of(types)),
        "p_values": ("jsonb[]", VALUES), "p_blobs": ("bytea[]", array_of(blobs)),
        "p_task_path": ("text", _maybe(_text)),
    }),
    "save_checkpoint": ("select", {"p_thread_id": ("text", thread_ids), "p_state": ("jsonb", jsonb(json_values)), "p_metadata": ("jsonb", jsonb(metadata)), "p_checkpoint_ns": ("text", namespaces), "p_lease_owner": ("text", ids(["o1"]))}),
    # The global setting only with NULL (refused); per thread anything.
    "set_compression": ("select", {"p_enabled": ("boolean", st.none()), "p_thread_id": ("text", st.none())}),
    "set_compression#thread": ("select", {"p_enabled": ("boolean", _maybe(st.booleans())), "p_thread_id": ("text", st.one_of(st.just(""), st.just("x" * 1025), st.sampled_from(THREADS)))}),
    "stats": ("select", {}),
    "schema_version": ("select", {}),
    # Whole-database procedures and scheduling: only arguments that must be refused.
    "cleanup_old_checkpoints": ("call", {"retention_days": ("integer", ints), "batch_size": ("integer", bad_batch_sizes), "keep_last": ("integer", ints), "tombstone_days": ("integer", ints)}),
    "expire_idle_threads": ("call", {"idle": ("interval", intervals), "batch_size": ("integer", bad_batch_sizes), "tombstone_days": ("integer", ints)}),
    "schedule_cleanup": ("select", {"cron_expression": ("text", _maybe(_text)), "retention_days": ("integer", negative_days), "job_name": ("text", _maybe(_text))}),
}


@st.composite
def _coherent_values(draw: Any, versions_of: st.SearchStrategy[Any] = versions) -> dict[str, Any]:
    """Channels, their versions and well-formed value arrays that agree with each other."""
    names = draw(st.lists(st.sampled_from(CHANNELS), unique=True, max_size=3))
    kinds = [draw(st.sampled_from(["json", "empty", "msgpack"])) for _ in names]
    return {
        "versions": {name: draw(versions_of) for name in names},
        "p_channels": names,
        "p_types": kinds,
        "p_values": [json.dumps(draw(json_values)) if kind == "json" else None for kind in kinds],
        "p_blobs": [draw(st.binary(max_size=4)) if kind == "msgpack" else None for kind in kinds],
    }


@st.composite
def _coherent_put(draw: Any) -> dict[str, Any]:
    """put_checkpoint arguments that pass most checks, so the later ones are reached."""
    values = draw(_coherent_values())
    checkpoint_id = draw(st.sampled_from(CHECKPOINT_IDS))
    document: dict[str, Any] = {"channel_versions": values.pop("versions")}
    if draw(st.booleans()):
        document["id"] = checkpoint_id
    return {
        "p_thread_id": draw(st.sampled_from(THREADS)),
        "p_checkpoint_ns": draw(st.sampled_from(["", "child:1"])),
        "p_checkpoint_id": checkpoint_id,
        "p_parent_checkpoint_id": draw(st.one_of(st.none(), st.sampled_from(CHECKPOINT_IDS))),
        "p_checkpoint": Jsonb(document),
        "p_metadata": Jsonb(draw(metadata_objects)),
        **values,
        "p_exclusive": draw(_maybe(st.booleans())),
        "p_lease_owner": draw(st.one_of(st.none(), st.just("o1"))),
    }


@st.composite
def _coherent_writes(draw: Any) -> dict[str, Any]:
    values = draw(_coherent_values())
    del values["versions"]
    return {
        "p_thread_id": draw(st.sampled_from(THREADS)),
        "p_checkpoint_ns": "",
        "p_checkpoint_id": draw(st.sampled_from(CHECKPOINT_IDS)),
        "p_task_id": draw(st.sampled_from(["task-1", "task-2"])),
        **values,
        "p_task_path": draw(_maybe(_text)),
    }


def _mutated(coherent: st.SearchStrategy[dict[str, Any]], broad: st.SearchStrategy[dict[str, Any]]) -> Any:
    """Coherent arguments with at most one replaced by an arbitrary one."""

    @st.composite
    def one(draw: Any) -> dict[str, Any]:
        args = draw(coherent)
        wild = draw(broad)
        key = draw(st.one_of(st.none(), st.sampled_from(sorted(wild))))
        if key is not None:
            args[key] = wild[key]
        return args

    return one()


@st.composite
def _coherent_batch(draw: Any) -> dict[str, Any]:
    saves = draw(st.lists(_coherent_put(), min_size=1, max_size=3))
    return {
        "p_thread_ids": [a["p_thread_id"] for a in saves],
        "p_checkpoint_ns": [a["p_checkpoint_ns"] for a in saves],
        "p_checkpoint_ids": [a["p_checkpoint_id"] for a in saves],
        "p_parent_ids": [a["p_parent_checkpoint_id"] for a in saves],
        "p_checkpoints": [json.dumps(a["p_checkpoint"].obj) for a in saves],
        "p_metadata": [json.dumps(a["p_metadata"].obj) for a in saves],
        "p_value_owners": [i for i, a in enumerate(saves, start=1) for _ in a["p_channels"]],
        "p_channels": [c for a in saves for c in a["p_channels"]],
        "p_types": [t for a in saves for t in a["p_types"]],
        "p_values": [v for a in saves for v in a["p_values"]],
        "p_blobs": [b for a in saves for b in a["p_blobs"]],
        "p_exclusive": saves[0]["p_exclusive"],
        "p_lease_owner": saves[0]["p_lease_owner"],
    }


COHERENT: dict[str, st.SearchStrategy[dict[str, Any]]] = {
    "batch_save_checkpoints": _coherent_batch(),
    "put_checkpoint": _coherent_put(),
    "put_checkpoint_v2": _coherent_put().map(lambda a: {**a, "p_base_versions": None}),
    "put_writes": _coherent_writes(),
}


def _call_sql(name: str, kind: str, params: dict[str, tuple[str, Any]]) -> str:
    function = name.split("#")[0]
    args = ", ".join(f"{p} => %({p})s::{sql_type}" for p, (sql_type, _) in params.items())
    if kind == "call":
        return f"CALL langgraph.{function}({args})"
    return f"SELECT * FROM langgraph.{function}({args})"


def _check_call(conn: psycopg.Connection[Any], query: str, args: dict[str, Any]) -> None:
    before = snapshot(conn)
    try:
        conn.execute(query, args).fetchall() if query.startswith("SELECT") else conn.execute(query, args)
        event("succeeded")
    except psycopg.Error as exc:
        event(f"refused: {exc.sqlstate}")
        assert exc.sqlstate is not None and TYPED_ERROR.match(exc.sqlstate), (
            f"untyped error {exc.sqlstate}: {exc}\narguments: {args!r}"
        )
        assert exc.diag.message_hint, f"{exc.sqlstate} without a HINT: {exc}"
        assert snapshot(conn) == before, f"{exc.sqlstate} left the database changed: {args!r}"


def _property(name: str) -> Callable[..., None]:
    kind, params = API[name]
    query = _call_sql(name, kind, params)
    strategy = st.fixed_dictionaries({p: s for p, (_, s) in params.items()})
    if name in COHERENT:
        strategy = st.one_of(_mutated(COHERENT[name], strategy), strategy)

    @examples(ci=12, full=300)
    @given(args=strategy)
    def run(conn: psycopg.Connection[Any], args: dict[str, Any]) -> None:
        _check_call(conn, query, args)

    return run


@pytest.fixture(scope="module")
def conn(database_url: str) -> Any:
    with psycopg.connect(database_url, autocommit=True) as connection:
        # A call that does not end (a walk that loops) fails the property instead of
        # hanging the suite.
        connection.execute("SET statement_timeout = '20s'")
        yield connection
        for thread_id in THREADS:
            connection.execute("SELECT langgraph.delete_thread(%s)", (thread_id,))


def _seed(conn: psycopg.Connection[Any]) -> None:
    # A few real rows so calls reach them: a chain cp-1 <- cp-2 in the first thread.
    for thread_id in THREADS[:1]:
        conn.execute(
            "SELECT langgraph.put_checkpoint(%s, '', 'cp-1', NULL,"
            " '{\"id\": \"cp-1\", \"channel_versions\": {\"a\": \"1\", \"__lg__\": \"1\"}}',"
            " '{\"source\": \"loop\", \"step\": 0, \"run_id\": \"run-1\"}',"
            " ARRAY['a', '__lg__'], ARRAY['json', 'json'], ARRAY['[1]'::jsonb, '{}'::jsonb], ARRAY[NULL, NULL]::bytea[])",
            (thread_id,),
        )
        conn.execute(
            "SELECT langgraph.put_checkpoint(%s, '', 'cp-2', 'cp-1',"
            " '{\"id\": \"cp-2\", \"channel_versions\": {\"a\": \"2\", \"__lg__\": \"1\"}}',"
            " '{\"source\": \"loop\", \"step\": 1}', ARRAY['a'], ARRAY['json'], ARRAY['[1, 2]'::jsonb], ARRAY[NULL]::bytea[])",
            (thread_id,),
        )


@pytest.mark.parametrize("name", sorted(API))
def test_sql_api_raises_only_typed_errors(conn: psycopg.Connection[Any], name: str) -> None:
    if not conn.execute("SELECT count(*) FROM langgraph.checkpoints WHERE thread_id = %s", (THREADS[0],)).fetchone()[0]:
        _seed(conn)
    _property(name)(conn)
