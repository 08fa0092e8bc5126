"""Reading people for the web: search by NIK or name, one person's file, region-scoped and
masked by role.

These are read paths over the contract tables (``person``, ``membership``, ``program``,
``coverage_period``). Changes to people go through the registry's service functions.
Every query carries the caller's region scope in SQL (an operator of ``96.71.02`` never
receives a row from elsewhere), and masking is applied before anything leaves this module.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from typing import Any

from sqlalchemy import ColumnElement, Engine, Select, and_, bindparam, func, or_, select

from jaring.errors import Forbidden, JaringError, NotFound
from jaring.registry.regions import name_of
from jaring.store.bulk import to_date
from jaring.store.tables.programs import coverage_period, membership, program
from jaring.store.tables.registry import person
from jaring.web.roles import Principal, mask_person, region_column

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
)

_NON_WORD = re.compile(r"[^0-9a-z ]+")
_SPACES = re.compile(r"\s+")


def scope_clause(principal: Principal) -> ColumnElement[bool] | None:
    """SQL that keeps only people inside the principal's regions (``None`` = everywhere)."""
    if principal.all_regions:
        return None
    return or_(*(person.c[region_column(r)] == r for r in principal.regions))


def _name_key(q: str) -> str:
    return _SPACES.sub(" ", _NON_WORD.sub(" ", q.lower())).strip()


def shape(row: dict[str, Any], principal: Principal) -> dict[str, Any]:
    """A person row as it leaves the web: dates as dates, region names added, masked for
    masked-data roles."""
    out = dict(row)
    if "birth_date" in out:
        out["birth_date"] = to_date(out["birth_date"])
    if "registered_on" in out:
        out["registered_on"] = to_date(out["registered_on"])
    if out.get("district_code"):
        out["district_name"] = name_of(out["district_code"])
    if out.get("village_code"):
        out["village_name"] = name_of(out["village_code"])
    return mask_person(out) if principal.masked else out


def search(
    engine: Engine, principal: Principal, q: str, limit: int = 50, offset: int = 0
) -> dict[str, Any]:
    """People matching ``q``: 16 digits = one NIK exactly; fewer digits = NIKs starting so;
    otherwise words of the name (each must appear, in order, ignoring case and punctuation).
    Masked-data roles may only search by a full NIK or a name (a NIK prefix would let them
    enumerate the numbers they are not allowed to see)."""
    q = (q or "").strip()
    if not q:
        return {"query": q, "kind": "empty", "people": [], "more": False}
    limit = max(1, min(int(limit), 200))
    digits = q.replace(" ", "")
    if digits.isdigit():
        if len(digits) == 16:
            kind = "nik"
            cond: ColumnElement[bool] = person.c.nik == digits
        elif len(digits) > 16:
            raise JaringError(
                "bad_nik",
                "NIK terdiri dari 16 angka.",
                "A NIK has 16 digits.",
                field="q",
                length=len(digits),
            )
        else:
            if principal.masked:
                raise Forbidden(
                    "nik_prefix_forbidden",
                    "Peran Anda hanya boleh mencari dengan NIK lengkap (16 angka) atau nama.",
                    "Your role may search only by a full NIK (16 digits) or by name.",
                    field="q",
                )
            kind = "nik_prefix"
            cond = and_(person.c.nik >= digits, person.c.nik < digits + ":")
    else:
        key = _name_key(q)
        if len(key) < 2:
            raise JaringError(
                "query_too_short",
                "Ketik sedikitnya 2 huruf nama.",
                "Type at least 2 letters of the name.",
                field="q",
            )
        kind = "name"
        pattern = "%" + "%".join(key.split(" ")) + "%"
        cond = func.lower(person.c.name).like(pattern)
    stmt = select(*LIST_COLUMNS).where(cond)
    scope = scope_clause(principal)
    if scope is not None:
        stmt = stmt.where(scope)
    stmt = stmt.order_by(person.c.name, person.c.id).limit(limit + 1).offset(max(0, offset))
    with engine.connect() as conn:
        rows = [dict(r._mapping) for r in conn.execute(stmt)]
    more = len(rows) > limit
    return {
        "query": q,
        "kind": kind,
        "people": [shape(r, principal) for r in rows[:limit]],
        "more": more,
    }


def check_nik(nik: str) -> None:
    """400 ``bad_nik`` unless ``nik`` is 16 digits."""
    if not (len(nik) == 16 and nik.isdigit()):
        raise JaringError(
            "bad_nik", "NIK terdiri dari 16 angka.", "A NIK has 16 digits.", field="nik"
        )


def find_by_nik(engine: Engine, principal: Principal, nik: str) -> list[dict[str, Any]]:
    """Everyone carrying this NIK (usually one; a NIK can be shared by mistake), in scope.
    The API's hot path runs the same statement through :mod:`jaring.web.lookup`."""
    check_nik(nik)
    stmt = _by_nik_statement(None if principal.all_regions else tuple(principal.regions))
    with engine.connect() as conn:
        rows = [dict(r._mapping) for r in conn.execute(stmt, {"nik": nik})]
    return [shape(r, principal) for r in rows]


@functools.lru_cache(maxsize=256)
def _by_nik_statement(regions: tuple[str, ...] | None) -> Select[Any]:
    """The look-up statement for one region scope, built once: SQLAlchemy then reuses its
    compiled form instead of building and keying a new statement per request (the NIK is a
    bound parameter)."""
    stmt = select(*LIST_COLUMNS).where(person.c.nik == bindparam("nik"))
    if regions is not None:
        stmt = stmt.where(or_(*(person.c[region_column(r)] == r for r in regions)))
    return stmt.order_by(person.c.id)


def get_person(
    engine: Engine, principal: Principal, person_id: int, on: dt.date | None = None
) -> dict[str, Any]:
    """One person's file: identity, memberships with their programs, coverage periods and
    whether they are covered ``on`` (default today). 404 if unknown, 403 if outside the
    caller's regions (the operator learns the person exists elsewhere, not who they are)."""
    on = on or dt.date.today()
    with engine.connect() as conn:
        row = conn.execute(select(person).where(person.c.id == person_id)).first()
        p = _visible(principal, person_id, row)
        members = [
            dict(r._mapping)
            for r in conn.execute(
                select(
                    membership.c.id,
                    membership.c.program_id,
                    program.c.name.label("program_name"),
                    membership.c.segment,
                    membership.c.income_base,
                    membership.c.kpj,
                    membership.c.state,
                    membership.c.start_month,
                    membership.c.end_month,
                )
                .join(program, program.c.id == membership.c.program_id)
                .where(membership.c.person_id == person_id)
                .order_by(membership.c.start_month)
            )
        ]
        periods = [
            dict(r._mapping)
            for r in conn.execute(
                select(
                    coverage_period.c.program_id,
                    coverage_period.c.segment,
                    coverage_period.c.start_date,
                    coverage_period.c.end_date,
                )
                .where(coverage_period.c.person_id == person_id)
                .order_by(coverage_period.c.start_date)
            )
        ]
    for m in members:
        m["start_month"] = to_date(m["start_month"])
        m["end_month"] = to_date(m["end_month"])
    for c in periods:
        c["start_date"] = to_date(c["start_date"])
        c["end_date"] = to_date(c["end_date"])
    p.pop("created_at", None)
    p.pop("name_norm", None)
    out = shape(p, principal)
    out["memberships"] = members
    out["coverage_periods"] = periods
    out["covered_on"] = on
    out["covered"] = any(c["start_date"] <= on <= c["end_date"] for c in periods)
    return out


def check_person_scope(engine: Engine, principal: Principal, person_id: int) -> None:
    """403 when ``person_id`` lives outside the principal's regions (404 when unknown)."""
    if principal.all_regions:
        return
    with engine.connect() as conn:
        row = conn.execute(
            select(
                person.c.province_code,
                person.c.regency_code,
                person.c.district_code,
                person.c.village_code,
            ).where(person.c.id == person_id)
        ).first()
    _visible(principal, person_id, row)


def _visible(principal: Principal, person_id: int, row: Any) -> dict[str, Any]:
    """``row`` (a person's columns, at least the region codes) as a dict; 404 when there is
    no such person, 403 when they live outside the principal's regions."""
    if row is None:
        raise NotFound(
            "person_not_found",
            f"Orang dengan id {person_id} tidak ada.",
            f"No person with id {person_id}.",
            person_id=person_id,
        )
    found = dict(row._mapping)
    if not principal.sees_region(found):
        raise Forbidden(
            "person_out_of_region",
            "Orang ini berada di luar wilayah kerja Anda.",
            "This person lives outside your regions.",
            person_id=person_id,
        )
    return found


def ids_in_scope(engine: Engine, principal: Principal, person_ids: list[int]) -> set[int]:
    """Which of ``person_ids`` the principal may see (all of them for unscoped users)."""
    if principal.all_regions or not person_ids:
        return set(person_ids)
    scope = scope_clause(principal)
    out: set[int] = set()
    with engine.connect() as conn:
        for i in range(0, len(person_ids), 500):
            chunk = person_ids[i : i + 500]
            q = select(person.c.id).where(person.c.id.in_(chunk))
            if scope is not None:
                q = q.where(scope)
            out.update(int(r[0]) for r in conn.execute(q))
    return out
