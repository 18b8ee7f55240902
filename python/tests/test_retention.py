"""Retention procedures run for real: batches that COMMIT, writers racing them.

These tests call the SQL API directly through psycopg (the client's methods come
later). Everything they create is dated in the year 2000 and the procedures are
called with cutoffs around 2001, so that a run only ever reaches this file's own
threads even on a database other tests share.
"""

from __future__ import annotations

import os
import random
import threading
import time
from datetime import datetime, timedelta, timezone
from uuid import uuid4

import psycopg
import pytest
from psycopg.rows import dict_row

SCHEMA = "langgraph"
CLIENT_ROLE = f"{SCHEMA}_client"
# Test data lives in January 2000; these settings reach it and nothing younger.
OLD = datetime(2000, 1, 1, tzinfo=timezone.utc)
RETENTION_DAYS = (datetime.now(timezone.utc) - datetime(2001, 1, 1, tzinfo=timezone.utc)).days


def uuid6_at(at: datetime) -> str:
    """A UUIDv6 checkpoint id minted at ``at``, like LangGraph's."""
    ts = int(at.timestamp() * 10_000_000) + 0x01B21DD213814000
    rand = random.getrandbits(62)
    return (
        f"{ts >> 28:08x}-{(ts >> 12) & 0xFFFF:04x}-6{ts & 0xFFF:03x}-"
        f"{0x8000 | (rand >> 48) & 0x3FFF:04x}-{rand & 0xFFFFFFFFFFFF:012x}"
    )


def put(conn: psycopg.Connection, thread_id: str, checkpoint_id: str, parent: str | None, step: int) -> None:
    """One checkpoint with a new version of 'messages' and an unchanged 'config'."""
    versions = {"messages": f"{step:08d}", "config": "00000001"}
    conn.execute(
        f"""SELECT {SCHEMA}.put_checkpoint(
                p_thread_id => %(t)s, p_checkpoint_ns => '', p_checkpoint_id => %(c)s,
                p_parent_checkpoint_id => %(p)s,
                p_checkpoint => jsonb_build_object('id', %(c)s::text, 'channel_versions', %(v)s::jsonb),
                p_metadata => jsonb_build_object('step', %(s)s::int),
                p_channels => ARRAY['messages', 'config'], p_types => ARRAY['json', 'json'],
                p_values => ARRAY[jsonb_build_array(%(s)s::int), '{{"model": "x"}}'::jsonb],
                p_blobs => ARRAY[NULL, NULL]::bytea[])""",
        {"t": thread_id, "c": checkpoint_id, "p": parent, "s": step, "v": psycopg.types.json.Jsonb(versions)},
    )


def put_writes(conn: psycopg.Connection, thread_id: str, checkpoint_id: str, task: str = "task") -> None:
    conn.execute(
        f"""SELECT {SCHEMA}.put_writes(%s, '', %s, %s, ARRAY['messages'], ARRAY['json'],
                                        ARRAY['["w"]'::jsonb], ARRAY[NULL::bytea])""",
        (thread_id, checkpoint_id, task),
    )


def make_history(conn: psycopg.Connection, thread_id: str, n: int, start: datetime = OLD) -> list[str]:
    """n checkpoints a minute apart from ``start``, each with a pending write."""
    ids, parent = [], None
    for step in range(n):
        at = start + timedelta(minutes=step)
        cid = uuid6_at(at)
        put(conn, thread_id, cid, parent, step)
        put_writes(conn, thread_id, cid)
        conn.execute(
            f"UPDATE {SCHEMA}.checkpoints SET created_at = %s WHERE thread_id = %s AND checkpoint_id = %s",
            (at, thread_id, cid),
        )
        ids.append(cid)
        parent = cid
    conn.execute(f"UPDATE {SCHEMA}.threads SET updated_at = %s WHERE thread_id = %s", (start + timedelta(minutes=n), thread_id))
    return ids


def checkpoint_ids(conn: psycopg.Connection, thread_id: str) -> list[str]:
    rows = conn.execute(
        f"SELECT checkpoint_id FROM {SCHEMA}.checkpoints WHERE thread_id = %s ORDER BY checkpoint_id", (thread_id,)
    ).fetchall()
    return [r[0] for r in rows]


def assert_consistent(
    conn: psycopg.Connection, thread_ids: list[str], never_landed: frozenset[tuple[str, str]] = frozenset()
) -> None:
    """No dangling rows: every pending write belongs to a checkpoint, or to one minted
    after its thread's deletion (a new run's write that may precede its checkpoint), or
    to one in ``never_landed`` (its save was refused after the writes went in); every
    version a checkpoint names has its value row."""
    dangling_writes = conn.execute(
        f"""SELECT w.thread_id, w.checkpoint_id FROM {SCHEMA}.checkpoint_writes AS w
            LEFT JOIN {SCHEMA}.deleted_threads AS d USING (thread_id)
            WHERE w.thread_id = ANY (%s)
              AND NOT EXISTS (SELECT FROM {SCHEMA}.checkpoints AS c
                              WHERE (c.thread_id, c.checkpoint_ns, c.checkpoint_id)
                                  = (w.thread_id, w.checkpoint_ns, w.checkpoint_id))
              AND NOT coalesce({SCHEMA}._checkpoint_id_time(w.checkpoint_id) > d.deleted_at, false)""",
        (thread_ids,),
    ).fetchall()
    assert {(t, c) for t, c in dangling_writes} <= never_landed, dangling_writes
    missing_values = conn.execute(
        f"""SELECT c.thread_id, c.checkpoint_id, v.key FROM {SCHEMA}.checkpoints AS c
            CROSS JOIN jsonb_each_text(c.checkpoint -> 'channel_versions') AS v
            WHERE c.thread_id = ANY (%s)
              AND NOT EXISTS (SELECT FROM {SCHEMA}.checkpoint_blobs AS b
                              WHERE (b.thread_id, b.checkpoint_ns, b.channel, b.version)
                                  = (c.thread_id, c.checkpoint_ns, v.key, v.value))""",
        (thread_ids,),
    ).fetchall()
    assert missing_values == []


@pytest.fixture
def conn(database_url: str):
    with psycopg.connect(database_url, autocommit=True) as conn:
        yield conn


@pytest.fixture
def client_conn(database_url: str):
    """A connection with only the client role's privileges, as an application has."""
    with psycopg.connect(database_url, autocommit=True) as conn:
        conn.execute(f"SET ROLE {CLIENT_ROLE}")
        yield conn


def call_cleanup(conn: psycopg.Connection, **kwargs) -> dict:
    args = {"retention_days": RETENTION_DAYS, **kwargs}
    named = ", ".join(f"{k} => %({k})s" for k in args)
    cur = conn.cursor(row_factory=dict_row)
    return cur.execute(f"CALL {SCHEMA}.cleanup_old_checkpoints({named})", args).fetchone()


def call_expire(conn: psycopg.Connection, idle_before: datetime, **kwargs) -> dict:
    cur = conn.cursor(row_factory=dict_row)
    idle = conn.execute("SELECT now() - %s::timestamptz", (idle_before,)).fetchone()[0]
    args = {"idle": idle, **kwargs}
    named = ", ".join(f"{k} => %({k})s" for k in args)
    return cur.execute(f"CALL {SCHEMA}.expire_idle_threads({named})", args).fetchone()


def latest_run(conn: psycopg.Connection, procedure: str) -> dict:
    cur = conn.cursor(row_factory=dict_row)
    return cur.execute(
        f"SELECT * FROM {SCHEMA}.cleanup_runs WHERE procedure = %s ORDER BY run_id DESC LIMIT 1", (procedure,)
    ).fetchone()


def test_cleanup_keeps_last_n_and_commits_per_batch(conn, client_conn):
    threads = [f"retention-{uuid4()}" for _ in range(6)]
    for t in threads:
        make_history(conn, t, 12)
    # A live thread: five old checkpoints and a recent one.
    fresh = f"retention-{uuid4()}"
    old_ids = make_history(conn, fresh, 5)
    recent = uuid6_at(datetime.now(timezone.utc))
    put(conn, fresh, recent, old_ids[-1], 99)

    result = call_cleanup(client_conn, batch_size=7, keep_last=3)

    assert result["removed"] >= 6 * 9 + 3
    assert result["skipped"] == 0
    for t in threads:
        ids = checkpoint_ids(conn, t)
        assert len(ids) == 3, "the latest three stay"
    assert checkpoint_ids(conn, fresh) == old_ids[-2:] + [recent], "the latest three stay, old or not"
    assert_consistent(conn, threads + [fresh])
    run = latest_run(conn, "cleanup_old_checkpoints")
    assert run["finished_at"] is not None
    assert run["checkpoints_removed"] == result["removed"]
    assert run["batches"] >= (6 * 9 + 3) // 7, "work was split into batches of at most batch_size"


def test_cleanup_reports_through_notice(conn, client_conn):
    thread = f"retention-{uuid4()}"
    make_history(conn, thread, 3)
    notices: list[str] = []
    client_conn.add_notice_handler(lambda d: notices.append(d.message_primary))
    call_cleanup(client_conn)
    assert any(n.startswith("cleanup_old_checkpoints: removed") for n in notices)
    assert len(checkpoint_ids(conn, thread)) == 1


def test_cleanup_skips_a_thread_a_writer_holds(conn, client_conn, database_url):
    held, free = f"retention-{uuid4()}", f"retention-{uuid4()}"
    make_history(conn, held, 4)
    make_history(conn, free, 4)
    with psycopg.connect(database_url) as writer:  # an open transaction, as a put in flight
        put_writes(writer, held, checkpoint_ids(conn, held)[-1], task="in-flight")
        started = time.monotonic()
        result = call_cleanup(client_conn)
        assert time.monotonic() - started < 5, "cleanup does not wait for the writer"
        writer.commit()
    assert result["skipped"] >= 1
    assert len(checkpoint_ids(conn, held)) == 4, "the held thread is left for the next run"
    assert len(checkpoint_ids(conn, free)) == 1
    assert latest_run(conn, "cleanup_old_checkpoints")["threads_skipped"] >= 1
    call_cleanup(client_conn)
    assert len(checkpoint_ids(conn, held)) == 1, "the next run picks it up"


def test_expire_idle_threads_deletes_and_tombstones(conn, client_conn):
    idle, live = f"retention-{uuid4()}", f"retention-{uuid4()}"
    idle_ids = make_history(conn, idle, 3)
    make_history(conn, live, 3)
    conn.execute(f"UPDATE {SCHEMA}.threads SET updated_at = now() WHERE thread_id = %s", (live,))

    result = call_expire(client_conn, datetime(2001, 1, 1, tzinfo=timezone.utc), batch_size=1)

    assert result["removed"] >= 1
    assert checkpoint_ids(conn, idle) == []
    assert len(checkpoint_ids(conn, live)) == 3
    assert conn.execute(f"SELECT count(*) FROM {SCHEMA}.deleted_threads WHERE thread_id = %s", (idle,)).fetchone()[0] == 1
    with pytest.raises(psycopg.Error) as excinfo:
        put_writes(client_conn, idle, idle_ids[-1])
    assert excinfo.value.sqlstate == "LG008"
    assert conn.execute(f"SELECT count(*) FROM {SCHEMA}.threads WHERE thread_id = %s", (idle,)).fetchone()[0] == 0
    run = latest_run(conn, "expire_idle_threads")
    assert run["threads_removed"] >= 1 and run["finished_at"] is not None


def test_procedure_inside_a_transaction_fails_cleanly(database_url):
    with psycopg.connect(database_url) as conn:  # not autocommit: CALL runs in a transaction block
        with pytest.raises(psycopg.Error) as excinfo:
            conn.execute(f"CALL {SCHEMA}.cleanup_old_checkpoints(%s)", (RETENTION_DAYS,))
        assert excinfo.value.sqlstate == "2D000"


# -- Racing writers -------------------------------------------------------------

WRITERS = 4
RACE_SECONDS = 6


def test_cleanup_and_deletes_race_writers(conn, database_url):
    """Writers append checkpoints and writes to old threads while cleanup runs over
    and over and another session deletes threads under them. Afterwards nothing
    dangles, every surviving thread still has its latest checkpoint, and a writer
    whose thread was deleted got LG008 for its late writes, never a half thread."""
    threads = [f"retention-race-{uuid4()}" for _ in range(WRITERS)]
    latest: dict[str, str] = {}
    for t in threads:
        latest[t] = make_history(conn, t, 40)[-1]
    stop = threading.Event()
    errors: list[BaseException] = []
    refused: list[str] = []
    committed: dict[str, str] = {}

    def writer(thread_id: str) -> None:
        parent, step = latest[thread_id], 1000
        try:
            with psycopg.connect(database_url, autocommit=True) as wconn:
                wconn.execute(f"SET ROLE {CLIENT_ROLE}")
                while not stop.is_set():
                    step += 1
                    cid = uuid6_at(datetime.now(timezone.utc))
                    try:
                        put(wconn, thread_id, cid, parent, step)
                    except psycopg.Error as exc:
                        if exc.sqlstate != "LG008":
                            raise
                        # The parent went with its deleted thread: start a new run.
                        refused.append(thread_id)
                        parent = None
                        continue
                    committed[thread_id] = cid
                    time.sleep(random.random() / 100)
                    try:
                        put_writes(wconn, thread_id, cid)
                        parent = cid
                    except psycopg.Error as exc:
                        if exc.sqlstate != "LG008":
                            raise
                        # The thread was deleted under us: start a new run.
                        refused.append(thread_id)
                        parent = None
        except BaseException as exc:  # noqa: BLE001 - reported by the main thread
            errors.append(exc)

    def deleter() -> None:
        try:
            with psycopg.connect(database_url, autocommit=True) as dconn:
                while not stop.is_set():
                    time.sleep(0.7)
                    dconn.execute(f"SELECT {SCHEMA}.delete_thread(%s)", (random.choice(threads),))
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)

    workers = [threading.Thread(target=writer, args=(t,)) for t in threads]
    workers.append(threading.Thread(target=deleter))
    for w in workers:
        w.start()
    runs, removed, skipped = 0, 0, 0
    deadline = time.monotonic() + RACE_SECONDS
    with psycopg.connect(database_url, autocommit=True) as cleaner:
        cleaner.execute(f"SET ROLE {CLIENT_ROLE}")
        while time.monotonic() < deadline:
            # Backdate everything but the newest checkpoints, so there is always work.
            conn.execute(
                f"""UPDATE {SCHEMA}.checkpoints AS c SET created_at = '2000-01-01'
                    WHERE c.thread_id = ANY (%s) AND c.created_at > '2000-01-01'
                      AND c.checkpoint_id < (SELECT max(checkpoint_id) FROM {SCHEMA}.checkpoints AS m
                                             WHERE m.thread_id = c.thread_id) """,
                (threads,),
            )
            result = call_cleanup(cleaner, batch_size=5)
            runs += 1
            removed += result["removed"]
            skipped += result["skipped"]
    stop.set()
    for w in workers:
        w.join(timeout=30)
    assert not errors, errors
    assert runs >= 3 and removed > 0
    assert refused, "the deleter removed threads under the writers, who got LG008"
    assert_consistent(conn, threads)
    for t in threads:
        ids = checkpoint_ids(conn, t)
        if t in committed and ids:
            assert committed[t] in ids, "the checkpoint a live thread resumes from is never removed"


# -- Late writes: removals racing writers, checked with SQL invariants ---------------
#
# Every path that removes checkpoints from a live thread (delete_checkpoint,
# prune_checkpoints, delete_for_runs, retention) runs while writers save the way
# LangGraph's async durability does: a task's writes may reach the server before the
# checkpoint they belong to, and a slow task writes to a checkpoint retention may
# already have removed. Afterwards the tables must be consistent, whatever interleaving
# happened. LANGGRAPH_FULL_RELIABILITY=1 runs it longer, with more writers.

FULL = os.environ.get("LANGGRAPH_FULL_RELIABILITY") == "1"
LATE_WRITERS = 8 if FULL else 4
LATE_RACE_SECONDS = 60 if FULL else 5


def put_v2(
    conn: psycopg.Connection, thread_id: str, checkpoint_id: str, parent: str | None, step: int, run_id: str
) -> None:
    """put_checkpoint_v2, as the client saves: a new 'messages' version, 'config' unchanged."""
    versions = {"messages": f"{step:08d}", "config": "00000001"}
    conn.execute(
        f"""SELECT {SCHEMA}.put_checkpoint_v2(
                p_thread_id => %(t)s, p_checkpoint_ns => '', p_checkpoint_id => %(c)s,
                p_parent_checkpoint_id => %(p)s,
                p_checkpoint => jsonb_build_object('id', %(c)s::text, 'channel_versions', %(v)s::jsonb),
                p_metadata => jsonb_build_object('step', %(s)s::int, 'run_id', %(r)s::text),
                p_channels => ARRAY['messages', 'config'], p_types => ARRAY['json', 'json'],
                p_values => ARRAY[jsonb_build_array(%(s)s::int), '{{"model": "x"}}'::jsonb],
                p_blobs => ARRAY[NULL, NULL]::bytea[])""",
        {"t": thread_id, "c": checkpoint_id, "p": parent, "s": step, "r": run_id,
         "v": psycopg.types.json.Jsonb(versions)},
    )


def assert_lineage_invariants(
    conn: psycopg.Connection,
    thread_ids: list[str],
    acknowledged: dict[str, set[str]],
    never_landed: set[tuple[str, str]],
) -> None:
    """The invariants a race must leave, checked in SQL against the tables."""
    # No write belongs to a removed checkpoint: a late write was refused, not stored.
    writes_of_removed = conn.execute(
        f"""SELECT w.thread_id, w.checkpoint_id FROM {SCHEMA}.checkpoint_writes AS w
            JOIN {SCHEMA}.removed_checkpoints AS r
              ON r.thread_id = w.thread_id AND r.checkpoint_ns = w.checkpoint_ns
             AND w.checkpoint_id = ANY (r.checkpoint_ids)
            WHERE w.thread_id = ANY (%s)
              AND NOT EXISTS (SELECT FROM {SCHEMA}.checkpoints AS c
                              WHERE (c.thread_id, c.checkpoint_ns, c.checkpoint_id)
                                  = (w.thread_id, w.checkpoint_ns, w.checkpoint_id))""",
        (thread_ids,),
    ).fetchall()
    assert writes_of_removed == [], "late writes for removed checkpoints were stored"
    # Every other write without its checkpoint is one whose checkpoint never landed
    # (its save was refused after the writes went in): retention's to remove. Every
    # version a checkpoint names has its value.
    assert_consistent(conn, thread_ids, frozenset(never_landed))
    # No value is left that no checkpoint references, and every version resolves.
    unreferenced_values = conn.execute(
        f"""SELECT b.thread_id, b.channel, b.version FROM {SCHEMA}.checkpoint_blobs AS b
            WHERE b.thread_id = ANY (%s)
              AND NOT EXISTS (SELECT FROM {SCHEMA}.checkpoints AS c
                              WHERE c.thread_id = b.thread_id AND c.checkpoint_ns = b.checkpoint_ns
                                AND c.checkpoint -> 'channel_versions' ->> b.channel = b.version)""",
        (thread_ids,),
    ).fetchall()
    assert unreferenced_values == []
    # No acknowledged checkpoint is lost: each one is there, or a removal recorded it.
    for thread_id, ids in acknowledged.items():
        present = set(checkpoint_ids(conn, thread_id))
        removed = {
            r[0]
            for r in conn.execute(
                f"SELECT unnest(checkpoint_ids) FROM {SCHEMA}.removed_checkpoints WHERE thread_id = %s",
                (thread_id,),
            ).fetchall()
        }
        assert ids <= present | removed, sorted(ids - present - removed)


def test_removals_race_late_writes(conn, database_url):
    """Writers save with async durability (some writes before their checkpoint, some
    late, to a checkpoint a few steps back) while one session deletes checkpoints,
    prunes and deletes runs, and retention (keep_last 1) runs over and over. Late
    writes and saves for removed checkpoints get LG008, and afterwards: no write of a
    removed checkpoint, no orphan except writes whose checkpoint's save was refused,
    no unreferenced value, every version resolvable, every acknowledged checkpoint
    present or recorded as removed; then retention removes the orphans."""
    threads = [f"late-race-{uuid4()}" for _ in range(LATE_WRITERS)]
    latest = {t: make_history(conn, t, 10)[-1] for t in threads}
    stop = threading.Event()
    errors: list[BaseException] = []
    lock = threading.Lock()
    acknowledged: dict[str, set[str]] = {t: set() for t in threads}
    never_landed: set[tuple[str, str]] = set()
    refused = {"late_write": 0, "put": 0}
    runs: dict[str, str] = {}

    def writer(thread_id: str) -> None:
        rng = random.Random(thread_id)
        parent = latest[thread_id]
        history = [parent]
        run_id, step = f"run-{uuid4()}", 1000
        runs[thread_id] = run_id
        try:
            with psycopg.connect(database_url, autocommit=True) as wconn:
                wconn.execute(f"SET ROLE {CLIENT_ROLE}")
                while not stop.is_set():
                    step += 1
                    cid = uuid6_at(datetime.now(timezone.utc))
                    writes_first = rng.random() < 0.3
                    if writes_first:  # async durability: the writes land first
                        put_writes(wconn, thread_id, cid, task=f"early-{step}")
                    try:
                        put_v2(wconn, thread_id, cid, parent, step, run_id)
                    except psycopg.Error as exc:
                        if exc.sqlstate != "LG008":
                            raise
                        # The parent was removed under the run: it starts again from
                        # the thread's latest checkpoint, as a reloaded graph would.
                        with lock:
                            refused["put"] += 1
                            if writes_first:
                                never_landed.add((thread_id, cid))
                        head = wconn.execute(
                            f"SELECT checkpoint_id FROM {SCHEMA}.get_checkpoint(%s, '')", (thread_id,)
                        ).fetchone()
                        parent = head[0] if head else None
                        run_id = f"run-{uuid4()}"
                        runs[thread_id] = run_id
                        continue
                    with lock:
                        acknowledged[thread_id].add(cid)
                    history.append(cid)
                    # This step's writes (unless they went first), and now and then a
                    # slow task's late write to a checkpoint a few steps back. Either
                    # checkpoint may have been removed meanwhile (delete_for_runs takes
                    # the run's latest too): then LG008, and nothing is stored.
                    targets = [] if writes_first else [(cid, f"task-{step}")]
                    if rng.random() < 0.4 and len(history) > 3:
                        targets.append((rng.choice(history[-4:-1]), f"late-{step}"))
                    for target, task in targets:
                        try:
                            put_writes(wconn, thread_id, target, task=task)
                        except psycopg.Error as exc:
                            if exc.sqlstate != "LG008":
                                raise
                            with lock:
                                refused["late_write"] += 1
                    parent = cid
                    time.sleep(rng.random() / 200)
        except BaseException as exc:  # noqa: BLE001 - reported by the main thread
            errors.append(exc)

    def remover() -> None:
        rng = random.Random(0)
        try:
            with psycopg.connect(database_url, autocommit=True) as read_conn, \
                    psycopg.connect(database_url, autocommit=True) as rconn:
                rconn.execute(f"SET ROLE {CLIENT_ROLE}")
                while not stop.is_set():
                    time.sleep(0.05)
                    thread_id = rng.choice(threads)
                    action = rng.choice(["delete_checkpoint", "prune", "delete_for_runs"])
                    if action == "delete_checkpoint":
                        ids = checkpoint_ids(read_conn, thread_id)
                        if len(ids) > 2:
                            try:
                                rconn.execute(
                                    f"SELECT {SCHEMA}.delete_checkpoint(%s, %s)", (thread_id, rng.choice(ids[-4:-1]))
                                )
                            except psycopg.Error as exc:
                                if exc.sqlstate != "LG004":  # removed meanwhile by another path
                                    raise
                    elif action == "prune":
                        rconn.execute(f"SELECT {SCHEMA}.prune_checkpoints(ARRAY[%s])", (thread_id,))
                    else:
                        run_ids = [runs.get(thread_id, "none")]
                        rconn.execute(f"SELECT {SCHEMA}.delete_for_runs(%s)", (run_ids,))
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)

    workers = [threading.Thread(target=writer, args=(t,)) for t in threads]
    workers.append(threading.Thread(target=remover))
    for w in workers:
        w.start()
    cleanups = 0
    deadline = time.monotonic() + LATE_RACE_SECONDS
    try:
        with psycopg.connect(database_url, autocommit=True) as cleaner:
            cleaner.execute(f"SET ROLE {CLIENT_ROLE}")
            while time.monotonic() < deadline and not errors:
                # The test's own ageing of many threads' rows takes the locks in the
                # order every removal does (the thread rows first, in key order, then
                # their checkpoints): updating the checkpoints alone, in no order, could
                # deadlock with a removal, and the server may cancel either side.
                with conn.transaction():
                    conn.execute(
                        f"""SELECT FROM {SCHEMA}.threads WHERE thread_id = ANY (%s)
                            ORDER BY thread_id FOR NO KEY UPDATE""",
                        (threads,),
                    )
                    conn.execute(
                        f"""UPDATE {SCHEMA}.checkpoints AS c SET created_at = '2000-01-01'
                            WHERE c.thread_id = ANY (%s) AND c.created_at > '2000-01-01'""",
                        (threads,),
                    )
                call_cleanup(cleaner, batch_size=5)
                cleanups += 1
    finally:
        # However the loop ends, the workers must stop, or pytest waits for them forever.
        stop.set()
    for w in workers:
        w.join(timeout=60)
    assert not errors, errors
    assert cleanups >= 2
    assert refused["late_write"] + refused["put"] > 0, "removals met late writes and saves, which got LG008"
    assert_lineage_invariants(conn, threads, acknowledged, never_landed)

    # Writes whose checkpoint never landed go once they are older than the horizon.
    conn.execute(
        f"UPDATE {SCHEMA}.checkpoint_writes SET created_at = '2000-01-01' WHERE thread_id = ANY (%s)", (threads,)
    )
    call_cleanup(conn)
    orphans = conn.execute(
        f"""SELECT count(*) FROM {SCHEMA}.checkpoint_writes AS w
            WHERE w.thread_id = ANY (%s)
              AND NOT EXISTS (SELECT FROM {SCHEMA}.checkpoints AS c
                              WHERE (c.thread_id, c.checkpoint_ns, c.checkpoint_id)
                                  = (w.thread_id, w.checkpoint_ns, w.checkpoint_id))""",
        (threads,),
    ).fetchone()[0]
    assert orphans == 0
    print(f"late-write race: {cleanups} retention runs, {refused} refused, {len(never_landed)} never landed")


def test_a_write_waiting_for_a_removal_is_refused_after_it(conn, database_url):
    """put_writes blocks on a removal that holds the thread, then must see it: the gate
    it reads (threads.removed_through) comes from the row version it locks, not from
    the snapshot it started with."""
    thread = f"late-wait-{uuid4()}"
    ids = make_history(conn, thread, 3)
    with psycopg.connect(database_url) as remover:  # a transaction: the removal is not committed yet
        remover.execute(f"SELECT {SCHEMA}.delete_checkpoint(%s, %s)", (thread, ids[1]))
        outcome: list[object] = []

        def late_write() -> None:
            with psycopg.connect(database_url, autocommit=True) as wconn:
                try:
                    put_writes(wconn, thread, ids[1], task="late")
                    outcome.append("stored")
                except psycopg.Error as exc:
                    outcome.append(exc.sqlstate)

        writer = threading.Thread(target=late_write)
        writer.start()
        time.sleep(0.5)
        assert outcome == [], "the write waits for the removal"
        remover.commit()
        writer.join(timeout=10)
    assert outcome == ["LG008"]
    assert conn.execute(
        f"SELECT count(*) FROM {SCHEMA}.checkpoint_writes WHERE thread_id = %s AND checkpoint_id = %s",
        (thread, ids[1]),
    ).fetchone()[0] == 0
