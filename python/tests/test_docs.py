"""Every psql session in docs/sql-api.md is run and compared with the document.

The sessions run in order in a throwaway cluster of their own (database ``dev``, pg_cron
preloaded, the schema just deployed), so their output does not depend on what other
tests left behind. The format is described in ``_psql_docs.py``, at the top of
docs/sql-api.md and in CONTRIBUTING.md.
"""

from __future__ import annotations

import difflib
import os
from collections.abc import Iterator

import pytest
from _cluster import throwaway_cluster
from _psql_docs import Session, load, normalise, rewrite, run
from conftest import REPO_ROOT

SQL_API = REPO_ROOT / "docs" / "sql-api.md"
ITEMS = load(SQL_API)
SESSIONS = [item for item in ITEMS if isinstance(item, Session)]


@pytest.fixture(scope="module")
def transcripts() -> Iterator[dict[int, str]]:
    with throwaway_cluster("dev", pg_cron=True) as cluster:
        transcripts = run(cluster.url, ITEMS)
    if os.environ.get("UPDATE_DOCS") == "1":
        SQL_API.write_text(
            rewrite(SQL_API.read_text(encoding="utf-8"), SESSIONS, transcripts), encoding="utf-8"
        )
    yield transcripts


def test_the_document_has_sessions() -> None:
    # A parser that finds nothing would pass every comparison below.
    assert len(SESSIONS) >= 30
    assert all(session.statements for session in SESSIONS)


@pytest.mark.parametrize("session", SESSIONS, ids=[s.name for s in SESSIONS])
def test_session_output_matches_the_document(session: Session, transcripts: dict[int, str]) -> None:
    expected = normalise(session.text)
    actual = normalise(transcripts[session.line])
    if expected != actual:
        diff = "\n".join(difflib.unified_diff(expected, actual, "docs/sql-api.md", "psql", lineterm=""))
        pytest.fail(f"docs/sql-api.md {session.name} differs from what psql prints:\n{diff}")
