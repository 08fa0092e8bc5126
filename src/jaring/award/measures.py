"""The measurable criteria, filled from a region's own Jaring data with the evidence behind
each value. Pure: takes coverage reports (:class:`~jaring.coverage.queries.CoverageReport`)
and budget figures, returns a :class:`Measure` (the value as text, and the figures behind it
as ``detail``, stored with the evidence) or ``None`` where the data cannot say.

Coverage uses, in order: UCJ as BPJS TK reported it for the segment (all participants, the
official figure), else Jaring's own count of covered people over the entered working
population (only the people Jaring knows, so a floor), else over the shipped total
population (labelled as a fallback). Every value says which one it used.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from jaring.coverage.indicators import ratio
from jaring.coverage.queries import CoverageReport

JSON = dict[str, Any]  # figures stored with the evidence, as JSON


@dataclass(frozen=True)
class Measure:
    """A criterion's value (a ratio, rupiah or a level, as text) and what it rests on."""

    value: str
    detail: JSON


@dataclass(frozen=True)
class BudgetLine:
    """A program that a region funds from its APBD, and its budget (whole rupiah)."""

    id: int
    name: str
    budget: int


def _coverage(report: CoverageReport, segment: str) -> Measure | None:
    for u in report.ucj:
        if u.segment == segment and u.working_population:
            return Measure(
                str(u.ratio),
                {
                    "basis": "ucj_bpjs",
                    "participants": u.participants,
                    "working_population": u.working_population,
                    "as_of": u.as_of,
                    "source": u.source,
                },
            )
    seg = next((s for s in report.by_segment if s.value == segment), None)
    if seg is None:
        return None
    den = seg.denominator
    basis = "jaring_segment_denominator"
    den_source = "penduduk bekerja per segmen"
    if den is None and report.denominator is not None:
        den = report.denominator.value
        basis = f"jaring_{report.denominator.kind}"
        den_source = report.denominator.source
    if not den:
        return None
    code, on = report.region.code, report.on
    return Measure(
        str(ratio(seg.covered, den)),
        {
            "basis": basis,
            "covered": seg.covered,
            "denominator": den,
            "denominator_source": den_source,
            "on": on,
            "trace": f"jaring coverage report --region {code} --on {on} --trace FILE",
        },
    )


def coverage_pu(end: CoverageReport) -> Measure | None:
    """Coverage of wage earners (PU) on the report's date."""
    return _coverage(end, "pu")


def coverage_bpu(end: CoverageReport) -> Measure | None:
    """Coverage of non-wage workers (BPU) on the report's date."""
    return _coverage(end, "bpu")


def coverage_growth(end: CoverageReport, start: CoverageReport) -> Measure | None:
    """Rise in the coverage ratio over the year, in ratio points, on the end year's
    denominator for both dates (so a new denominator does not pass for growth)."""
    den = end.denominator
    if den is None:
        return None
    r_end = ratio(end.covered, den.value)
    r_start = ratio(start.covered, den.value)
    assert r_end is not None and r_start is not None
    return Measure(
        str(r_end - r_start),
        {
            "basis": f"jaring_{den.kind}",
            "covered_start": start.covered,
            "covered_end": end.covered,
            "start": start.on,
            "end": end.on,
            "denominator": den.value,
            "denominator_source": den.source,
        },
    )


def budget_per_worker(programs: list[BudgetLine], end: CoverageReport, year: int) -> Measure | None:
    """APBD rupiah budgeted for contributions in ``year`` (the sum over ``programs``) per
    person of the denominator."""
    budget = sum(p.budget for p in programs)
    den = end.denominator
    if den is None or budget <= 0:
        return None
    per = (Decimal(budget) / Decimal(den.value)).quantize(Decimal(1), ROUND_HALF_UP)
    spent = end.money.spent
    return Measure(
        str(per),
        {
            "budget": budget,
            "year": year,
            "programs": programs,
            "denominator": den.value,
            "denominator_source": den.source,
            "spent": spent.total if spent.available else None,
        },
    )


def head_attendance(attended: bool | None, scheduled_at: dt.datetime | None) -> Measure | None:
    """Whether the head of region attended the interview in person (``hadir``)."""
    if attended is None:
        return None
    return Measure("hadir" if attended else "tidak_hadir", {"interview": scheduled_at})
