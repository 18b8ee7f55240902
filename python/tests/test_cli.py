"""langgraph-plpgsql, every command through click's CliRunner against a real database.

The Sqitch commands run on a database of their own, created here, with a schema of
their own (so reverting drops only its roles); the reading commands use the shared test
database; cleanup and import change data and so run on the fresh one.
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any
from uuid import uuid4

import psycopg
import pytest
from click.testing import CliRunner, Result
from langchain_core.messages import AIMessage, HumanMessage
from langgraph.checkpoint.base.id import uuid6
from langgraph.graph import END, START, StateGraph
from langgraph.graph.message import add_messages
from langgraph.types import Command, interrupt
from psycopg import sql
from psycopg.conninfo import conninfo_to_dict, make_conninfo
from typing_extensions import TypedDict

from langgraph.checkpoint.plpgsql import PostgresCheckpointer
from langgraph.checkpoint.plpgsql._sql import SQL_CLEANUP_PROGRESS
from langgraph.checkpoint.plpgsql.cli import cleanup, cli, transfer
from langgraph.checkpoint.plpgsql.cli._sqitch import project_dir

REPO_ROOT = Path(__file__).resolve().parents[2]


def run(*args: str, env: dict[str, str] | None = None) -> Result:
    # A wide terminal, so rich does not wrap what the assertions look for.
    result = CliRunner().invoke(cli, list(args), env={"COLUMNS": "250", **(env or {})}, catch_exceptions=False)
    return result


def output(result: Result) -> str:
    return result.output  # stdout and stderr, interleaved


def with_database(url: str, database: str, **changes: str) -> str:
    params = conninfo_to_dict(url)
    params.update(dbname=database, **changes)
    return make_conninfo("", **params)


# ------------------------------------------------------------------ a graph


class Chat(TypedDict):
    messages: Annotated[list, add_messages]


def chat_graph(saver: PostgresCheckpointer) -> Any:
    def assistant(state: Chat) -> dict:
        return {"messages": [AIMessage(content=f"echo {state['messages'][-1].content}")]}

    def approval(state: Chat) -> dict:
        return {"messages": [AIMessage(content=f"approved: {interrupt('ok?')}")]}

    builder = StateGraph(Chat)
    builder.add_node("assistant", assistant)
    builder.add_node("approval", approval)
    builder.add_edge(START, "assistant")
    builder.add_edge("assistant", "approval")
    builder.add_edge("approval", END)
    return builder.compile(checkpointer=saver)


def chat_with_a_fork(saver: PostgresCheckpointer, thread_id: str) -> dict[str, Any]:
    """Two turns with an interrupt each, then update_state on the first turn's end."""
    graph = chat_graph(saver)
    config = {"configurable": {"thread_id": thread_id}}
    for text in ("hello", "again"):
        graph.invoke({"messages": [HumanMessage(content=text)]}, config)
        graph.invoke(Command(resume="yes"), config)
    history = list(graph.get_state_history(config))
    first_turn_end = next(s for s in history if len(s.values.get("messages", [])) == 3)
    forked = graph.update_state(first_turn_end.config, {"messages": [HumanMessage(content="a different path")]})
    return {"graph": graph, "config": config, "history": history, "fork_point": first_turn_end, "forked": forked}


# --------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def fresh(database_url: str) -> Iterator[dict[str, str]]:
    """A new database with the SQL API deployed by `langgraph-plpgsql deploy` in schema
    cli_<hex>; dropped afterwards with its roles."""
    database, schema = f"cli_{uuid4().hex[:8]}", f"cli_{uuid4().hex[:8]}"
    with psycopg.connect(database_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{database}"')
    dsn = with_database(database_url, database)
    result = run("deploy", "--dsn", dsn, "--schema", schema)
    try:
        yield {"dsn": dsn, "schema": schema, "deploy_output": output(result), "deploy_exit": str(result.exit_code)}
    finally:
        with psycopg.connect(database_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
            for role in (f"{schema}_client", f"{schema}_reader"):
                conn.execute(f'DROP ROLE IF EXISTS "{role}"')


# ------------------------------------------------------ deploy, verify, status


def test_help_lists_every_command() -> None:
    result = run("--help")
    assert result.exit_code == 0
    for command in ("deploy", "verify", "revert", "status", "doctor", "stats", "history", "show", "diff",
                    "cleanup", "export", "import"):
        assert re.search(rf"^\s+{command}\s", result.output, re.M), command


def test_deploy_runs_sqitch_on_the_plan_and_verifies(fresh: dict[str, str]) -> None:
    assert fresh["deploy_exit"] == "0", fresh["deploy_output"]
    assert f"Deploying schema {fresh['schema']}" in fresh["deploy_output"]
    assert "+ function_schema_version" in fresh["deploy_output"]
    with psycopg.connect(fresh["dsn"]) as conn:
        version = conn.execute(f'SELECT "{fresh["schema"]}".schema_version()').fetchone()[0]
        # A schema of its own keeps its own registry, as the README deploys a second copy.
        registry = conn.execute("SELECT to_regnamespace(%s) IS NOT NULL", (f"sqitch_{fresh['schema']}",)).fetchone()[0]
    assert version >= 2
    assert registry


def test_verify_and_status(fresh: dict[str, str]) -> None:
    verified = run("verify", "--dsn", fresh["dsn"], "--schema", fresh["schema"])
    assert verified.exit_code == 0, output(verified)
    assert "Verify successful" in verified.output
    status = run("status", "--dsn", fresh["dsn"], "--schema", fresh["schema"])
    assert status.exit_code == 0, output(status)
    assert "Nothing to deploy (up-to-date)" in status.output
    assert f"plan: {project_dir()}" in status.output


def test_deploy_again_is_a_no_op(fresh: dict[str, str]) -> None:
    again = run("deploy", "--dsn", fresh["dsn"], "--schema", fresh["schema"])
    assert again.exit_code == 0, output(again)
    assert "Nothing to deploy" in again.output


def test_the_bundled_plan_is_the_repositorys(fresh: dict[str, str]) -> None:
    # From a checkout the command uses the top level itself (the wheel test checks the
    # copy a wheel carries).
    assert (project_dir() / "sqitch.plan").read_text() == (REPO_ROOT / "sqitch.plan").read_text()


def test_without_sqitch_the_error_says_how_to_get_it(fresh: dict[str, str]) -> None:
    result = run("deploy", "--dsn", fresh["dsn"], "--sqitch", "no-such-sqitch-here")
    assert result.exit_code == 1
    text = output(result)
    assert "Sqitch is not installed" in text
    assert "apt-get install sqitch" in text
    assert "docker run" in text and "sqitch/sqitch deploy" in text
    assert f"src={project_dir()}" in text


def test_without_a_dsn_the_error_says_how_to_give_one() -> None:
    result = run("stats", env={"DATABASE_URL": ""})
    assert result.exit_code == 1
    assert "--dsn" in output(result) and "DATABASE_URL" in output(result)


def test_revert_asks_then_reverts_and_deploy_redeploys(fresh: dict[str, str]) -> None:
    args = ("--dsn", fresh["dsn"], "--schema", fresh["schema"])
    last_change = (project_dir() / "sqitch.plan").read_text().strip().splitlines()[-1].split()[0]
    refused = CliRunner().invoke(cli, ["revert", *args, "--to", "@HEAD^"], input="n\n")
    assert refused.exit_code == 1 and "Aborted" in refused.output
    reverted = run("revert", *args, "--to", "@HEAD^", "-y")
    assert reverted.exit_code == 0, output(reverted)
    assert f"- {last_change}" in reverted.output
    status = run("status", *args)
    assert "Undeployed change" in status.output and last_change in status.output
    doctor = run("doctor", *args)
    assert f"1 change(s) of this client's plan are not deployed: {last_change}" in doctor.output
    assert doctor.exit_code == 0  # a warning: the client still works
    redeployed = run("deploy", *args)
    assert redeployed.exit_code == 0, output(redeployed)
    assert f"+ {last_change}" in redeployed.output


# ------------------------------------------------------------------ doctor


def test_doctor_passes_on_the_test_database(database_url: str) -> None:
    result = run("doctor", "--dsn", database_url)
    assert result.exit_code == 0, result.output
    assert re.search(r"ok\s+│ schema version\s+│ \d+ \(this client needs", result.output)
    assert "pool settings" in result.output and "pg_cron" in result.output
    assert re.search(r"ok\s+│ deployed plan\s+│ all \d+ changes of this client's plan are deployed", result.output)
    assert "0 failed" in result.output


def test_doctor_names_the_deploy_command_for_an_empty_database(database_url: str) -> None:
    dsn = with_database(database_url, conninfo_to_dict(database_url)["dbname"], password="s3cret")
    result = run("doctor", "--dsn", dsn, "--schema", "not_deployed_here")
    assert result.exit_code == 1
    assert "FAIL" in result.output and "schema 'not_deployed_here' is not deployed" in result.output
    assert "langgraph-plpgsql deploy --dsn 'postgresql://" in result.output
    assert ":****@" in result.output and "s3cret" not in result.output
    assert "--schema not_deployed_here" in result.output


def test_doctor_gives_the_grant_a_login_role_lacks(database_url: str) -> None:
    role = f"cli_app_{uuid4().hex[:8]}"
    with psycopg.connect(database_url, autocommit=True) as conn:
        conn.execute(f"CREATE ROLE \"{role}\" LOGIN PASSWORD 'pw'")
    try:
        dsn = with_database(database_url, conninfo_to_dict(database_url)["dbname"], user=role, password="pw")
        result = run("doctor", "--dsn", dsn)
        assert result.exit_code == 1
        assert f'GRANT "langgraph_client" TO "{role}";' in result.output
        with psycopg.connect(database_url, autocommit=True) as conn:
            conn.execute(f'GRANT langgraph_client TO "{role}"')
        granted = run("doctor", "--dsn", dsn)
        assert granted.exit_code == 0, granted.output
        assert f"{role} is a member of langgraph_client, with no table privileges" in granted.output
    finally:
        with psycopg.connect(database_url, autocommit=True) as conn:
            conn.execute(f'DROP ROLE IF EXISTS "{role}"')


def test_doctor_reports_an_unreachable_server() -> None:
    result = run("doctor", "--dsn", "postgresql://nobody@127.0.0.1:1/none?connect_timeout=2")
    assert result.exit_code == 1
    assert "connection" in result.output and "pg_isready" in result.output


def test_doctor_checks_the_pool_settings(database_url: str) -> None:
    result = run("doctor", "--dsn", database_url, "--instances", "1000")
    assert "x 1000 instance(s)" in result.output
    assert "fix: lower CHECKPOINT_MAX_CONNECTIONS" in result.output
    strict = run("doctor", "--dsn", database_url, "--instances", "1000", "--strict")
    assert strict.exit_code == 1
    bad = run("doctor", "--dsn", database_url, env={"CHECKPOINT_MAX_CONNECTIONS": "0"})
    assert bad.exit_code == 1 and "max_connections" in bad.output


# ------------------------------------------------- stats, history, show, diff


def test_stats(database_url: str, saver: PostgresCheckpointer, thread_id: str) -> None:
    chat_graph(saver).invoke({"messages": [HumanMessage(content="count me")]}, {"configurable": {"thread_id": thread_id}})
    table = run("stats", "--dsn", database_url)
    assert table.exit_code == 0, output(table)
    assert re.search(r"│ checkpoints\s+│\s+[\d,]+ │", table.output)
    as_json = run("stats", "--dsn", database_url, "--json")
    data = json.loads(as_json.output)
    assert data["schema"] == "langgraph" and data["checkpoints"] >= 2


def test_history_draws_the_fork(database_url: str, saver: PostgresCheckpointer, thread_id: str) -> None:
    made = chat_with_a_fork(saver, thread_id)
    result = run("history", thread_id, "--dsn", database_url)
    assert result.exit_code == 0, output(result)
    text = result.output
    fork_point = made["fork_point"].config["configurable"]["checkpoint_id"]
    forked = made["forked"]["configurable"]["checkpoint_id"]
    fork_line = next(line for line in text.splitlines() if fork_point in line)
    assert "fork: 2 branches" in fork_line
    latest_line = next(line for line in text.splitlines() if forked in line)
    assert "<- latest" in latest_line and "update" in latest_line
    # The branch that does not lead to the latest hangs under the fork point, indented.
    assert "branch head" in text
    assert re.search(r"step\s+1\s+loop\s+node assistant", text)
    assert re.search(r"step\s+-1\s+input", text)
    assert f"{len(made['history']) + 1} checkpoint(s), 2 branch(es)" in text


def test_history_of_an_unknown_thread(database_url: str) -> None:
    result = run("history", f"none-{uuid4()}", "--dsn", database_url)
    assert result.exit_code == 1 and "has no checkpoints" in output(result)


def test_show_prints_messages_and_pending_writes(database_url: str, saver: PostgresCheckpointer, thread_id: str) -> None:
    graph = chat_graph(saver)
    config = {"configurable": {"thread_id": thread_id}}
    graph.invoke({"messages": [HumanMessage(content="show me")]}, config)
    paused = graph.get_state(config).config["configurable"]["checkpoint_id"]
    result = run("show", paused, "--dsn", database_url)
    assert result.exit_code == 0, output(result)
    assert "human: show me" in result.output and "ai: echo show me" in result.output
    assert "pending writes" in result.output and "__interrupt__" in result.output and "ok?" in result.output
    assert thread_id in result.output
    missing = run("show", str(uuid4()), "--dsn", database_url)
    assert missing.exit_code == 1 and "no checkpoint" in output(missing)


def test_diff_lists_changed_channels_and_added_messages(
    database_url: str, saver: PostgresCheckpointer, thread_id: str
) -> None:
    graph = chat_graph(saver)
    config = {"configurable": {"thread_id": thread_id}}
    graph.invoke({"messages": [HumanMessage(content="first")]}, config)
    before = graph.get_state(config).config["configurable"]["checkpoint_id"]
    graph.invoke(Command(resume="fine"), config)
    after = graph.get_state(config).config["configurable"]["checkpoint_id"]
    result = run("diff", before, after, "--thread", thread_id, "--dsn", database_url)
    assert result.exit_code == 0, output(result)
    assert "+1 message(s)" in result.output and "ai: approved: fine" in result.output
    assert "channel(s) differ" in result.output


# ------------------------------------------------- cleanup, export, import


def test_cleanup_runs_retention_and_reports(fresh: dict[str, str]) -> None:
    with PostgresCheckpointer.from_conn_string(fresh["dsn"], schema=fresh["schema"], min_connections=1) as saver:
        thread = f"cleanup-{uuid4()}"
        made = chat_with_a_fork(saver, thread)
        stored = len(made["history"]) + 1
    result = run("cleanup", "--dsn", fresh["dsn"], "--schema", fresh["schema"], "--retention-days", "0")
    assert result.exit_code == 0, output(result)
    # keep_last 1 keeps the newest checkpoint with the ancestors it needs.
    removed = int(re.search(r"removed (\d+) checkpoint\(s\), skipped 0 busy thread\(s\)", result.output).group(1))
    assert 0 < removed < stored
    with psycopg.connect(fresh["dsn"]) as conn:
        left = conn.execute(
            f'SELECT count(*) FROM "{fresh["schema"]}".list_checkpoints(p_thread_id => %s)', (thread,)
        ).fetchone()[0]
    assert left == stored - removed
    bad = run("cleanup", "--dsn", fresh["dsn"], "--schema", fresh["schema"], "--keep-last", "0")
    assert bad.exit_code == 2  # click refuses it before the database is asked


def test_cleanup_progress_shows_each_committed_batch(fresh: dict[str, str]) -> None:
    schema = fresh["schema"]
    with PostgresCheckpointer.from_conn_string(fresh["dsn"], schema=schema, min_connections=1) as saver:
        for _ in range(3):
            chat_with_a_fork(saver, f"progress-{uuid4()}")
    query = sql.SQL(SQL_CLEANUP_PROGRESS).format(schema=sql.Identifier(schema)).as_string(None)
    seen: list[tuple[int, int, int]] = []
    with psycopg.connect(fresh["dsn"], autocommit=True) as monitor:
        since = monitor.execute("SELECT now()").fetchone()[0]

        def retention() -> None:
            with psycopg.connect(fresh["dsn"], autocommit=True) as conn:
                conn.execute(f'CALL "{schema}".cleanup_old_checkpoints(retention_days => 0, batch_size => 1)')

        runner = threading.Thread(target=retention)
        runner.start()
        while runner.is_alive():
            row = cleanup._progress(monitor, query, since)
            if row is not None:
                seen.append(row)
        runner.join()
        assert cleanup._progress(monitor, query, since) is None  # finished runs are not in progress
    assert seen, "the run was seen while it went"
    batches = [row[0] for row in seen]
    assert batches == sorted(batches) and batches[-1] > batches[0]


def _records(path: Path) -> list[dict[str, Any]]:
    lines = path.read_text().splitlines()
    records = [json.loads(line) for line in lines[1:]]
    for record in records:
        record.pop("created_at")  # when the row was inserted: an import is a new insert
    return records


def _exotic_thread(dsn: str, schema: str, thread: str) -> None:
    """Values a round trip could lose: decimals beyond a double, bytes, unicode."""
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute(
            f'SELECT "{schema}".save_checkpoint(%s, %s::jsonb, %s::jsonb)',
            (
                thread,
                '{"amount": 1.000000000000000000001, "big": 123456789012345678901234567890, "text": "é\\nx"}',
                '{"source": "sql"}',
            ),
        )


def test_export_import_round_trip_is_exact(fresh: dict[str, str], database_url: str, tmp_path: Path) -> None:
    thread = f"export-{uuid4()}"
    with PostgresCheckpointer.from_conn_string(fresh["dsn"], schema=fresh["schema"], min_connections=1) as saver:
        chat_with_a_fork(saver, thread)
        # A value the JSON serializer cannot write goes as bytes (a blob).
        config = {"configurable": {"thread_id": thread, "checkpoint_ns": ""}}
        latest = saver.get_tuple(config)
        checkpoint = dict(latest.checkpoint)
        # A later id than its parent's, as LangGraph mints them (a uuid4 sorts anywhere).
        checkpoint["id"] = str(uuid6())
        checkpoint["channel_values"] = {"raw": b"\x00\xffbytes"}
        checkpoint["channel_versions"] = {**checkpoint["channel_versions"], "raw": saver.get_next_version(None, None)}
        saved = saver.put(latest.config, checkpoint, {"source": "loop", "step": 99, "parents": {}},
                          {"raw": checkpoint["channel_versions"]["raw"]})
        saver.put_writes(saved, [("raw", b"\x01\x02"), ("messages", [AIMessage(content="pending")])], "task-1")
    sql_thread = f"export-sql-{uuid4()}"
    _exotic_thread(fresh["dsn"], fresh["schema"], sql_thread)

    files = {}
    for name in (thread, sql_thread):
        files[name] = tmp_path / f"{name}.jsonl"
        exported = run(
            "export", "--dsn", fresh["dsn"], "--schema", fresh["schema"], "--thread", name, "-o", str(files[name])
        )
        assert exported.exit_code == 0, output(exported)
    records = _records(files[thread])
    assert any(c["blob"] is not None for r in records for c in r["channels"])
    assert any(w["blob"] is not None for r in records for w in r["writes"])
    assert "1.000000000000000000001" in files[sql_thread].read_text()

    for name, path in files.items():
        imported = run("import", str(path), "--dsn", database_url)
        assert imported.exit_code == 0, output(imported)
        assert f"imported {len(_records(path))} checkpoint(s)" in imported.output
        again = tmp_path / f"again-{name}.jsonl"
        assert run("export", "--dsn", database_url, "--thread", name, "-o", str(again)).exit_code == 0
        assert _records(again) == _records(path)
    with psycopg.connect(database_url) as conn:
        amount = conn.execute(
            "SELECT (langgraph.load_checkpoint(%s) -> 'state' ->> 'amount')", (sql_thread,)
        ).fetchone()[0]
    assert amount == "1.000000000000000000001"
    # The saver reads the imported thread as it read the original.
    with PostgresCheckpointer.from_conn_string(database_url, min_connections=1) as saver:
        tup = saver.get_tuple({"configurable": {"thread_id": thread, "checkpoint_ns": ""}})
        assert tup.checkpoint["channel_values"]["raw"] == b"\x00\xffbytes"
        assert ("task-1", "raw", b"\x01\x02") in [tuple(w) for w in tup.pending_writes]


def test_export_resumes_a_file_cut_off(fresh: dict[str, str], tmp_path: Path) -> None:
    with PostgresCheckpointer.from_conn_string(fresh["dsn"], schema=fresh["schema"], min_connections=1) as saver:
        for _ in range(3):
            chat_with_a_fork(saver, f"resume-{uuid4()}")
    full = tmp_path / "full.jsonl"
    args = ("--dsn", fresh["dsn"], "--schema", fresh["schema"])
    assert run("export", *args, "-o", str(full), "--page-size", "3").exit_code == 0
    lines = full.read_text().splitlines(keepends=True)
    assert len(lines) > 10
    cut = tmp_path / "cut.jsonl"
    # Seven complete lines and half of the eighth, as a killed export leaves it.
    cut.write_text("".join(lines[:7]) + lines[7][: len(lines[7]) // 2])
    resumed = run("export", *args, "-o", str(cut), "--resume", "--page-size", "3")
    assert resumed.exit_code == 0, output(resumed)
    assert cut.read_text().splitlines()[1:] == full.read_text().splitlines()[1:]


def test_import_resumes_where_it_stopped(
    fresh: dict[str, str], database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    thread = f"import-resume-{uuid4()}"
    with PostgresCheckpointer.from_conn_string(fresh["dsn"], schema=fresh["schema"], min_connections=1) as saver:
        chat_with_a_fork(saver, thread)
    source = tmp_path / "source.jsonl"
    assert run("export", "--dsn", fresh["dsn"], "--schema", fresh["schema"], "--thread", thread, "-o", str(source)).exit_code == 0
    total = len(source.read_text().splitlines()) - 1

    real_put = transfer._put_record
    calls = {"n": 0}

    def failing_put(*args: Any, **kwargs: Any) -> bool:
        calls["n"] += 1
        if calls["n"] == 4:
            raise KeyboardInterrupt  # as if the user stopped it
        return real_put(*args, **kwargs)

    monkeypatch.setattr(transfer, "SAVE_STATE_EVERY", 1)
    monkeypatch.setattr(transfer, "_put_record", failing_put)
    stopped = CliRunner().invoke(cli, ["import", str(source), "--dsn", database_url])
    assert stopped.exit_code != 0
    state = json.loads((tmp_path / "source.jsonl.import-state").read_text())
    assert state["imported"] == 3
    monkeypatch.setattr(transfer, "_put_record", real_put)
    resumed = run("import", str(source), "--dsn", database_url, "--resume")
    assert resumed.exit_code == 0, output(resumed)
    assert f"imported {total} checkpoint(s)" in resumed.output
    assert not (tmp_path / "source.jsonl.import-state").exists()
    again = tmp_path / "again.jsonl"
    assert run("export", "--dsn", database_url, "--thread", thread, "-o", str(again)).exit_code == 0
    assert _records(again) == _records(source)


def test_import_refuses_a_file_that_is_not_an_export(database_url: str, tmp_path: Path) -> None:
    other = tmp_path / "other.jsonl"
    other.write_text('{"hello": 1}\n')
    result = run("import", str(other), "--dsn", database_url)
    assert result.exit_code == 1 and "not a langgraph-plpgsql export" in output(result)
