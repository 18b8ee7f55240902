"""The sharded deployment (sharded/, scripts/sharded): what routing through PL/Proxy
must keep true. The conformance suite, the graph tests and the client tests also run
through the proxy (scripts/test, step "sharded").
"""

from __future__ import annotations

import os
import subprocess
import uuid
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone

import psycopg
import pytest
from conftest import REPO_ROOT, Sharded

from langgraph.checkpoint.plpgsql import (
    CrossPartitionError,
    InvalidArgumentError,
    InvalidIdentifierError,
    PartitionUnavailableError,
    PostgresCheckpointer,
)

# On a partition, not through the proxy, and why (docs/scaling.md).
NOT_PROXIED = {
    "schedule_cleanup": "pg_cron schedules in each partition's own database",
    "unschedule_cleanup": "pg_cron schedules in each partition's own database",
    "cleanup_old_checkpoints": "a procedure that COMMITs per batch; a PL/Proxy call is one SELECT",
    "expire_idle_threads": "a procedure that COMMITs per batch; a PL/Proxy call is one SELECT",
    "cleanup_progress": "the retention runs of the partition it is called on, which is where retention runs",
}

API = """
SELECT p.proname, pg_catalog.pg_get_function_arguments(p.oid), pg_catalog.pg_get_function_result(p.oid)
FROM pg_catalog.pg_proc AS p
WHERE p.pronamespace = 'langgraph'::regnamespace AND p.proname !~ '^_'
ORDER BY 1, 2"""

# Every table of a partition that has rows of a thread, with the column naming it.
THREAD_TABLES = """
SELECT c.relname, a.attname
FROM pg_catalog.pg_class AS c
JOIN pg_catalog.pg_attribute AS a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
WHERE c.relnamespace = 'langgraph'::regnamespace AND c.relkind IN ('r', 'p')
  AND a.attname = 'thread_id'
ORDER BY 1"""


def _put(saver: PostgresCheckpointer, thread_id: str, step: int, parent: dict | None = None) -> dict:
    from langgraph.checkpoint.base import empty_checkpoint

    checkpoint = empty_checkpoint()
    checkpoint["channel_values"] = {"messages": [f"m{step}"]}
    checkpoint["channel_versions"] = {"messages": str(step + 1)}
    config = parent or {"configurable": {"thread_id": thread_id, "checkpoint_ns": ""}}
    return saver.put(config, checkpoint, {"step": step, "source": "loop"}, {"messages": str(step + 1)})


@pytest.fixture(scope="module")
def proxy_saver(sharded: Sharded) -> Iterator[PostgresCheckpointer]:
    with PostgresCheckpointer.from_conn_string(sharded.proxy, min_connections=1) as saver:
        saver.setup()
        yield saver


def _partition_of(sharded: Sharded, thread_id: str) -> int:
    with psycopg.connect(sharded.proxy) as conn:
        return conn.execute("SELECT langgraph._partition_of(%s)", (thread_id,)).fetchone()[0]


def test_every_api_function_has_the_partitions_signature(sharded: Sharded) -> None:
    with psycopg.connect(sharded.partitions[0]) as conn:
        partition = {(n, a, r) for n, a, r in conn.execute(API)}
    with psycopg.connect(sharded.proxy) as conn:
        proxy = {(n, a, r) for n, a, r in conn.execute(API)}
    expected = {(n, a, r) for n, a, r in partition if n not in NOT_PROXIED}
    assert proxy == expected
    assert {n for n, _, _ in partition} - {n for n, _, _ in proxy} == set(NOT_PROXIED)


def test_the_proxy_api_is_secured_like_a_partitions(sharded: Sharded) -> None:
    query = """
        SELECT p.proname, p.prosecdef,
               pg_catalog.has_function_privilege('public', p.oid, 'execute'),
               pg_catalog.has_function_privilege('langgraph_client', p.oid, 'execute'),
               pg_catalog.has_function_privilege('langgraph_reader', p.oid, 'execute'),
               pg_catalog.obj_description(p.oid, 'pg_proc') LIKE '%Raises%'
        FROM pg_catalog.pg_proc AS p
        WHERE p.pronamespace = 'langgraph'::regnamespace AND p.proname !~ '^_' ORDER BY 1"""
    with psycopg.connect(sharded.partitions[0]) as conn:
        partition = {row[0]: row[1:] for row in conn.execute(query)}
    with psycopg.connect(sharded.proxy) as conn:
        proxy = {row[0]: row[1:] for row in conn.execute(query)}
        internal_public = conn.execute(
            "SELECT count(*) FROM pg_catalog.pg_proc AS p"
            " WHERE p.pronamespace = 'langgraph'::regnamespace AND p.proname ~ '^_'"
            " AND pg_catalog.has_function_privilege('langgraph_client', p.oid, 'execute')"
        ).fetchone()[0]
    assert proxy == {name: row for name, row in partition.items() if name not in NOT_PROXIED}
    assert internal_public == 0


def test_every_thread_lives_on_exactly_the_partition_its_hash_names(
    sharded: Sharded, proxy_saver: PostgresCheckpointer
) -> None:
    threads = [f"placement-{uuid.uuid4()}" for _ in range(40)]
    for thread_id in threads:
        config = _put(proxy_saver, thread_id, 0)
        proxy_saver.put_writes(config, [("messages", ["w"])], task_id="task-1")
        proxy_saver.acquire_lease(thread_id, ttl=60, owner="owner-1")
    found: dict[str, set[int]] = {t: set() for t in threads}
    for number, dsn in enumerate(sharded.partitions):
        with psycopg.connect(dsn) as conn:
            tables = conn.execute(THREAD_TABLES).fetchall()
            assert {"checkpoints", "checkpoint_blobs", "checkpoint_writes", "threads"} <= {
                t for t, _ in tables
            }
            for table, column in tables:
                rows = conn.execute(
                    psycopg.sql.SQL("SELECT DISTINCT {} FROM langgraph.{} WHERE {} = ANY(%s)").format(
                        psycopg.sql.Identifier(column),
                        psycopg.sql.Identifier(table),
                        psycopg.sql.Identifier(column),
                    ),
                    (threads,),
                ).fetchall()
                for (thread_id,) in rows:
                    found[thread_id].add(number)
    with psycopg.connect(sharded.proxy) as conn:
        expected = dict(
            conn.execute(
                "SELECT t, pg_catalog.hashtext(t) & (%s - 1) FROM unnest(%s::text[]) AS t",
                (len(sharded.partitions), threads),
            ).fetchall()
        )
    assert found == {t: {expected[t]} for t in threads}
    # 40 random threads over 4 partitions: every partition holds some.
    assert {expected[t] for t in threads} == set(range(len(sharded.partitions)))


def test_a_list_across_threads_merges_order_limit_and_pages(
    sharded: Sharded, proxy_saver: PostgresCheckpointer
) -> None:
    tag = str(uuid.uuid4())
    threads = [f"merge-{tag}-{i}" for i in range(12)]
    for step in range(3):
        for thread_id in threads:
            checkpoint_config = _put(proxy_saver, thread_id, step)
            del checkpoint_config
    flt = {"source": "loop"}
    # What one database would answer: every partition's rows, in the API's order.
    direct: list[tuple[str, str, str]] = []
    for dsn in sharded.partitions:
        with psycopg.connect(dsn) as conn:
            direct += conn.execute(
                "SELECT checkpoint_id, thread_id, checkpoint_ns FROM langgraph.list_checkpoints("
                "p_filter => %s::jsonb) WHERE thread_id = ANY(%s)",
                (psycopg.types.json.Jsonb(flt), threads),
            ).fetchall()
    direct.sort(key=lambda r: (r[0], r[1], r[2]), reverse=False)
    direct = sorted(direct, key=lambda r: r[0], reverse=True)
    assert len(direct) == 36
    with psycopg.connect(sharded.proxy) as conn:
        # The filter narrows the rows to this test's threads when matched with the tag.
        def page(before: str | None, limit: int) -> list[tuple[str, str, str]]:
            return conn.execute(
                "SELECT checkpoint_id, thread_id, checkpoint_ns FROM langgraph.list_checkpoints("
                "p_filter => %s::jsonb, p_before => %s, p_limit => %s) WHERE thread_id = ANY(%s)",
                (psycopg.types.json.Jsonb(flt), before, limit, threads),
            ).fetchall()

        everything = conn.execute(
            "SELECT checkpoint_id, thread_id, checkpoint_ns FROM langgraph.list_checkpoints("
            "p_filter => %s::jsonb) WHERE thread_id = ANY(%s)",
            (psycopg.types.json.Jsonb(flt), threads),
        ).fetchall()
        assert everything == direct
        # The limit is global, not per partition, and pages follow on from each other.
        newest = conn.execute("SELECT checkpoint_id FROM langgraph.list_checkpoints(p_limit => 5)").fetchall()
        assert len(newest) == 5
        assert [r[0] for r in newest] == sorted((r[0] for r in newest), reverse=True)
        seen: list[tuple[str, str, str]] = []
        before = None
        while True:
            rows = page(before, 7)
            if not rows:
                break
            seen += rows
            before = rows[-1][0]
        # A cursor is a checkpoint id: rows sharing the cursor's id on other threads
        # are on the next page only if their id is lower, exactly as on one database.
        assert [r[0] for r in seen] == sorted((r[0] for r in seen), reverse=True)
        assert set(seen) <= set(direct)
        assert {r[0] for r in seen} == {r[0] for r in direct}


def test_cross_thread_functions_run_on_every_partition(
    sharded: Sharded, proxy_saver: PostgresCheckpointer
) -> None:
    threads = [f"cross-{uuid.uuid4()}" for _ in range(16)]
    for thread_id in threads:
        config = _put(proxy_saver, thread_id, 0)
        _put(proxy_saver, thread_id, 1, config)
    assert len({_partition_of(sharded, t) for t in threads}) > 1
    # stats: the partitions' counts add up.
    total = 0
    for dsn in sharded.partitions:
        with psycopg.connect(dsn) as conn:
            total += conn.execute("SELECT (langgraph.stats() ->> 'checkpoints')::bigint").fetchone()[0]
    stats = proxy_saver.stats()
    assert stats["partitions"] == len(sharded.partitions)
    assert stats["checkpoints"] == total
    # prune across partitions: each partition prunes its own threads, the counts add up.
    proxy_saver.prune(threads, strategy="keep_latest")
    for thread_id in threads:
        assert len(list(proxy_saver.list({"configurable": {"thread_id": thread_id}}))) == 1


def _spread(sharded: Sharded, prefix: str, per_partition: int) -> list[str]:
    """Thread ids, ``per_partition`` on each partition, in turn: p0, p1, ..., p0, p1, ..."""
    candidates = [f"{prefix}-{i}" for i in range(64 * per_partition * len(sharded.partitions))]
    with psycopg.connect(sharded.proxy) as conn:
        placed = conn.execute(
            "SELECT t, langgraph._partition_of(t)"
            " FROM unnest(%s::text[]) WITH ORDINALITY AS u (t, n) ORDER BY n",
            (candidates,),
        ).fetchall()
    by_partition: dict[int, list[str]] = {n: [] for n in range(len(sharded.partitions))}
    for thread_id, number in placed:
        by_partition[number].append(thread_id)
    return [by_partition[n][i] for i in range(per_partition) for n in sorted(by_partition)]


def _put_tagged(saver: PostgresCheckpointer, thread_id: str, tag: str) -> dict:
    from langgraph.checkpoint.base import empty_checkpoint

    config = {"configurable": {"thread_id": thread_id, "checkpoint_ns": ""}}
    return saver.put(config, empty_checkpoint(), {"tag": tag, "step": 0}, {})


def test_search_threads_pages_across_partitions_as_on_one_database(
    sharded: Sharded, proxy_saver: PostgresCheckpointer
) -> None:
    tag = str(uuid.uuid4())
    threads = _spread(sharded, f"search-{tag}", 3)  # 12: three on each partition
    for thread_id in threads:
        _put_tagged(proxy_saver, thread_id, tag)
    count = len(sharded.partitions)
    partition_of = {t: n for n in range(count) for t in threads[n::count]}
    # Three creation times, each shared by one thread of every partition: the order within
    # a time is thread_id DESC, and a page boundary falls inside a group, between partitions.
    base = datetime(2026, 1, 1, tzinfo=timezone.utc)
    created = {t: base + timedelta(seconds=i % 3) for i, t in enumerate(threads)}
    for number, dsn in enumerate(sharded.partitions):
        with psycopg.connect(dsn) as conn:
            for thread_id in threads:
                if partition_of[thread_id] == number:
                    conn.execute(
                        "UPDATE langgraph.threads SET created_at = %s WHERE thread_id = %s",
                        (created[thread_id], thread_id),
                    )
    for second in range(3):
        group = {partition_of[t] for t in threads if created[t] == base + timedelta(seconds=second)}
        assert group == set(range(len(sharded.partitions)))
    expected = sorted(threads, key=lambda t: (created[t], t), reverse=True)
    where = {"tag": tag}

    # What one database holding every thread answers: the partitions' rows in the API's order.
    direct: list[tuple[datetime, str]] = []
    single_count = 0
    for dsn in sharded.partitions:
        with psycopg.connect(dsn) as conn:
            direct += conn.execute(
                "SELECT created_at, thread_id"
                " FROM langgraph.search_threads(p_metadata => %s, p_limit => NULL)",
                (psycopg.types.json.Jsonb(where),),
            ).fetchall()
            single_count += conn.execute(
                "SELECT langgraph.count_threads(p_metadata => %s)", (psycopg.types.json.Jsonb(where),)
            ).fetchone()[0]
    assert [t for _, t in sorted(direct, reverse=True)] == expected
    assert single_count == len(threads)

    everything = proxy_saver.search_threads(metadata=where, limit=None)
    assert [r.thread_id for r in everything] == expected
    assert [r.created_at for r in everything] == [created[t] for t in expected]
    assert all(r.metadata == {"tag": tag, "step": 0} and r.status == "idle" for r in everything)
    # The limit is the page's, not each partition's; the cursor is a page's last row and
    # works on every partition at once.
    pages = [proxy_saver.search_threads(metadata=where, limit=5)]
    while pages[-1]:
        pages.append(proxy_saver.search_threads(metadata=where, limit=5, after=pages[-1][-1]))
    assert [len(p) for p in pages] == [5, 5, 2, 0]
    assert [r.thread_id for p in pages for r in p] == expected
    first, second = pages[0], pages[1]
    assert len({partition_of[r.thread_id] for r in first}) > 1
    # The boundary splits a creation time between two partitions.
    assert first[-1].created_at == second[0].created_at
    assert partition_of[first[-1].thread_id] != partition_of[second[0].thread_id]

    # count_threads: the sum, equal to the one-database count, with the filters applied.
    assert proxy_saver.count_threads(metadata=where) == single_count
    assert proxy_saver.count_threads(metadata=where, created_since=base + timedelta(seconds=1)) == 8
    assert proxy_saver.count_threads(metadata=where, created_before=base + timedelta(seconds=1)) == 4
    total = 0
    for dsn in sharded.partitions:
        with psycopg.connect(dsn) as conn:
            total += conn.execute("SELECT langgraph.count_threads()").fetchone()[0]
    assert proxy_saver.count_threads() == total
    assert proxy_saver.search_threads(metadata=where, limit=0) == []
    # Errors of the partitions pass through with their SQLSTATE.
    with psycopg.connect(sharded.proxy) as conn:
        for call in (
            "SELECT * FROM langgraph.search_threads(p_cursor_thread_id => 'x')",
            "SELECT * FROM langgraph.search_threads(p_limit => -1)",
            "SELECT * FROM langgraph.search_threads(p_limit => 0, p_cursor_thread_id => 'x')",
            "SELECT langgraph.count_threads(p_status => 'busy')",
            "SELECT * FROM langgraph.list_checkpoints(p_limit => -1)",
        ):
            with pytest.raises(psycopg.Error) as raised:
                conn.execute(call)
            assert raised.value.sqlstate == "LG003", call
            conn.rollback()


def test_thread_retention_settings_land_on_the_threads_partition(
    sharded: Sharded, proxy_saver: PostgresCheckpointer
) -> None:
    tag = str(uuid.uuid4())
    refreshed, plain, pinned, pinned_ttl = _spread(sharded, f"ttl-{tag}", 1)  # one on each partition
    for thread_id in (refreshed, plain, pinned, pinned_ttl):
        _put_tagged(proxy_saver, thread_id, tag)
    hour = timedelta(hours=1)
    before = datetime.now(timezone.utc)
    expires = proxy_saver.set_thread_ttl(refreshed, hour, refresh_on_read=True)
    assert expires is not None and before + hour - timedelta(minutes=1) < expires < before + 2 * hour
    assert proxy_saver.set_thread_ttl(plain, 2 * hour) is not None
    assert proxy_saver.pin_thread(pinned) is True
    assert proxy_saver.pin_thread(pinned_ttl) is True
    assert proxy_saver.set_thread_ttl(pinned_ttl, hour) is None  # pinned: no expiry
    assert proxy_saver.touch_thread(refreshed) is True
    assert proxy_saver.touch_thread(plain) is False
    assert proxy_saver.touch_thread(pinned) is False
    with pytest.raises(InvalidArgumentError):
        proxy_saver.set_thread_ttl(plain, timedelta(0))

    wanted = {
        refreshed: (hour, False, True, True),
        plain: (2 * hour, False, False, False),
        pinned: (None, True, False, False),
        pinned_ttl: (hour, True, False, False),
    }
    found: dict[str, list[tuple[int, tuple]]] = {t: [] for t in wanted}
    for number, dsn in enumerate(sharded.partitions):
        with psycopg.connect(dsn) as conn:
            for thread_id, ttl, is_pinned, refresh, read in conn.execute(
                "SELECT thread_id, ttl, pinned, refresh_on_read, read_at IS NOT NULL"
                " FROM langgraph.thread_settings WHERE thread_id = ANY(%s)",
                (list(wanted),),
            ):
                found[thread_id].append((number, (ttl, is_pinned, refresh, read)))
    assert found == {t: [(_partition_of(sharded, t), row)] for t, row in wanted.items()}
    # And search_threads through the proxy reports them.
    rows = {r.thread_id: r for r in proxy_saver.search_threads(metadata={"tag": tag})}
    assert {t: (r.ttl, r.pinned, r.refresh_on_read) for t, r in rows.items()} == {
        t: row[:3] for t, row in wanted.items()
    }
    assert rows[pinned].expires_at is None and rows[pinned_ttl].expires_at is None
    assert rows[plain].expires_at is not None and rows[plain].expires_at > rows[refreshed].expires_at
    assert proxy_saver.pin_thread(pinned, False) is False
    again = {r.thread_id: r for r in proxy_saver.search_threads(metadata={"tag": tag})}
    assert again[pinned].pinned is False and again[pinned_ttl].pinned is True


def test_a_batch_across_partitions_is_refused_whole(
    sharded: Sharded, proxy_saver: PostgresCheckpointer
) -> None:
    from langgraph.checkpoint.base import empty_checkpoint

    a = f"batch-a-{uuid.uuid4()}"
    b = next(
        f"{a}-b{i}" for i in range(100) if _partition_of(sharded, f"{a}-b{i}") != _partition_of(sharded, a)
    )
    same = next(
        f"{a}-s{i}" for i in range(100) if _partition_of(sharded, f"{a}-s{i}") == _partition_of(sharded, a)
    )

    def item(thread_id: str) -> tuple:
        return (
            {"configurable": {"thread_id": thread_id, "checkpoint_ns": ""}},
            empty_checkpoint(),
            {"step": 0},
            {},
        )

    with pytest.raises(CrossPartitionError):
        proxy_saver.batch_save_checkpoints([item(a), item(b)])
    for thread_id in (a, b):  # nothing of it was saved
        assert proxy_saver.get_tuple({"configurable": {"thread_id": thread_id, "checkpoint_ns": ""}}) is None
    saved = proxy_saver.batch_save_checkpoints([item(a), item(same)])
    assert [c["configurable"]["thread_id"] for c in saved] == [a, same]
    assert proxy_saver.get_tuple(saved[1]) is not None


def test_a_fork_across_partitions_copies_the_path(
    sharded: Sharded, proxy_saver: PostgresCheckpointer
) -> None:
    source = f"fork-{uuid.uuid4()}"
    first = _put(proxy_saver, source, 0)
    proxy_saver.put_writes(first, [("messages", ["pending"])], task_id="task-1")
    second = _put(proxy_saver, source, 1, first)
    _put(proxy_saver, source, 2, second)  # after the fork point: not copied
    for wanted in (False, True):
        target = next(
            f"{source}-{wanted}-{i}"
            for i in range(100)
            if (_partition_of(sharded, f"{source}-{wanted}-{i}") == _partition_of(sharded, source)) is wanted
        )
        forked = proxy_saver.fork_thread(second, target)
        assert forked["configurable"]["thread_id"] == target
        history = list(proxy_saver.list({"configurable": {"thread_id": target}}))
        assert [t.checkpoint["id"] for t in history] == [
            second["configurable"]["checkpoint_id"],
            first["configurable"]["checkpoint_id"],
        ]
        assert history[1].pending_writes == [("task-1", "messages", ["pending"])]
        assert history[0].checkpoint["channel_values"] == {"messages": ["m1"]}
        # A target that has checkpoints is refused, across partitions as on one.
        with pytest.raises(InvalidArgumentError):
            proxy_saver.fork_thread(second, target)


def test_the_partitions_errors_pass_through_typed(proxy_saver: PostgresCheckpointer) -> None:
    with pytest.raises(InvalidIdentifierError):
        proxy_saver.get_tuple({"configurable": {"thread_id": "", "checkpoint_ns": ""}})


def test_a_partition_down_fails_only_its_threads(sharded: Sharded, proxy_saver: PostgresCheckpointer) -> None:
    threads = [f"down-{uuid.uuid4()}" for _ in range(24)]
    for thread_id in threads:
        _put(proxy_saver, thread_id, 0)
    down = _partition_of(sharded, threads[0])
    down_db = sharded.partitions[down].rsplit("/", 1)[1]
    admin = sharded.partitions[(down + 1) % len(sharded.partitions)]
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(
            psycopg.sql.SQL("ALTER DATABASE {} ALLOW_CONNECTIONS false").format(
                psycopg.sql.Identifier(down_db)
            )
        )
        conn.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", (down_db,))
    try:
        failed, served = [], []
        for thread_id in threads:
            config = {"configurable": {"thread_id": thread_id, "checkpoint_ns": ""}}
            try:
                assert proxy_saver.get_tuple(config) is not None
                served.append(thread_id)
            except PartitionUnavailableError:
                failed.append(thread_id)
        assert failed and served
        assert {_partition_of(sharded, t) for t in failed} == {down}
        assert down not in {_partition_of(sharded, t) for t in served}
        # A call that needs every partition fails typed too.
        with pytest.raises(PartitionUnavailableError):
            list(proxy_saver.list(None, limit=1))
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(
                psycopg.sql.SQL("ALTER DATABASE {} ALLOW_CONNECTIONS true").format(
                    psycopg.sql.Identifier(down_db)
                )
            )
    # Back: its threads are served again.
    assert proxy_saver.get_tuple({"configurable": {"thread_id": threads[0], "checkpoint_ns": ""}}) is not None


def test_the_proxy_hop_costs_a_bounded_factor(sharded: Sharded) -> None:
    """bench/proxy.py, short: the figures of a full run are in docs/scaling.md."""
    import sys

    sys.path.insert(0, str(REPO_ROOT / "bench"))
    import proxy as bench_proxy

    results = bench_proxy.measure(sharded.proxy, sharded.partitions, ops=150)
    print("\n" + bench_proxy.report(results))
    # One more hop and one more function call per call: a bounded factor, not an order of
    # magnitude. Bounds loose enough for a loaded 2-core CI machine, where every extra
    # process in the path waits for a core (docs/scaling.md has a full run's figures).
    direct_total = sum(direct for direct, _, _, _ in results.values())
    proxy_total = sum(proxy for _, _, proxy, _ in results.values())
    assert proxy_total < 6 * direct_total, results
    for name, (direct_median, _, proxy_median, _) in results.items():
        assert proxy_median < 20 * direct_median, (name, direct_median, proxy_median)


def test_the_proxy_plan_reverts_and_deploys_again(
    sharded: Sharded, proxy_saver: PostgresCheckpointer
) -> None:
    """Last in this file: the proxy is gone for a moment. The partitions are untouched."""
    target = "db:pg://" + sharded.proxy.split("://", 1)[1]
    env = {"SQITCH_FULLNAME": "tests", "SQITCH_EMAIL": "tests@localhost", **os.environ}
    sqitch = ["sqitch", "--quiet"]
    cwd = REPO_ROOT / "sharded"
    subprocess.run(
        [*sqitch, "revert", "-y", "--target", target], cwd=cwd, env=env, check=True, capture_output=True
    )
    with psycopg.connect(sharded.proxy) as conn:
        assert conn.execute("SELECT to_regnamespace('langgraph')").fetchone()[0] is None
    subprocess.run(
        [*sqitch, "deploy", "--verify", "--target", target], cwd=cwd, env=env, check=True, capture_output=True
    )
    with PostgresCheckpointer.from_conn_string(sharded.proxy, min_connections=1) as saver:
        saver.setup()
        assert saver.get_tuple({"configurable": {"thread_id": "after-redeploy", "checkpoint_ns": ""}}) is None
