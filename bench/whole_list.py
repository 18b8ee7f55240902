"""list() of a whole chat thread, ours against the official saver, without the full run.

    DATABASE_URL=... .venv/bin/python bench/whole_list.py [--rounds 9] [--length 1000] [--profile]

Builds one windowed chat thread of ``--length`` checkpoints and one of 10 (the
benchmark's workload, ``record_chat_v4(..., windowed=True)``, loaded as ``suite.py``
loads it) in ours (DATABASE_URL's database, SQL API deployed) and in the official saver
(``<db>_official_whole``, created empty), then times, interleaved round by round:
``list()`` of the whole long thread, and ``get_tuple`` of the latest checkpoint of each
thread. Prints medians; ``--profile`` adds a cProfile of ours listing the thread.
The checks are those of ``suite.py``: a fast wrong answer fails the run.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import io
import os
import pstats
import statistics
import sys
import time
import uuid
from collections.abc import Callable
from typing import Any

sys.path.insert(0, os.path.dirname(__file__))
from langgraph.checkpoint.postgres import PostgresSaver  # noqa: E402

from langgraph.checkpoint.plpgsql import PostgresCheckpointer  # noqa: E402

from savers import bulk_load, database_url  # noqa: E402
from workload import record_chat_v4, replay  # noqa: E402


def timed(fn: Callable[[], Any]) -> tuple[Any, float]:
    start = time.perf_counter()
    result = fn()
    return result, time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=9)
    parser.add_argument("--length", type=int, default=1_000)
    parser.add_argument("--gets", type=int, default=20, help="get_tuple calls per thread per round")
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--top", type=int, default=25)
    args = parser.parse_args()
    url = os.environ["DATABASE_URL"]
    official_url = database_url(url, "official_whole", fresh=True)

    calls = record_chat_v4(args.length, windowed=True)
    puts_at = [i for i, c in enumerate(calls) if c.kind == "put"]
    tag = uuid.uuid4().hex[:8]
    long_calls = replay(calls, f"whole-{tag}-long")
    short_calls = replay(calls[: puts_at[10]], f"whole-{tag}-short")
    long_ids = [c.args[1]["id"] for c in long_calls if c.kind == "put"]
    short_ids = [c.args[1]["id"] for c in short_calls if c.kind == "put"]
    assert len(long_ids) == args.length and len(short_ids) == 10

    with (
        PostgresCheckpointer.from_conn_string(url, metrics=False) as ours,
        PostgresSaver.from_conn_string(official_url) as official,
    ):
        ours.setup()
        official.setup()
        savers = {"ours": ours, "official": official}
        for key, saver in savers.items():
            bulk_load(key, saver, [long_calls, short_calls], writes=True)
        for conn_url in (url, official_url):
            import psycopg

            with psycopg.connect(conn_url, autocommit=True) as conn:
                conn.execute("VACUUM ANALYZE")
        # As bench_saver.py does: the recorded workload stays alive and is frozen, so a
        # full collection during a measurement does not walk it.
        gc.collect()
        gc.freeze()

        long_config = {"configurable": {"thread_id": f"whole-{tag}-long", "checkpoint_ns": ""}}
        short_config = {"configurable": {"thread_id": f"whole-{tag}-short", "checkpoint_ns": ""}}
        samples: dict[tuple[str, str], list[float]] = {}

        def sample(name: str, key: str, seconds: float) -> None:
            samples.setdefault((name, key), []).append(seconds)

        for _ in savers:  # warm: connections, plans, caches
            for saver in savers.values():
                list(saver.list(long_config))
                saver.get_tuple(short_config)
        for _ in range(args.rounds):
            for key, saver in savers.items():
                rows, seconds = timed(lambda: list(saver.list(long_config)))  # noqa: B023
                assert len(rows) == args.length and rows[0].checkpoint["id"] == long_ids[-1], key
                assert "messages" in rows[0].checkpoint["channel_values"], key
                sample(f"list(), whole thread of {args.length:,}", key, seconds)
                for config, ids, n in ((long_config, long_ids, args.length), (short_config, short_ids, 10)):
                    for _ in range(args.gets):
                        got, seconds = timed(lambda: saver.get_tuple(config))  # noqa: B023
                        assert got.checkpoint["id"] == ids[-1] and "messages" in got.checkpoint["channel_values"]
                        sample(f"get_tuple latest, thread of {n:,}", key, seconds)

        print(f"{'operation':<34} {'ours ms':>9} {'official ms':>12} {'ratio':>6}")
        for name in dict.fromkeys(n for n, _ in samples):
            ours_ms = statistics.median(samples[(name, "ours")]) * 1000
            official_ms = statistics.median(samples[(name, "official")]) * 1000
            print(f"{name:<34} {ours_ms:>9.2f} {official_ms:>12.2f} {ours_ms / official_ms:>6.2f}")

        if args.profile:
            profile = cProfile.Profile()
            profile.enable()
            for _ in range(3):
                list(ours.list(long_config))
            profile.disable()
            out = io.StringIO()
            pstats.Stats(profile, stream=out).sort_stats("tottime").print_stats(args.top)
            print(out.getvalue())
        gc.unfreeze()


if __name__ == "__main__":
    main()
