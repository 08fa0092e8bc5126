"""Who is covered on a date: a read of the paid coverage periods (``start_date <= D <=
end_date``), never a flag. Billing writes the periods (:mod:`jaring.programs.actions.coverage`).

Both reads need ``program.read`` and see only people inside the actor's regions.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from sqlalchemy import ColumnElement, Connection, Engine, and_, distinct, func, select

from jaring.access import Actor
from jaring.programs import errors
from jaring.registry import queries as people
from jaring.registry.lookups import check_nik_lookup
from jaring.store.dialect import to_date
from jaring.store.tables.programs import coverage_period, membership, program
from jaring.store.tables.registry import person


@dataclasses.dataclass(frozen=True)
class ProgramCoverage:
    """People a program covers on the date."""

    program_id: int
    program: str
    people: int


@dataclasses.dataclass(frozen=True)
class CoverageCount:
    """How many people are covered on ``on``, in all and by program."""

    on: dt.date
    covered: int
    programs: list[ProgramCoverage]


@dataclasses.dataclass(frozen=True)
class Period:
    """A run of paid months: ``start`` (first day) to ``end`` (last day), inclusive."""

    start: dt.date
    end: dt.date


@dataclasses.dataclass(frozen=True)
class MembershipCoverage:
    """One membership of a person: its program, KPJ, state, its paid periods and whether one
    covers the date."""

    membership_id: int
    program: str
    kpj: str | None
    state: str
    covered: bool
    periods: list[Period]


@dataclasses.dataclass(frozen=True)
class PersonCoverage:
    """A person's memberships and whether any covers the date."""

    person_id: int
    covered: bool
    memberships: list[MembershipCoverage]


@dataclasses.dataclass(frozen=True)
class PeopleCoverage:
    """Whether the people asked about (one id, or everyone with one NIK) are covered on
    ``on``."""

    on: dt.date
    covered: bool
    people: list[PersonCoverage]


def _covering(on: dt.date) -> ColumnElement[bool]:
    return and_(coverage_period.c.start_date <= on, coverage_period.c.end_date >= on)


def coverage_count(engine: Engine, actor: Actor, on: dt.date) -> CoverageCount:
    """How many people inside the actor's regions are covered on ``on``, in all and by
    program. Needs ``program.read``."""
    actor.require("program.read")
    c = coverage_period
    where = [_covering(on)]
    scope = actor.region_clause(person)
    if scope is not None:
        where.append(c.c.person_id.in_(select(person.c.id).where(scope)))
    with engine.connect() as conn:
        rows = conn.execute(
            select(c.c.program_id, program.c.name, func.count(distinct(c.c.person_id)))
            .select_from(c.join(program, program.c.id == c.c.program_id))
            .where(*where)
            .group_by(c.c.program_id, program.c.name)
            .order_by(c.c.program_id)
        ).all()
        total = conn.execute(select(func.count(distinct(c.c.person_id))).where(*where))
        covered = int(total.scalar_one())
    return CoverageCount(
        on=on,
        covered=covered,
        programs=[ProgramCoverage(int(pid), name, int(n)) for pid, name, n in rows],
    )


def _person_ids(
    conn: Connection, actor: Actor, nik: str | None, person_id: int | None
) -> list[int]:
    """The people asked about, as the registry scopes them: everyone with ``nik`` inside the
    actor's regions (``person_not_found`` when nobody), or ``person_id``
    (``person_out_of_region`` outside them)."""
    if person_id is None:
        check_nik_lookup(conn.engine, actor)  # a NIK's answer confirms it: counted
        found = [
            int(i) for i in conn.execute(select(person.c.id).where(person.c.nik == nik)).scalars()
        ]
        visible = people.ids_in_scope(conn, actor, found)
        ids = [i for i in found if i in visible]
        if not ids:
            raise errors.PERSON_NOT_FOUND(field="nik")
        return ids
    people.require_person_in_scope(conn, actor, person_id)
    return [int(person_id)]


def coverage_of(
    engine: Engine,
    actor: Actor,
    on: dt.date,
    *,
    nik: str | None = None,
    person_id: int | None = None,
) -> PeopleCoverage:
    """The memberships of one person (``person_id``) or of everyone with ``nik`` inside the
    actor's regions, and whether each is covered on ``on``. Needs ``program.read``; refuses
    ``person_not_found`` (no one with this NIK there) and ``person_out_of_region``."""
    actor.require("program.read")
    m = membership
    with engine.connect() as conn:
        found = []
        for pid in _person_ids(conn, actor, nik, person_id):
            members = conn.execute(
                select(m.c.id, program.c.name, m.c.kpj, m.c.state)
                .select_from(m.join(program, program.c.id == m.c.program_id))
                .where(m.c.person_id == pid)
                .order_by(m.c.id)
            ).all()
            periods = conn.execute(
                select(
                    coverage_period.c.membership_id,
                    coverage_period.c.start_date,
                    coverage_period.c.end_date,
                )
                .where(coverage_period.c.person_id == pid)
                .order_by(coverage_period.c.start_date)
            ).all()
            memberships = []
            for mid, name, kpj, state in members:
                mine = [Period(to_date(s), to_date(e)) for pm, s, e in periods if pm == mid]
                memberships.append(
                    MembershipCoverage(
                        membership_id=int(mid),
                        program=name,
                        kpj=kpj,
                        state=state,
                        covered=any(p.start <= on <= p.end for p in mine),
                        periods=mine,
                    )
                )
            found.append(PersonCoverage(pid, any(x.covered for x in memberships), memberships))
    return PeopleCoverage(on=on, covered=any(p.covered for p in found), people=found)
