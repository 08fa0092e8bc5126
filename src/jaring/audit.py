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

import datetime as dt
from typing import Any

from sqlalchemy import Connection, insert

from jaring.access import SYSTEM, Actor
from jaring.jsonable import to_jsonable
from jaring.store.tables.web import audit_event

__all__ = ["SYSTEM", "now", "record", "record_many"]


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
