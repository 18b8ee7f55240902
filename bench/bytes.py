"""Bytes per checkpoint of the end-to-end chat, alone, with a breakdown per relation.

    DATABASE_URL=... .venv/bin/python bench/bytes.py [--turns 40,200] [--runs 3] [--breakdown]

The same measurement as the storage rows of bench/run (suite.measure_graphs): the chat
graph compiled against each sync saver, opened as the benchmark opens it, and the
growth of ``pg_total_relation_size`` over every table of the saver's schema divided by
the chat's checkpoints (three per turn), the median of ``--runs`` chats, each in a new
thread. As in bench/run the chats run on tables that already hold data (bench/run's
quick dataset, bulk-loaded and vacuumed first, unless ``--no-dataset``), so that the
growth is of rows and index pages, not of a new table's first pages and maps. ``--breakdown`` also prints that growth per
heap, TOAST table, free-space and visibility maps and index. The official saver and the
floor get fresh databases (``<db>_official_bench``, ``<db>_floor_bench``) as in
bench/run; ours uses DATABASE_URL's database, which must have the SQL API deployed.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import uuid

import psycopg

sys.path.insert(0, os.path.dirname(__file__))
import suite  # noqa: E402
from savers import Savers, database_url  # noqa: E402
from workload import chat_v4_graph, record_chat_v4  # noqa: E402

SCHEMAS = {"ours": "langgraph", "official": "public", "floor": "public"}

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


# The rows the chat's thread has in each table, and their bytes as stored tuples
# (pg_column_size of the row, which counts its header) with their line pointers: what
# the heap would take on full pages. Both savers name these tables alike.
ROW_TABLES = ("checkpoints", "checkpoint_blobs", "checkpoint_writes")


def rows(url: str, schema: str, thread_id: str) -> dict[str, tuple[int, int]]:
    out = {}
    with psycopg.connect(url, autocommit=True) as conn:
        for table in ROW_TABLES:
            query = psycopg.sql.SQL("SELECT count(*), coalesce(sum(pg_column_size(t.*) + 4), 0) FROM {} AS t "
                                    "WHERE thread_id = %s").format(psycopg.sql.Identifier(schema, table))
            n, size = conn.execute(query, (thread_id,)).fetchone()
            out[table] = (int(n), int(size))
    return out


def parts(url: str, schema: str) -> dict[tuple[str, str], int]:
    with psycopg.connect(url, autocommit=True) as conn:
        return {(r, p): int(b) for r, p, b in conn.execute(PARTS, {"schema": schema}).fetchall()}


def chat(savers: Savers, key: str, turns: list[int], breakdown: bool) -> dict[int, tuple[float, dict]]:
    target = savers.targets[key]
    url = {"ours": savers.url, "official": savers.official_url, "floor": savers.floor_url}[key]
    graph = chat_v4_graph().compile(checkpointer=target.saver)
    thread_id = f"bench-{uuid.uuid4().hex[:8]}-e2e-chat"
    start_total, start_parts = savers.total_bytes(key), parts(url, SCHEMAS[key]) if breakdown else {}
    out: dict[int, tuple[float, dict]] = {}
    for turn in range(max(turns)):
        suite._chat_invoke(target, graph, thread_id, turn)
        if turn + 1 in turns:
            grown = savers.total_bytes(key) - start_total
            now = parts(url, SCHEMAS[key]) if breakdown else {}
            diff = {k: v - start_parts.get(k, 0) for k, v in now.items() if v != start_parts.get(k, 0)}
            if breakdown:
                for table, (n, size) in rows(url, SCHEMAS[key], thread_id).items():
                    diff[(table, f"rows: {n / (3 * (turn + 1)):.2f} per checkpoint, as tuples")] = size
            out[turn + 1] = (grown / (3 * (turn + 1)), diff)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--turns", default="40,200", help="turns at which to measure (default 40,200)")
    parser.add_argument("--savers", default="ours,official", help="of ours, official, floor")
    parser.add_argument("--runs", type=int, default=3, help="chats per saver; the median is shown (default 3)")
    parser.add_argument("--no-dataset", action="store_true", help="start from empty tables")
    parser.add_argument("--breakdown", action="store_true", help="growth per heap, TOAST, map and index")
    args = parser.parse_args()
    turns = sorted(int(t) for t in args.turns.split(","))
    keys = args.savers.split(",")
    url = os.environ["DATABASE_URL"]
    savers = Savers(url, database_url(url, "official_bench", fresh=True),
                    database_url(url, "floor_bench", fresh=True)).open()
    try:
        if not args.no_dataset:
            sizes = suite.QUICK
            long_calls = record_chat_v4(max(*sizes.thread_lengths, sizes.filler_length), windowed=True)
            suite.load_dataset(savers, long_calls, sizes, lambda m: print(f"bytes: {m}", file=sys.stderr))
        runs = {key: [chat(savers, key, turns, args.breakdown) for _ in range(args.runs)] for key in keys}
    finally:
        savers.close()
    for key in keys:
        for n in turns:
            print(f"bytes: {key} {n} turns, runs: " + ", ".join(f"{r[n][0]:,.0f}" for r in runs[key]), file=sys.stderr)
    # Per saver and length, the median over the runs, of the total and of each part.
    results = {key: {n: (statistics.median(r[n][0] for r in runs[key]),
                         {part: statistics.median(r[n][1].get(part, 0) for r in runs[key])
                          for part in {p for r in runs[key] for p in r[n][1]}})
                     for n in turns} for key in keys}
    print("| turns | " + " | ".join(keys) + " |" + (" ours / official |" if {"ours", "official"} <= set(keys) else ""))
    print("| ---: |" + " ---: |" * (len(keys) + ({"ours", "official"} <= set(keys))))
    for n in turns:
        row = [f"{results[k][n][0]:,.0f}" for k in keys]
        ratio = [f"{results['ours'][n][0] / results['official'][n][0]:.2f}"] if {"ours", "official"} <= set(keys) else []
        print(f"| {n} | " + " | ".join(row + ratio) + " |")
    if args.breakdown:
        for key in keys:
            for n in turns:
                diff = results[key][n][1]
                print(f"\n{key}, {n} turns ({3 * n} checkpoints): bytes per checkpoint, median of each part")
                for (rel, part), grown in sorted(diff.items(), key=lambda kv: -kv[1]):
                    if grown:
                        print(f"  {rel:<22} {part:<40} {grown / (3 * n):>8,.0f}")


if __name__ == "__main__":
    main()
