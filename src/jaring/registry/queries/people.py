"""People as the registry shows them: search by NIK or name, one person's file, the look-up
by NIK, the rows of the lists behind a person; and the region checks other domains ask for
("the person with this NIK in the actor's regions", "is this person in scope").

Every query carries the actor's region scope in its SQL (an operator of ``96.71.02`` never
receives a row from elsewhere: :meth:`jaring.access.Actor.region_clause`), and masking
(:attr:`jaring.access.Actor.masked`) is applied before anything leaves this module.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import functools
import re
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

import polars as pl
from sqlalchemy import (
    ColumnElement,
    Connection,
    Engine,
    Select,
    and_,
    bindparam,
    func,
    or_,
    select,
)

from jaring import audit
from jaring.access import Actor, birth_year, mask_person, region_column
from jaring.registry import errors
from jaring.registry.lookups import check_nik_lookup
from jaring.registry.normalise import normalise_name
from jaring.registry.queries import rows as source_rows
from jaring.registry.regions import name_of
from jaring.store.bulk import read_frame
from jaring.store.dialect import to_date, to_datetime
from jaring.store.tables.families import death
from jaring.store.tables.programs import coverage_period, membership, program
from jaring.store.tables.registry import person, registry_link

Bind = Connection | Engine

#: The columns of a person in a list (search results, the look-up by NIK).
LIST_COLUMNS = (
    person.c.id,
    person.c.nik,
    person.c.name,
    person.c.birth_date,
    person.c.sex,
    person.c.district_code,
    person.c.village_code,
    person.c.phone,
    person.c.occupation,
    person.c.desil,
    person.c.registered_on,
)
KEYS = tuple(c.key for c in LIST_COLUMNS)

_FILE_COLUMNS = (
    person.c.id,
    person.c.nik,
    person.c.name,
    person.c.birth_date,
    person.c.sex,
    person.c.province_code,
    person.c.regency_code,
    person.c.district_code,
    person.c.village_code,
    person.c.address,
    person.c.phone,
    person.c.occupation,
    person.c.desil,
    person.c.registered_on,
)
_REGION_COLUMNS = (
    person.c.province_code,
    person.c.regency_code,
    person.c.district_code,
    person.c.village_code,
)

_NON_WORD = re.compile(r"[^0-9a-z ]+")
_SPACES = re.compile(r"\s+")


# --------------------------------------------------------------------------- what leaves


@dataclasses.dataclass
class PersonRow:
    """A person in a list: identity, place (with the places' names), contact; NIK and phone
    masked for masked-data roles."""

    id: int
    nik: str | None
    name: str
    birth_date: dt.date | None
    sex: str | None
    district_code: str | None
    village_code: str | None
    phone: str | None
    occupation: str | None
    desil: int | None
    registered_on: dt.date | None
    district_name: str | None = None
    village_name: str | None = None
    birth_year: int | None = None  # masked-data roles see the year, not the date


@dataclasses.dataclass
class Search:
    """People matching a query: ``kind`` is ``nik`` (a full NIK), ``nik_prefix``, ``name``
    or ``empty``; ``more`` when more people match than were returned. For a name:
    ``window``, the most people it ranks and pages through (``offset`` must stay below it);
    ``namesakes``, when every person returned bears one name (as alike as any) and more
    people bear it than were returned, how many do in the caller's regions (0 otherwise: a
    birth year typed with the name narrows them); ``born``, the birth year read from the
    query (None when none was typed)."""

    query: str
    kind: str
    people: list[PersonRow]
    more: bool
    namesakes: int = 0
    window: int | None = None
    born: int | None = None


@dataclasses.dataclass
class Membership:
    """A person's membership of a program."""

    id: int
    program_id: int
    program_name: str
    segment: str
    income_base: int
    kpj: str | None
    state: str
    start_month: dt.date
    end_month: dt.date | None


@dataclasses.dataclass
class CoveragePeriod:
    """A paid period of cover (both days included)."""

    program_id: int
    segment: str
    start_date: dt.date
    end_date: dt.date


@dataclasses.dataclass
class NikCandidate:
    """One NIK on a person's rows and what speaks for it."""

    nik: str
    rows: int
    agrees_birth_date: bool
    agrees_district: bool
    confirmed: bool
    refused: bool
    score: float
    likely: bool


@dataclasses.dataclass
class TwoNiks:
    """A person whose rows carry more than one NIK: the NIK on the person now (``nik``),
    the most likely one (``likely``), an operator's choice (``chosen``, null until made)
    and every candidate."""

    person: int
    name: str
    district_code: str | None
    nik: str | None
    likely: str
    chosen: str | None
    candidates: list[NikCandidate]


@dataclasses.dataclass
class PersonFile:
    """One person's file: identity, place, contact (NIK, phone masked and address withheld
    for masked-data roles), memberships, coverage periods and whether they are covered on
    ``covered_on``."""

    id: int
    nik: str | None
    name: str
    birth_date: dt.date | None
    sex: str | None
    province_code: str | None
    regency_code: str | None
    district_code: str | None
    village_code: str | None
    address: str | None
    phone: str | None
    occupation: str | None
    desil: int | None
    registered_on: dt.date | None
    district_name: str | None
    village_name: str | None
    memberships: list[Membership]
    coverage_periods: list[CoveragePeriod]
    covered_on: dt.date
    covered: bool
    birth_year: int | None = None  # masked-data roles see the year, not the date
    # rows with two NIKs or more (clear-data roles only; null otherwise): which is likely
    two_niks: TwoNiks | None = None
    died_on: dt.date | None = None  # a recorded death (not undone)


@dataclasses.dataclass
class SourceRow:
    """A row of an imported list linked to a person: where it came from, what it says now
    and how it was linked (``single``, ``nik``, ``match``, ``review``, ``split``)."""

    row_id: int
    source: str | None
    file_name: str | None
    sheet: str | None
    row_number: int | None
    listed_on: dt.date | None
    name: str | None
    nik: str | None
    birth_date: dt.date | None
    district_code: str | None
    method: str
    linked_at: dt.datetime | None


def _shaped(row: dict[str, Any], actor: Actor) -> dict[str, Any]:
    """A person's columns as they leave: dates as dates, region names added, masked for
    masked-data roles."""
    for key in ("birth_date", "registered_on"):
        if key in row:
            row[key] = to_date(row[key])
    if "birth_date" in row:
        row["birth_year"] = birth_year(row["birth_date"])
    row["district_name"] = name_of(row["district_code"]) if row.get("district_code") else None
    row["village_name"] = name_of(row["village_code"]) if row.get("village_code") else None
    return mask_person(row) if actor.masked else row


def person_rows(raw: Iterable[Sequence[Any]], actor: Actor) -> list[PersonRow]:
    """Rows of :data:`LIST_COLUMNS` (as a driver returns them) as :class:`PersonRow`,
    shaped and masked for ``actor``. The look-up's hot path shapes its rows here too."""
    return [PersonRow(**_shaped(dict(zip(KEYS, r, strict=True)), actor)) for r in raw]


# --------------------------------------------------------------------------- scope


def scope_clause(actor: Actor) -> ColumnElement[bool] | None:
    """SQL keeping only people inside the actor's regions (``None``: everywhere)."""
    return actor.region_clause(person)


def require_clear_data(actor: Actor) -> None:
    """Refuse (``registry_needs_clear_data``) a masked-data role: source rows carry NIKs and
    phones as typed, and files of people carry them in clear."""
    if actor.masked:
        raise errors.NEEDS_CLEAR_DATA()


def _visible(actor: Actor, person_id: int, row: Any) -> dict[str, Any]:
    """``row`` (a person's columns, at least the region codes) as a dict; refuses
    ``person_not_found`` when there is none and ``person_out_of_region`` when they live
    outside the actor's regions."""
    if row is None:
        raise errors.PERSON_NOT_FOUND(person_id=person_id)
    found = dict(row._mapping)
    if not actor.sees_region(found):
        raise errors.PERSON_OUT_OF_REGION(person_id=person_id)
    return found


def require_person_in_scope(bind: Bind, actor: Actor, person_id: int) -> None:
    """Refuse unless person ``person_id`` exists (``person_not_found``, 404) and lives
    inside the actor's regions (``person_out_of_region``, 403: the actor learns that the
    person exists elsewhere, not who they are). For an actor of every region nothing is
    looked up. ``bind``: an engine or the caller's connection."""
    if actor.all_regions:
        return
    with _connected(bind) as conn:
        row = conn.execute(select(*_REGION_COLUMNS).where(person.c.id == person_id)).first()
    _visible(actor, person_id, row)


def ids_in_scope(bind: Bind, actor: Actor, ids: Sequence[int]) -> set[int]:
    """Which of the person ids ``ids`` the actor may see (all of them for actors of every
    region; ids of nobody are left out only for scoped actors)."""
    scope = scope_clause(actor)
    if scope is None or not ids:
        return set(ids)
    out: set[int] = set()
    ids = list(ids)
    with _connected(bind) as conn:
        for i in range(0, len(ids), 500):
            q = select(person.c.id).where(person.c.id.in_(ids[i : i + 500]), scope)
            out.update(int(r[0]) for r in conn.execute(q))
    return out


@contextlib.contextmanager
def _connected(bind: Bind) -> Iterator[Connection]:
    """A connection from an engine (opened and closed here), or the caller's own."""
    if isinstance(bind, Engine):
        with bind.connect() as conn:
            yield conn
    else:
        yield bind


def in_regions(actor: Actor, codes: Sequence[str | None]) -> bool:
    """Whether rows placed in the distriks ``codes`` are the actor's: every row with a known
    distrik lies inside the actor's regions and at least one does (a row whose distrik could
    not be read belongs to nobody yet)."""
    known = [c for c in codes if c]
    return bool(known) and all(any(c.startswith(r) for r in actor.regions) for c in known)


# --------------------------------------------------------------------------- search


def _name_key(q: str) -> str:
    return _SPACES.sub(" ", _NON_WORD.sub(" ", q.lower())).strip()


def search(engine: Engine, actor: Actor, q: str, limit: int = 50, offset: int = 0) -> Search:
    """People in the actor's regions matching ``q``: 16 digits = one NIK exactly; fewer
    digits = NIKs starting so; otherwise words of the name (each must appear, in order,
    ignoring case and punctuation). ``limit`` is kept within 1..200.

    Refuses ``bad_nik`` (more than 16 digits), ``query_too_short`` (fewer than 2 letters)
    and, for masked-data roles, ``nik_prefix_forbidden``: a NIK prefix would let them
    enumerate the numbers they are not allowed to see; their exact-NIK searches are counted
    (``nik_lookups_limited`` past the limit: :mod:`jaring.registry.lookups`).
    """
    actor.require("person.read")
    q = (q or "").strip()
    if not q:
        return Search(query=q, kind="empty", people=[], more=False)
    limit = max(1, min(int(limit), 200))
    digits = q.replace(" ", "")
    if digits.isdigit():
        if len(digits) == 16:
            kind = "nik"
            check_nik_lookup(engine, actor)
            cond: ColumnElement[bool] = person.c.nik == digits
        elif len(digits) > 16:
            raise errors.BAD_NIK(field="q", length=len(digits))
        else:
            if actor.masked:
                raise errors.NIK_PREFIX_FORBIDDEN(field="q")
            kind = "nik_prefix"
            cond = and_(person.c.nik >= digits, person.c.nik < digits + ":")
    else:
        key = _name_key(q)
        if len(key) < 2:
            raise errors.QUERY_TOO_SHORT(field="q")
        kind = "name"
        pattern = "%" + "%".join(key.split(" ")) + "%"
        cond = func.lower(person.c.name).like(pattern)
    stmt = select(*LIST_COLUMNS).where(cond)
    scope = scope_clause(actor)
    if scope is not None:
        stmt = stmt.where(scope)
    stmt = stmt.order_by(person.c.name, person.c.id).limit(limit + 1).offset(max(0, offset))
    with engine.connect() as conn:
        found = conn.execute(stmt).all()
    audit.record_read(
        engine,
        actor,
        "person.search",
        "person",
        None,
        {"kind": kind, "people": [int(r[0]) for r in found[:limit]]},
    )
    return Search(
        query=q, kind=kind, people=person_rows(found[:limit], actor), more=len(found) > limit
    )


def find_people(
    engine: Engine,
    actor: Actor,
    query: str,
    *,
    limit: int = 50,
    region_prefix: str | None = None,
) -> list[PersonRow]:
    """People in the actor's regions whose NIK starts with ``query`` (digits) or whose
    normalised name contains it (titles and spellings folded: "muh ali" finds "H. Muhammad
    Ali"); ``region_prefix`` (``96.71`` or ``96.71.02``) keeps only people of that area.
    Masked-data roles may not search by a NIK prefix (``nik_prefix_forbidden``)."""
    actor.require("person.read")
    q = (query or "").strip()
    digits = q.replace(" ", "")
    if digits.isdigit():
        if actor.masked and len(digits) != 16:
            raise errors.NIK_PREFIX_FORBIDDEN(field="query")
        check_nik_lookup(engine, actor)
        cond: ColumnElement[bool] = person.c.nik.like(digits + "%")
    else:
        norm = pl.select(normalise_name(pl.lit(q, dtype=pl.String))).item()
        if not norm:
            return []
        cond = person.c.name_norm.like(f"%{norm}%")
    stmt = select(*LIST_COLUMNS).where(cond)
    scope = scope_clause(actor)
    if scope is not None:
        stmt = stmt.where(scope)
    if region_prefix:
        area = func.coalesce(person.c.district_code, person.c.regency_code, "")
        stmt = stmt.where(area.like(region_prefix.rstrip(".") + "%"))
    stmt = stmt.order_by(person.c.name_norm, person.c.id).limit(limit)
    with engine.connect() as conn:
        return person_rows(conn.execute(stmt).all(), actor)


# --------------------------------------------------------------------------- by NIK


def check_nik(nik: str) -> None:
    """Refuse (``bad_nik``) unless ``nik`` is 16 digits."""
    if not (len(nik) == 16 and nik.isdigit()):
        raise errors.BAD_NIK(field="nik")


@functools.lru_cache(maxsize=256)
def by_nik_statement(regions: tuple[str, ...] | None) -> Select[Any]:
    """The look-up by NIK for one region scope (``None``: every region), built once so that
    SQLAlchemy reuses its compiled form; the NIK is the bound parameter ``nik``. The API's
    hot path (:mod:`jaring.web.lookup`) compiles and runs this same statement."""
    stmt = select(*LIST_COLUMNS).where(person.c.nik == bindparam("nik"))
    if regions is not None:
        stmt = stmt.where(or_(*(person.c[region_column(r)] == r for r in regions)))
    return stmt.order_by(person.c.id)


def regions_key(actor: Actor) -> tuple[str, ...] | None:
    """The actor's regions as :func:`by_nik_statement` keys them."""
    return None if actor.all_regions else tuple(actor.regions)


def find_by_nik(engine: Engine, actor: Actor, nik: str) -> list[PersonRow]:
    """Everyone carrying this NIK in the actor's regions (usually one; a NIK can be shared by
    mistake), masked for masked-data roles. Refuses ``bad_nik`` unless it is 16 digits, and
    ``nik_lookups_limited`` past a masked role's limit."""
    actor.require("person.read")
    check_nik(nik)
    check_nik_lookup(engine, actor)
    with engine.connect() as conn:
        found = conn.execute(by_nik_statement(regions_key(actor)), {"nik": nik}).all()
    audit.record_read(
        engine, actor, "person.by_nik", "person", None, {"people": [int(r[0]) for r in found]}
    )
    return person_rows(found, actor)


def person_by_nik(engine: Engine, actor: Actor, nik: str) -> int:
    """The id of the one person with this NIK in the actor's regions.

    Refuses ``bad_nik`` (not 16 digits), ``person_not_found`` (nobody with it in the actor's
    regions) and ``nik_shared`` (more than one person carries it: the registry must resolve
    that first), ``nik_lookups_limited`` past a masked role's limit.
    """
    check_nik(nik)
    check_nik_lookup(engine, actor)
    stmt = select(person.c.id).where(person.c.nik == nik)
    scope = scope_clause(actor)
    if scope is not None:
        stmt = stmt.where(scope)
    with engine.connect() as conn:
        ids = conn.execute(stmt.limit(2)).scalars().all()
    if not ids:
        raise errors.PERSON_NOT_FOUND(field="nik")
    if len(ids) > 1:
        raise errors.NIK_SHARED(field="nik")
    return int(ids[0])


# --------------------------------------------------------------------------- one person


def person_file(
    engine: Engine, actor: Actor, person_id: int, on: dt.date | None = None
) -> PersonFile:
    """One person's file: identity, memberships with their programs, coverage periods and
    whether they are covered ``on`` (default today); for clear-data roles, when the person's
    rows carry two NIKs or more, which is likely right and why (``two_niks``). Refuses ``person_not_found`` (404) and
    ``person_out_of_region`` (403)."""
    actor.require("person.read")
    on = on or dt.date.today()
    m, cp = membership.c, coverage_period.c
    with engine.connect() as conn:
        row = conn.execute(select(*_FILE_COLUMNS).where(person.c.id == person_id)).first()
        found = _visible(actor, person_id, row)
        members = conn.execute(
            select(
                m.id,
                m.program_id,
                program.c.name.label("program_name"),
                m.segment,
                m.income_base,
                m.kpj,
                m.state,
                m.start_month,
                m.end_month,
            )
            .join(program, program.c.id == m.program_id)
            .where(m.person_id == person_id)
            .order_by(m.start_month)
        ).all()
        periods = conn.execute(
            select(cp.program_id, cp.segment, cp.start_date, cp.end_date)
            .where(cp.person_id == person_id)
            .order_by(cp.start_date)
        ).all()
        died_on = conn.execute(
            select(func.max(death.c.death_date)).where(
                death.c.person_id == person_id, death.c.status == "recorded"
            )
        ).scalar()
    memberships = [
        Membership(
            **{
                **r._mapping,
                "start_month": to_date(r.start_month),
                "end_month": to_date(r.end_month),
            }
        )
        for r in members
    ]
    covered = [
        CoveragePeriod(
            program_id=r.program_id,
            segment=r.segment,
            start_date=to_date(r.start_date),
            end_date=to_date(r.end_date),
        )
        for r in periods
    ]
    audit.record_read(engine, actor, "person.read", "person", person_id)
    two = None
    if not actor.masked:  # the NIKs are shown in clear
        from jaring.registry.queries.niks import two_nik_people  # it builds on this module

        two = next(iter(two_nik_people(engine, actor, person_id=person_id, limit=1)), None)
    return PersonFile(
        **_shaped(found, actor),
        memberships=memberships,
        coverage_periods=covered,
        covered_on=on,
        covered=any(c.start_date <= on <= c.end_date for c in covered),
        two_niks=two,
        died_on=to_date(died_on),
    )


def source_rows_of(engine: Engine, actor: Actor, person_id: int) -> list[SourceRow]:
    """The rows of the imported lists linked to ``person_id``, oldest list first, with how
    each was linked: the ``row_id`` to split a wrong merge off. Only for roles that see
    personal data in clear (``registry_needs_clear_data``), and only for a person in the
    actor's regions (``person_not_found``, ``person_out_of_region``)."""
    actor.require("person.read")
    require_clear_data(actor)
    link = registry_link.c
    with engine.connect() as conn:
        require_person_in_scope(conn, actor, person_id)
        linked = read_frame(
            conn,
            select(link.row_id.label("id"), link.method, link.linked_at).where(
                link.person_id == person_id
            ),
            schema_overrides={"id": pl.Int64, "method": pl.String, "linked_at": pl.Datetime},
        )
        found = source_rows.read(
            conn,
            ids=linked.get_column("id"),
            columns=("row_number", "name", "nik", "birth_date", "district_code"),
            provenance=True,
        )
    rows = (
        found.join(linked, on="id", maintain_order="left")
        .sort("listed_on", "id")  # source and listing date: the batch's; file name: the file's
        .select(
            pl.col("id").alias("row_id"),
            "source",
            "file_name",
            "sheet",
            "row_number",
            "listed_on",
            "name",
            "nik",
            "birth_date",
            "district_code",
            "method",
            "linked_at",
        )
    )
    audit.record_read(
        engine, actor, "person.source_rows", "person", person_id, {"rows": rows.height}
    )
    return [
        SourceRow(**{**r, "linked_at": to_datetime(r["linked_at"])})
        for r in rows.iter_rows(named=True)
    ]
