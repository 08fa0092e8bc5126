"""The append-only audit trail, the write side: who, when, what, before and after.

Domain actions call :func:`record` for every change, inside the transaction of the change, so
that the trail never claims a change that was rolled back nor misses one that was committed.
The table refuses UPDATE and DELETE by trigger on both dialects (migration 0006). Reading the
trail is :func:`jaring.accounts.queries.list_events` (``audit.read``).

Personal data stays out of the trail's free text: ``before``/``after`` hold field values of
the changed entity, which only administrators and auditors can read. The actor is recorded by
account (``actor_id``) and by its username at the time; the system actor (the CLI without
``--user``, Jaring's own jobs) as ``system``, never as a name typed on a command line.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import threading
from typing import Any

from sqlalchemy import Connection, Engine, insert

from jaring.access import SYSTEM, Actor
from jaring.jsonable import to_jsonable
from jaring.store.tables.web import audit_event

__all__ = ["SYSTEM", "ReadLog", "now", "record", "record_many", "record_read"]


def now() -> dt.datetime:
    """UTC, naive (both dialects store ``DateTime`` without zone here)."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)


def record(
    conn: Connection,
    actor: Actor | None,
    action: str,
    entity: str,
    entity_id: Any = None,
    before: Any = None,
    after: Any = None,
) -> None:
    """Append one event on ``conn``, the action's own transaction. ``actor`` is who acted
    (the system actor is recorded as ``system``; ``None`` means the system too); ``before``
    and ``after`` are stored as JSON (:func:`jaring.jsonable.to_jsonable`)."""
    conn.execute(
        insert(audit_event).values(
            at=now(),
            actor_id=actor.user_id if actor is not None else None,
            actor=actor.username if actor is not None else SYSTEM,
            action=action,
            entity=entity,
            entity_id=None if entity_id is None else str(entity_id),
            before=to_jsonable(before),
            after=to_jsonable(after),
        )
    )


def record_many(
    conn: Connection,
    actor: Actor | None,
    action: str,
    entity: str,
    changes: list[tuple[Any, Any, Any]],
) -> None:
    """Append one event per ``(entity_id, before, after)`` of ``changes`` in one statement (a
    bulk change of many entities: each keeps its own before and after)."""
    if not changes:
        return
    at = now()
    conn.execute(
        insert(audit_event),
        [
            {
                "at": at,
                "actor_id": actor.user_id if actor is not None else None,
                "actor": actor.username if actor is not None else SYSTEM,
                "action": action,
                "entity": entity,
                "entity_id": None if entity_id is None else str(entity_id),
                "before": to_jsonable(before),
                "after": to_jsonable(after),
            }
            for entity_id, before, after in changes
        ],
    )


# --------------------------------------------------------------------------- reads

_READ_LOGS: dict[int, ReadLog] = {}


class ReadLog:
    """Reads of personal data, recorded without slowing the read: one event per request,
    kept in memory and written in one transaction every :attr:`every` seconds (or every
    :attr:`batch` events), by a thread of their own, and at :meth:`close`.

    A server (``jaring serve``) opens one for its engine; :func:`record_read` on that engine
    then queues instead of writing. Without one (the CLI, a script) a read is written at
    once. A read is not a change: nothing is rolled back with it, so it needs no place in a
    transaction of its own; what a crash loses is at most the last :attr:`every` seconds of
    reads."""

    def __init__(self, engine: Engine, *, every: float = 0.5, batch: int = 2000) -> None:
        self.engine = engine
        self.every = every
        self.batch = batch
        self._rows: list[dict[str, Any]] = []
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._stop = False
        self._thread = threading.Thread(target=self._run, name="jaring-audit", daemon=True)
        self._thread.start()
        _READ_LOGS[id(engine)] = self

    def add(self, row: dict[str, Any]) -> None:
        with self._lock:
            self._rows.append(row)
            full = len(self._rows) >= self.batch
        if full:
            self._wake.set()

    def flush(self) -> None:
        with self._lock:
            rows, self._rows = self._rows, []
        if rows:
            with self.engine.begin() as conn:
                conn.execute(insert(audit_event), rows)

    def _run(self) -> None:
        while not self._stop:
            self._wake.wait(self.every)
            self._wake.clear()
            with contextlib.suppress(Exception):  # the store busy: kept for the next round
                self.flush()

    def close(self) -> None:
        """Stop the thread and write what is queued."""
        self._stop = True
        self._wake.set()
        self._thread.join(timeout=5)
        _READ_LOGS.pop(id(self.engine), None)
        self.flush()


# the actions :func:`record_read` writes: who saw what, not what happened to a person (a
# person's history, :mod:`jaring.registry.queries.timeline`, leaves them out)
READ_ACTIONS = frozenset(
    {
        "claim.read",
        "person.by_nik",
        "person.read",
        "person.search",
        "person.source_rows",
        "registry.batch_errors",
        "registry.links",
        "registry.niks",
        "registry.review_list",
        "registry.rows",
    }
)


def record_read(
    engine: Engine,
    actor: Actor | None,
    action: str,
    entity: str,
    entity_id: Any = None,
    what: Any = None,
) -> None:
    """Record that ``actor`` read personal data (``action`` such as ``person.read``,
    ``person.search``): which entity, and ``what`` (the ids seen, a count, a query kind; never
    the data itself). Queued when a :class:`ReadLog` serves ``engine``, else written now."""
    row = {
        "at": now(),
        "actor_id": actor.user_id if actor is not None else None,
        "actor": actor.username if actor is not None else SYSTEM,
        "action": action,
        "entity": entity,
        "entity_id": None if entity_id is None else str(entity_id),
        "before": None,
        "after": to_jsonable(what),
    }
    log = _READ_LOGS.get(id(engine))
    if log is not None:
        log.add(row)
        return
    with engine.begin() as conn:
        conn.execute(insert(audit_event).values(**row))
