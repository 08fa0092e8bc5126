"""The NIK look-up of machine clients, on a held DB-API connection with a prepared query.

A BPJS branch or a provincial system asks ``GET /api/v1/people/by-nik/{nik}`` thousands of
times a minute. The answer is one indexed equality query, so everything around it counts:
a pooled SQLAlchemy checkout (and on PostgreSQL a ``pool_pre_ping`` round trip), building the
execution context, result processing. Here a few DB-API connections are held (taken from the
engine, so they carry the engine's settings, then detached from its pool), and each look-up
runs the SQL that SQLAlchemy compiled once per region scope from the statement of
:func:`jaring.registry.queries.people.find_by_nik`
(:func:`~jaring.registry.queries.people.by_nik_statement`); rows are shaped and masked by the
same :func:`~jaring.registry.queries.people.person_rows`. Only the execution path differs, and
a test holds both paths to the same answers on SQLite and PostgreSQL.

Freshness: the connection runs in autocommit (PostgreSQL) or outside any transaction (SQLite
only opens one for writes), so every look-up sees the latest committed data. A connection the
server dropped is replaced and the query retried once.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
import weakref
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from sqlalchemy import Engine

from jaring import audit
from jaring.access import Actor
from jaring.registry.lookups import check_nik_lookup
from jaring.registry.queries.people import (
    PersonRow,
    by_nik_statement,
    check_nik,
    person_rows,
    regions_key,
)
from jaring.store import dialect


class _Query:
    """One region scope's look-up: the SQL text in the driver's parameter style and a way
    to bind the NIK."""

    def __init__(self, engine: Engine, regions: tuple[str, ...] | None) -> None:
        compiled = by_nik_statement(regions).compile(dialect=engine.dialect)
        self.sql = compiled.string
        fixed = dict(compiled.params)
        if compiled.positional:
            names = list(compiled.positiontup or ())
            self._slot = names.index("nik")
            self._positional: list[Any] | None = [fixed[n] for n in names]
        else:
            self._positional = None
            self._named = fixed

    def params(self, nik: str) -> tuple[Any, ...] | dict[str, Any]:
        if self._positional is not None:
            values = list(self._positional)
            values[self._slot] = nik
            return tuple(values)
        return {**self._named, "nik": nik}


def _close_all(conns: list[Any]) -> None:
    for c in conns:
        with contextlib.suppress(Exception):  # closing at exit; the server may be gone
            c.close()


class NikLookup:
    """Look-ups on ``engine`` through a few held DB-API connections.

    A look-up takes an idle connection (or opens one), runs, and puts it back; at most
    ``keep`` idle connections are kept (threads that come and go, such as a test client's, do
    not pile connections up).

    Where the query runs: SQLite answers in-process in tens of microseconds, so the look-up
    runs on the event loop (a thread hop would cost more). PostgreSQL answers after a round
    trip, during which a blocked loop would serve nobody; there the query runs on this
    object's own ``threads`` (a plain executor, cheaper per request than anyio's thread
    pool), so queries are in flight while the loop keeps parsing requests. Two threads suit
    a database on loopback (more threads contend for the interpreter lock); one farther away,
    with longer round trips, may want more. Figures: ``docs/benchmarks/web.md``.
    """

    def __init__(self, engine: Engine, keep: int = 4, threads: int = 2) -> None:
        self.engine = engine
        self.keep = max(keep, threads)
        self.threads = threads
        self._threaded = dialect.of(engine).blocking_reads
        self._queries: dict[tuple[str, ...] | None, _Query] = {}
        self._idle: list[Any] = []
        self._lock = threading.Lock()
        self._finalizer = weakref.finalize(self, _close_all, self._idle)
        self._executor: ThreadPoolExecutor | None = None

    async def __call__(self, actor: Actor, nik: str) -> list[PersonRow]:
        """:meth:`find` from async code: on the loop for SQLite, on a thread for PostgreSQL."""
        check_nik(nik)
        if actor.masked:  # masked roles are counted; the clear ones pay one attribute test
            check_nik_lookup(self.engine, actor)
        if not self._threaded:
            rows = self.rows(actor, nik)
            self._audit(actor, rows)
            return person_rows(rows, actor)
        if self._executor is None:
            self._executor = ThreadPoolExecutor(self.threads, thread_name_prefix="jaring-nik")
        loop = asyncio.get_running_loop()
        rows = await loop.run_in_executor(self._executor, self.rows, actor, nik)
        self._audit(actor, rows)
        return person_rows(rows, actor)

    def close(self) -> None:
        """Close the idle connections and stop the threads (the app's shutdown; tests)."""
        if self._executor is not None:
            self._executor.shutdown(wait=False)
            self._executor = None
        with self._lock:
            _close_all(self._idle)
            self._idle.clear()

    def _take(self) -> Any:
        with self._lock:
            if self._idle:
                return self._idle.pop()
        proxied = self.engine.raw_connection()
        conn: Any = proxied.driver_connection
        proxied.detach()  # ours now: the pool neither counts nor recycles it
        if self._threaded:
            conn.autocommit = True  # no transaction left open between look-ups
        return conn

    def _give_back(self, conn: Any) -> None:
        with self._lock:
            if len(self._idle) < self.keep:
                self._idle.append(conn)
                return
        conn.close()

    def _query(self, actor: Actor) -> _Query:
        regions = regions_key(actor)
        q = self._queries.get(regions)
        if q is None:
            if len(self._queries) >= 256:  # as many scopes as users, at most; stay bounded
                self._queries.clear()
            q = self._queries[regions] = _Query(self.engine, regions)
        return q

    def rows(self, actor: Actor, nik: str) -> list[tuple[Any, ...]]:
        """The raw rows (columns as
        :data:`~jaring.registry.queries.people.LIST_COLUMNS`) for a checked NIK."""
        q = self._query(actor)
        params = q.params(nik)
        dbapi = self.engine.dialect.loaded_dbapi
        for attempt in (1, 2):
            conn = self._take()
            try:
                if self._threaded:
                    # psycopg: a server-side prepared statement, parsed and planned once
                    rows = conn.execute(q.sql, params, prepare=True).fetchall()
                else:
                    rows = conn.execute(q.sql, params).fetchall()
            except dbapi.Error as e:
                with contextlib.suppress(Exception):
                    conn.close()
                if attempt == 2 or not self.engine.dialect.is_disconnect(e, conn, None):
                    raise
                continue  # the server closed it (restart, idle timeout): once more, afresh
            except BaseException:
                with contextlib.suppress(Exception):
                    conn.close()
                raise
            self._give_back(conn)
            return list(rows)
        raise AssertionError("unreachable")

    def find(self, actor: Actor, nik: str) -> list[PersonRow]:
        """Everyone carrying this NIK in the actor's regions, shaped and masked exactly as
        :func:`jaring.registry.queries.people.find_by_nik` does."""
        check_nik(nik)
        if actor.masked:
            check_nik_lookup(self.engine, actor)
        rows = self.rows(actor, nik)
        self._audit(actor, rows)
        return person_rows(rows, actor)

    def _audit(self, actor: Actor, rows: list[tuple[Any, ...]]) -> None:
        """One read event per look-up, as :func:`~jaring.registry.queries.people.find_by_nik`
        records it (queued while the server runs: :class:`jaring.audit.ReadLog`)."""
        audit.record_read(
            self.engine, actor, "person.by_nik", "person", None, {"people": [r[0] for r in rows]}
        )
