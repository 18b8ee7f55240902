"""One of the processes of test_race.py: extend one thread each round, in step with the other.

    python _race_worker.py DATABASE_URL MODE NAME GATE_KEY THREAD_ID...

MODE is "exclusive" (put with exclusive mode), "plain" (a put with no protection) or
"lease" (acquire the thread's lease, put, release). Each round has two gates, 2n and
2n + 1: the worker prints {"at": gate} and then waits for the test to open it, by
taking the shared advisory lock (GATE_KEY, gate) that the test holds exclusively until
both workers have arrived. Gate 2n comes after loading the thread's head, so both race
from the same parent; gate 2n + 1 after the attempt, so a lease is held until the other
worker has tried to take it. After that it prints the round's result:
{"thread_id", "ok", "sqlstate"}.
"""

from __future__ import annotations

import json
import sys

import psycopg
from langgraph.checkpoint.base import empty_checkpoint

from langgraph.checkpoint.plpgsql import PostgresCheckpointer


def say(message: dict[str, object]) -> None:
    print(json.dumps(message), flush=True)


def main() -> None:
    url, mode, name, gate_key, *threads = sys.argv[1:]
    key = int(gate_key)
    with (
        PostgresCheckpointer.from_conn_string(
            url, min_connections=1, max_connections=1, exclusive=(mode == "exclusive"), lease_owner=name
        ) as saver,
        psycopg.connect(url, autocommit=True) as gate,
    ):

        def wait_at(number: int) -> None:
            say({"at": number})
            gate.execute("SELECT pg_advisory_lock_shared(%s, %s)", (key, number))
            gate.execute("SELECT pg_advisory_unlock_shared(%s, %s)", (key, number))

        saver.setup()  # connect before the race starts
        for number, thread_id in enumerate(threads):
            config = {"configurable": {"thread_id": thread_id, "checkpoint_ns": ""}}
            parent = saver.get_tuple(config)
            wait_at(2 * number)
            result = {"thread_id": thread_id, "ok": True, "sqlstate": None}
            holds_lease = False
            try:
                if mode == "lease":
                    # The lease pattern: take the thread, then read its head, run,
                    # save, and hold the lease until the run is over.
                    saver.acquire_lease(thread_id, ttl=60)
                    holds_lease = True
                    parent = saver.get_tuple(config)
                assert parent is not None
                saver.put(
                    parent.config, empty_checkpoint(), {"source": "loop", "step": 1, "writer": name}, {}
                )
            except Exception as exc:  # the race's loser: report its SQLSTATE
                result = {
                    "thread_id": thread_id,
                    "ok": False,
                    "sqlstate": getattr(exc, "sqlstate", repr(exc)),
                }
            wait_at(2 * number + 1)
            if holds_lease:
                saver.release_lease(thread_id)
            say(result)


if __name__ == "__main__":
    main()
