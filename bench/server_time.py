"""Server time per call of the hot-path functions during the end-to-end chat, for one or
more databases, interleaved, so that two schemas can be compared on a noisy machine.

    .venv/bin/python bench/server_time.py URL [URL ...] [--rounds 7] [--turns 60]

Each round runs, for each URL in turn, ``--turns`` turns of the benchmark's chat graph
(bench/workload.py) on a new thread through a PostgresCheckpointer opened as bench/run
opens it, and reads from ``pg_stat_statements`` (which the server must preload) the time
its top-level calls of put_checkpoint_v2, put_writes and get_checkpoint_v2 took on the
server, their mean for the round (the extension is created in each database if missing).
The first round warms connections, plans and caches and is not counted. Printed: per
database and function, the median over rounds of the round means, and for each database
after the first the median of its rounds' ratios to the first's.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import uuid

import psycopg

sys.path.insert(0, os.path.dirname(__file__))
from langgraph.checkpoint.plpgsql import PostgresCheckpointer  # noqa: E402

import suite  # noqa: E402
from workload import chat_v4_graph  # noqa: E402

FUNCTIONS = ("put_checkpoint_v2", "put_writes", "get_checkpoint_v2")

# Calls and total milliseconds of the client's top-level statement for each function.
STATEMENTS = """
SELECT f.name, coalesce(sum(s.calls), 0), coalesce(sum(s.total_exec_time), 0)
FROM unnest(%(names)s::text[]) AS f (name)
LEFT JOIN pg_stat_statements AS s
  ON s.dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
 AND s.toplevel AND s.query LIKE '%%.' || f.name || '(%%'
GROUP BY f.name
"""


def prepare(url: str) -> None:
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("CREATE EXTENSION IF NOT EXISTS pg_stat_statements")


def snapshot(url: str) -> dict[str, tuple[int, float]]:
    with psycopg.connect(url, autocommit=True) as conn:
        rows = conn.execute(STATEMENTS, {"names": list(FUNCTIONS)}).fetchall()
    return {name: (int(calls), float(ms)) for name, calls, ms in rows}


def chat_round(saver: PostgresCheckpointer, url: str, turns: int) -> dict[str, float]:
    """Microseconds per call of each function over one chat of ``turns`` turns."""
    graph = chat_v4_graph().compile(checkpointer=saver)
    target = suite.Target("ours", saver)
    thread_id = f"bench-{uuid.uuid4().hex[:8]}-server-time"
    before = snapshot(url)
    for turn in range(turns):
        suite._chat_invoke(target, graph, thread_id, turn)
    after = snapshot(url)
    out = {}
    for name in FUNCTIONS:
        calls = after[name][0] - before[name][0]
        out[name] = (after[name][1] - before[name][1]) * 1e3 / calls if calls else float("nan")
    return out


def dbname(url: str) -> str:
    return str(psycopg.conninfo.conninfo_to_dict(url).get("dbname", url))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("urls", nargs="+")
    parser.add_argument("--rounds", type=int, default=7, help="counted rounds (default 7)")
    parser.add_argument("--turns", type=int, default=60, help="chat turns per round and database (default 60)")
    args = parser.parse_args()
    savers = [PostgresCheckpointer.from_conn_string(url, max_connections=8, min_connections=1, metrics=False)
              for url in args.urls]
    entered = [s.__enter__() for s in savers]
    results: dict[str, list[dict[str, float]]] = {url: [] for url in args.urls}
    try:
        for url, saver in zip(args.urls, entered, strict=True):
            prepare(url)
            saver.setup()
        for n in range(args.rounds + 1):
            for url, saver in zip(args.urls, entered, strict=True):
                got = chat_round(saver, url, args.turns)
                if n:
                    results[url].append(got)
            print(f"server_time: round {n} of {args.rounds}{' (warm-up)' if not n else ''}", file=sys.stderr)
    finally:
        for s in savers:
            s.__exit__(None, None, None)
    print("| database | " + " | ".join(f"{f} (µs)" for f in FUNCTIONS) + " |")
    print("| --- |" + " ---: |" * len(FUNCTIONS))
    for url in args.urls:
        name = dbname(url)
        cells = [f"{statistics.median(r[f] for r in results[url]):.0f}" for f in FUNCTIONS]
        print(f"| {name} | " + " | ".join(cells) + " |")
    first = results[args.urls[0]]
    for url in args.urls[1:]:
        # Rounds ran side by side, so a round's ratio cancels what the machine did meanwhile.
        ratios = [f"{statistics.median(r[f] / b[f] for r, b in zip(results[url], first, strict=True)):.2f}"
                  for f in FUNCTIONS]
        print(f"| {dbname(url)} / {dbname(args.urls[0])}, median of the rounds' ratios | " + " | ".join(ratios) + " |")
    for url in args.urls:
        for f in FUNCTIONS:
            print(f"server_time: {url} {f}: " + ", ".join(f"{r[f]:.0f}" for r in results[url]), file=sys.stderr)


if __name__ == "__main__":
    main()
