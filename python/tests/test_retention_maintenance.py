"""optimize_database: VACUUM (ANALYZE) from the client, which no SQL function can do."""

from __future__ import annotations

import psycopg

from langgraph.checkpoint.plpgsql.maintenance import aoptimize_database, optimize_database

EXPECTED = {"checkpoint_blobs", "checkpoint_writes", "checkpoints", "threads", "deleted_threads", "cleanup_runs"}


def last_analyzed(conn: psycopg.Connection) -> dict:
    rows = conn.execute(
        "SELECT relname, greatest(last_vacuum, last_autovacuum), greatest(last_analyze, last_autoanalyze) "
        "FROM pg_stat_user_tables WHERE schemaname = 'langgraph'"
    ).fetchall()
    return {r[0]: (r[1], r[2]) for r in rows}


def test_optimize_database_vacuums_and_analyzes_every_table(database_url):
    with psycopg.connect(database_url) as conn:  # not autocommit: the function handles it
        tables = optimize_database(conn)
        assert EXPECTED <= set(tables)
        assert conn.autocommit is False, "the connection's mode is restored"
        conn.execute("SELECT pg_stat_force_next_flush()")
        stats = last_analyzed(conn)
        for table in EXPECTED:
            vacuumed, analyzed = stats[table]
            assert vacuumed is not None and analyzed is not None, table


async def test_aoptimize_database(database_url):
    async with await psycopg.AsyncConnection.connect(database_url, autocommit=True) as aconn:
        tables = await aoptimize_database(aconn)
    assert EXPECTED <= set(tables)


def test_optimize_database_needs_the_owner(database_url):
    """As the client role VACUUM skips every table with a warning, which is why
    docs/operations.md says to run it as the schema owner."""
    with psycopg.connect(database_url, autocommit=True) as conn:
        warnings: list[str] = []
        conn.add_notice_handler(lambda d: warnings.append(d.message_primary))
        conn.execute("SET ROLE langgraph_client")
        optimize_database(conn)
    assert warnings and all("skipping" in w for w in warnings), warnings
