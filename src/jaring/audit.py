"""The append-only audit trail: who, when, what, before and after.

Domain actions call :func:`record` for every change, inside the transaction of the change, so
that the trail never claims a change that was rolled back nor misses one that was committed. The table refuses UPDATE and DELETE by
trigger on both dialects (migration 0006).

Personal data stays out of the trail's free text: ``before``/``after`` hold field values of
the changed entity, which only administrators and auditors can read.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Connection, Engine, func, insert, select

from jaring.jsonable import to_jsonable
from jaring.store.tables.web import audit_event

SYSTEM = "system"


def now() -> dt.datetime:
    """UTC, naive (both dialects store ``DateTime`` without zone here)."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)


def record(
    conn: Connection,
    actor: Any,
    action: str,
    entity: str,
    entity_id: Any = None,
    before: Any = None,
    after: Any = None,
) -> None:
    """Append one event. ``actor`` is an :class:`~jaring.access.Actor` (the system actor is
    recorded as ``system``) or ``None`` (the system itself)."""
    conn.execute(
        insert(audit_event).values(
            at=now(),
            actor_id=getattr(actor, "user_id", None),
            actor=getattr(actor, "username", SYSTEM),
            action=action,
            entity=entity,
            entity_id=None if entity_id is None else str(entity_id),
            before=to_jsonable(before),
            after=to_jsonable(after),
        )
    )


def record_now(engine: Engine, actor: Any, action: str, entity: str, **kw: Any) -> None:
    """:func:`record` in its own transaction (after a domain service committed)."""
    with engine.begin() as conn:
        record(conn, actor, action, entity, **kw)


def list_events(
    engine: Engine,
    *,
    entity: str | None = None,
    entity_id: str | None = None,
    actor: str | None = None,
    action: str | None = None,
    limit: int = 100,
    before_id: int | None = None,
) -> dict[str, Any]:
    """The newest events first, filtered; ``before_id`` pages back through older ones."""
    q = select(audit_event).order_by(audit_event.c.id.desc()).limit(max(1, min(limit, 1000)))
    count_q = select(func.count()).select_from(audit_event)
    conds = []
    if entity:
        conds.append(audit_event.c.entity == entity)
    if entity_id:
        conds.append(audit_event.c.entity_id == entity_id)
    if actor:
        conds.append(audit_event.c.actor == actor)
    if action:
        conds.append(audit_event.c.action.like(action.replace("%", "") + "%"))
    for c in conds:
        q = q.where(c)
        count_q = count_q.where(c)
    if before_id:
        q = q.where(audit_event.c.id < before_id)
    with engine.connect() as conn:
        rows = [dict(r._mapping) for r in conn.execute(q)]
        total = conn.execute(count_q).scalar_one()
    return {"total": int(total), "events": rows}
