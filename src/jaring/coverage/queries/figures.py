"""The figures the coverage page draws beside the report: coverage per child area in percent
(for the bars and the map), the budget burn-down by month, and claims per month by type.
Each needs ``coverage.read`` and a region inside the actor's regions; counts only, no person
leaves.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import TYPE_CHECKING

from sqlalchemy import Engine, and_, func, or_, select

from jaring.access import Actor
from jaring.accounts import queries as accounts
from jaring.coverage import boundaries
from jaring.coverage.queries.indicators import check_region
from jaring.coverage.regions import COLUMN_BY_LEVEL, resolve
from jaring.registry import regions as reg
from jaring.store import dialect
from jaring.store.tables.claims import claim
from jaring.store.tables.programs import coverage_period, invoice, payment, program
from jaring.store.tables.registry import person

if TYPE_CHECKING:
    from jaring.coverage import signed


@dataclasses.dataclass(frozen=True)
class AreaShare:
    """A child area: people registered there, covered on the day, and the share."""

    code: str
    name: str
    people: int
    covered: int
    share: float | None  # None: nobody registered there


@dataclasses.dataclass(frozen=True)
class BurnMonth:
    """At a month's end: ``spent`` (paid so far), ``committed`` (invoiced so far, not paid)
    and ``unspent`` (the budget not yet invoiced), of the year's programs of the region."""

    month: dt.date
    spent: int
    committed: int
    unspent: int


@dataclasses.dataclass(frozen=True)
class ClaimMonth:
    """Claims filed in a month, by type (``jkm``, ``jkk_death``...)."""

    month: dt.date
    counts: dict[str, int]


@dataclasses.dataclass(frozen=True)
class Figures:
    """What the coverage page draws for ``region`` on ``on``: ``areas`` one level below (with
    their outlines in ``shapes`` when shipped), the burn-down of the year's budget and the
    claims per month of that year."""

    region: str
    name: str
    on: dt.date
    areas: list[AreaShare]
    budget: int
    burn_down: list[BurnMonth]
    claims: list[ClaimMonth]
    claim_types: list[str]


def _months(year: int) -> list[dt.date]:
    return [dt.date(year, m, 1) for m in range(1, 13)]


def _month_end(m: dt.date) -> dt.date:
    nxt = dt.date(m.year + (m.month == 12), m.month % 12 + 1, 1)
    return nxt - dt.timedelta(days=1)


def figures(engine: Engine, actor: Actor, region: str, on: dt.date) -> Figures:
    """Coverage per child area on ``on``, burn-down and claims of ``on``'s year for
    ``region``. Refuses ``unknown_region`` and ``region_out_of_scope``."""
    actor.require("coverage.read")
    code, level, name = resolve(region)
    check_region(actor, code)
    col = person.c[COLUMN_BY_LEVEL[level]]
    child_col = person.c[COLUMN_BY_LEVEL[min(level + 1, 4)]]
    scope = actor.region_clause(person)
    where = [col == code] + ([scope] if scope is not None else [])
    covered_now = and_(coverage_period.c.start_date <= on, coverage_period.c.end_date >= on)
    year = on.year
    with engine.connect() as conn:
        people: dict[str | None, int] = dict(
            conn.execute(select(child_col, func.count()).where(*where).group_by(child_col)).all()
        )
        covered: dict[str | None, int] = dict(
            conn.execute(
                select(child_col, func.count(func.distinct(coverage_period.c.person_id)))
                .select_from(
                    coverage_period.join(person, person.c.id == coverage_period.c.person_id)
                )
                .where(covered_now, *where)
                .group_by(child_col)
            ).all()
        )
        funds = or_(
            program.c.funder_region.is_(None),
            program.c.funder_region == code,
            program.c.funder_region.startswith(code + "."),
            *(program.c.funder_region == code.rsplit(".", k)[0] for k in range(1, level)),
        )
        progs = [
            int(r.id)
            for r in conn.execute(
                select(program.c.id).where(program.c.fiscal_year == year, funds)
            ).all()
        ]
        budget = int(
            conn.execute(
                select(func.coalesce(func.sum(program.c.budget), 0)).where(program.c.id.in_(progs))
            ).scalar_one()
        )
        invoices = conn.execute(
            select(invoice.c.month, invoice.c.amount).where(invoice.c.program_id.in_(progs))
        ).all()
        paid = conn.execute(
            select(payment.c.paid_on, payment.c.amount)
            .select_from(payment.join(invoice, invoice.c.id == payment.c.invoice_id))
            .where(invoice.c.program_id.in_(progs))
        ).all()
        claim_rows = conn.execute(
            select(claim.c.filed_on, claim.c.type)
            .select_from(claim.join(person, person.c.id == claim.c.person_id))
            .where(*where)
        ).all()
    inv = [(dialect.to_date(m), int(a)) for m, a in invoices]
    pay = [(dialect.to_date(d), int(a)) for d, a in paid]
    burn = []
    for m in _months(year):
        end = _month_end(m)
        spent = sum(a for d, a in pay if d <= end)
        invoiced = sum(a for d, a in inv if d <= m)
        burn.append(BurnMonth(m, spent, max(0, invoiced - spent), budget - invoiced))
    counts: dict[dt.date, dict[str, int]] = {m: {} for m in _months(year)}
    types: set[str] = set()
    for filed, kind in claim_rows:
        d = dialect.to_date(filed)
        if d.year == year:
            key = d.replace(day=1)
            counts[key][kind] = counts[key].get(kind, 0) + 1
            types.add(kind)
    children = (
        reg.regions().filter(
            (reg.regions()["level"] == level + 1)
            & reg.regions()["kode"].str.starts_with(code + ".")
        )
        if level < 4
        else None
    )
    codes = (
        {str(c): str(n) for c, n in children.select("kode", "nama").iter_rows()}
        if children is not None
        else {}
    )
    for c in people:
        if c and c not in codes:
            codes[c] = reg.name_of(c) or c
    areas = [
        AreaShare(
            code=c,
            name=n,
            people=int(people.get(c, 0)),
            covered=int(covered.get(c, 0)),
            share=(covered.get(c, 0) / people[c]) if people.get(c) else None,
        )
        for c, n in sorted(codes.items())
    ]
    return Figures(
        region=code,
        name=name,
        on=on,
        areas=areas,
        budget=budget,
        burn_down=burn,
        claims=[ClaimMonth(m, counts[m]) for m in _months(year)],
        claim_types=sorted(types),
    )


def outlines(region: str) -> dict[str, dict[str, object]]:
    """The outlines of ``region``'s child areas, for the map (empty when none shipped)."""
    code, _level, _name = resolve(region)
    return boundaries.children(code)


def report_head(engine: Engine, region: str) -> signed.Head | None:
    """What heads and signs ``region``'s signed report: the letterhead an administrator set for
    it or for the nearest enclosing region (a distrik's report carries its city's), with the
    logo; ``None`` when no region up the line has one (the report then carries Jaring's own
    head). No right: a report's reader sees its letterhead."""
    from jaring.coverage import signed  # it draws with this module's figures

    found = accounts.letterhead_for(engine, resolve(region)[0])
    if found is None:
        return None
    lh, logo = found
    return signed.Head(
        authority=lh.authority,
        office=lh.office,
        address=lh.address,
        signatory=lh.signatory,
        signatory_title=lh.signatory_title,
        logo=logo,
    )
