"""How long retention takes on 100,000 checkpoints, and how long it holds a thread.

    DATABASE_URL=postgresql://postgres@127.0.0.1:55432/postgres .venv/bin/python bench/retention.py

Uses the scratch database bench_plpgsql (deployed by bench/compression.py, or by this
script if missing). THREADS threads of CHECKPOINTS checkpoints each, all older than the
retention period, each checkpoint with two channels (one changing every step) and a
pending write. Two runs over the same data:

1. CALL cleanup_old_checkpoints(30) while a prober saves to random threads, recording
   the longest a save waited: what a writer feels.
2. The same batches driven one by one, timing each batch's transaction: the longest a
   thread lock is held is at most the longest batch.
"""

from __future__ import annotations

import os
import random
import statistics
import subprocess
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg

REPO = Path(__file__).resolve().parents[1]
THREADS = int(os.environ.get("BENCH_THREADS", 500))
CHECKPOINTS = int(os.environ.get("BENCH_CHECKPOINTS", 200))
BATCH_SIZE = int(os.environ.get("BENCH_BATCH_SIZE", 1000))


def database_url(name: str) -> str:
    parts = urlsplit(os.environ.get("DATABASE_URL", "postgresql://postgres@127.0.0.1:55432/postgres"))
    return urlunsplit(parts._replace(path="/" + name))


def ensure_database() -> None:
    with psycopg.connect(database_url("postgres"), autocommit=True) as conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = 'bench_plpgsql'").fetchone():
            return
        conn.execute('CREATE DATABASE "bench_plpgsql"')
    target = "db:" + database_url("bench_plpgsql").replace("postgresql://", "pg://")
    subprocess.run(["sqitch", "--quiet", "deploy", "--target", target], cwd=REPO, check=True)


def populate(conn: psycopg.Connection) -> None:
    conn.execute("TRUNCATE langgraph.threads CASCADE")  # the scratch database is ours alone
    conn.execute("SELECT langgraph.set_compression(false)")
    conn.execute(
        """
        INSERT INTO langgraph.threads (thread_id, created_at, updated_at)
        SELECT format('t-%s', lpad(t::text, 5, '0')), now() - interval '90 days', now() - interval '60 days'
        FROM generate_series(1, %(threads)s) AS t;

        INSERT INTO langgraph.checkpoints (thread_id, checkpoint_id, parent_checkpoint_id, checkpoint, metadata, created_at)
        SELECT format('t-%s', lpad(t::text, 5, '0')), format('cp-%s', lpad(s::text, 5, '0')),
               CASE WHEN s > 1 THEN format('cp-%s', lpad((s - 1)::text, 5, '0')) END,
               jsonb_build_object('v', 4, 'channel_versions', jsonb_build_object('messages', lpad(s::text, 8, '0'), 'context', '00000001'),
                                  'versions_seen', jsonb_build_object('agent', jsonb_build_object('messages', lpad((s - 1)::text, 8, '0')))),
               jsonb_build_object('source', 'loop', 'step', s),
               now() - interval '60 days' - (%(checkpoints)s - s) * interval '1 minute'
        FROM generate_series(1, %(threads)s) AS t, generate_series(1, %(checkpoints)s) AS s;

        INSERT INTO langgraph.checkpoint_blobs (thread_id, channel, version, type, value)
        SELECT format('t-%s', lpad(t::text, 5, '0')), 'messages', lpad(s::text, 8, '0'), 'json',
               jsonb_build_array(jsonb_build_object('type', 'ai', 'content', repeat('word ', 60), 'step', s))
        FROM generate_series(1, %(threads)s) AS t, generate_series(1, %(checkpoints)s) AS s
        UNION ALL
        SELECT format('t-%s', lpad(t::text, 5, '0')), 'context', '00000001', 'json', '{"user": "u"}'
        FROM generate_series(1, %(threads)s) AS t;

        INSERT INTO langgraph.checkpoint_writes (thread_id, checkpoint_id, task_id, idx, channel, type, value)
        SELECT format('t-%s', lpad(t::text, 5, '0')), format('cp-%s', lpad(s::text, 5, '0')), 'task', 0, 'messages', 'json',
               jsonb_build_array(jsonb_build_object('type', 'ai', 'content', repeat('word ', 60)))
        FROM generate_series(1, %(threads)s) AS t, generate_series(1, %(checkpoints)s) AS s;
        """.replace("%(threads)s", str(THREADS)).replace("%(checkpoints)s", str(CHECKPOINTS))
    )
    conn.execute("VACUUM ANALYZE langgraph.checkpoints")
    conn.execute("VACUUM ANALYZE langgraph.checkpoint_blobs")
    conn.execute("VACUUM ANALYZE langgraph.checkpoint_writes")


def probe(stop: threading.Event, waits: list[float]) -> None:
    """Saves pending writes to random threads, as a busy application would."""
    with psycopg.connect(database_url("bench_plpgsql"), autocommit=True) as conn:
        n = 0
        while not stop.is_set():
            n += 1
            thread = f"t-{random.randint(1, THREADS):05d}"
            started = time.perf_counter()
            conn.execute(
                """SELECT langgraph.put_writes(%s, '', %s, %s, ARRAY['messages'], ARRAY['json'],
                                                ARRAY['["probe"]'::jsonb], ARRAY[NULL::bytea])""",
                (thread, f"cp-{CHECKPOINTS:05d}", f"probe-{n}"),
            )
            waits.append(time.perf_counter() - started)
            time.sleep(0.005)


def main() -> None:
    ensure_database()
    total = THREADS * CHECKPOINTS
    with psycopg.connect(database_url("bench_plpgsql"), autocommit=True) as conn:
        populate(conn)
        stop, waits = threading.Event(), []
        prober = threading.Thread(target=probe, args=(stop, waits))
        prober.start()
        started = time.perf_counter()
        removed, skipped = conn.execute("CALL langgraph.cleanup_old_checkpoints(30, %s)", (BATCH_SIZE,)).fetchone()
        elapsed = time.perf_counter() - started
        stop.set()
        prober.join()
        left = conn.execute("SELECT count(*) FROM langgraph.checkpoints").fetchone()[0]
        print(f"{THREADS} threads x {CHECKPOINTS} checkpoints = {total:,}; batch_size {BATCH_SIZE}")
        print(f"CALL cleanup_old_checkpoints: {elapsed:.1f} s, removed {removed:,}, skipped {skipped}, left {left:,} "
              f"({removed / elapsed:,.0f} checkpoints/s)")
        print(f"concurrent put_writes: {len(waits)} calls, median {statistics.median(waits) * 1000:.1f} ms, "
              f"p99 {sorted(waits)[int(len(waits) * 0.99)] * 1000:.1f} ms, max {max(waits) * 1000:.1f} ms")

        populate(conn)
        run_id = conn.execute("SELECT langgraph._cleanup_run_begin('cleanup_old_checkpoints', '{}')").fetchone()[0]
        cutoff = conn.execute("SELECT now() - interval '30 days'").fetchone()[0]
        after, durations = None, []
        while True:
            started = time.perf_counter()
            next_after, _removed, _skipped, done = conn.execute(
                "SELECT * FROM langgraph._cleanup_checkpoints_batch(%s, %s, 1, %s, %s)", (run_id, cutoff, after, BATCH_SIZE)
            ).fetchone()
            durations.append(time.perf_counter() - started)
            after = next_after
            if done:
                break
        conn.execute("SELECT langgraph._cleanup_run_finish(%s, NULL)", (run_id,))
        print(f"batches: {len(durations)}, median {statistics.median(durations) * 1000:.0f} ms, "
              f"max {max(durations) * 1000:.0f} ms (the longest any thread lock is held)")


if __name__ == "__main__":
    main()
