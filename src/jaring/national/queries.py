"""Reads of a Pemda's store for the national picture: the tables of a snapshot (people,
source rows' matching fields, memberships, coverage periods, paid months), region scope in
the SQL; and the cross-region pairs received back, for the Pemda's review.

The snapshot's frames carry NIKs and normalised names in clear: only
:func:`jaring.national.actions.snapshot` calls :func:`snapshot_tables`, for an actor holding
``nik.export``, in the transaction that audits it (and hashes the NIKs when asked).
"""

from __future__ import annotations

import dataclasses
import json
from typing import Any

import polars as pl
from sqlalchemy import Connection, Engine, and_, case, func, literal, select

from jaring import audit
from jaring.access import Actor, region_column
from jaring.national import errors
from jaring.registry.dedupe import LEVELS
from jaring.registry.queries import rows as source_rows
from jaring.registry.queries.people import (
    LIST_COLUMNS,
    PersonRow,
    person_rows,
    require_clear_data,
    require_person_in_scope,
)
from jaring.store.bulk import read_frame
from jaring.store.dialect import to_datetime
from jaring.store.tables.national import national_pair
from jaring.store.tables.programs import coverage_period, invoice, invoice_line, membership, program
from jaring.store.tables.registry import person, registry_link

_DATES = {
    "birth_date": pl.Date,
    "start_month": pl.Date,
    "end_month": pl.Date,
    "start_date": pl.Date,
    "end_date": pl.Date,
    "month": pl.Date,
}


def _where(actor: Actor, region: str | None) -> Any:
    """The people of ``region`` (any level) inside the actor's regions."""
    clauses = []
    if region:
        clauses.append(person.c[region_column(region)] == region)
    scope = actor.region_clause(person)
    if scope is not None:
        clauses.append(scope)
    return and_(*clauses) if clauses else literal(True)


def _payer() -> Any:
    return case((program.c.funder_type == "apbd", program.c.funder_region), else_=literal("self"))


def _frame(conn: Connection, q: Any) -> pl.DataFrame:
    f = read_frame(conn, q)
    return f.with_columns(  # SQLite gives dates as text
        [
            pl.col(c).str.to_date() if f.schema[c] == pl.String else pl.col(c).cast(pl.Date)
            for c in f.columns
            if c in _DATES and f.schema[c] != pl.Date
        ]
    )


def snapshot_tables(conn: Connection, actor: Actor, region: str | None) -> dict[str, pl.DataFrame]:
    """The snapshot's tables of the people of ``region`` (all the actor's when ``None``)."""
    where = _where(actor, region)
    p = person.c
    place = (p.province_code, p.regency_code)
    people = _frame(
        conn,
        select(
            p.id.label("person_id"), p.nik, p.name_norm, p.birth_date, p.sex, *place,
            p.district_code, p.village_code, p.phone,
        ).where(where).order_by(p.id),
    )  # fmt: skip
    m, g = membership.c, program.c
    memberships = _frame(
        conn,
        select(
            m.id.label("membership_id"), m.person_id, m.program_id, _payer().label("payer"),
            m.segment, m.state, m.start_month, m.end_month, *place,
        )
        .join_from(membership, person, m.person_id == p.id)
        .join(program, g.id == m.program_id)
        .where(where)
        .order_by(m.id),
    )  # fmt: skip
    c = coverage_period.c
    coverage = _frame(
        conn,
        select(
            c.membership_id, c.person_id, c.program_id, _payer().label("payer"), c.segment,
            c.start_date, c.end_date, *place, p.district_code,
        )
        .join_from(coverage_period, person, c.person_id == p.id)
        .join(program, g.id == c.program_id)
        .where(where)
        .order_by(c.id),
    )  # fmt: skip
    i, line = invoice.c, invoice_line.c
    payments = _frame(
        conn,
        select(
            m.person_id, i.program_id, _payer().label("payer"), i.month,
            line.paid.label("amount"), *place,
        )
        .join_from(invoice_line, invoice, i.id == line.invoice_id)
        .join(membership, m.id == line.membership_id)
        .join(person, p.id == m.person_id)
        .join(program, g.id == i.program_id)
        .where(where, line.paid > 0)
        .order_by(m.person_id, i.month),
    )  # fmt: skip
    return {
        "people": people,
        "rows": _rows(conn, people),
        "memberships": memberships,
        "coverage": coverage,
        "payments": payments,
    }


def _rows(conn: Connection, people: pl.DataFrame) -> pl.DataFrame:
    """The source rows linked to ``people``, with their matching fields now."""
    links = read_frame(
        conn, select(registry_link.c.row_id, registry_link.c.person_id)
    ).with_columns(pl.col("row_id", "person_id").cast(pl.Int64))
    people = people.select(pl.col("person_id").cast(pl.Int64), "province_code", "regency_code")
    links = links.join(people, on="person_id")  # an empty store's frame has untyped columns
    if links.height == 0:
        return pl.DataFrame()
    rows = source_rows.read(
        conn,
        ids=links.get_column("row_id"),
        columns=("nik", "name_norm", "birth_date", "sex", "district_code", "village_code", "phone"),
    )
    return rows.rename({"id": "row_id"}).join(links, on="row_id")


@dataclasses.dataclass
class CrossRegionPair:
    """One of the Pemda's people found listed by another Pemda too: the person here (id,
    name, NIK masked as the actor's role requires), the other Pemda's region code, how sure
    the match is and what agreed (levels only: no personal data of the other region), and
    the decision so far."""

    pair: int
    person: int
    name: str | None
    nik: str | None
    district_code: str | None
    other_region: str
    match_probability: float | None
    link: bool
    explain: dict[str, Any]
    status: str
    decided_by: str | None


def cross_region_pairs(
    engine: Engine, actor: Actor, *, status: str = "pending", limit: int = 100
) -> list[CrossRegionPair]:
    """The cross-region pairs received for the actor's people (:mod:`jaring.national.actions`),
    surest first. Needs ``person.read`` and clear personal data (a decision compares NIKs)."""
    actor.require("person.read")
    require_clear_data(actor)
    n, p = national_pair.c, person.c
    scope = actor.region_clause(person)
    q = (
        select(
            n.id, n.person_id, p.name, p.nik, p.district_code, n.other_region,
            n.match_probability, n.link, n.explain, n.status, n.decided_by,
        )
        .join_from(national_pair, person, p.id == n.person_id)
        .where(n.status == status, scope if scope is not None else literal(True))
        .order_by(n.link.desc(), n.match_probability.desc(), n.id)
        .limit(limit)
    )  # fmt: skip
    with engine.connect() as conn:
        rows = conn.execute(q).all()
    return [
        CrossRegionPair(
            pair=int(r.id),
            person=int(r.person_id),
            name=r.name,
            nik=r.nik,
            district_code=r.district_code,
            other_region=r.other_region,
            match_probability=None
            if r.match_probability is None
            else round(float(r.match_probability), 4),
            link=bool(r.link),
            explain=json.loads(r.explain),
            status=r.status,
            decided_by=r.decided_by,
        )
        for r in rows
    ]


#: The comparisons a card shows, in this order (the hold, if any, is shown first).
COMPARISONS = tuple(LEVELS)


@dataclasses.dataclass
class Agreement:
    """What one comparison found between the person here and the other region's record:
    ``field`` (``nik``, ``name_norm``, ``birth_date``, ``sex``, ``area``, ``phone``), its
    ``level`` in words (``sama``, ``sangat mirip``...) and its weight (positive: it makes the
    match likelier)."""

    field: str
    level: str
    weight: float | None


@dataclasses.dataclass
class PairCard:
    """A cross-region pair as the review shows it: the person here (:class:`PersonRow`,
    masked for masked-data roles), and of the other side only its Pemda's region code, the
    probability, the agreement per comparison and the hold; the decision so far."""

    pair: int
    person: PersonRow
    other_region: str
    match_probability: float | None
    link: bool
    agreements: list[Agreement]
    hold: str | None
    hold_code: str | None
    status: str
    decided_by: str | None
    decided_at: Any
    received_at: Any


def _agreements(text: str) -> tuple[list[Agreement], str | None, str | None]:
    """The known comparisons of an ``explain`` text, in :data:`COMPARISONS` order, and the
    hold's words and code; anything else in it is not shown."""
    try:
        d = json.loads(text)
    except ValueError:
        return [], None, None
    if not isinstance(d, dict):
        return [], None, None
    out = []
    for f in COMPARISONS:
        v = d.get(f)
        if isinstance(v, dict) and v.get("level") in LEVELS[f].values():
            w = v.get("weight")
            out.append(Agreement(f, str(v["level"]), float(w) if w is not None else None))
    hold = d.get("hold")
    if not isinstance(hold, dict) or "level" not in hold:
        return out, None, None
    return out, str(hold["level"]), (str(hold["code"]) if hold.get("code") else None)


def _cards(conn: Connection, actor: Actor, where: Any, limit: int) -> list[PairCard]:
    n, p = national_pair.c, person.c
    scope = actor.region_clause(person)
    q = (
        select(
            n.id.label("pair"), n.other_region, n.match_probability, n.link, n.explain,
            n.status, n.decided_by, n.decided_at, n.received_at, *LIST_COLUMNS,
        )
        .join_from(national_pair, person, p.id == n.person_id)
        .where(where, scope if scope is not None else literal(True))
        .order_by(n.link.desc(), n.match_probability.desc().nulls_last(), n.id)
        .limit(limit)
    )  # fmt: skip
    rows = conn.execute(q).all()
    width = len(LIST_COLUMNS)
    people = person_rows([tuple(r)[-width:] for r in rows], actor)
    out = []
    for r, who in zip(rows, people, strict=True):
        agreements, hold, hold_code = _agreements(r.explain)
        out.append(
            PairCard(
                pair=int(r.pair),
                person=who,
                other_region=r.other_region,
                match_probability=None
                if r.match_probability is None
                else float(r.match_probability),
                link=bool(r.link),
                agreements=agreements,
                hold=hold,
                hold_code=hold_code,
                status=r.status,
                decided_by=r.decided_by,
                decided_at=to_datetime(r.decided_at) if r.decided_at is not None else None,
                received_at=to_datetime(r.received_at),
            )
        )
    return out


def pending_cards(engine: Engine, actor: Actor, *, limit: int = 50) -> list[PairCard]:
    """The actor's pending cross-region pairs as cards (surest first, at most ``limit``),
    masked for masked-data roles; the read is audited (``national.review_list``). Needs
    ``person.read``."""
    actor.require("person.read")
    with engine.connect() as conn:
        cards = _cards(conn, actor, national_pair.c.status == "pending", limit)
    if cards:
        audit.record_read(engine, actor, "national.review_list", "national_pair", None,
                          {"pairs": [c.pair for c in cards]})  # fmt: skip
    return cards


def pending_count(engine: Engine, actor: Actor) -> int:
    """How many cross-region pairs wait for the actor (inside their regions)."""
    actor.require("person.read")
    n, p = national_pair.c, person.c
    scope = actor.region_clause(person)
    q = (
        select(func.count())
        .select_from(national_pair.join(person, p.id == n.person_id))
        .where(n.status == "pending", scope if scope is not None else literal(True))
    )
    with engine.connect() as conn:
        return int(conn.execute(q).scalar_one())


def pair_card(engine: Engine, actor: Actor, pair_id: int) -> PairCard:
    """Cross-region pair ``pair_id`` as a card (any status), masked for masked-data roles;
    the read is audited (``national.pair_read``). Needs ``person.read``; refuses
    ``cross_region_pair_not_found`` and ``person_out_of_region``."""
    actor.require("person.read")
    n = national_pair.c
    with engine.connect() as conn:
        owner = conn.execute(select(n.person_id).where(n.id == pair_id)).scalar_one_or_none()
        if owner is None:
            raise errors.FLAG_NOT_FOUND(pair=pair_id)
        require_person_in_scope(conn, actor, int(owner))
        cards = _cards(conn, actor, n.id == pair_id, 1)
    audit.record_read(engine, actor, "national.pair_read", "national_pair", pair_id,
                      {"person": cards[0].person.id})  # fmt: skip
    return cards[0]


def existing_people(conn: Connection, person_ids: list[int]) -> set[int]:
    """Which of ``person_ids`` are people of this store."""
    out: set[int] = set()
    for i in range(0, len(person_ids), 500):
        q = select(person.c.id).where(person.c.id.in_(person_ids[i : i + 500]))
        out.update(int(r[0]) for r in conn.execute(q))
    return out


def marked_people(conn: Connection, person_ids: list[int]) -> set[int]:
    """Which of ``person_ids`` are in a pending cross-region pair (the registry's review
    marks them)."""
    if not person_ids:
        return set()
    n = national_pair.c
    q = select(n.person_id).where(n.person_id.in_(person_ids), n.status == "pending")
    return {int(r[0]) for r in conn.execute(q)}


__all__ = [
    "Agreement",
    "CrossRegionPair",
    "PairCard",
    "cross_region_pairs",
    "existing_people",
    "marked_people",
    "pair_card",
    "pending_cards",
    "pending_count",
    "snapshot_tables",
]
