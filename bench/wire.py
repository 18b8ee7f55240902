"""What a saver asks of the server: round trips seen on the wire, statements run.

Round trips are counted by a TCP relay between the client and the server, in this
process: every time the server starts answering after the client has sent something,
that is one round trip (pipelined statements answered together count once, which is
the point of a pipeline). It counts whatever the client library does, pool checks and
transaction statements included, without trusting any wrapper around ``execute``.

Statements come from ``pg_stat_statements`` with ``track = all``, so the statements
inside our PL/pgSQL functions count as well as the calls of them (``toplevel``).
"""

from __future__ import annotations

import select
import socket
import threading
from typing import Any

import psycopg
from psycopg.conninfo import conninfo_to_dict, make_conninfo


class RoundTripRelay:
    """A TCP relay to ``host:port`` counting request/answer exchanges."""

    def __init__(self, host: str, port: int) -> None:
        self.target = (host, port)
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self._lock = threading.Lock()
        self.round_trips = 0
        self._closed = False
        threading.Thread(target=self._accept, daemon=True).start()

    def url(self, url: str) -> str:
        info = conninfo_to_dict(url)
        info.update(host="127.0.0.1", port=str(self.port))
        return make_conninfo(**info)

    def reset(self) -> int:
        with self._lock:
            count, self.round_trips = self.round_trips, 0
        return count

    def close(self) -> None:
        self._closed = True
        self.listener.close()

    def _accept(self) -> None:
        while not self._closed:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            server = socket.create_connection(self.target)
            for sock in (client, server):
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            threading.Thread(target=self._relay, args=(client, server), daemon=True).start()

    def _relay(self, client: socket.socket, server: socket.socket) -> None:
        client_spoke = False
        try:
            while True:
                readable, _, _ = select.select([client, server], [], [])
                for sock in readable:
                    data = sock.recv(1 << 16)
                    if not data:
                        return
                    if sock is client:
                        client_spoke = True
                        server.sendall(data)
                    else:
                        if client_spoke:
                            with self._lock:
                                self.round_trips += 1
                            client_spoke = False
                        client.sendall(data)
        except OSError:
            return
        finally:
            client.close()
            server.close()


class StatementCounter:
    """Statements the server ran per database, from pg_stat_statements (or None)."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.available = False
        try:
            with psycopg.connect(url, autocommit=True) as conn:
                track = conn.execute("SELECT current_setting('pg_stat_statements.track', true)").fetchone()[0]
                if track is not None:
                    conn.execute("CREATE EXTENSION IF NOT EXISTS pg_stat_statements")
                    self.available = track == "all"
        except psycopg.Error:
            self.available = False

    def reset(self) -> None:
        if self.available:
            with psycopg.connect(self.url, autocommit=True) as conn:
                conn.execute("SELECT pg_stat_statements_reset()")

    def counts(self, dbname: str) -> dict[str, Any] | None:
        """Calls since the last reset in ``dbname``: top-level and nested."""
        if not self.available:
            return None
        with psycopg.connect(self.url, autocommit=True) as conn:
            row = conn.execute(
                """
                SELECT coalesce(sum(s.calls) FILTER (WHERE s.toplevel), 0),
                       coalesce(sum(s.calls) FILTER (WHERE NOT s.toplevel), 0)
                FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid
                WHERE d.datname = %s AND s.query NOT ILIKE '%%pg_stat_statements%%'
                """,
                (dbname,),
            ).fetchone()
        return {"toplevel": int(row[0]), "nested": int(row[1])}
