"""pg_cron really runs the retention job in the test cluster.

Skipped where pg_cron is not installed in the test database. pg_cron 1.4 schedules by
the minute, so the job fires at the next minute boundary: the test waits at most 75 s.
"""

from __future__ import annotations

import time
from datetime import datetime, timezone
from uuid import uuid4

import psycopg
import pytest

from test_retention import RETENTION_DAYS, SCHEMA, checkpoint_ids, make_history

WAIT_SECONDS = 75


@pytest.fixture
def conn(database_url: str):
    with psycopg.connect(database_url, autocommit=True) as conn:
        yield conn


def pg_cron_here(conn: psycopg.Connection) -> bool:
    installed = conn.execute("SELECT EXISTS (SELECT FROM pg_extension WHERE extname = 'pg_cron')").fetchone()[0]
    cron_db = conn.execute("SELECT current_setting('cron.database_name', true) = current_database()").fetchone()[0]
    return bool(installed and cron_db)


def test_schedule_cleanup_without_pg_cron_says_how_to_install(conn):
    # The test cluster preloads pg_cron, so take the extension away inside a
    # transaction that is rolled back: the database is left as it was.
    assert pg_cron_here(conn), "the test cluster must have pg_cron (scripts/lib/db.sh preloads it)"
    with pytest.raises(psycopg.Error) as excinfo:
        with conn.transaction():
            conn.execute("DROP EXTENSION pg_cron")
            conn.execute(f"SELECT {SCHEMA}.schedule_cleanup('17 3 * * *', 30)")
    assert excinfo.value.sqlstate == "LG007"
    assert "CREATE EXTENSION pg_cron" in (excinfo.value.diag.message_hint or "")
    assert pg_cron_here(conn)


def test_pg_cron_runs_the_cleanup_job(conn):
    assert pg_cron_here(conn), "the test cluster must have pg_cron (scripts/lib/db.sh preloads it)"
    threads = [f"cron-{uuid4()}" for _ in range(3)]
    for t in threads:
        make_history(conn, t, 6)
    job_name = f"langgraph-cleanup-test-{uuid4()}"
    scheduled_at = datetime.now(timezone.utc)
    job_id = conn.execute(
        f"SELECT {SCHEMA}.schedule_cleanup('* * * * *', %s, %s)", (RETENTION_DAYS, job_name)
    ).fetchone()[0]
    try:
        deadline = time.monotonic() + WAIT_SECONDS
        run = None
        while time.monotonic() < deadline:
            run = conn.execute(
                """SELECT status, return_message FROM cron.job_run_details
                   WHERE jobid = %s AND status IN ('succeeded', 'failed') ORDER BY start_time DESC LIMIT 1""",
                (job_id,),
            ).fetchone()
            if run is not None:
                break
            time.sleep(1)
        assert run is not None, f"pg_cron did not run job {job_id} within {WAIT_SECONDS} s"
        assert run[0] == "succeeded", run[1]
        for t in threads:
            assert len(checkpoint_ids(conn, t)) == 1, "the job removed the old checkpoints"
        recorded = conn.execute(
            f"""SELECT count(*) FROM {SCHEMA}.cleanup_runs
                WHERE procedure = 'cleanup_old_checkpoints' AND started_at >= %s AND finished_at IS NOT NULL""",
            (scheduled_at,),
        ).fetchone()[0]
        assert recorded >= 1, "the cron run is recorded in cleanup_runs"
    finally:
        assert conn.execute(f"SELECT {SCHEMA}.unschedule_cleanup(%s)", (job_name,)).fetchone()[0]
    assert conn.execute("SELECT count(*) FROM cron.job WHERE jobname = %s", (job_name,)).fetchone()[0] == 0


# -- Without pg_cron: the client's background scheduler ---------------------------

import asyncio  # noqa: E402
import logging  # noqa: E402

from langgraph.checkpoint.plpgsql.maintenance import AsyncCleanupScheduler, CleanupScheduler  # noqa: E402
from langgraph.checkpoint.plpgsql.errors import InvalidConfigError  # noqa: E402


def test_cleanup_scheduler_runs_in_the_background_and_stops(conn, database_url):
    thread = f"sched-{uuid4()}"
    make_history(conn, thread, 5)
    scheduler = CleanupScheduler(database_url, interval_secs=0.2, retention_days=RETENTION_DAYS)
    with scheduler:
        deadline = time.monotonic() + 10
        while scheduler.runs < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
    assert scheduler.runs >= 2, "it ran on its interval"
    assert scheduler.failures == 0
    assert len(checkpoint_ids(conn, thread)) == 1
    runs = scheduler.runs
    time.sleep(0.5)
    assert scheduler.runs == runs, "stop() stopped it"


def test_cleanup_scheduler_logs_failures_and_keeps_going(database_url, caplog):
    scheduler = CleanupScheduler(database_url, interval_secs=0.1, retention_days=30, schema="no_such_schema")
    with caplog.at_level(logging.ERROR, logger="langgraph.checkpoint.plpgsql.maintenance"), scheduler:
        deadline = time.monotonic() + 10
        while scheduler.failures < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
    assert scheduler.failures >= 2, "a failed run is retried at the next tick"
    assert "cleanup failed" in caplog.text


def test_cleanup_scheduler_uses_a_pool_and_leaves_its_connections_as_they_were(conn, database_url):
    from psycopg_pool import ConnectionPool

    thread = f"sched-{uuid4()}"
    make_history(conn, thread, 4)
    with ConnectionPool(database_url, min_size=1, max_size=1, open=True) as pool:
        assert CleanupScheduler(pool, interval_secs=60, retention_days=RETENTION_DAYS).run_once() is not None
        with pool.connection() as pooled:
            assert pooled.autocommit is False
    assert len(checkpoint_ids(conn, thread)) == 1


@pytest.mark.parametrize("scheduler", [CleanupScheduler, AsyncCleanupScheduler])
@pytest.mark.parametrize(
    "settings, field",
    [
        ({"interval_secs": 0, "retention_days": 30}, "interval_secs"),
        ({"interval_secs": 1, "retention_days": -1}, "retention_days"),
        ({"interval_secs": 1, "retention_days": 30, "batch_size": 0}, "batch_size"),
        ({"interval_secs": 1, "retention_days": 30, "keep_last": 0}, "keep_last"),
    ],
)
def test_cleanup_scheduler_rejects_bad_settings(database_url, scheduler, settings, field):
    # The package's typed error (still a ValueError), naming the setting.
    with pytest.raises(InvalidConfigError, match=field) as raised:
        scheduler(database_url, **settings)
    assert isinstance(raised.value, ValueError)


async def test_async_cleanup_scheduler(conn, database_url):
    thread = f"sched-{uuid4()}"
    make_history(conn, thread, 5)
    scheduler = AsyncCleanupScheduler(database_url, interval_secs=0.2, retention_days=RETENTION_DAYS)
    async with scheduler:
        deadline = time.monotonic() + 10
        while scheduler.runs < 2 and time.monotonic() < deadline:
            await asyncio.sleep(0.05)
    assert scheduler.runs >= 2 and scheduler.failures == 0
    assert len(checkpoint_ids(conn, thread)) == 1
