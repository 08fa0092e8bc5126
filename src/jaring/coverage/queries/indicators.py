"""The coverage indicators of a region on a date, the national view, and the rows behind a
figure. What the CLI, the pages, the API, the reports and the award read.

Every query takes the actor: it needs ``coverage.read``, and a region outside the actor's
regions is refused (``region_out_of_scope``) before anything is counted, so the CLI, the API
and the pages refuse alike.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

import polars as pl
from sqlalchemy import Connection, Engine

from jaring.access import Actor
from jaring.coverage import errors
from jaring.coverage import indicators as ind
from jaring.coverage.indicators import AreaCount, Count, TargetGap
from jaring.coverage.queries import covered as sql
from jaring.coverage.queries import entered
from jaring.coverage.queries.money import BenefitsPaid, Spending, benefits_paid, spending
from jaring.coverage.regions import CHILD_KEY, COLUMN_BY_LEVEL, descendants, resolve
from jaring.i18n import _
from jaring.progress import SILENT, Progress
from jaring.registry.regions import population, regions


@dataclass(frozen=True)
class Region:
    code: str
    name: str
    level: int  # 1 province, 2 regency/city, 3 district, 4 village


@dataclass(frozen=True)
class Denominator:
    """What the ratio is taken of: the entered working population (``kind``
    ``working_population``) or, for a province or regency without one, the shipped total
    population (``population_fallback``), with its year, source and a label saying which."""

    value: int
    kind: str
    year: int
    source: str
    label: str


@dataclass(frozen=True)
class SegmentCount:
    value: str  # 'bpu' | 'pu'
    covered: int
    denominator: int | None  # the working population entered for the segment
    ratio: Decimal | None


@dataclass(frozen=True)
class TrendPoint:
    date: dt.date
    covered: int
    ratio: Decimal | None


@dataclass(frozen=True)
class UcjFigure:
    as_of: dt.date
    segment: str
    participants: int
    working_population: int | None
    ratio: Decimal | None
    source: str


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date


@dataclass(frozen=True)
class Money:
    """Money from 1 January to the report's date: contributions paid, the people covered on
    at least one day of it, rupiah per such person, and benefits paid."""

    period: Period
    spent: Spending
    covered_in_period: int
    spent_per_person: int | None
    benefits_paid: BenefitsPaid


@dataclass(frozen=True)
class CoverageReport:
    """Every coverage indicator of ``region`` on ``on``.

    ``covered`` counts distinct people with a coverage period containing ``on``; every
    breakdown (``by_segment`` ... ``by_desil``) and the children (``by_regency`` for a
    province, ``by_district`` for a province or regency; ``None`` where they do not apply)
    sums to it. ``ratio`` is ``covered`` over ``denominator``; ``trend`` gives the month
    ends before ``on``, then ``on``.
    """

    region: Region
    on: dt.date
    covered: int
    denominator: Denominator | None
    ratio: Decimal | None
    by_segment: list[SegmentCount]
    by_sex: list[Count]
    by_age_group: list[Count]
    by_occupation: list[Count]
    by_desil: list[Count]
    by_regency: list[AreaCount] | None
    by_district: list[AreaCount] | None
    by_village: list[AreaCount] | None
    trend: list[TrendPoint]
    target: TargetGap | None
    ucj: list[UcjFigure]
    money: Money

    @property
    def children(self) -> list[AreaCount]:
        """The areas a report draws: districts where listed, else regencies, else villages."""
        return self.by_district or self.by_regency or self.by_village or []


def check_region(actor: Actor, code: str) -> None:
    """Refuse (``region_out_of_scope``) unless ``code`` lies inside ``actor``'s regions."""
    if not actor.covers_region(code):
        raise errors.REGION_OUT_OF_SCOPE(region=code)


def _denominator(conn: Connection, region: str, level: int, year: int) -> Denominator | None:
    row = entered.denominator(conn, region, year)
    if row is not None:
        return Denominator(
            value=row.value,
            kind="working_population",
            year=row.year,
            source=row.source,
            label=_("working population (BPS)"),
        )
    if level <= 2:
        pop = population().filter(pl.col("kode") == region)
        if pop.height:
            return Denominator(
                value=int(pop.get_column("total")[0]),
                kind="population_fallback",
                year=2024,
                source=_("Dukcapil semester II 2024 (shipped with Jaring)"),
                label=_("total population, not working population: a stand-in"),
            )
    return None


def _children(cells: pl.DataFrame, code: str, level: int) -> dict[str, list[AreaCount]]:
    out: dict[str, list[AreaCount]] = {}
    for child_level in range(level + 1, 4):
        col = COLUMN_BY_LEVEL[child_level]
        children = descendants(code, child_level)
        if col in cells.columns:
            out[CHILD_KEY[child_level - 1]] = ind.by_children(cells, col, children)
        elif child_level == 2:  # province: regency from the district code
            with_reg = cells.with_columns(
                pl.col("district_code").str.slice(0, 5).alias("regency_code")
            )
            out[CHILD_KEY[1]] = ind.by_children(with_reg, "regency_code", children)
    return out


def coverage_report(
    engine: Engine,
    actor: Actor,
    region: str,
    on: dt.date,
    trend_months: int = 12,
    progress: Progress = SILENT,
) -> CoverageReport:
    """Every coverage indicator for ``region`` (a dotted code of any level; old codes are
    mapped to current ones) on ``on``, with ``trend_months`` month ends of trend.

    ``ratio`` uses the entered BPS working population when there is one, else the shipped
    population, labelled as a fallback (``denominator.kind``). Refuses: ``forbidden``
    (no ``coverage.read``), ``unknown_region``, ``region_out_of_scope``.
    """
    actor.require("coverage.read")
    code, level, name = resolve(region)
    check_region(actor, code)
    year = on.year
    year_start = dt.date(year, 1, 1)
    months = ind.month_ends(on, trend_months)[:-1]
    progress.step(_("Counting covered people"), total=len(months) + 2)
    with engine.begin() as conn:
        cells = sql.cells(conn, code, level, on)
        progress.advance()
        covered = int(cells.get_column("n").sum()) if cells.height else 0
        den = _denominator(conn, code, level, year)
        seg_den = {s: entered.denominator(conn, code, year, s) for s in ("pu", "bpu")}
        trend_counts: list[tuple[dt.date, int]] = []
        for d in months:
            trend_counts.append((d, sql.covered_count(conn, code, level, d)))
            progress.advance()
        trend_counts.append((on, covered))
        tgt = entered.target(conn, code, year)
        ucj = entered.ucj(conn, code, on)
        spent = spending(conn, code, year_start, on)
        benefits = benefits_paid(conn, code, year_start, on)
        covered_year = sql.covered_in_period(conn, code, level, year_start, on)
        progress.advance()

    den_value = den.value if den else None
    by_segment = []
    for row in ind.breakdown(cells, "segment", ["bpu", "pu"]):
        seg = seg_den.get(str(row.value))
        seg_value = seg.value if seg else None
        by_segment.append(
            SegmentCount(str(row.value), row.covered, seg_value, ind.ratio(row.covered, seg_value))
        )
    children = _children(cells, code, level)
    return CoverageReport(
        region=Region(code, name, level),
        on=on,
        covered=covered,
        denominator=den,
        ratio=ind.ratio(covered, den_value),
        by_segment=by_segment,
        by_sex=ind.breakdown(cells, "sex", ["L", "P"]),
        by_age_group=ind.breakdown(cells, "age_group", ind.age_groups()),
        by_occupation=sorted(
            ind.breakdown(cells, "occupation"), key=lambda r: (-r.covered, str(r.value))
        ),
        by_desil=ind.breakdown(cells, "desil", list(range(1, 11))),
        by_regency=children.get("by_regency"),
        by_district=children.get("by_district"),
        by_village=children.get("by_village"),
        trend=[TrendPoint(d, n, ind.ratio(n, den_value)) for d, n in trend_counts],
        target=ind.target_gap(covered, den_value, tgt),
        ucj=[
            UcjFigure(
                as_of=u.as_of,
                segment=u.segment,
                participants=u.participants,
                working_population=u.working_population,
                ratio=ind.ratio(u.participants, u.working_population),
                source=u.source,
            )
            for u in ucj
        ],
        money=Money(
            period=Period(year_start, on),
            spent=spent,
            covered_in_period=covered_year,
            spent_per_person=ind.per_person(spent.total, covered_year),
            benefits_paid=benefits,
        ),
    )


def covered_by_region(engine: Engine, actor: Actor, on: dt.date, level: int = 2) -> pl.DataFrame:
    """Covered people on ``on`` for every region at ``level`` (1 province .. 4 village) in
    the store: ``code``, ``name``, ``bpu``, ``pu``, ``covered``; the national view an analyst
    at a ministry starts from. Only people inside the actor's regions are counted; regions
    with nobody covered are absent. Refuses ``bad_level`` and ``forbidden``."""
    actor.require("coverage.read")
    if level not in COLUMN_BY_LEVEL:
        raise errors.BAD_LEVEL(field="level", value=level)
    with engine.begin() as conn:
        df = sql.by_region(conn, level, on, actor)
    if df.height == 0:
        return pl.DataFrame(
            schema={
                "code": pl.String,
                "name": pl.String,
                "bpu": pl.Int64,
                "pu": pl.Int64,
                "covered": pl.Int64,
            }
        )
    names = regions().select(pl.col("kode").alias("code"), pl.col("nama").alias("name"))
    return (
        df.with_columns(pl.col("bpu", "pu", "covered").cast(pl.Int64))
        .join(names, on="code", how="left")
        .select("code", "name", "bpu", "pu", "covered")
    )


def trace(
    engine: Engine,
    actor: Actor,
    region: str,
    on: dt.date,
    segment: str | None = None,
    sex: str | None = None,
    age_group: str | None = None,
    desil: int | None = None,
    occupation: str | None = None,
) -> pl.DataFrame:
    """The rows behind a figure: one row per coverage period that makes a person covered on
    ``on`` (``coverage_period_id``, ``membership_id``, ``person_id``, ``program_id`` ...),
    for the people the figure counts. Its distinct ``person_id`` count equals the figure.
    Ids only: no names or NIKs. Refuses as :func:`coverage_report`."""
    actor.require("coverage.read")
    code, level, _name = resolve(region)
    check_region(actor, code)
    with engine.begin() as conn:
        ppl = sql.people(conn, code, level, on)
        filters = {
            "segment": segment,
            "sex": sex,
            "age_group": age_group,
            "desil": desil,
            "occupation": occupation,
        }
        for col, value in filters.items():
            if value is not None and ppl.height:
                ppl = ppl.filter(pl.col(col) == value)
        ids = ppl.get_column("person_id").to_list() if ppl.height else []
        periods = sql.periods_of(conn, [int(i) for i in ids], on)
    if ppl.height == 0:
        return periods
    attrs = ppl.select(
        pl.col("person_id").cast(pl.Int64),
        "district_code",
        pl.col("segment").alias("person_segment"),
    )
    return periods.with_columns(pl.col("person_id").cast(pl.Int64)).join(
        attrs, on="person_id", how="left"
    )
