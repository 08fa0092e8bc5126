"""Change requests: a person's identity (NIK, name, birth date, sex) changes only when a
second person, a supervisor in the person's region, approves what an operator asked for,
with the reason and the evidence (as OpenSPP's change requests do). The asker cannot decide
their own request. Every step is audited, the approval with the values before and after.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from sqlalchemy import Engine, insert, select, update

from jaring import audit
from jaring.access import Actor
from jaring.attachments import actions as attachments
from jaring.registry import errors
from jaring.registry.actions.workers import (
    IDENTITY_FIELDS,
    checked_values,
    person_values,
    refuse_issues,
)
from jaring.registry.queries.changes import Change, change_of
from jaring.registry.queries.people import require_clear_data
from jaring.store.tables.registry import person, person_change


def request_change(
    engine: Engine,
    actor: Actor,
    person_id: int,
    changes: dict[str, str],
    reason: str,
    *,
    evidence: tuple[str, bytes] | None = None,
) -> Change:
    """Ask for a change of the identity fields of person ``person_id`` (only the fields whose
    value differs from the person's now are kept), checked by the import's rules now so a
    supervisor never approves a value that would be refused. Needs ``person.write`` and the
    person in the actor's regions; audited as ``person.change_request``. Refuses
    ``change_empty``, ``change_reason_required``, ``change_pending`` (one waits already),
    ``person_value_invalid``, ``field_unknown``."""
    actor.require("person.write")
    require_clear_data(actor)
    unknown = sorted(set(changes) - set(IDENTITY_FIELDS))
    if unknown:
        raise errors.FIELD_UNKNOWN(
            fields=unknown, unknown=", ".join(unknown), choices=", ".join(IDENTITY_FIELDS)
        )
    reason = (reason or "").strip()
    with engine.begin() as conn:
        now = person_values(conn, actor, person_id, lock=True)
        typed = {k: (v or "").strip() for k, v in changes.items()}
        rec, bad = checked_values(conn, now, typed)
        refuse_issues(bad)
        wanted = {k: _stored(rec[k]) for k in typed if _stored(rec[k]) != _stored(now.get(k))}
        if not wanted:
            raise errors.CHANGE_EMPTY(field="name")
        if not reason:
            raise errors.CHANGE_REASON_REQUIRED(field="reason")
        waiting = conn.execute(
            select(person_change.c.id).where(
                person_change.c.person_id == person_id, person_change.c.status == "pending"
            )
        ).scalar()
        if waiting is not None:
            raise errors.CHANGE_PENDING(change=int(waiting))
        before = {k: _stored(now.get(k)) for k in wanted}
        evidence_id = evidence_name = None
        if evidence is not None and evidence[1]:
            att = attachments.put(
                conn,
                actor,
                evidence[1],
                filename=evidence[0],
                purpose="registry.change_evidence",
                region=now.get("district_code"),
                personal=True,
                encrypt=True,
            )
            evidence_id, evidence_name = att.id, att.filename
        change_id = int(
            conn.execute(
                insert(person_change)
                .values(
                    person_id=person_id,
                    district_code=now.get("district_code"),
                    changes=json.dumps(wanted, ensure_ascii=False),
                    before=json.dumps(before, ensure_ascii=False),
                    reason=reason,
                    evidence_id=evidence_id,
                    evidence_name=evidence_name,
                    status="pending",
                    requested_by=actor.username,
                    requested_at=audit.now(),
                )
                .returning(person_change.c.id)
            ).scalar_one()
        )
        audit.record(
            conn,
            actor,
            "person.change_request",
            "person",
            person_id,
            before=before,
            after={"change": change_id, **wanted},
        )
        return change_of(conn, actor, change_id)


def decide_change(
    engine: Engine, actor: Actor, change_id: int, approve: bool, note: str | None = None
) -> Change:
    """Approve (the person's fields take the asked values) or reject a change request.
    Needs ``person.approve`` (a supervisor) with the person in the actor's regions, and a
    decider other than the asker (``change_same_user``; an administrator is no exception).
    Audited as ``person.change_approve`` with before and after, or
    ``person.change_reject``. Refuses ``change_not_found``, ``change_decided``, and a value
    refused by the import's rules now (``person_value_invalid``)."""
    actor.require("person.approve")
    require_clear_data(actor)
    with engine.begin() as conn:
        row = conn.execute(
            select(person_change).where(person_change.c.id == change_id).with_for_update()
        ).first()
        if row is None:
            raise errors.CHANGE_NOT_FOUND(change=change_id)
        now = person_values(conn, actor, int(row.person_id), lock=True)
        if row.status != "pending":
            raise errors.CHANGE_DECIDED(change=change_id, status=row.status)
        if not actor.is_system and row.requested_by == actor.username:
            raise errors.CHANGE_SAME_USER(change=change_id)
        wanted = json.loads(row.changes)
        if approve:
            rec, bad = checked_values(conn, now, {k: str(v) for k, v in wanted.items()})
            refuse_issues(bad)
            values: dict[str, Any] = {k: rec[k] for k in wanted}
            if "name" in values:
                values["name_norm"] = rec["name_norm"]
            before = {k: _stored(now.get(k)) for k in wanted}
            conn.execute(update(person).where(person.c.id == row.person_id).values(**values))
            audit.record(
                conn,
                actor,
                "person.change_approve",
                "person",
                int(row.person_id),
                before=before,
                after={"change": change_id, **{k: _stored(v) for k, v in values.items()}},
            )
        else:
            audit.record(
                conn,
                actor,
                "person.change_reject",
                "person",
                int(row.person_id),
                after={"change": change_id, "note": note},
            )
        conn.execute(
            update(person_change)
            .where(person_change.c.id == change_id)
            .values(
                status="approved" if approve else "rejected",
                decided_by=actor.username,
                decided_at=audit.now(),
                decision_note=(note or "").strip() or None,
            )
        )
        return change_of(conn, actor, change_id)


def _stored(value: Any) -> Any:
    """A value as JSON keeps it (dates as ISO text)."""
    if isinstance(value, dt.date):
        return value.isoformat()
    return value
