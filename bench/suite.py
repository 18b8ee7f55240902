"""The measurements: one call of ``measure()`` is one run over every saver.

Every measured call is checked (the id a get returned, the rows a list returned, what
a filter matched, the state an invoke produced), so a fast wrong answer fails the
run instead of winning it.
"""

from __future__ import annotations

import asyncio
import statistics
import threading
import time
import timeit
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from savers import POSTGRES_KEYS, WRITERS, Savers, Target, bulk_load, run_in
from wire import RoundTripRelay, StatementCounter
from workload import Call, chat_v4_graph, chat_v4_input, plan_act_review_graph, replay


@dataclass(frozen=True)
class Sizes:
    chat_checkpoints: int = 500         # the growing chat thread replayed for put / put_writes
    chat_threads: int = 3               # ... into this many threads per saver
    steps: tuple[int, ...] = (10, 100, 500)
    thread_lengths: tuple[int, ...] = (10, 1_000, 10_000)
    whole_list: int = 1_000             # list() of a whole thread of this length
    filter_total: int = 100_000         # checkpoints the metadata filter searches
    filler_length: int = 100            # ... in threads of this length
    users: int = 100                    # ... owned by this many users
    reads: int = 20
    whole_reads: int = 3
    batch: int = 100
    batch_rounds: int = 3
    writer_puts: int = 40               # puts per writer, WRITERS writers
    loop_invokes: int = 20
    chat_short: int = 10
    chat_long: int = 200
    chat_tail: int = 5
    bytes_turns: tuple[int, ...] = (40, 200)
    wire_invokes: int = 5


QUICK = Sizes(
    chat_checkpoints=100, chat_threads=2, steps=(10, 50, 100), thread_lengths=(10, 100, 1_000),
    whole_list=100, filter_total=5_000, filler_length=50, users=20, reads=5, whole_reads=2,
    batch=50, batch_rounds=2, writer_puts=10, loop_invokes=5, chat_short=5, chat_long=40,
    chat_tail=3, bytes_turns=(10, 40), wire_invokes=3,
)


@dataclass
class Cell:
    median: float
    p95: float | None = None


@dataclass
class Run:
    """One run's cells: rows[(section, row)][saver] = Cell. Rows keep their order."""

    rows: dict[tuple[str, str], dict[str, Cell]] = field(default_factory=dict)
    units: dict[tuple[str, str], str] = field(default_factory=dict)

    def samples(self, section: str, row: str, saver: str, seconds: Sequence[float]) -> None:
        ordered = sorted(seconds)
        p95 = ordered[max(0, int(round(len(ordered) * 0.95)) - 1)]
        self.value(section, row, saver, statistics.median(ordered) * 1e3, "ms", p95 * 1e3)

    def value(self, section: str, row: str, saver: str, value: float, unit: str, p95: float | None = None) -> None:
        self.rows.setdefault((section, row), {})[saver] = Cell(value, p95)
        self.units[(section, row)] = unit


def _check(ok: bool, what: str) -> None:
    if not ok:
        raise AssertionError(f"benchmark check failed: {what}")


def _tag() -> str:
    return uuid.uuid4().hex[:8]


# ------------------------------------------------------------------ datasets


@dataclass
class Dataset:
    """Threads loaded once into every saver, read by every run."""

    threads: dict[int, str]            # length -> thread_id
    ids: dict[int, list[str]]          # length -> checkpoint ids, oldest first
    user: str                          # the user the filter looks for
    user_checkpoints: int
    total: int
    load_seconds: dict[str, float]


def load_dataset(savers: Savers, long_calls: list[Call], sizes: Sizes, log: Any) -> Dataset:
    """Threads of each length in ``sizes.thread_lengths`` (with their pending writes),
    plus filler threads up to ``sizes.filter_total`` checkpoints, owned round-robin by
    ``sizes.users`` users: the metadata filter's haystack."""
    tag = _tag()
    puts_at: list[int] = [i for i, c in enumerate(long_calls) if c.kind == "put"]

    def prefix(n: int) -> list[Call]:
        end = puts_at[n] if n < len(puts_at) else len(long_calls)
        return long_calls[:end]

    main: dict[int, list[Call]] = {}
    for n in sizes.thread_lengths:
        main[n] = replay(prefix(n), f"bench-{tag}-len-{n}", user_id=f"{tag}-owner")
    filler_count = max(0, (sizes.filter_total - sum(sizes.thread_lengths)) // sizes.filler_length)
    filler_calls = [c for c in prefix(sizes.filler_length) if c.kind == "put"]
    filler = [replay(filler_calls, f"bench-{tag}-filler-{i}", user_id=f"{tag}-user-{i % sizes.users}")
              for i in range(filler_count)]
    user = f"{tag}-user-{sizes.users // 2}"
    user_checkpoints = sum(sizes.filler_length for i in range(filler_count) if i % sizes.users == sizes.users // 2)
    total = sum(sizes.thread_lengths) + filler_count * sizes.filler_length
    seconds: dict[str, float] = {}
    for key in ("ours", "official", "floor"):
        start = time.perf_counter()
        saver = savers.targets[key].saver
        bulk_load(key, saver, list(main.values()), writes=True)
        bulk_load(key, saver, filler, writes=False)
        seconds[key] = time.perf_counter() - start
        log(f"loaded {total:,} checkpoints into {key} in {seconds[key]:.1f} s")
    savers.analyze()
    ids = {n: [c.args[1]["id"] for c in calls if c.kind == "put"] for n, calls in main.items()}
    for n in sizes.thread_lengths:
        _check(len(ids[n]) == n, f"thread of {n} has {len(ids[n])} checkpoints")
    return Dataset({n: f"bench-{tag}-len-{n}" for n in main}, ids, user, user_checkpoints, total, seconds)


# -------------------------------------------------------------- measurements


def measure_writes(run: Run, target: Target, chat: list[Call], sizes: Sizes) -> None:
    """put and put_writes over one growing chat, and put at given steps of it."""
    puts: list[float] = []
    writes: list[float] = []
    by_step: dict[int, list[float]] = {s: [] for s in sizes.steps}
    tag = _tag()
    for t in range(sizes.chat_threads):
        step = 0
        for call in replay(chat, f"bench-{tag}-chat-{t}"):
            if call.kind == "put":
                step += 1
                config, seconds = target.put(call.args)
                _check(config["configurable"]["checkpoint_id"] == call.args[1]["id"], "put returned its id")
                puts.append(seconds)
                for s in sizes.steps:
                    if abs(step - s) <= 2:
                        by_step[s].append(seconds)
            else:
                writes.append(target.put_writes(call.args)[1])
    run.samples("latency", "put, whole chat", target.key, puts)
    for s in sizes.steps:
        run.samples("latency", f"put at step {s}", target.key, by_step[s])
    run.samples("latency", "put_writes (3 writes)", target.key, writes)


def measure_reads(run: Run, target: Target, data: Dataset, sizes: Sizes) -> None:
    for n, thread_id in data.threads.items():
        ids = data.ids[n]
        latest, by_id = [], []
        config = {"configurable": {"thread_id": thread_id, "checkpoint_ns": ""}}
        middle = ids[len(ids) // 2]
        for _ in range(sizes.reads):
            tup, seconds = target.get(config)
            _check(tup.checkpoint["id"] == ids[-1], f"get latest of {n}")
            _check("messages" in tup.checkpoint["channel_values"], "get returned channel values")
            latest.append(seconds)
            tup, seconds = target.get({"configurable": {**config["configurable"], "checkpoint_id": middle}})
            _check(tup.checkpoint["id"] == middle, f"get by id of {n}")
            by_id.append(seconds)
        run.samples("latency", f"get_tuple latest, thread of {n:,}", target.key, latest)
        run.samples("latency", f"get_tuple by id, thread of {n:,}", target.key, by_id)

    n = max(data.threads)
    ids = data.ids[n]
    thread_id = data.threads[n]
    cursor = ids[len(ids) // 2]
    with_ns, without_ns, before, filtered = [], [], [], []
    for _ in range(sizes.reads):
        rows, seconds = target.list({"configurable": {"thread_id": thread_id, "checkpoint_ns": ""}}, limit=10)
        _check([r.checkpoint["id"] for r in rows] == ids[-1:-11:-1], "list(limit=10) with ns")
        with_ns.append(seconds)
        rows, seconds = target.list({"configurable": {"thread_id": thread_id}}, limit=10)
        _check([r.checkpoint["id"] for r in rows] == ids[-1:-11:-1], "list(limit=10) without ns")
        without_ns.append(seconds)
        rows, seconds = target.list({"configurable": {"thread_id": thread_id, "checkpoint_ns": ""}},
                                    before={"configurable": {"checkpoint_id": cursor}}, limit=10)
        page = ids.index(cursor)
        _check([r.checkpoint["id"] for r in rows] == ids[page - 1:page - 11:-1], "before paging")
        before.append(seconds)
        rows, seconds = target.list(None, filter={"user_id": data.user}, limit=10)
        _check(len(rows) == 10 and all(r.metadata.get("user_id") == data.user for r in rows), "filter matched")
        filtered.append(seconds)
    run.samples("latency", f"list(limit=10), thread of {n:,}", target.key, with_ns)
    run.samples("latency", f"list(limit=10), thread_id only, thread of {n:,}", target.key, without_ns)
    run.samples("latency", f"list(before=cursor, limit=10), thread of {n:,}", target.key, before)
    run.samples("latency", f"list(None, filter=user_id, limit=10), {data.total:,} checkpoints",
                target.key, filtered)

    whole_len = sizes.whole_list
    whole = []
    config = {"configurable": {"thread_id": data.threads[whole_len], "checkpoint_ns": ""}}
    for _ in range(sizes.whole_reads):
        rows, seconds = target.list(config)
        _check(len(rows) == whole_len and rows[0].checkpoint["id"] == data.ids[whole_len][-1], "whole list")
        whole.append(seconds)
    run.samples("latency", f"list(), whole thread of {whole_len:,}", target.key, whole)


def measure_batch(run: Run, target: Target, chat: list[Call], sizes: Sizes) -> None:
    """N single puts against one batch_save_checkpoints of the same N (ours only)."""
    puts = [c for c in chat if c.kind == "put"][: sizes.batch]
    single, batch = [], []
    for _ in range(sizes.batch_rounds):
        calls = replay(puts, f"bench-{_tag()}-single")
        start = time.perf_counter()
        total = sum(target.put(c.args)[1] for c in calls)
        single.append(total if target.is_async else time.perf_counter() - start)
        if target.key.startswith("ours"):
            items = [c.args for c in replay(puts, f"bench-{_tag()}-batch")]
            if target.is_async:
                configs, seconds = target._async(lambda: target.saver.abatch_save_checkpoints(items))
            else:
                configs, seconds = target._sync(lambda: target.saver.batch_save_checkpoints(items))
            _check(len(configs) == len(items), "batch saved every item")
            batch.append(seconds)
    run.samples("throughput", f"{len(puts)} single puts, total", target.key, single)
    if batch:
        run.samples("throughput", f"batch_save_checkpoints of {len(puts)}, total", target.key, batch)


def measure_writers(run: Run, target: Target, chat: list[Call], sizes: Sizes) -> None:
    """WRITERS concurrent writers, each on its own thread_id, through one pooled saver."""
    puts = [c for c in chat if c.kind == "put"][: sizes.writer_puts]
    work = [replay(puts, f"bench-{_tag()}-writer-{i}") for i in range(WRITERS)]
    if target.is_async:
        async def writer(calls: list[Call]) -> None:
            for c in calls:
                await target.saver.aput(*c.args)

        async def all_writers() -> float:
            start = time.perf_counter()
            await asyncio.gather(*(writer(w) for w in work))
            return time.perf_counter() - start

        elapsed = run_in(target.loop, all_writers())
    else:
        barrier = threading.Barrier(WRITERS + 1)
        errors: list[BaseException] = []

        def writer(calls: list[Call]) -> None:
            barrier.wait()
            try:
                for c in calls:
                    target.saver.put(*c.args)
            except BaseException as exc:  # noqa: BLE001 - reported below
                errors.append(exc)

        threads = [threading.Thread(target=writer, args=(w,)) for w in work]
        for t in threads:
            t.start()
        barrier.wait()
        start = time.perf_counter()
        for t in threads:
            t.join()
        elapsed = time.perf_counter() - start
        if errors:
            raise errors[0]
    last = work[-1][-1].args
    tup, _ = target.get({"configurable": {**last[0]["configurable"], "checkpoint_id": last[1]["id"]}})
    _check(tup is not None and tup.checkpoint["id"] == last[1]["id"], "every writer's last put is stored")
    run.value("throughput", f"{WRITERS} writers, puts/s", target.key, WRITERS * len(puts) / elapsed, "/s")


def _chat_invoke(target: Target, graph: Any, thread_id: str, turn: int) -> float:
    result, seconds = target.invoke(graph, chat_v4_input(turn), {"configurable": {"thread_id": thread_id}})
    _check(result["turns"] == turn + 1 and len(result["messages"]) == 2 * (turn + 1), "chat invoke state")
    return seconds


def _loop_invoke(target: Target, graph: Any, thread_id: str) -> float:
    result, seconds = target.invoke(graph, {"goal": "ship it", "reviews": 0, "results": []},
                                    {"configurable": {"thread_id": thread_id}})
    _check(result["reviews"] == 3 and len(result["results"]) == 3, "loop invoke state")
    return seconds


def measure_graphs(run: Run, target: Target, sizes: Sizes, savers: Savers | None) -> None:
    """End to end: the plan/act/review loop and the chat, compiled against the saver.
    For the sync PostgreSQL savers also the bytes each checkpoint of the chat took."""
    loop_graph = plan_act_review_graph().compile(checkpointer=target.saver)
    _loop_invoke(target, loop_graph, f"bench-{_tag()}-warm")
    start = time.perf_counter()
    inner = sum(_loop_invoke(target, loop_graph, f"bench-{_tag()}-loop") for _ in range(sizes.loop_invokes))
    elapsed = inner if target.is_async else time.perf_counter() - start
    run.value("end to end", "plan -> act -> review (3 rounds), invokes/s", target.key,
              sizes.loop_invokes / elapsed, "/s")

    chat = chat_v4_graph().compile(checkpointer=target.saver)
    thread_id = f"bench-{_tag()}-e2e-chat"
    measure_bytes = savers is not None and not target.is_async and target.key != "memory"
    sizes_at = {0: savers.total_bytes(target.key)} if measure_bytes else {}
    short, tail = [], []
    for turn in range(sizes.chat_long):
        seconds = _chat_invoke(target, chat, thread_id, turn)
        if turn < sizes.chat_short:
            short.append(seconds)
        if turn >= sizes.chat_long - sizes.chat_tail:
            tail.append(seconds)
        if measure_bytes and turn + 1 in sizes.bytes_turns:
            sizes_at[turn + 1] = savers.total_bytes(target.key)
        if turn + 1 in (sizes.chat_short, sizes.chat_long) and target.key != "memory":
            measure_chat_reads(run, target, thread_id, turn + 1, sizes)
    run.samples("end to end", f"chat invoke, turns 1-{sizes.chat_short}", target.key, short)
    run.samples("end to end", f"chat invoke, turns {sizes.chat_long - sizes.chat_tail + 1}-{sizes.chat_long}",
                target.key, tail)
    for turns in sizes.bytes_turns if measure_bytes else ():
        # Three checkpoints per turn: the input, the fan-out, the tasks' results.
        per_checkpoint = (sizes_at[turns] - sizes_at[0]) / (3 * turns)
        run.value("storage", f"bytes per checkpoint, {turns}-turn chat", target.key, per_checkpoint, "B")


def measure_chat_reads(run: Run, target: Target, thread_id: str, turns: int, sizes: Sizes) -> None:
    """get_tuple of a chat the graph wrote, as LangGraph reads it at the start of an
    invoke: in the process that wrote it, and in another one (a second worker, a
    restarted server), which holds none of its values. For ours the second is a read
    after ``forget``: the server walks each appended tail's chain and the client decodes
    every message; the other savers read the same way both times."""
    config = {"configurable": {"thread_id": thread_id, "checkpoint_ns": ""}}
    writer, other = [], []
    for _ in range(sizes.reads):
        tup, seconds = target.get(config)
        _check(len(tup.checkpoint["channel_values"]["messages"]) == 2 * turns, "chat read: messages")
        writer.append(seconds)
        target.forget(thread_id)
        tup, seconds = target.get(config)
        _check(len(tup.checkpoint["channel_values"]["messages"]) == 2 * turns, "chat read: messages")
        other.append(seconds)
    run.samples("latency", f"get_tuple latest, {turns}-turn chat, the writing process", target.key, writer)
    run.samples("latency", f"get_tuple latest, {turns}-turn chat, another process", target.key, other)


def measure_serialization(run: Run, chat: list[Call]) -> None:
    """Client-side only: every channel value and write of the chat, written and read
    back by our codec (typed JSON, as put/put_writes send it) and by LangGraph's
    JsonPlusSerializer (msgpack through ormsgpack, as the official saver stores it)."""
    from langgraph.checkpoint.plpgsql.serde import ValueCodec
    from langgraph.checkpoint.serde.jsonplus import JsonPlusSerializer

    values: list[Any] = []
    for call in chat:
        if call.kind == "put":
            checkpoint, new_versions = call.args[1], call.args[3]
            values += [checkpoint["channel_values"][c] for c in new_versions if c in checkpoint["channel_values"]]
        else:
            values += [value for _, value in call.args[1]]
    serde = JsonPlusSerializer()
    codec = ValueCodec(serde)

    def best(fn: Any) -> float:
        return min(timeit.timeit(fn, number=1) for _ in range(5)) * 1e3

    ours = [codec.dump(v) for v in values]
    official = [serde.dumps_typed(v) for v in values]
    _check(all(codec.load(*o) == serde.loads_typed(f) for o, f in zip(ours, official, strict=True)),
           "both codecs read back the same values")
    row = f"dump the chat's {len(values):,} values (ms)"
    run.value("serialization", row.removesuffix(" (ms)"), "ours", best(lambda: [codec.dump(v) for v in values]), "ms")
    run.value("serialization", row.removesuffix(" (ms)"), "official",
              best(lambda: [serde.dumps_typed(v) for v in values]), "ms")
    row = f"load the chat's {len(values):,} values"
    run.value("serialization", row, "ours", best(lambda: [codec.load(*o) for o in ours]), "ms")
    run.value("serialization", row, "official", best(lambda: [serde.loads_typed(f) for f in official]), "ms")


def measure(savers: Savers, data: Dataset, chat: list[Call], sizes: Sizes, log: Any, *, first: bool) -> Run:
    run = Run()
    measure_serialization(run, chat)
    for key in POSTGRES_KEYS:
        target = savers.targets[key]
        log(f"  {target.label}: writes")
        measure_writes(run, target, chat, sizes)
        log(f"  {target.label}: reads")
        measure_reads(run, target, data, sizes)
        measure_batch(run, target, chat, sizes)
        log(f"  {target.label}: {WRITERS} writers")
        measure_writers(run, savers.writers[key], chat, sizes)
        log(f"  {target.label}: graphs")
        measure_graphs(run, target, sizes, savers)
    measure_graphs(run, savers.memory(), sizes, None)
    for target in savers.extra.values():
        log(f"  {target.label}: writes")
        measure_writes(run, target, chat, sizes)
    return run


# ------------------------------------------------------------------ the wire


def measure_wire(url_of: Any, sizes: Sizes, chat: list[Call], log: Any) -> dict[str, dict[str, Any]]:
    """Round trips and server statements per invoke (and per call), every saver opened
    again through the counting relay."""
    from psycopg.conninfo import conninfo_to_dict

    info = conninfo_to_dict(url_of["ours"])
    relay = RoundTripRelay(info.get("host", "127.0.0.1"), int(info.get("port", 5432)))
    statements = StatementCounter(url_of["ours"])
    savers = Savers(url_of["ours"], url_of["official"], url_of["floor"]).open(relay_url=relay.url)
    out: dict[str, dict[str, Any]] = {}
    try:
        for key in POSTGRES_KEYS:
            target = savers.targets[key]
            db = savers.database_of(key)
            counts: dict[str, Any] = {}

            def count(what: str, n: int, fn: Any) -> None:
                relay.reset()
                statements.reset()
                for i in range(n):
                    fn(i)
                s = statements.counts(db)
                counts[what] = {
                    "round_trips": relay.reset() / n,
                    "statements": s["toplevel"] / n if s else None,
                    "nested": s["nested"] / n if s else None,
                }

            chat_graph = chat_v4_graph().compile(checkpointer=target.saver)
            thread_id = f"bench-{_tag()}-wire-chat"
            for turn in range(3):  # every pooled connection has prepared its statements
                _chat_invoke(target, chat_graph, thread_id, turn)
            count("chat invoke", sizes.wire_invokes, lambda i: _chat_invoke(target, chat_graph, thread_id, i + 3))
            loop_graph = plan_act_review_graph().compile(checkpointer=target.saver)
            for _ in range(2):
                _loop_invoke(target, loop_graph, f"bench-{_tag()}-wire-warm")
            count("plan/act/review invoke", sizes.wire_invokes,
                  lambda i: _loop_invoke(target, loop_graph, f"bench-{_tag()}-wire-loop"))
            calls = replay(chat[:40], f"bench-{_tag()}-wire-ops")
            puts = [c for c in calls if c.kind == "put"]
            writes = [c for c in calls if c.kind == "put_writes"]
            count("put", len(puts), lambda i: target.put(puts[i].args))
            count("put_writes", len(writes), lambda i: target.put_writes(writes[i].args))
            config = {"configurable": {"thread_id": puts[0].args[0]["configurable"]["thread_id"], "checkpoint_ns": ""}}
            count("get_tuple", 5, lambda i: target.get(config))
            count("list(limit=10)", 5, lambda i: target.list(config, limit=10))
            out[key] = counts
            log(f"  {target.label}: {counts['chat invoke']}")
    finally:
        savers.close()
        relay.close()
    return out
