"""What the Pemda reads: claims paid by month, area and program; benefits received by families
against contributions paid; and the expected claims of a program from its members' ages.

Contributions are the payments recorded by billing (``payment`` of the program's invoices).
When a program has no recorded payments (billing not run yet, or history imported as coverage
only), they are computed from its coverage periods through ``jaring.law.contributions`` at each
paid month, and the result says so (``contributions.source``). An actor limited to regions sees
the claims and members of their regions only; as invoices are paid for a whole program, their
contributions are always those of their regions' coverage periods through the law.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import polars as pl
from sqlalchemy import Connection, Engine, Select, and_, func, or_, select

from jaring.access import Actor
from jaring.claims import forecast as fc
from jaring.dates import check_year
from jaring.i18n import _
from jaring.law import benefits, contributions
from jaring.programs import queries as programs
from jaring.registry.regions import name_of
from jaring.store.bulk import read_frame
from jaring.store.dialect import date_columns
from jaring.store.tables.claims import claim
from jaring.store.tables.programs import coverage_period, invoice, membership, payment
from jaring.store.tables.programs import program as program_table
from jaring.store.tables.registry import person


@dataclass(frozen=True)
class ProgramRef:
    id: int
    name: str
    fiscal_year: int | None


@dataclass(frozen=True)
class StatusTotal:
    count: int
    amount: int  # the entitlements of the claims in that status


@dataclass(frozen=True)
class PaidTotals:
    count: int
    amount: int
    families: int  # people whose family received a payment


@dataclass(frozen=True)
class MonthTotal:
    month: str  # YYYY-MM
    count: int
    amount: int


@dataclass(frozen=True)
class DistrictTotal:
    district: str | None
    name: str | None
    count: int
    amount: int


@dataclass(frozen=True)
class ProgramTotal:
    program: str
    count: int
    amount: int


@dataclass(frozen=True)
class TypeTotal:
    type: str
    count: int
    amount: int


@dataclass(frozen=True)
class Contributions:
    amount: int
    source: str  # payments | coverage_periods_via_law | none
    person_months: int | None = None  # with coverage_periods_via_law


@dataclass(frozen=True)
class Summary:
    """Claims and benefits for a program (or all), optionally one calendar year of payment."""

    program: ProgramRef | None
    year: int | None
    claims: int
    by_status: dict[str, StatusTotal]
    paid: PaidTotals
    paid_by_month: list[MonthTotal]
    paid_by_district: list[DistrictTotal]
    paid_by_program: list[ProgramTotal]
    paid_by_type: list[TypeTotal]
    contributions: Contributions
    benefits_per_rupiah: float | None  # paid / contributions, 2 decimals


@dataclass(frozen=True)
class TableInfo:
    name: str | None
    reference: str | None
    confidence: str | None
    provenance: str | None
    caveat: str | None


@dataclass(frozen=True)
class Forecast(fc.Deaths):
    """Expected deaths and JKM benefits of a program's members in a year."""

    program: ProgramRef
    year: int
    exposure_basis: str  # coverage_periods | whole_year_assumed | none
    table: TableInfo
    jkm_per_death: int
    expected_jkm_benefits: int
    expected_jkm_range: list[int]
    note: str


def _year_bounds(year: int | None) -> tuple[dt.date, dt.date]:
    if year is None:
        return dt.date(1900, 1, 1), dt.date(9999, 12, 31)
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


def _scoped(q: Select[Any], actor: Actor) -> Select[Any]:
    """``q`` (which joins ``person``) kept to the actor's regions."""
    region = actor.region_clause(person)
    return q if region is None else q.where(region)


def _money(frame: pl.DataFrame, key: str) -> list[tuple[Any, int, int]]:
    """``(key, count, amount paid)`` per value of ``key``, in its order."""
    if frame.height == 0:
        return []
    out = (
        frame.group_by(key)
        .agg(pl.len().alias("count"), pl.col("paid_amount").sum().alias("amount"))
        .sort(key)
    )
    return [(r[key], int(r["count"]), int(r["amount"])) for r in out.to_dicts()]


def _contributions(
    conn: Connection, actor: Actor, program_id: int | None, lo: dt.date, hi: dt.date
) -> Contributions:
    if actor.all_regions:
        q = (
            select(func.coalesce(func.sum(payment.c.amount), 0), func.count(payment.c.id))
            .select_from(payment.join(invoice, invoice.c.id == payment.c.invoice_id))
            .where(invoice.c.month >= lo, invoice.c.month <= hi)
        )
        if program_id is not None:
            q = q.where(invoice.c.program_id == program_id)
        amount, n = conn.execute(q).one()
        if int(n or 0) > 0:
            return Contributions(int(amount), "payments")
    q = (
        select(
            coverage_period.c.start_date,
            coverage_period.c.end_date,
            membership.c.segment,
            membership.c.income_base,
            membership.c.risk,
            membership.c.with_jht,
            program_table.c.with_jp,
        )
        .select_from(
            coverage_period.join(membership, membership.c.id == coverage_period.c.membership_id)
            .join(person, person.c.id == coverage_period.c.person_id)
            .join(program_table, program_table.c.id == coverage_period.c.program_id)
        )
        .where(coverage_period.c.end_date >= lo, coverage_period.c.start_date <= hi)
    )
    if program_id is not None:
        q = q.where(coverage_period.c.program_id == program_id)
    periods = read_frame(conn, _scoped(q, actor))
    if periods.height == 0:
        return Contributions(0, "none")
    months = (
        date_columns(periods, "start_date", "end_date")
        .with_columns(
            pl.col("start_date").clip(lower_bound=lo).dt.month_start().alias("a"),
            pl.col("end_date").clip(upper_bound=hi).dt.month_start().alias("b"),
        )
        .with_columns(pl.date_ranges("a", "b", interval="1mo").alias("month"))
        .explode("month")
        .select(
            pl.col("segment"),
            pl.when(pl.col("segment") == "bpu").then(pl.col("income_base")).alias("income"),
            pl.when(pl.col("segment") == "pu").then(pl.col("income_base")).alias("wage"),
            pl.col("risk"),
            pl.col("with_jht").cast(pl.Boolean).alias("jht"),
            pl.col("with_jp").cast(pl.Boolean).alias("jp"),  # the program's package choice
            pl.col("month"),
        )
    )
    total = contributions.frame(months)["total"].sum()
    return Contributions(int(total), "coverage_periods_via_law", months.height)


CLAIM_SCHEMA = {
    "status": pl.String,
    "type": pl.String,
    "amount": pl.Int64,
    "paid_on": pl.Date,
    "paid_amount": pl.Int64,
    "person_id": pl.Int64,
    "district_code": pl.String,
    "program": pl.String,
}


def summary(
    engine: Engine, actor: Actor, *, program: str | int | None = None, year: int | None = None
) -> Summary:
    """Claims and benefits for a program (by id or name; default all), optionally one
    calendar year of payment: claims by status; paid claims by month, district, program and
    type; the families paid; contributions and the benefits returned per rupiah of them.
    Refused: ``forbidden`` without ``claim.read``, ``program_not_found``."""
    actor.require("claim.read")
    lo, hi = _year_bounds(year)
    with engine.connect() as conn:
        found = programs.find_program(conn, program) if program is not None else None
        prog = ProgramRef(found.id, found.name, found.fiscal_year) if found else None
        pid = found.id if found else None
        q = (
            select(
                claim.c.id,
                claim.c.type,
                claim.c.status,
                claim.c.amount,
                claim.c.paid_on,
                claim.c.paid_amount,
                claim.c.person_id,
                claim.c.program_id,
                claim.c.event_date,
                claim.c.eligible,
                person.c.district_code,
                program_table.c.name.label("program"),
            )
            .select_from(
                claim.join(person, person.c.id == claim.c.person_id).join(
                    program_table, program_table.c.id == claim.c.program_id
                )
            )
            .where(
                or_(
                    and_(claim.c.event_date >= lo, claim.c.event_date <= hi),
                    and_(claim.c.paid_on >= lo, claim.c.paid_on <= hi),
                )
            )
        )
        if pid is not None:
            q = q.where(claim.c.program_id == pid)
        claims = read_frame(conn, _scoped(q, actor))
        contrib = _contributions(conn, actor, pid, lo, hi)
    if claims.height == 0:
        claims = pl.DataFrame(schema=CLAIM_SCHEMA)
    paid = date_columns(claims.filter(pl.col("status") == "paid"), "paid_on").with_columns(
        pl.col("paid_amount").cast(pl.Int64)
    )
    paid = paid.filter(pl.col("paid_on").is_between(lo, hi))
    by_status = {
        r["status"]: StatusTotal(int(r["count"]), int(r["amount"] or 0))
        for r in claims.group_by("status")
        .agg(pl.len().alias("count"), pl.col("amount").cast(pl.Int64).sum())
        .to_dicts()
    }
    paid_total = int(paid["paid_amount"].sum() or 0)
    months = paid.with_columns(pl.col("paid_on").dt.strftime("%Y-%m").alias("month"))
    districts = paid.rename({"district_code": "district"})
    return Summary(
        program=prog,
        year=year,
        claims=int(claims.height),
        by_status=by_status,
        paid=PaidTotals(
            int(paid.height), paid_total, int(paid["person_id"].n_unique()) if paid.height else 0
        ),
        paid_by_month=[MonthTotal(*r) for r in _money(months, "month")],
        paid_by_district=[
            DistrictTotal(d, name_of(d) if d else None, n, amount)
            for d, n, amount in _money(districts, "district")
        ],
        paid_by_program=[ProgramTotal(*r) for r in _money(paid, "program")],
        paid_by_type=[TypeTotal(*r) for r in _money(paid, "type")],
        contributions=contrib,
        benefits_per_rupiah=round(paid_total / contrib.amount, 2) if contrib.amount else None,
    )


def forecast(
    engine: Engine,
    actor: Actor,
    *,
    program: str | int,
    year: int | None = None,
    mortality: str | Path | None = None,
) -> Forecast:
    """Expected deaths and JKM benefits for a program's members (by id or name) in ``year``
    (default: the program's fiscal year), from their ages and sexes and a mortality table
    (default TMI IV 2019; ``mortality``: a CSV ``age,qx_l,qx_p``). Members are weighed by
    the part of the year their coverage periods cover; a planned program without periods
    counts every member for the whole year (``exposure_basis`` says which).

    Refused: ``forbidden`` without ``claim.read``, ``program_not_found``, and the mortality
    table's refusals (:func:`jaring.claims.forecast.load_table`).
    """
    actor.require("claim.read")
    if year is not None:
        check_year(year)
    table, meta = fc.load_table(mortality)
    with engine.connect() as conn:
        found = programs.find_program(conn, program)
        pid, segment = found.id, found.segment
        prog = ProgramRef(found.id, found.name, found.fiscal_year)
        year = year or int(found.fiscal_year)
        lo, hi = _year_bounds(year)
        members = read_frame(
            conn,
            _scoped(
                select(
                    membership.c.id.label("membership_id"),
                    person.c.birth_date,
                    person.c.sex,
                    membership.c.start_month,
                    membership.c.end_month,
                )
                .select_from(membership.join(person, person.c.id == membership.c.person_id))
                .where(membership.c.program_id == pid),
                actor,
            ),
        )
        periods = read_frame(
            conn,
            _scoped(
                select(
                    coverage_period.c.membership_id,
                    coverage_period.c.start_date,
                    coverage_period.c.end_date,
                )
                .select_from(
                    coverage_period.join(person, person.c.id == coverage_period.c.person_id)
                )
                .where(
                    coverage_period.c.program_id == pid,
                    coverage_period.c.end_date >= lo,
                    coverage_period.c.start_date <= hi,
                ),
                actor,
            ),
        )
    mid = dt.date(year, 7, 1)
    if members.height == 0:
        frame = pl.DataFrame(
            schema={"age": pl.Int32, "sex": pl.String, "exposure_years": pl.Float64}
        )
        basis = "none"
    else:
        members = date_columns(members, "birth_date")
        if periods.height:
            exposure = (
                date_columns(periods, "start_date", "end_date")
                .with_columns(
                    pl.col("start_date").clip(lower_bound=lo).alias("a"),
                    pl.col("end_date").clip(upper_bound=hi).alias("b"),
                )
                .group_by("membership_id")
                .agg(
                    (((pl.col("b") - pl.col("a")).dt.total_days() + 1).sum() / 365.25).alias(
                        "exposure_years"
                    )
                )
            )
            basis = "coverage_periods"
        else:  # a planned program: every member counted for the whole year
            exposure = members.select("membership_id", pl.lit(1.0).alias("exposure_years"))
            basis = "whole_year_assumed"
        frame = members.join(exposure, on="membership_id", how="inner").select(
            (
                pl.lit(mid).dt.year()
                - pl.col("birth_date").dt.year()
                - (
                    (pl.col("birth_date").dt.month() > 7)
                    | ((pl.col("birth_date").dt.month() == 7) & (pl.col("birth_date").dt.day() > 1))
                ).cast(pl.Int32)
            )
            .cast(pl.Int32)
            .alias("age"),
            pl.col("sex"),
            pl.col("exposure_years").cast(pl.Float64),
        )
    deaths = fc.expected_deaths(frame, table)
    per_death = int(benefits.jkm(mid, segment=segment).total)
    return Forecast(
        **vars(deaths),
        program=prog,
        year=year,
        exposure_basis=basis,
        table=TableInfo(
            **{k: meta.get(k) for k in ("name", "reference", "confidence", "provenance", "caveat")}
        ),
        jkm_per_death=per_death,
        expected_jkm_benefits=round(deaths.expected_deaths * per_death),
        expected_jkm_range=[int(n * per_death) for n in deaths.range_95],
        note=_(
            "JKM deaths only (not work accidents); deaths in the first 3 months of a BPU "
            "membership are paid less, so the amount is an upper bound on that account."
        ),
    )
