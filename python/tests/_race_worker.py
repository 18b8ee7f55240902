"""One of the processes of test_race.py: at agreed instants, extend one thread each round.

    python _race_worker.py DATABASE_URL MODE NAME START ROUND_SECONDS THREAD_ID...

MODE is "exclusive" (put with exclusive mode), "plain" (a put with no protection) or
"lease" (acquire the thread's lease, put, release). Prints one JSON line per round:
{"thread_id", "ok", "sqlstate"}.
"""

from __future__ import annotations

import json
import sys
import time

from langgraph.checkpoint.base import empty_checkpoint

from langgraph.checkpoint.plpgsql import PostgresCheckpointer


def main() -> None:
    url, mode, name, start, round_seconds, *threads = sys.argv[1:]
    start_at, step = float(start), float(round_seconds)
    with PostgresCheckpointer.from_conn_string(
        url, min_connections=1, max_connections=1, exclusive=(mode == "exclusive"), lease_owner=name
    ) as saver:
        saver.setup()  # connect before the race starts
        for number, thread_id in enumerate(threads):
            parent = saver.get_tuple({"configurable": {"thread_id": thread_id, "checkpoint_ns": ""}})
            time.sleep(max(0.0, start_at + number * step - time.time()))
            result = {"thread_id": thread_id, "ok": True, "sqlstate": None}
            try:
                if mode == "lease":
                    # The lease pattern: take the thread, then read its head, run,
                    # save, and hold the lease until the run is over.
                    saver.acquire_lease(thread_id, ttl=step * 4)
                    parent = saver.get_tuple({"configurable": {"thread_id": thread_id, "checkpoint_ns": ""}})
                saver.put(parent.config, empty_checkpoint(), {"source": "loop", "step": 1, "writer": name}, {})
                if mode == "lease":
                    time.sleep(step / 2)
                    saver.release_lease(thread_id)
            except Exception as exc:  # the race's loser: report its SQLSTATE
                result = {"thread_id": thread_id, "ok": False, "sqlstate": getattr(exc, "sqlstate", repr(exc))}
            print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
