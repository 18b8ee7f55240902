"""langgraph-plpgsql threads and migrate, through click's CliRunner against a real database.

The threads of each test carry a metadata tag of their own, so the searches see only them
in the shared test database. The migrations read sources filled by test_migrate's graphs:
a SQLite file, and the official saver's tables in a database (and schema) of their own.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from pathlib import Path
from uuid import uuid4

import psycopg
import pytest
from click.testing import CliRunner, Result
from langgraph.checkpoint.postgres import PostgresSaver
from langgraph.checkpoint.sqlite import SqliteSaver
from psycopg.rows import dict_row

from langgraph.checkpoint.plpgsql import PostgresCheckpointer, migrate
from langgraph.checkpoint.plpgsql.cli import cli
from langgraph.checkpoint.plpgsql.cli.migration import with_search_path

from _helpers import config_for, put_values
from test_cli import output, run
from test_migrate import checkpoints_in, official_database, populate  # noqa: F401 - a fixture

# ------------------------------------------------------------------ threads


def tagged_threads(saver: PostgresCheckpointer, count: int) -> tuple[str, list[str]]:
    """``count`` threads tagged with a new tag, oldest first: the first interrupted, the
    second failed, the third with the JSON value topic=billing."""
    tag = f"cli-{uuid4().hex[:8]}"
    ids = [f"{tag}-{i}" for i in range(count)]
    for i, thread_id in enumerate(ids):
        config = put_values(saver, config_for(thread_id), {"tag": tag}, topic="billing" if i == 2 else "other")
        if i == 0:
            saver.put_writes(config, [("__interrupt__", [{"value": "ok?"}])], "task-ask")
        elif i == 1:
            saver.put_writes(config, [("__error__", "boom")], "task-fail")
    return tag, ids


def search(*args: str, dsn: str) -> list[dict]:
    result = run("threads", *args, "--json", "--dsn", dsn)
    assert result.exit_code == 0, output(result)
    return [json.loads(line) for line in result.stdout.splitlines()]


def test_help_lists_threads_and_migrate() -> None:
    top = run("--help")
    assert "threads" in top.output and "migrate" in top.output
    group = run("threads", "--help")
    for command in ("search", "ttl", "pin", "unpin", "touch"):
        assert command in group.output
    filters = run("threads", "search", "--help")
    for option in ("--metadata", "--values", "--status", "--created-since", "--updated-before", "--after", "--count"):
        assert option in filters.output
    assert "from-postgres" in run("migrate", "--help").output


def test_threads_search_filters(database_url: str, saver: PostgresCheckpointer) -> None:
    tag, ids = tagged_threads(saver, 4)
    meta = json.dumps({"tag": tag})
    table = run("threads", "--metadata", meta, "--dsn", database_url)
    assert table.exit_code == 0, output(table)
    lines = table.output.splitlines()
    # Newest first, each with its status.
    rows = [next(line for line in lines if thread_id in line) for thread_id in reversed(ids)]
    assert [lines.index(row) for row in rows] == sorted(lines.index(row) for row in rows)
    assert "interrupted" in rows[-1] and "error" in rows[-2] and "idle" in rows[0]
    assert "4 thread(s)" in table.output and "next page" not in table.output

    assert [t["thread_id"] for t in search("--metadata", meta, "--status", "interrupted", dsn=database_url)] == ids[:1]
    assert [t["thread_id"] for t in search("--metadata", meta, "--status", "error", dsn=database_url)] == ids[1:2]
    assert [t["thread_id"] for t in search("--values", '{"topic": "billing"}', "--metadata", meta,
                                           dsn=database_url)] == ids[2:3]  # fmt: skip
    first = search("--metadata", meta, dsn=database_url)[-1]
    assert first["thread_id"] == ids[0] and first["metadata"]["tag"] == tag
    assert first["checkpoint_id"] and first["ttl_seconds"] is None and first["pinned"] is False

    assert len(search("--metadata", meta, "--created-since", "1h", dsn=database_url)) == 4
    assert search("--metadata", meta, "--created-before", "2000-01-01", dsn=database_url) == []
    later = (datetime.now(timezone.utc) + timedelta(minutes=5)).isoformat()
    assert search("--metadata", meta, "--updated-since", later, dsn=database_url) == []
    assert len(search("--metadata", meta, "--updated-before", later, dsn=database_url)) == 4

    count = run("threads", "--metadata", meta, "--count", "--dsn", database_url)
    assert count.exit_code == 0 and count.stdout.strip() == "4"
    errors = run("threads", "--metadata", meta, "--status", "error", "--count", "--json", "--dsn", database_url)
    assert json.loads(errors.stdout) == {"count": 1}


def test_threads_pages_with_the_cursor(database_url: str, saver: PostgresCheckpointer) -> None:
    tag, ids = tagged_threads(saver, 5)
    meta = json.dumps({"tag": tag})
    seen: list[str] = []
    cursor: list[str] = []
    pages = 0
    while True:
        result = run("threads", "--metadata", meta, "--limit", "2", "--json", *cursor, "--dsn", database_url)
        assert result.exit_code == 0, output(result)
        seen += [json.loads(line)["thread_id"] for line in result.stdout.splitlines()]
        pages += 1
        if "next page" not in result.stderr:
            break
        cursor = ["--after", result.stderr.split("--after")[1].strip()]
    assert seen == list(reversed(ids)) and pages == 3
    # The table prints the cursor of the next page too; the last page has none.
    table = run("threads", "--metadata", meta, "--limit", "4", "--dsn", database_url)
    token = table.output.split("next page: --after ")[1].split()[0]
    rest = run("threads", "--metadata", meta, "--limit", "4", "--after", token, "--dsn", database_url)
    assert ids[0] in rest.output and ids[1] not in rest.output and "next page" not in rest.output


def test_threads_ttl_pin_touch(database_url: str, saver: PostgresCheckpointer) -> None:
    tag, (thread_id,) = tagged_threads(saver, 1)
    meta = json.dumps({"tag": tag})

    def state() -> dict:
        (found,) = search("--metadata", meta, dsn=database_url)
        return found

    ttl = run("threads", "ttl", thread_id, "1d12h", "--refresh-on-read", "--dsn", database_url)
    assert ttl.exit_code == 0, output(ttl)
    assert "ttl 1d12h (reads refresh it), expires" in ttl.output
    found = state()
    assert found["ttl_seconds"] == 36 * 3600 and found["refresh_on_read"] is True
    expires = datetime.fromisoformat(found["expires_at"])
    assert timedelta(hours=35) < expires - datetime.now(timezone.utc) < timedelta(hours=37)
    table = run("threads", "--metadata", meta, "--dsn", database_url)
    assert "1d12h, on read" in table.output

    touched = run("threads", "touch", thread_id, "--dsn", database_url)
    assert touched.exit_code == 0 and "read recorded" in touched.output

    pinned = run("threads", "pin", thread_id, "--dsn", database_url)
    assert pinned.exit_code == 0 and "pinned" in pinned.output
    assert state()["pinned"] is True and state()["expires_at"] is None
    assert "yes" in run("threads", "--metadata", meta, "--dsn", database_url).output
    assert "pinned: does not expire" in run("threads", "ttl", thread_id, "2h", "--dsn", database_url).output
    unpinned = run("threads", "unpin", thread_id, "--dsn", database_url)
    assert unpinned.exit_code == 0 and "unpinned" in unpinned.output
    assert state()["pinned"] is False and state()["ttl_seconds"] == 7200 and state()["refresh_on_read"] is False

    untouched = run("threads", "touch", thread_id, "--dsn", database_url)
    assert "does not refresh on read" in untouched.output
    cleared = run("threads", "ttl", thread_id, "none", "--dsn", database_url)
    assert cleared.exit_code == 0 and "no TTL of its own" in cleared.output
    assert state()["ttl_seconds"] is None and state()["expires_at"] is None


def test_threads_errors_say_what_to_do(database_url: str, saver: PostgresCheckpointer) -> None:
    _, (thread_id,) = tagged_threads(saver, 1)
    # Bad option values: click's usage errors (exit 2), before the database is asked.
    for args, message in (
        (("--metadata", "{bad"), "is not JSON"),
        (("--values", "[1, 2]"), "is not a JSON object"),
        (("--after", "not-a-cursor"), "is not a cursor printed by this command"),
        (("--created-since", "yesterday"), "is not a time"),
        (("--limit", "0"), "--limit"),
        (("ttl", thread_id, "forever"), "is not a duration"),
        (("ttl", thread_id), "Missing argument"),
    ):
        result = run("threads", *args, "--dsn", database_url)
        assert result.exit_code == 2, (args, output(result))
        assert message in output(result), (args, output(result))
    # The savers' typed errors: exit 1, their message, then their hint.
    for args, message, hint in (
        (("--status", "busy"), "unknown thread status 'busy'", "Pass one of idle, interrupted, error"),
        (("ttl", thread_id, "0s"), "a thread's ttl must be positive", "Pass an interval such as '7 days'"),
        (("pin", "", "--allow-missing"), "thread_id must be a non-empty string", "Pass a non-empty thread_id"),
    ):
        result = run("threads", *args, "--dsn", database_url)
        assert result.exit_code == 1, (args, output(result))
        assert f"error: {message}" in result.stderr and f"fix: {hint}" in result.stderr, (args, output(result))
    # A thread with no checkpoint: refused, unless the settings are to come before it.
    missing = f"missing-{uuid4()}"
    for command in (("ttl", missing, "1h"), ("pin", missing), ("unpin", missing), ("touch", missing)):
        result = run("threads", *command, "--dsn", database_url)
        assert result.exit_code == 1, output(result)
        assert f"error: thread '{missing}' has no checkpoints" in result.stderr
        assert "fix: check the id (langgraph-plpgsql threads lists them)" in result.stderr
    early = run("threads", "pin", missing, "--allow-missing", "--dsn", database_url)
    assert early.exit_code == 0, output(early)
    put_values(saver, config_for(missing), a=1)
    assert [t.pinned for t in saver.search_threads(limit=None) if t.thread_id == missing] == [True]
    saver.delete_thread(missing)


# ------------------------------------------------------------------ migrate


def test_migrate_from_sqlite_verified(database_url: str, saver: PostgresCheckpointer, tmp_path: Path) -> None:
    path = tmp_path / "checkpoints.sqlite"
    with SqliteSaver.from_conn_string(str(path)) as source:
        ids = populate(source, f"clisqlite{uuid4().hex[:8]}")
    result = run("migrate", "from-sqlite", str(path), "--batch-size", "4", "--dsn", database_url)
    assert result.exit_code == 0, output(result)
    stored = checkpoints_in(saver, ids)
    assert f"imported 3 thread(s), {stored} checkpoint(s), " in result.output
    assert "verified in" in result.output and "every checkpoint reads back the same" in result.output
    with SqliteSaver.from_conn_string(str(path)) as source:
        assert migrate.verify(source, saver, ids) == []
    # Again, without the comparison: nothing new, and it says it did not verify.
    again = run("migrate", "from-sqlite", str(path), "--no-verify", env={"DATABASE_URL": database_url})
    assert again.exit_code == 0, output(again)
    assert f"{stored} checkpoint(s)" in again.output and "not verified (--no-verify)" in again.output
    assert checkpoints_in(saver, ids) == stored

    # A difference in the target (a write the source does not have, by id and as the latest):
    # verify reports it, and the exit status is 1.
    latest = saver.get_tuple({"configurable": {"thread_id": ids[1]}})
    saver.put_writes(latest.config, [("notes", ["tampered"])], "tamper-task")
    differs = run("migrate", "from-sqlite", str(path), "--dsn", database_url)
    assert differs.exit_code == 1
    assert f"differs: {ids[1]}" in differs.output and "pending_writes differs" in differs.output
    assert "error: verify found 2 difference(s) between the source and the target" in differs.stderr
    assert "fix: an import may run again" in differs.stderr


def test_migrate_from_sqlite_refuses_what_is_not_one(database_url: str, tmp_path: Path) -> None:
    other = tmp_path / "notes.txt"
    other.write_text("not a database, only some text that is long enough " * 20)
    result = run("migrate", "from-sqlite", str(other), "--dsn", database_url)
    assert result.exit_code == 1
    assert "is not a langgraph-checkpoint-sqlite database" in result.stderr and "fix: pass the file" in result.stderr
    absent = run("migrate", "from-sqlite", str(tmp_path / "absent.sqlite"), "--dsn", database_url)
    assert absent.exit_code == 2 and "does not exist" in output(absent)


def test_migrate_from_postgres_in_a_schema_of_its_own(
    database_url: str, saver: PostgresCheckpointer, official_database: str  # noqa: F811 - the fixture
) -> None:
    schema = "official saver"  # a space: the search_path option must be escaped
    with psycopg.connect(official_database, autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    source_dsn = with_search_path(official_database, schema)
    with psycopg.connect(source_dsn, autocommit=True, prepare_threshold=0, row_factory=dict_row) as conn:
        source = PostgresSaver(conn)
        source.setup()
        ids = populate(source, f"clipg{uuid4().hex[:8]}")
        wrong = run("migrate", "from-postgres", "--source-dsn", official_database, "--dsn", database_url)
        assert wrong.exit_code == 1
        assert "error: no checkpoints table in schema 'public' of the source" in wrong.stderr
        assert "fix: name the schema of the official saver's tables with --source-schema" in wrong.stderr
        result = run(
            "migrate", "from-postgres", "--source-dsn", official_database, "--source-schema", schema,
            "--batch-size", "3", "--dsn", database_url,
        )  # fmt: skip
        assert result.exit_code == 0, output(result)
        assert f"imported 3 thread(s), {checkpoints_in(saver, ids)} checkpoint(s)" in result.output
        assert "every checkpoint reads back the same" in result.output
        assert migrate.verify(source, saver, ids) == []


def test_migrate_needs_a_target(tmp_path: Path) -> None:
    path = tmp_path / "empty.sqlite"
    path.touch()
    result = CliRunner().invoke(cli, ["migrate", "from-sqlite", str(path)], env={"DATABASE_URL": ""})
    assert result.exit_code == 1 and "no database given" in result.output
    missing = CliRunner().invoke(cli, ["migrate", "from-postgres", "--dsn", "postgresql://x@127.0.0.1:1/x"])
    assert missing.exit_code == 2 and "--source-dsn" in missing.output


@pytest.mark.parametrize(
    ("schema", "expected"),
    [("public", "-c search_path=\"public\""), ("a b", "-c search_path=\"a\\ b\"")],
)
def test_with_search_path_keeps_other_options(schema: str, expected: str) -> None:
    dsn = with_search_path("postgresql://u@h/db?options=-c%20statement_timeout%3D5s", schema)
    assert psycopg.conninfo.conninfo_to_dict(dsn)["options"] == f"-c statement_timeout=5s {expected}"
