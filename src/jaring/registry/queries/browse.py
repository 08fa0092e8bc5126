"""The people of the actor's regions as a browsable list: filters (distrik, kelurahan,
occupation, covered or not on a date, the source list a person came from), pages by keyset
(the next page starts after the last id seen: no OFFSET, so page 2,000 of a million people
costs what page 1 does), and the same selection for bulk work (a file of the selected or
filtered people).

Region scope in the SQL and masking before anything leaves, as everywhere in
:mod:`jaring.registry.queries.people`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, Connection, Engine, Select, and_, exists, func, or_, select

from jaring import audit
from jaring.access import Actor
from jaring.dates import in_range
from jaring.registry import errors
from jaring.registry.queries.people import LIST_COLUMNS, PersonRow, person_rows, scope_clause
from jaring.registry.regions import name_of
from jaring.store.tables.programs import coverage_period
from jaring.store.tables.registry import person, registry_batch, registry_chunk, registry_link

PAGE = 50  # people per page
MAX_PAGE = 200
COVERED = ("yes", "no")  # the values of the covered filter (empty: either)


@dataclasses.dataclass
class Filters:
    """What the list is narrowed to; every field optional. ``covered``: ``yes`` or ``no``
    on ``on`` (default today); ``source``: the source name of an imported list."""

    district: str | None = None
    village: str | None = None
    occupation: str | None = None
    covered: str | None = None
    on: dt.date | None = None
    source: str | None = None

    def active(self) -> dict[str, Any]:
        """The filters given (for links, the audit trail and the export's record)."""
        return {k: v for k, v in dataclasses.asdict(self).items() if v not in (None, "")}


@dataclasses.dataclass
class PeoplePage:
    """One page of the list: the people (masked as the actor sees people) and ``after``,
    the keyset of the next page (``None`` on the last)."""

    people: list[PersonRow]
    after: int | None


@dataclasses.dataclass
class Choice:
    """A value a filter may take, with its name for people."""

    value: str
    label: str


def _check(f: Filters) -> Filters:
    """Refuse what no list row could match (a bad covered value, a date out of range)."""
    if f.covered and f.covered not in COVERED:
        raise errors.FILTER_INVALID(field="covered", value=f.covered)
    if f.on is not None and not in_range(f.on):
        raise errors.FILTER_INVALID(field="on", value=f.on.isoformat())
    for key in ("district", "village"):
        v = getattr(f, key)
        if v and not all(p.isdigit() for p in v.split(".")):
            raise errors.FILTER_INVALID(field=key, value=v)
    return f


def _source_rows(conn: Connection, source: str) -> ColumnElement[bool]:
    """SQL keeping people linked to a row of a list from ``source``. Rows are named by
    their number in their chunk's range, so the ranges of the source's chunks are read
    first (a few per list) and the links asked for rows inside them."""
    ranges = conn.execute(
        select(registry_chunk.c.first_row, registry_chunk.c.rows)
        .join(registry_batch, registry_batch.c.id == registry_chunk.c.batch_id)
        .where(registry_batch.c.source == source)
    ).all()
    if not ranges:
        return person.c.id.is_(None)  # nobody
    within = or_(
        *(
            registry_link.c.row_id.between(int(first), int(first) + int(n) - 1)
            for first, n in ranges
        )
    )
    return exists().where(registry_link.c.person_id == person.c.id, within)


def _where(conn: Connection, actor: Actor, f: Filters) -> list[ColumnElement[bool]]:
    conds: list[ColumnElement[bool]] = []
    scope = scope_clause(actor)
    if scope is not None:
        conds.append(scope)
    if f.district:
        conds.append(person.c.district_code == f.district)
    if f.village:
        conds.append(person.c.village_code == f.village)
    if f.occupation:
        words = f.occupation.strip().lower()
        conds.append(func.lower(person.c.occupation).contains(words, autoescape=True))
    if f.covered:
        on = f.on or dt.date.today()
        cp = coverage_period.c
        covered = exists().where(
            cp.person_id == person.c.id, cp.start_date <= on, cp.end_date >= on
        )
        conds.append(covered if f.covered == "yes" else ~covered)
    if f.source:
        conds.append(_source_rows(conn, f.source))
    return conds


def selection(
    conn: Connection, actor: Actor, f: Filters, ids: Sequence[int] | None = None
) -> Select[Any]:
    """The statement of :data:`LIST_COLUMNS` for the people ``f`` keeps (and, when given,
    only those of ``ids``), inside the actor's regions, by id. For bulk work in the
    caller's transaction."""
    stmt = select(*LIST_COLUMNS)
    conds = _where(conn, actor, _check(f))
    if ids is not None:
        conds.append(person.c.id.in_([int(i) for i in ids]))
    if conds:
        stmt = stmt.where(and_(*conds))
    return stmt.order_by(person.c.id)


def browse(
    engine: Engine,
    actor: Actor,
    f: Filters,
    *,
    after: int | None = None,
    limit: int = PAGE,
) -> PeoplePage:
    """A page of the people ``f`` keeps in the actor's regions, by id, starting after
    ``after`` (the previous page's last id). Refuses ``filter_invalid``; audited as a read
    (``person.list``: the filters and the ids shown)."""
    actor.require("person.read")
    limit = max(1, min(int(limit), MAX_PAGE))
    with engine.connect() as conn:
        stmt = selection(conn, actor, f)
        if after is not None:
            stmt = stmt.where(person.c.id > int(after))
        found = conn.execute(stmt.limit(limit + 1)).all()
    shown = found[:limit]
    audit.record_read(
        engine,
        actor,
        "person.list",
        "person",
        None,
        {"filters": f.active(), "people": [int(r[0]) for r in shown]},
    )
    nxt = int(shown[-1][0]) if len(found) > limit else None
    return PeoplePage(people=person_rows(shown, actor), after=nxt)


def choices(engine: Engine, actor: Actor, district: str | None = None) -> dict[str, list[Choice]]:
    """The values the select lists offer: the distriks the actor's people live in, the
    kelurahan of ``district`` when one is chosen, the sources of the imported lists."""
    actor.require("person.read")
    scope = scope_clause(actor)
    with engine.connect() as conn:
        q = select(person.c.district_code).where(person.c.district_code.is_not(None))
        if scope is not None:
            q = q.where(scope)
        districts = conn.execute(q.distinct()).scalars().all()
        villages: Sequence[str] = []
        if district:
            v = select(person.c.village_code).where(
                person.c.district_code == district, person.c.village_code.is_not(None)
            )
            if scope is not None:
                v = v.where(scope)
            villages = conn.execute(v.distinct()).scalars().all()
        sources = conn.execute(select(registry_batch.c.source).distinct()).scalars().all()

    def named(codes: Sequence[str]) -> list[Choice]:
        return sorted(
            (Choice(c, name_of(c) or c) for c in codes if c), key=lambda x: (x.label, x.value)
        )

    return {
        "districts": named(districts),
        "villages": named(villages),
        "sources": [Choice(s, s) for s in sorted(set(sources))],
    }
