"""The growth study (``bench/run --scale``): latency and bytes as the tables grow.

Loads ``checkpoints`` checkpoints over ``threads`` threads (the trimmed-history chat of
bench_saver.py, bulk-loaded through each saver's own batched write path, without
pending writes) into ours and the official saver in steps of 10 %, and after each
step samples get_tuple (latest), put (one more checkpoint on a thread) and
list(limit=10) on random loaded threads, and bytes per checkpoint over all tables.
Writes a markdown table to stdout, JSON to bench/results/ and a PNG into docs/.
"""

from __future__ import annotations

import json
import random
import statistics
import time
from pathlib import Path
from typing import Any

from langgraph.checkpoint.postgres import PostgresSaver

from langgraph.checkpoint.plpgsql import PostgresCheckpointer

from savers import Target, bulk_load, database_url, total_bytes
from workload import Call, record_chat_v4, replay

REPO = Path(__file__).resolve().parent.parent
STEPS = 10
SAMPLES = 30


def _median_ms(values: list[float]) -> float:
    return statistics.median(values) * 1e3


def main(url: str, checkpoints: int, threads: int, command: str, log: Any) -> None:
    per_thread = max(1, checkpoints // threads)
    official_url = database_url(url, "official_scale", fresh=True)
    recorded = record_chat_v4(per_thread + 1, windowed=True)
    template = [c for c in recorded if c.kind == "put"]
    rng = random.Random(42)
    tag = f"scale-{int(time.time())}"
    points: list[dict[str, Any]] = []
    started = time.strftime("%Y-%m-%d %H:%M:%S")
    clock = time.perf_counter()
    with PostgresCheckpointer.from_conn_string(url, max_connections=2, min_connections=1, metrics=False) as ours, \
            PostgresSaver.from_conn_string(official_url) as official:
        ours.setup()
        official.setup()
        targets = {"ours": Target("ours", ours), "official": Target("official", official)}
        # Per saver and thread: the checkpoint ids loaded, and one more put to sample.
        loaded: dict[str, list[tuple[str, str, Call]]] = {k: [] for k in targets}
        per_step = threads // STEPS
        for step in range(STEPS):
            for key, target in targets.items():
                batch = []
                for i in range(step * per_step, (step + 1) * per_step):
                    calls = replay(template, f"{tag}-{key}-{i}", user_id=f"user-{i % 100}")
                    batch.append(calls[:-1])
                    loaded[key].append((calls[-2].args[0]["configurable"]["thread_id"], calls[-2].args[1]["id"], calls[-1]))
                start = time.perf_counter()
                bulk_load(key, target.saver, batch, writes=False)
                load_s = time.perf_counter() - start
                total = (step + 1) * per_step * per_thread
                sample = rng.sample(range(len(loaded[key])), min(SAMPLES, len(loaded[key])))
                gets, puts, lists = [], [], []
                for idx in sample:
                    thread_id, last_id, extra = loaded[key][idx]
                    config = {"configurable": {"thread_id": thread_id, "checkpoint_ns": ""}}
                    tup, seconds = target.get(config)
                    assert tup is not None and tup.checkpoint["id"] == last_id, "scale: get latest"
                    gets.append(seconds)
                    rows, seconds = target.list(config, limit=10)
                    assert len(rows) == 10 and rows[0].checkpoint["id"] == last_id, "scale: list"
                    lists.append(seconds)
                for idx in sample[: SAMPLES // 3]:
                    thread_id, last_id, extra = loaded[key][idx]
                    if extra is None:
                        continue
                    _, seconds = target.put(extra.args)
                    puts.append(seconds)
                    loaded[key][idx] = (thread_id, extra.args[1]["id"], None)
                size = total_bytes(url, "langgraph") if key == "ours" else total_bytes(official_url, "public")
                point = {
                    "saver": key, "checkpoints": total, "load_s": load_s,
                    "get_ms": _median_ms(gets), "list_ms": _median_ms(lists),
                    "put_ms": _median_ms(puts) if puts else None, "bytes_per_checkpoint": size / total,
                }
                points.append(point)
                log(f"scale {key} {total:,}: get {point['get_ms']:.2f} ms, list {point['list_ms']:.2f} ms, "
                    f"put {point['put_ms'] or 0:.2f} ms, {point['bytes_per_checkpoint']:,.0f} B/checkpoint, "
                    f"load {load_s:.1f} s")

    result = {"meta": {"started": started, "command": command, "checkpoints": checkpoints, "threads": threads,
                       "seconds": time.perf_counter() - clock}, "points": points}
    results = REPO / "bench" / "results"
    results.mkdir(parents=True, exist_ok=True)
    stem = "scale-" + started.replace(":", "").replace("-", "").replace(" ", "-")
    (results / f"{stem}.json").write_text(json.dumps(result, indent=1) + "\n")
    png = REPO / "docs" / "performance-scale.png"
    plot(points, checkpoints, threads, png)
    print(f"# Scale: {checkpoints:,} checkpoints over {threads:,} threads\n")
    print(f"`{command}`, {result['meta']['seconds'] / 60:.1f} min; plot: docs/{png.name}\n")
    print("| saver | checkpoints | get_tuple ms | put ms | list(limit=10) ms | bytes / checkpoint |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for p in points:
        print(f"| {p['saver']} | {p['checkpoints']:,} | {p['get_ms']:.2f} | {p['put_ms'] or 0:.2f} | "
              f"{p['list_ms']:.2f} | {p['bytes_per_checkpoint']:,.0f} |")


def plot(points: list[dict[str, Any]], checkpoints: int, threads: int, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(2, 2, figsize=(10, 7))
    panels = [("get_ms", "get_tuple latest, median ms"), ("put_ms", "put, median ms"),
              ("list_ms", "list(limit=10), median ms"), ("bytes_per_checkpoint", "bytes per checkpoint")]
    for ax, (field, title) in zip(axes.flat, panels):
        for saver, style in (("ours", "o-"), ("official", "s--")):
            xs = [p["checkpoints"] for p in points if p["saver"] == saver and p[field] is not None]
            ys = [p[field] for p in points if p["saver"] == saver and p[field] is not None]
            ax.plot(xs, ys, style, label=saver)
        ax.set_title(title)
        ax.set_xlabel("checkpoints loaded")
        ax.set_ylim(bottom=0)
        ax.grid(alpha=0.3)
        ax.legend()
    fig.suptitle(f"Growth: {checkpoints:,} checkpoints over {threads:,} threads (ours vs official)")
    fig.tight_layout()
    fig.savefig(path, dpi=80)
