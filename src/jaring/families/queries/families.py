"""Reads about families: a person's family (KK number and members), the heirs proposed from
it when a member dies, and the change requests waiting for a decision.

KK numbers and members' NIKs are personal data: masked for roles that see them masked
(:data:`jaring.access.PERSONAL_FIELDS`). Reading a family is not audited, as reading a
person's file is not; the letter that prints a family's names is (``death.letter``)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from sqlalchemy import Connection, Engine, and_, select

from jaring.access import Actor, mask
from jaring.claims import heirs as heir_rules
from jaring.claims.catalog import heir_relations
from jaring.families import errors, relations
from jaring.i18n import lang
from jaring.registry import queries as registry
from jaring.store.dialect import to_date, to_datetime
from jaring.store.tables.families import death, family, family_change, family_member


@dataclasses.dataclass(frozen=True)
class Member:
    """A member of a family: relation to the head (code and label), NIK (masked for some
    roles), name, birth date, the registry's person if they are one, and whether a death is
    recorded for them."""

    id: int
    relation: str
    relation_label: str
    name: str
    nik: str | None
    birth_date: dt.date | None
    sex: str | None
    person_id: int | None
    deceased: bool
    source: str


@dataclasses.dataclass(frozen=True)
class Family:
    """A Kartu Keluarga: its number (masked for some roles), where it was learned, members."""

    id: int
    kk_number: str
    source: str
    members: list[Member]


def _label(code: str) -> str:
    names = relations.RELATIONS.get(code, {})
    return names.get("en" if lang() == "en" else "id", code)


def _member(r: Any, actor: Actor) -> Member:
    return Member(
        id=int(r.id),
        relation=r.relation,
        relation_label=_label(r.relation),
        name=r.name,
        nik=mask(r.nik) if actor.masked else r.nik,
        birth_date=to_date(r.birth_date),
        sex=r.sex,
        person_id=None if r.person_id is None else int(r.person_id),
        deceased=bool(r.deceased),
        source=r.source,
    )


def _in_order(members: list[Member]) -> list[Member]:
    """Members by relation to the head (the order of :data:`relations.RELATIONS`), then the
    eldest first."""
    order = list(relations.RELATIONS)
    return sorted(members, key=lambda x: (order.index(x.relation), x.birth_date or dt.date.max))


def _member_columns(m: Any) -> list[Any]:
    dead = select(death.c.person_id).where(death.c.status == "recorded")
    return [m.id, m.relation, m.name, m.nik, m.birth_date, m.sex, m.person_id, m.source,
            m.person_id.in_(dead).label("deceased")]  # fmt: skip


def _members(conn: Connection, actor: Actor, family_id: int) -> list[Member]:
    m = family_member.c
    rows = conn.execute(
        select(*_member_columns(m))
        .where(m.family_id == family_id, m.status == "current")
        .order_by(m.id)
    ).all()
    return _in_order([_member(r, actor) for r in rows])


def family_row(conn: Connection, person_id: int) -> Any:
    """The family row and the member row of ``person_id`` (the first current membership of a
    KK), or ``None``."""
    m = family_member.c
    return conn.execute(
        select(family.c.id, family.c.kk_number, family.c.source, m.id.label("member_id"),
               m.relation)
        .join(family, family.c.id == m.family_id)
        .where(m.person_id == person_id, m.status == "current")
        .order_by(m.id)
    ).first()  # fmt: skip


def family_of(engine: Engine, actor: Actor, person_id: int) -> Family | None:
    """The family of ``person_id`` (``None`` when no KK is known). Needs ``person.read`` and
    the person inside the actor's regions."""
    actor.require("person.read")
    with engine.connect() as conn:
        registry.require_person_in_scope(conn, actor, person_id)
        row = family_row(conn, person_id)
        if row is None:
            return None
        return Family(
            id=int(row.id),
            kk_number=mask(row.kk_number) if actor.masked else row.kk_number,  # type: ignore[arg-type]
            source=row.source,
            members=_members(conn, actor, int(row.id)),
        )


def family_by_kk(engine: Engine, actor: Actor, kk_number: str) -> Family:
    """A family by its KK number (``family_not_found``); only members inside the actor's
    regions or not in the registry are listed."""
    actor.require("person.read")
    with engine.connect() as conn:
        row = conn.execute(select(family).where(family.c.kk_number == kk_number)).first()
        if row is None:
            raise errors.FAMILY_NOT_FOUND(kk=mask(kk_number), field="kk_number")
        return Family(
            id=int(row.id),
            kk_number=mask(row.kk_number) if actor.masked else row.kk_number,  # type: ignore[arg-type]
            source=row.source,
            members=_members(conn, actor, int(row.id)),
        )


@dataclasses.dataclass(frozen=True)
class Heir:
    """An heir proposed from the family: relation to the deceased (as a claim names it),
    its label, the law's rank (1 first), whether they would receive, and who they are."""

    member_id: int
    relation: str
    relation_label: str
    rank: int
    recipient: bool
    name: str
    nik: str | None
    birth_date: dt.date | None


@dataclasses.dataclass(frozen=True)
class Proposal:
    kk_number: str | None
    heirs: list[Heir]
    unplaced: list[str]  # members whose relation to the deceased the KK does not say


def proposed_heirs(conn: Connection, actor: Actor, person_id: int, died: dt.date) -> Proposal:
    """Heirs of ``person_id`` proposed from their family, in the law's order in force on
    the day of death (:func:`jaring.claims.heirs.rank_of`), eldest first within a rank; the
    first of the earliest rank is proposed to receive. Members recorded dead are left out;
    members the KK does not place (a grandchild of the head when a son died) are named in
    ``unplaced`` for the operator. The operator confirms when filing the claim."""
    return proposed_heirs_of(conn, actor, {person_id: died})[person_id]


def proposed_heirs_of(
    conn: Connection, actor: Actor, deaths: dict[int, dt.date]
) -> dict[int, Proposal]:
    """:func:`proposed_heirs` of many people at once (person id -> date of death): every
    family and its members read by one statement (per 1,000 people), whatever their number.
    Every person of ``deaths`` is in the answer (no KK known: no heirs)."""
    me, other = family_member.alias("me"), family_member.alias("o")
    found: dict[int, tuple[Any, list[Member]]] = {}
    people = sorted(deaths)
    for i in range(0, len(people), 1000):
        rows = conn.execute(
            select(
                me.c.person_id.label("of"), me.c.id.label("me_id"),
                me.c.relation.label("me_relation"), family.c.kk_number, *_member_columns(other.c),
            )
            .join(family, family.c.id == me.c.family_id)
            .join(other, and_(other.c.family_id == me.c.family_id, other.c.status == "current"))
            .where(me.c.person_id.in_(people[i : i + 1000]), me.c.status == "current")
            .order_by(me.c.person_id, me.c.id, other.c.id)
        ).all()  # fmt: skip
        for r in rows:
            of = int(r.of)
            if of in found and found[of][0].me_id != r.me_id:
                continue  # the person's first KK only, as family_row
            found.setdefault(of, (r, []))[1].append(_member(r, actor))
    labels = heir_relations()
    key = "en" if lang() == "en" else "id"
    out: dict[int, Proposal] = {}
    for pid, died in deaths.items():
        if pid not in found:
            out[pid] = Proposal(kk_number=None, heirs=[], unplaced=[])
            continue
        row, members = found[pid]
        heirs: list[Heir] = []
        unplaced: list[str] = []
        for member in _in_order(members):
            if member.id == row.me_id or member.deceased:
                continue
            rel = relations.to_deceased(row.me_relation, member.relation)
            if rel is None:
                unplaced.append(member.name)
                continue
            heirs.append(
                Heir(
                    member_id=member.id,
                    relation=rel,
                    relation_label=labels[rel]["label"][key],
                    rank=heir_rules.rank_of(rel, died),
                    recipient=False,
                    name=member.name,
                    nik=member.nik,
                    birth_date=member.birth_date,
                )
            )
        heirs.sort(key=lambda h: (h.rank, h.birth_date or dt.date.max, h.member_id))
        if heirs:
            heirs[0] = dataclasses.replace(heirs[0], recipient=True)
        kk = mask(row.kk_number) if actor.masked else row.kk_number
        out[pid] = Proposal(kk_number=kk, heirs=heirs, unplaced=unplaced)
    return out


def heirs_for(engine: Engine, actor: Actor, person_id: int, died: dt.date) -> Proposal:
    """:func:`proposed_heirs` for the claim form (``claim.read``, the person in scope)."""
    actor.require("claim.read")
    with engine.connect() as conn:
        registry.require_person_in_scope(conn, actor, person_id)
        return proposed_heirs(conn, actor, person_id, died)


@dataclasses.dataclass(frozen=True)
class Change:
    """A change request to a family: who asked, what, why, and its decision."""

    id: int
    family_id: int
    member_id: int | None
    change: dict[str, Any]
    before: dict[str, Any] | None
    reason: str
    status: str
    requested_by: str
    requested_at: dt.datetime | None
    decided_by: str | None
    decided_at: dt.datetime | None
    decision_note: str | None


def changes(
    engine: Engine, actor: Actor, *, status: str | None = "pending", family_id: int | None = None
) -> list[Change]:
    """Change requests (by default the pending ones), oldest first. NIKs in them masked for
    roles that see them masked."""
    actor.require("person.read")
    q = select(family_change).order_by(family_change.c.id)
    if status:
        q = q.where(family_change.c.status == status)
    if family_id is not None:
        q = q.where(family_change.c.family_id == family_id)
    with engine.connect() as conn:
        rows = conn.execute(q).all()

    def shown(values: dict[str, Any] | None) -> dict[str, Any] | None:
        if values is None or not actor.masked:
            return values
        return {k: (mask(v) if k == "nik" else v) for k, v in values.items()}

    return [
        Change(
            id=int(r.id),
            family_id=int(r.family_id),
            member_id=None if r.member_id is None else int(r.member_id),
            change=shown(r.change) or {},
            before=shown(r.before),
            reason=r.reason,
            status=r.status,
            requested_by=r.requested_by,
            requested_at=to_datetime(r.requested_at),
            decided_by=r.decided_by,
            decided_at=to_datetime(r.decided_at),
            decision_note=r.decision_note,
        )
        for r in rows
    ]
