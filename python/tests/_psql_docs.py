"""Run the psql examples of a Markdown document and compare them with what psql prints.

The format (documented at the top of docs/sql-api.md and in CONTRIBUTING.md):

* A psql session is a fenced block tagged ``text`` whose first non-blank line starts a
  statement: an SQL command word at column 0 (``SELECT``, ``CALL``, ``WITH``, ...) or a
  psql meta-command (``\\x``, ``\\set``). Other ``text`` blocks are not sessions.
* Inside a session, a statement runs from such a line to the line that ends it: a ``;``
  outside dollar quotes, or a ``\\g``, ``\\gx`` or ``\\gset`` at the end of a line. A
  meta-command is one line. Everything else is output.
* Sessions run in document order, each in its own ``psql -X -a`` (echo all input) against
  one database where the schema was just deployed, with ``VERBOSITY=verbose`` and
  ``SHOW_CONTEXT=never``, and NULL shown as ``(null)``; stderr (errors, notices) is merged into stdout. psql
  variables do not carry over from one block to the next.
* An HTML comment ``<!-- docs-test setup: ... -->`` anywhere runs its SQL at that point
  of the document, without echo and without comparing output (it must not fail).
* Before comparing, both sides are normalised (:func:`normalise`): generated UUIDs and
  timestamps become placeholders, runs of blanks and of dashes shrink to one, so
  column widths that follow from them do not matter.
* ``UPDATE_DOCS=1`` makes the test write what psql printed back into the document
  (review the diff before committing it).
"""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

# A statement begins with one of these words at column 0 (a command tag such as ``DO``
# or ``CALL`` printed alone on its line is output, see _COMMAND_TAG).
_STATEMENT_START = re.compile(
    r"^(?:SELECT|WITH|CALL|INSERT|UPDATE|DELETE|SET|RESET|SHOW|BEGIN|COMMIT|ROLLBACK|EXPLAIN|DO|"
    r"TABLE|VALUES|GRANT|REVOKE|CREATE|DROP|ALTER|TRUNCATE|ANALYZE|VACUUM|PREPARE|EXECUTE)\b"
    r"|^\\[a-z]"
)
_COMMAND_TAG = re.compile(r"^[A-Z]+(?: [A-Z]+)*(?: \d+)*$")
_ENDS_WITH_GO = re.compile(r"\\g(?:x|set)?(?:\s+\S+)?\s*$")
_SETUP = re.compile(r"<!--\s*docs-test setup:\s*\n(.*?)-->", re.S)
_FENCE = re.compile(r"^```text\n(.*?)^```", re.S | re.M)

# Ids the examples choose themselves start 1f000000-; every other UUID is generated
# (save_checkpoint, now()-based ids) and differs from run to run.
_GENERATED_UUID = re.compile(r"\b(?!1f000000-)[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b")
_TIMESTAMP = re.compile(r"\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:[+-]\d{2}(?::\d{2})?)?")
# Channel versions from save_checkpoint: a counter and a random fraction.
_GENERATED_VERSION = re.compile(r"\b\d{32}\.\d{16}\b")
_PL_EXEC_LINE = re.compile(r"(pl_exec\.c|[a-z_]+\.c):\d+")


@dataclass
class Session:
    """One psql block: where it is, its heading, its text, and the input it holds."""

    line: int
    heading: str
    text: str
    statements: list[str] = field(default_factory=list)
    span: tuple[int, int] = (0, 0)

    @property
    def name(self) -> str:
        return f"line {self.line} ({self.heading})"


@dataclass
class Setup:
    line: int
    sql: str


def statements_of(block: str) -> list[str]:
    """The input lines of a session block, one string per statement."""
    statements: list[str] = []
    current: list[str] | None = None
    dollars = 0
    for line in block.splitlines():
        if current is None:
            if not _STATEMENT_START.match(line) or _COMMAND_TAG.match(line):
                continue
            if line.startswith("\\") and not _ENDS_WITH_GO.search(line):
                statements.append(line)
                continue
            current = []
            dollars = 0
        current.append(line)
        dollars += line.count("$$")
        code = re.sub(r"--.*$", "", line).rstrip()
        if dollars % 2 == 0 and (code.endswith(";") or _ENDS_WITH_GO.search(line)):
            statements.append("\n".join(current))
            current = None
    if current is not None:
        raise ValueError("a statement does not end (no ';' or \\g):\n" + "\n".join(current))
    return statements


def parse(markdown: str) -> list[Session | Setup]:
    """The sessions and hidden setup steps of a document, in document order."""
    items: list[tuple[int, Session | Setup]] = []
    for match in _SETUP.finditer(markdown):
        line = markdown.count("\n", 0, match.start()) + 1
        items.append((match.start(), Setup(line, match.group(1))))
    for match in _FENCE.finditer(markdown):
        body = match.group(1)
        first = next((ln for ln in body.splitlines() if ln.strip()), "")
        if not _STATEMENT_START.match(first):
            continue
        before = markdown[: match.start()]
        headings = re.findall(r"^#{2,4} (.+)$", before, re.M)
        line = before.count("\n") + 1
        session = Session(line, headings[-1] if headings else "", body, statements_of(body), match.span(1))
        items.append((match.start(), session))
    return [item for _, item in sorted(items, key=lambda pair: pair[0])]


def psql(url: str, sql: str, *, echo: bool) -> str:
    argv = [
        "psql",
        "-X",
        "-v",
        "VERBOSITY=verbose",
        "-v",
        "SHOW_CONTEXT=never",
        "-P",
        "null=(null)",
        "-d",
        url,
    ]
    if echo:
        argv.insert(1, "-a")
    else:
        argv[1:1] = ["-q", "-v", "ON_ERROR_STOP=1"]
    done = subprocess.run(
        argv, input=sql, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, check=False
    )
    if not echo and done.returncode != 0:
        raise RuntimeError(f"docs-test setup failed:\n{sql}\n{done.stdout}")
    return done.stdout


def run(url: str, items: list[Session | Setup]) -> dict[int, str]:
    """Run every item in order; the transcript of each session, by its line."""
    transcripts: dict[int, str] = {}
    for item in items:
        if isinstance(item, Setup):
            psql(url, item.sql, echo=False)
        else:
            transcripts[item.line] = psql(url, "\n".join(item.statements) + "\n", echo=True)
    return transcripts


def normalise(text: str) -> list[str]:
    lines = []
    for line in text.splitlines():
        line = _GENERATED_UUID.sub("<uuid>", line)
        line = _TIMESTAMP.sub("<time>", line)
        line = _GENERATED_VERSION.sub("<version>", line)
        line = _PL_EXEC_LINE.sub(r"\1:N", line)
        line = re.sub(r"-{2,}", "--", line)
        line = re.sub(r"[ \t]+", " ", line).strip()
        # psql's continuation mark after a padded cell: the padding (even none) varies
        # with the width of a normalised value.
        line = re.sub(r" ?\+$", " +", line)
        lines.append(line)
    while lines and not lines[-1]:
        lines.pop()
    return lines


def rewrite(markdown: str, sessions: list[Session], transcripts: dict[int, str]) -> str:
    """The document with each session that differs replaced by what psql printed."""
    for session in sorted(sessions, key=lambda s: s.span[0], reverse=True):
        start, end = session.span
        if normalise(session.text) == normalise(transcripts[session.line]):
            continue  # only its ids or times differ: keep the page as it is
        body = transcripts[session.line].rstrip("\n") + "\n"
        markdown = markdown[:start] + body + markdown[end:]
    return markdown


def load(path: Path) -> list[Session | Setup]:
    return parse(path.read_text(encoding="utf-8"))
