"""The report: medians over runs, rendered as markdown, saved as JSON, written into docs."""

from __future__ import annotations

import json
import re
import statistics
from pathlib import Path
from typing import Any

from savers import LABELS

COLUMNS = ("ours", "ours_async", "official", "official_async", "floor", "empty", "memory")
SECTIONS = {
    "latency": "Latency per call (median ms, p95 in brackets)",
    "throughput": "Batch and concurrent writes",
    "end to end": "End to end: StateGraph compiled against each saver",
    "storage": "Bytes per checkpoint (default settings)",
    "serialization": "Client serialization: our typed JSON against LangGraph's msgpack (ormsgpack), best of 5",
}
BEGIN = "<!-- BEGIN bench/run --write-docs: generated, do not edit by hand -->"
END = "<!-- END bench/run --write-docs -->"


def aggregate(runs: list[Any]) -> list[dict[str, Any]]:
    """Per cell, the median over runs of each run's median (and of its p95)."""
    rows: list[dict[str, Any]] = []
    for key in runs[0].rows:
        section, row = key
        cells: dict[str, Any] = {}
        for saver in runs[0].rows[key]:
            got = [r.rows[key][saver] for r in runs if saver in r.rows.get(key, {})]
            p95s = [c.p95 for c in got if c.p95 is not None]
            cells[saver] = {
                "median": statistics.median(c.median for c in got),
                "p95": statistics.median(p95s) if p95s else None,
                "runs": [c.median for c in got],
            }
        rows.append({"section": section, "row": row, "unit": runs[0].units[key], "cells": cells})
    return rows


def _fmt(value: float | None) -> str:
    if value is None:
        return ""
    if value >= 1000:
        return f"{value:,.0f}"
    if value >= 100:
        return f"{value:.0f}"
    if value >= 10:
        return f"{value:.1f}"
    return f"{value:.2f}"


def _ratio(row: dict[str, Any], ours: str, other: str) -> str:
    """ours / other as a ratio of costs (time, bytes): above 1, ours costs more."""
    cells = row["cells"]
    if ours not in cells or other not in cells or not cells[other]["median"] or not cells[ours]["median"]:
        return ""
    a, b = cells[ours]["median"], cells[other]["median"]
    value = b / a if row["unit"] == "/s" else a / b
    return f"{value:.2f}"


def render_tables(result: dict[str, Any]) -> str:
    out: list[str] = []
    rows = result["rows"]
    for section, title in SECTIONS.items():
        mine = [r for r in rows if r["section"] == section]
        if not mine:
            continue
        columns = [c for c in COLUMNS if any(c in r["cells"] for r in mine)]
        out.append(f"### {title}\n")
        # The empty functions' column gets its own ratio: the share of the official
        # saver's time our call takes before our function does any work.
        extra = ["empty / official"] if "empty" in columns else []
        header = ["operation", *(LABELS[c] for c in columns),
                  "ours / official", "ours / floor", "ours async / sync", *extra]
        out.append("| " + " | ".join(header) + " |")
        out.append("| --- | " + " | ".join("---:" for _ in header[1:]) + " |")
        for r in mine:
            unit = {"ms": "ms", "/s": "per s", "B": "bytes"}[r["unit"]]
            cells = []
            for c in columns:
                cell = r["cells"].get(c)
                if cell is None:
                    cells.append("")
                elif cell["p95"] is not None:
                    cells.append(f"{_fmt(cell['median'])} ({_fmt(cell['p95'])})")
                else:
                    cells.append(_fmt(cell["median"]))
            ratios = [_ratio(r, "ours", "official"), _ratio(r, "ours", "floor"), _ratio(r, "ours_async", "ours")]
            ratios += [_ratio(r, "empty", "official")] if extra else []
            out.append(f"| {r['row']} ({unit}) | " + " | ".join(cells + ratios) + " |")
        out.append("")
    wire = result.get("wire")
    if wire:
        ops = list(next(iter(wire.values())))
        out.append("### Round trips and server statements per call\n")
        out.append("Round trips counted on the wire by a relay in the client process; statements from "
                   "`pg_stat_statements` (`track = all`): top-level + nested (inside PL/pgSQL functions).\n")
        out.append("| saver | " + " | ".join(ops) + " |")
        out.append("| --- | " + " | ".join("---:" for _ in ops) + " |")
        for saver, counts in wire.items():
            cells = []
            for op in ops:
                c = counts[op]
                text = f"{c['round_trips']:.1f} RT"
                if c["statements"] is not None:
                    text += f", {c['statements']:.1f} + {c['nested']:.1f} stmts"
                cells.append(text)
            out.append(f"| {LABELS[saver]} | " + " | ".join(cells) + " |")
        out.append("")
    return "\n".join(out)


def render(result: dict[str, Any]) -> str:
    meta = result["meta"]
    lines = [
        f"# Saver benchmark, {meta['started']}",
        "",
        f"Command: `{meta['command']}` ({meta['mode']}, {meta['runs']} run(s), every cell the median of the runs; "
        f"took {meta['seconds'] / 60:.1f} min)",
        "",
        "| | |",
        "| --- | --- |",
        *(f"| {k} | {v} |" for k, v in meta["versions"].items()),
        f"| machine | {meta['machine']} |",
        "",
        "Ratios are **ours / other** as a cost (time per call, bytes; for rates, the inverse "
        "rate): **above 1.00 ours is slower or bigger, lower is better**. `ours / official` "
        "compares sync with sync; `ours async / sync` compares our two classes.",
        "",
        meta["workload"],
        "",
        render_tables(result),
    ]
    return "\n".join(lines)


def save(result: dict[str, Any], directory: Path) -> tuple[Path, Path]:
    directory.mkdir(parents=True, exist_ok=True)
    stem = result["meta"]["started"].replace(":", "").replace("-", "").replace(" ", "-")
    md, js = directory / f"{stem}.md", directory / f"{stem}.json"
    md.write_text(render(result) + "\n")
    js.write_text(json.dumps(result, indent=1) + "\n")
    return md, js


def docs_section(result: dict[str, Any]) -> str:
    meta = result["meta"]
    versions = ", ".join(f"{k} {v}" for k, v in meta["versions"].items())
    return "\n".join([
        BEGIN,
        "",
        f"Generated by `{meta['command']}` on {meta['started']} ({meta['mode']}, median of "
        f"{meta['runs']} run(s), {meta['seconds'] / 60:.1f} min). {versions}; {meta['machine']}.",
        "",
        "Ratios are **ours / other** as a cost: above 1.00 ours is slower (or bigger); lower is better.",
        "",
        meta["workload"],
        "",
        render_tables(result).replace("### ", "#### "),
        END,
    ])


def write_docs(result: dict[str, Any], path: Path) -> None:
    """Replace the generated block of docs/performance.md (or, the first time, the
    old hand-written latency section) with this result."""
    text = path.read_text()
    section = docs_section(result)
    if BEGIN in text:
        text = re.sub(re.escape(BEGIN) + ".*?" + re.escape(END), lambda _: section, text, flags=re.S)
    else:
        start = text.index("## Latency against the official saver")
        end = text.index("\n## ", start + 1)
        old = text[start:end]
        # The record of what was tried stays; the old numbers and their reading go.
        tried = old[old.index("* **What was tried and kept**"):] if "* **What was tried and kept**" in old else ""
        history = f"\n### Tried so far\n\n{tried.strip()}\n" if tried else ""
        text = text[:start] + LATENCY_INTRO + section + "\n" + history + text[end:]
    path.write_text(text)


LATENCY_INTRO = """## Latency against the official saver

`bench/run` measures, side by side on one server in one invocation, our sync and async
savers, the official `langgraph-checkpoint-postgres` savers (in a database of their own)
and a **raw floor**: a hand-written psycopg storage (`bench/floor.py`, one prepared
statement per operation, msgpack bytes in plain tables) whose cost is a round trip plus
moving the bytes. Every saver gets the same recorded LangGraph workload, and every
measured call is checked (ids, row counts, filter matches, graph state). Run it with:

```sh
bench/run                 # full: 3 runs, about 6 minutes on 2 cores
bench/run --quick         # small sizes, 1 run, under 2 minutes
bench/run --write-docs    # ... and regenerate the block below
bench/run --scale --scale-checkpoints 100000   # growth study, PNG into docs/
```

Each run also writes `bench/results/<timestamp>.md` and `.json`.

"""
