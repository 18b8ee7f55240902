"""The schema is ready to be distributed by thread with Citus (docs/scaling.md, "Citus"),
proved on the deployed catalog since Citus cannot be installed here: every table is
either distributed by ``thread_id`` (every primary and unique key leads with it, and no
foreign key leaves the thread) or a small deployment-wide table (a reference or local
table), and every single-thread API function takes the thread id as an argument (the
``distribution_arg_name`` of ``create_distributed_function``).
"""

from __future__ import annotations

import psycopg
import pytest

# Tables that are not one thread's, and what they become under Citus.
NOT_DISTRIBUTED = {
    "settings": "reference table: one row of deployment-wide settings",
    "cleanup_runs": "local table on the coordinator: one row per retention run",
}

# API functions that are not one thread's, and how they run under Citus.
CROSS_THREAD = {
    "batch_save_checkpoints": "thread_ids[]: one distributed transaction, or per-thread batches",
    "prune_checkpoints": "thread_ids[]: each shard prunes its threads",
    "delete_for_runs": "every shard",
    "stats": "every shard, plus the reference and local tables",
    "schema_version": "the coordinator",
    "schedule_cleanup": "the coordinator (pg_cron)",
    "unschedule_cleanup": "the coordinator (pg_cron)",
    "cleanup_old_checkpoints": "a procedure on the coordinator, batches across shards",
    "expire_idle_threads": "a procedure on the coordinator, batches across shards",
    "cleanup_progress": "the coordinator (cleanup_runs is local there)",
    "search_threads": "every shard, merged by (created_at, thread_id) and cut at the limit",
    "count_threads": "every shard, summed",
}

# The argument a single-thread function is distributed by: its thread (the source one
# for the copy functions, whose target must be co-located or copied across).
DISTRIBUTION_ARGS = ("p_thread_id", "p_source_thread_id")


@pytest.fixture(scope="module")
def catalog(database_url: str) -> psycopg.Connection:
    with psycopg.connect(database_url) as conn:
        yield conn


def test_every_key_of_a_distributed_table_leads_with_thread_id(catalog: psycopg.Connection) -> None:
    tables = {
        name
        for (name,) in catalog.execute(
            "SELECT c.relname FROM pg_catalog.pg_class AS c"
            " WHERE c.relnamespace = 'langgraph'::regnamespace AND c.relkind IN ('r', 'p')"
        )
    }
    assert set(NOT_DISTRIBUTED) <= tables
    keys = catalog.execute(
        """
        SELECT c.relname, i.indexrelid::regclass::text, a.attname
        FROM pg_catalog.pg_index AS i
        JOIN pg_catalog.pg_class AS c ON c.oid = i.indrelid
        JOIN pg_catalog.pg_attribute AS a ON a.attrelid = c.oid AND a.attnum = i.indkey[0]
        WHERE c.relnamespace = 'langgraph'::regnamespace AND (i.indisunique OR i.indisprimary)
        """
    ).fetchall()
    distributed = tables - set(NOT_DISTRIBUTED)
    # A table may have no unique key at all (removed_checkpoints): Citus needs none.
    leading = {(table, index): column for table, index, column in keys if table in distributed}
    assert leading and all(column == "thread_id" for column in leading.values()), leading
    columns = catalog.execute(
        "SELECT c.relname FROM pg_catalog.pg_class AS c JOIN pg_catalog.pg_attribute AS a"
        " ON a.attrelid = c.oid AND a.attname = 'thread_id' AND NOT a.attisdropped"
        " WHERE c.relnamespace = 'langgraph'::regnamespace AND c.relkind IN ('r', 'p')"
    ).fetchall()
    assert {name for (name,) in columns} == distributed


def test_no_foreign_key_crosses_threads(catalog: psycopg.Connection) -> None:
    keys = catalog.execute(
        """
        SELECT f.conname, f.conrelid::regclass::text, f.confrelid::regclass::text,
               (SELECT array_agg(a.attname ORDER BY k.n) FROM unnest(f.conkey) WITH ORDINALITY AS k (attnum, n)
                JOIN pg_catalog.pg_attribute AS a ON a.attrelid = f.conrelid AND a.attnum = k.attnum),
               (SELECT array_agg(a.attname ORDER BY k.n) FROM unnest(f.confkey) WITH ORDINALITY AS k (attnum, n)
                JOIN pg_catalog.pg_attribute AS a ON a.attrelid = f.confrelid AND a.attnum = k.attnum)
        FROM pg_catalog.pg_constraint AS f
        WHERE f.connamespace = 'langgraph'::regnamespace AND f.contype = 'f'
        """
    ).fetchall()
    assert keys
    for name, table, referenced, columns, referenced_columns in keys:
        # thread_id on both sides, at the same position: the referenced row is the same
        # thread's, so it is on the same shard once both tables are co-located.
        assert "thread_id" in columns, (name, table, referenced)
        assert columns.index("thread_id") == referenced_columns.index("thread_id"), name
        assert referenced.removeprefix("langgraph.") not in NOT_DISTRIBUTED, name


def test_every_single_thread_function_takes_the_thread_id(catalog: psycopg.Connection) -> None:
    functions = catalog.execute(
        "SELECT p.proname, coalesce(p.proargnames, '{}') FROM pg_catalog.pg_proc AS p"
        " WHERE p.pronamespace = 'langgraph'::regnamespace AND p.proname !~ '^_'"
    ).fetchall()
    names = {name for name, _ in functions}
    assert set(CROSS_THREAD) <= names
    missing = {
        name
        for name, args in functions
        if name not in CROSS_THREAD and not any(arg in DISTRIBUTION_ARGS for arg in args)
    }
    assert not missing, f"single-thread functions without a thread argument: {missing}"
