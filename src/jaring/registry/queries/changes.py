"""Change requests of people's identity (:mod:`jaring.registry.actions.changes`): one, the
ones waiting for a decision in the actor's regions, a person's."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from typing import Any

from sqlalchemy import Connection, Engine, Select, select

from jaring.access import Actor, mask
from jaring.registry import errors
from jaring.registry.queries.people import require_clear_data, require_person_in_scope
from jaring.store.dialect import to_datetime
from jaring.store.tables.registry import person, person_change


@dataclasses.dataclass
class Change:
    """A change request: the person, the values asked for and the values when asked, the
    reason and evidence, who asked and when, and the decision."""

    id: int
    person_id: int
    person_name: str | None
    changes: dict[str, Any]
    before: dict[str, Any]
    reason: str
    evidence_id: int | None
    evidence_name: str | None
    status: str  # pending | approved | rejected
    requested_by: str
    requested_at: dt.datetime
    decided_by: str | None
    decided_at: dt.datetime | None
    decision_note: str | None


def _select() -> Select[Any]:
    return select(person_change, person.c.name.label("person_name")).join(
        person, person.c.id == person_change.c.person_id
    )


def _change(r: Any, actor: Actor) -> Change:
    m = dict(r._mapping)
    changes, before = json.loads(m["changes"]), json.loads(m["before"])
    if actor.masked:
        for d in (changes, before):
            if d.get("nik"):
                d["nik"] = mask(d["nik"])
    return Change(
        id=int(m["id"]),
        person_id=int(m["person_id"]),
        person_name=m["person_name"],
        changes=changes,
        before=before,
        reason=m["reason"],
        evidence_id=m["evidence_id"],
        evidence_name=m["evidence_name"],
        status=m["status"],
        requested_by=m["requested_by"],
        requested_at=to_datetime(m["requested_at"]) or dt.datetime.min,
        decided_by=m["decided_by"],
        decided_at=to_datetime(m["decided_at"]) if m["decided_at"] else None,
        decision_note=m["decision_note"],
    )


def change_of(conn: Connection, actor: Actor, change_id: int) -> Change:
    """One change request, on the caller's connection; refuses ``change_not_found`` and
    ``person_out_of_region``."""
    r = conn.execute(_select().where(person_change.c.id == change_id)).first()
    if r is None:
        raise errors.CHANGE_NOT_FOUND(change=change_id)
    require_person_in_scope(conn, actor, int(r.person_id))
    return _change(r, actor)


def get_change(engine: Engine, actor: Actor, change_id: int) -> Change:
    """One change request (:func:`change_of`)."""
    actor.require("person.read")
    require_clear_data(actor)
    with engine.connect() as conn:
        return change_of(conn, actor, change_id)


def pending_changes(engine: Engine, actor: Actor, *, limit: int = 200) -> list[Change]:
    """Change requests waiting for a decision, of people in the actor's regions, oldest
    first."""
    actor.require("person.read")
    require_clear_data(actor)
    q = _select().where(person_change.c.status == "pending")
    region = actor.region_clause(person)
    if region is not None:
        q = q.where(region)
    q = q.order_by(person_change.c.requested_at, person_change.c.id).limit(limit)
    with engine.connect() as conn:
        return [_change(r, actor) for r in conn.execute(q)]


def changes_of_person(engine: Engine, actor: Actor, person_id: int) -> list[Change]:
    """A person's change requests, newest first."""
    actor.require("person.read")
    with engine.connect() as conn:
        require_person_in_scope(conn, actor, person_id)
        rows = conn.execute(
            _select()
            .where(person_change.c.person_id == person_id)
            .order_by(person_change.c.id.desc())
        )
        return [_change(r, actor) for r in rows]
