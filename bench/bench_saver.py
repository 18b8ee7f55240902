"""Side-by-side benchmark: our savers, the official langgraph-checkpoint-postgres savers
and a raw floor, on the same server, the same recorded LangGraph workload.

    bench/run                          # throwaway cluster with pg_stat_statements, then this
    bench/run --quick                  # small sizes, one run
    bench/run --write-docs             # also regenerate docs/performance.md's block
    bench/run --from-json F --write-docs   # regenerate the docs from a saved result
    bench/run --scale [--scale-checkpoints N]   # growth study (scale.py)
    DATABASE_URL=... .venv/bin/python bench/bench_saver.py --quick

The official saver and the floor get databases of their own, created empty each time:
``<db>_official_bench`` and ``<db>_floor_bench``. Ours uses DATABASE_URL's database,
which must have the SQL API deployed.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import shlex
import sys
import time
from importlib.metadata import version
from pathlib import Path

import psycopg

sys.path.insert(0, os.path.dirname(__file__))
import report  # noqa: E402
import suite  # noqa: E402
from savers import POSTGRES_KEYS, Savers, database_url, deploy, hollow  # noqa: E402
from workload import WINDOW, record_chat_v4  # noqa: E402

REPO = Path(__file__).resolve().parent.parent


def log(message: str) -> None:
    print(f"bench: {message}", file=sys.stderr, flush=True)


def machine() -> str:
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{os.cpu_count()} cores{', ' + model if model else ''}, {platform.system()} {platform.release()}"


def versions(url: str) -> dict[str, str]:
    with psycopg.connect(url) as conn:
        server = conn.execute("SHOW server_version").fetchone()[0]
    return {
        "PostgreSQL": server,
        "Python": platform.python_version(),
        "langgraph": version("langgraph"),
        "langgraph-checkpoint": version("langgraph-checkpoint"),
        "langgraph-checkpoint-postgres": version("langgraph-checkpoint-postgres"),
        "psycopg": version("psycopg"),
    }


def workload_text(sizes: suite.Sizes, data: suite.Dataset) -> str:
    return (
        "Workload: a LangGraph-v4 chat recorded from a real `StateGraph` (START fans out to two "
        "tasks that write three channels each; a `messages` channel of ~200-byte LangChain "
        "messages grows by two per turn; four scalar channels; three checkpoints per turn; "
        "`new_versions` names only changed channels), replayed with fresh time-ordered ids. "
        f"Writes: {sizes.chat_threads} threads of {sizes.chat_checkpoints} checkpoints per saver. "
        f"Reads: threads of {', '.join(f'{n:,}' for n in sizes.thread_lengths)} checkpoints (history "
        f"trimmed to the last {WINDOW} messages so that only the length changes) among "
        f"{data.total:,} checkpoints of {sizes.users} users; the filter's user owns "
        f"{data.user_checkpoints:,} of them. Bulk-loaded once per invocation through each saver's "
        "own write path, batched (ours: `batch_save_checkpoints` + its `put_writes` SQL in a pipeline; "
        "official: its own put/put_writes SQL and serialisation with `executemany` in a pipeline; "
        "floor: its put statement with `executemany`); load seconds: "
        + ", ".join(f"{k} {v:.0f}" for k, v in data.load_seconds.items())
        + f". {sizes.reads} reads per cell and run. Bytes per checkpoint: growth of "
        "`pg_total_relation_size` over all tables of the saver's schema during the end-to-end "
        "chat, divided by its checkpoints."
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=None, help="repeats of the whole measurement (default 3; 1 with --quick)")
    parser.add_argument("--quick", action="store_true", help="small sizes, one run")
    parser.add_argument("--write-docs", action="store_true", help="regenerate the block in docs/performance.md")
    parser.add_argument("--from-json", type=Path, help="render a saved result instead of measuring")
    parser.add_argument("--results", type=Path, default=REPO / "bench" / "results")
    parser.add_argument("--scale", action="store_true", help="the growth study instead (scale.py)")
    parser.add_argument("--scale-checkpoints", type=int, default=1_000_000)
    parser.add_argument("--scale-threads", type=int, default=10_000)
    args = parser.parse_args()
    command = os.environ.get("BENCH_COMMAND") or "bench/run " + shlex.join(sys.argv[1:])

    if args.from_json:
        result = json.loads(args.from_json.read_text())
        print(report.render(result))
        if args.write_docs:
            report.write_docs(result, REPO / "docs" / "performance.md")
        return

    url = os.environ["DATABASE_URL"]
    if args.scale:
        import scale

        scale.main(url, args.scale_checkpoints, args.scale_threads, command, log)
        return

    sizes = suite.QUICK if args.quick else suite.Sizes()
    runs = args.runs or (1 if args.quick else 3)
    started = time.strftime("%Y-%m-%d %H:%M:%S")
    clock = time.perf_counter()
    official_url = database_url(url, "official_bench", fresh=True)
    floor_url = database_url(url, "floor_bench", fresh=True)
    empty_url = database_url(url, "empty_bench", fresh=True)
    deploy(empty_url)
    hollow(empty_url)

    log("recording the workload")
    chat = record_chat_v4(sizes.chat_checkpoints)
    longest = max(*sizes.thread_lengths, sizes.filler_length, sizes.whole_list)
    long_calls = record_chat_v4(longest, windowed=True)

    savers = Savers(url, official_url, floor_url, empty_url).open()
    try:
        for target in (*(savers.targets[key] for key in POSTGRES_KEYS), *savers.extra.values()):
            # connections, plans, caches
            suite.measure_writes(suite.Run(), target, chat[:30], suite.Sizes(chat_threads=1, steps=()))
        data = suite.load_dataset(savers, long_calls, sizes, log)
        # The recorded workloads are millions of long-lived objects; without this every
        # full collection during a measurement walks them again, and a list() of a whole
        # thread (which allocates enough to trigger one) took 200 or 700 ms by chance.
        gc.collect()
        gc.freeze()
        results = []
        for n in range(runs):
            log(f"run {n + 1} of {runs}")
            results.append(suite.measure(savers, data, chat, sizes, log, first=n == 0))
    finally:
        savers.close()
    log("round trips and statements")
    wire = suite.measure_wire({"ours": url, "official": official_url, "floor": floor_url}, sizes, chat, log)

    result = {
        "meta": {
            "started": started,
            "command": command,
            "mode": "quick" if args.quick else "full",
            "runs": runs,
            "seconds": time.perf_counter() - clock,
            "versions": versions(url),
            "machine": machine(),
            "sizes": sizes.__dict__,
            "workload": workload_text(sizes, data),
        },
        "rows": report.aggregate(results),
        "wire": wire,
    }
    md, js = report.save(result, args.results)
    print(report.render(result))
    log(f"wrote {md.relative_to(REPO)} and {js.relative_to(REPO)}")
    if args.write_docs:
        report.write_docs(result, REPO / "docs" / "performance.md")
        log("wrote docs/performance.md")


if __name__ == "__main__":
    main()
