"""One person's history as sentences: every list they were found in and how the rows were
joined, splits, edits and identity changes, enrolments and KPJ numbers, the months paid for
them, their claims and a recorded death, newest first.

Read from where each thing is kept (source rows and links, ``registry_split``, the audit
trail's events on the person, ``membership``, ``coverage_period``, ``claim``), so the
timeline never disagrees with the pages that show each of them. Sentences are in the current
language (:mod:`jaring.i18n`); dates and amounts are formatted by the page.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from sqlalchemy import Engine, or_, select

from jaring import audit, formatting, i18n, labels
from jaring.access import Actor, mask
from jaring.i18n import _
from jaring.registry.queries.people import require_person_in_scope, source_rows_of
from jaring.store.dialect import to_date, to_datetime
from jaring.store.tables.claims import claim
from jaring.store.tables.families import death
from jaring.store.tables.programs import coverage_period, membership, program
from jaring.store.tables.registry import registry_split
from jaring.store.tables.web import audit_event


@dataclasses.dataclass
class TimelineEvent:
    """A line of a person's history: when (a day, or a moment), what kind (``import``,
    ``merge``, ``split``, ``edit``, ``change``, ``enrolment``, ``kpj``, ``paid``, ``claim``,
    ``death``),
    the sentence, who did it when known, and a link to its page."""

    on: dt.date
    at: dt.datetime | None
    kind: str
    text: str
    by: str | None = None
    href: str | None = None


def _day(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    return to_date(value) or dt.date.min


def person_timeline(engine: Engine, actor: Actor, person_id: int) -> list[TimelineEvent]:
    """The person's history, newest first (see the module). Needs ``person.read`` and the
    person in the actor's regions; the lists they were found in only for roles that see
    personal data in clear."""
    actor.require("person.read")
    out: list[TimelineEvent] = []
    with engine.connect() as conn:
        require_person_in_scope(conn, actor, person_id)
        splits = conn.execute(
            select(registry_split).where(
                or_(
                    registry_split.c.from_person == person_id,
                    registry_split.c.to_person == person_id,
                )
            )
        ).all()
        events = conn.execute(
            select(audit_event)
            .where(
                audit_event.c.entity == "person",
                audit_event.c.entity_id == str(person_id),
                audit_event.c.action.not_in(sorted(audit.READ_ACTIONS)),
            )
            .order_by(audit_event.c.id)
        ).all()
        members = conn.execute(
            select(
                membership.c.id,
                membership.c.kpj,
                membership.c.state,
                membership.c.start_month,
                program.c.name,
            )
            .join(program, program.c.id == membership.c.program_id)
            .where(membership.c.person_id == person_id)
        ).all()
        periods = conn.execute(
            select(coverage_period.c.start_date, coverage_period.c.end_date, program.c.name)
            .join(program, program.c.id == coverage_period.c.program_id)
            .where(coverage_period.c.person_id == person_id)
        ).all()
        claims = conn.execute(
            select(
                claim.c.id, claim.c.type, claim.c.status, claim.c.filed_on, claim.c.event_date
            ).where(claim.c.person_id == person_id)
        ).all()
        deaths = conn.execute(
            select(
                death.c.death_date,
                death.c.source,
                death.c.status,
                death.c.recorded_by,
                death.c.recorded_at,
                death.c.undone_by,
                death.c.undone_at,
            ).where(death.c.person_id == person_id)
        ).all()
    if not actor.masked:
        for i, r in enumerate(source_rows_of(engine, actor, person_id)):
            when = r.listed_on or _day(r.linked_at)
            out.append(
                TimelineEvent(
                    on=when,
                    at=None,
                    kind="import",
                    text=_(
                        "Found in the list %(source)s (%(file)s, row %(row)s).",
                        source=r.source or "-",
                        file=r.file_name or "-",
                        row=r.row_number or "-",
                    ),
                )
            )
            if i and r.method in ("nik", "match", "review"):
                how = {
                    "nik": _("the same NIK"),
                    "match": _("matching name, birth date and place"),
                    "review": _("a reviewer's decision"),
                }[r.method]
                out.append(
                    TimelineEvent(
                        on=_day(r.linked_at),
                        at=to_datetime(r.linked_at),
                        kind="merge",
                        text=_(
                            "The row of %(source)s was joined to this person by %(how)s.",
                            source=r.source or "-",
                            how=how,
                        ),
                    )
                )
    for s in splits:
        text = (
            _("A row was split off into a new person (%(reason)s).", reason=s.reason or "-")
            if s.from_person == person_id
            else _("Split off from another person (%(reason)s).", reason=s.reason or "-")
        )
        other = s.to_person if s.from_person == person_id else s.from_person
        out.append(
            TimelineEvent(
                on=_day(to_datetime(s.decided_at)),
                at=to_datetime(s.decided_at),
                kind="split",
                text=text,
                by=s.decided_by,
                href=f"/people/{other}",
            )
        )
    for e in events:
        out.append(_audit_line(e, actor))
    for m in members:
        out.append(
            TimelineEvent(
                on=_day(m.start_month),
                at=None,
                kind="enrolment",
                text=_(
                    "Enrolled in %(program)s (now %(state)s).",
                    program=m.name,
                    state=labels.label("membership_state", m.state),
                ),
            )
        )
        if m.kpj:
            out.append(
                TimelineEvent(
                    on=_day(m.start_month),
                    at=None,
                    kind="kpj",
                    text=_("KPJ number %(kpj)s from BPJS.", kpj=m.kpj),
                )
            )
    for p in periods:
        out.append(
            TimelineEvent(
                on=_day(p.start_date),
                at=None,
                kind="paid",
                text=_(
                    "Contributions paid by %(program)s: covered from %(start)s to %(end)s.",
                    program=p.name,
                    start=formatting.date(_day(p.start_date), i18n.lang()),
                    end=formatting.date(_day(p.end_date), i18n.lang()),
                ),
            )
        )
    for c in claims:
        out.append(
            TimelineEvent(
                on=_day(c.filed_on),
                at=None,
                kind="claim",
                text=_(
                    "Claim %(claim)s filed (%(type)s); now %(status)s.",
                    claim=c.id,
                    type=labels.label("claim_type", c.type),
                    status=labels.label("claim_status", c.status),
                ),
                href=f"/claims/{c.id}",
            )
        )
    for d in deaths:
        recorded = to_datetime(d.recorded_at)
        out.append(
            TimelineEvent(
                on=_day(recorded) if recorded else _day(d.death_date),
                at=recorded,
                kind="death",
                text=_(
                    "Death on %(day)s recorded (%(source)s).",
                    day=formatting.date(_day(d.death_date), i18n.lang()),
                    source=d.source,
                ),
                by=d.recorded_by,
            )
        )
        if d.status == "undone" and d.undone_at is not None:
            undone = to_datetime(d.undone_at)
            out.append(
                TimelineEvent(
                    on=_day(undone),
                    at=undone,
                    kind="death",
                    text=_("The recorded death was undone: it was the wrong person."),
                    by=d.undone_by,
                )
            )
    out.sort(key=lambda x: (x.on, x.at or dt.datetime.min), reverse=True)
    return out


def _audit_line(e: Any, actor: Actor) -> TimelineEvent:
    at = to_datetime(e.at)
    after = dict(e.after or {})
    before = dict(e.before or {})
    if actor.masked:
        for d in (after, before):
            for k in ("nik", "phone", "address"):
                if d.get(k):
                    d[k] = mask(str(d[k]))
    fields = [k for k in after if k not in ("change", "note")]
    named = ", ".join(labels.label("person_field", k) for k in fields)
    text = {
        "person.edit": lambda: _("Contact details changed: %(fields)s.", fields=named),
        "person.change_request": lambda: _("Identity change asked for: %(fields)s.", fields=named),
        "person.change_approve": lambda: _(
            "Identity changed: %(changes)s.",
            changes="; ".join(
                f"{labels.label('person_field', k)} {before.get(k) or '-'} → {after.get(k)}"
                for k in fields
                if k != "name_norm"
            ),
        ),
        "person.change_reject": lambda: _("Identity change rejected."),
    }.get(e.action, lambda: labels.label("audit_action", e.action).capitalize() + ".")()
    return TimelineEvent(
        on=_day(at), at=at, kind="change" if "change" in e.action else "edit", text=text, by=e.actor
    )
