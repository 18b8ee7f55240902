"""Bytes per checkpoint of the end-to-end chat, alone, with a breakdown per relation.

    DATABASE_URL=... .venv/bin/python bench/bytes.py [--turns 40,200] [--runs 3] [--breakdown]
        [--before URL] [--savers ours,official]

The same measurement as the storage rows of bench/run (suite.measure_graphs): the chat
graph compiled against each sync saver, opened as the benchmark opens it, and the
growth of ``pg_total_relation_size`` over every table of the saver's schema divided by
the chat's checkpoints (three per turn); the median of ``--runs`` chats per saver, each
in a new thread, the savers taking turns. As in bench/run the chats run on tables that
already hold data (bench/run's quick dataset, bulk-loaded and vacuumed first, unless
``--no-dataset``), so that what grows is rows and index pages, not a new table's first
pages and maps.

Ours uses DATABASE_URL's database, which must have the SQL API deployed; ``--before URL``
adds a second database of ours (another deployment, e.g. the main branch's) as saver
``before``, so one run compares both with the official saver. The official saver and
the floor get fresh databases (``<db>_official_bench``, ``<db>_floor_bench``) as in
bench/run. ``--breakdown`` also prints the growth per heap, TOAST table, free-space and
visibility maps and index, and the chat thread's rows in each table as stored tuples.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import uuid
from typing import Any

import psycopg

sys.path.insert(0, os.path.dirname(__file__))
import suite  # noqa: E402
from savers import Savers, database_url  # noqa: E402
from workload import chat_v4_graph, record_chat_v4  # noqa: E402

# Each part of each table of a schema: its heap (main fork), free-space and visibility
# maps, TOAST table with its index, and each index.
PARTS = """
SELECT c.relname AS rel, 'heap' AS part, pg_relation_size(c.oid, 'main') AS bytes
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE n.nspname = %(schema)s AND c.relkind = 'r'
UNION ALL
SELECT c.relname, 'fsm+vm', pg_relation_size(c.oid, 'fsm') + pg_relation_size(c.oid, 'vm')
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE n.nspname = %(schema)s AND c.relkind = 'r'
UNION ALL
SELECT c.relname, 'toast', pg_total_relation_size(c.reltoastrelid)
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE n.nspname = %(schema)s AND c.relkind = 'r' AND c.reltoastrelid <> 0
UNION ALL
SELECT c.relname, 'index ' || i.relname, pg_relation_size(i.oid)
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
  JOIN pg_index x ON x.indrelid = c.oid JOIN pg_class i ON i.oid = x.indexrelid
 WHERE n.nspname = %(schema)s AND c.relkind = 'r'
"""

# The chat thread's rows in each table, and their bytes as stored tuples (pg_column_size
# of the row, which counts its header, plus a line pointer): what the heap would take on
# full pages. Both savers name these tables alike.
ROW_TABLES = ("checkpoints", "checkpoint_blobs", "checkpoint_writes")


class Measured:
    """One saver to measure: its target, database and schema."""

    def __init__(self, target: suite.Target, savers: Savers, key: str, url: str, schema: str) -> None:
        self.target, self.savers, self.key, self.url, self.schema = target, savers, key, url, schema

    def total(self) -> int:
        return self.savers.total_bytes(self.key)

    def parts(self) -> dict[tuple[str, str], int]:
        with psycopg.connect(self.url, autocommit=True) as conn:
            return {(r, p): int(b) for r, p, b in conn.execute(PARTS, {"schema": self.schema}).fetchall()}

    def rows(self, thread_id: str) -> dict[str, tuple[int, int]]:
        out = {}
        with psycopg.connect(self.url, autocommit=True) as conn:
            for table in ROW_TABLES:
                query = psycopg.sql.SQL(
                    "SELECT count(*), coalesce(sum(pg_column_size(t.*) + 4), 0) FROM {} AS t WHERE thread_id = %s"
                ).format(psycopg.sql.Identifier(self.schema, table))
                n, size = conn.execute(query, (thread_id,)).fetchone()
                out[table] = (int(n), int(size))
        return out


def chat(m: Measured, turns: list[int], breakdown: bool) -> dict[int, tuple[float, dict[Any, int]]]:
    """Bytes per checkpoint after each of ``turns`` turns of one new chat thread, and
    (with ``breakdown``) the bytes each part grew by."""
    graph = chat_v4_graph().compile(checkpointer=m.target.saver)
    thread_id = f"bench-{uuid.uuid4().hex[:8]}-e2e-chat"
    start_total, start_parts = m.total(), m.parts() if breakdown else {}
    out: dict[int, tuple[float, dict[Any, int]]] = {}
    for turn in range(max(turns)):
        suite._chat_invoke(m.target, graph, thread_id, turn)
        if turn + 1 not in turns:
            continue
        checkpoints = 3 * (turn + 1)
        diff: dict[Any, int] = {}
        if breakdown:
            diff = {k: v - start_parts.get(k, 0) for k, v in m.parts().items() if v != start_parts.get(k, 0)}
            for table, (n, size) in m.rows(thread_id).items():
                diff[(table, f"rows as tuples ({n / checkpoints:.2f} per checkpoint)")] = size
        out[turn + 1] = ((m.total() - start_total) / checkpoints, diff)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--turns", default="40,200", help="turns at which to measure (default 40,200)")
    parser.add_argument("--savers", default="ours,official", help="of ours, official, floor (default ours,official)")
    parser.add_argument("--before", metavar="URL", help="a second database of ours, measured as saver 'before'")
    parser.add_argument("--runs", type=int, default=3, help="chats per saver; medians are shown (default 3)")
    parser.add_argument("--no-dataset", action="store_true", help="start from empty tables")
    parser.add_argument("--breakdown", action="store_true", help="growth per heap, TOAST, map and index")
    args = parser.parse_args()
    turns = sorted(int(t) for t in args.turns.split(","))
    url = os.environ["DATABASE_URL"]
    urls = {"ours": url, **({"before": args.before} if args.before else {})}
    sets = {name: Savers(u, database_url(u, "official_bench", fresh=True), database_url(u, "floor_bench", fresh=True))
            for name, u in urls.items()}
    opened: list[Savers] = []
    try:
        for s in sets.values():
            opened.append(s.open())
        schemas = {"ours": "langgraph", "official": "public", "floor": "public"}
        measured: dict[str, Measured] = {}
        for key in args.savers.split(","):
            s = sets["ours"]
            measured[key] = Measured(s.targets[key], s, key, {"ours": s.url, "official": s.official_url,
                                                              "floor": s.floor_url}[key], schemas[key])
            if key == "ours" and "before" in sets:
                b = sets["before"]
                measured["before"] = Measured(b.targets["ours"], b, "ours", b.url, "langgraph")
        if not args.no_dataset:
            sizes = suite.QUICK
            long_calls = record_chat_v4(max(*sizes.thread_lengths, sizes.filler_length), windowed=True)
            for s in sets.values():
                suite.load_dataset(s, long_calls, sizes, lambda msg: print(f"bytes: {msg}", file=sys.stderr))
        runs: dict[str, list[dict[int, tuple[float, dict[Any, int]]]]] = {key: [] for key in measured}
        for n in range(args.runs):
            for key, m in measured.items():
                runs[key].append(chat(m, turns, args.breakdown))
            print(f"bytes: run {n + 1} of {args.runs}", file=sys.stderr)
    finally:
        for s in opened:
            s.close()
    keys = list(measured)
    for key in keys:
        for n in turns:
            print(f"bytes: {key}, {n} turns, runs: " + ", ".join(f"{r[n][0]:,.0f}" for r in runs[key]), file=sys.stderr)
    # Per saver and length, the median over the runs of the total and of each part.
    median = {key: {n: (statistics.median(r[n][0] for r in runs[key]),
                        {part: statistics.median(r[n][1].get(part, 0) for r in runs[key])
                         for part in {p for r in runs[key] for p in r[n][1]}})
                    for n in turns} for key in keys}
    ratios = [k for k in keys if k != "official"] if "official" in keys else []
    print("| turns | " + " | ".join(keys) + " |" + "".join(f" {k} / official |" for k in ratios))
    print("| ---: |" + " ---: |" * (len(keys) + len(ratios)))
    for n in turns:
        cells = [f"{median[k][n][0]:,.0f}" for k in keys]
        cells += [f"{median[k][n][0] / median['official'][n][0]:.2f}" for k in ratios]
        print(f"| {n} | " + " | ".join(cells) + " |")
    if args.breakdown:
        for key in keys:
            for n in turns:
                print(f"\n{key}, {n} turns ({3 * n} checkpoints): bytes per checkpoint, median of each part")
                for (rel, part), grown in sorted(median[key][n][1].items(), key=lambda kv: -kv[1]):
                    if grown:
                        print(f"  {rel:<18} {part:<40} {grown / (3 * n):>8,.0f}")


if __name__ == "__main__":
    main()
