"""The measurable criteria, filled from a region's own Jaring data with the evidence behind
each value. Pure: takes coverage reports (from :func:`jaring.coverage.service.coverage_report`)
and budget figures, returns ``{measure: {"value": str, "detail": {...}}}``.

Coverage uses, in order: UCJ as BPJS TK reported it for the segment (all participants, the
official figure), else Jaring's own count of covered people over the entered working
population (only the people Jaring knows, so a floor), else over the shipped total
population (labelled as a fallback). Every value says which one it used.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from jaring.coverage.indicators import ratio


def _coverage(report: dict[str, Any], segment: str) -> dict[str, Any] | None:
    for u in report.get("ucj", []):
        if u["segment"] == segment and u["working_population"]:
            return {
                "value": str(u["ratio"]),
                "detail": {
                    "basis": "ucj_bpjs",
                    "participants": u["participants"],
                    "working_population": u["working_population"],
                    "as_of": u["as_of"],
                    "source": u["source"],
                },
            }
    seg = next((s for s in report["by_segment"] if s["value"] == segment), None)
    if seg is None:
        return None
    den = seg.get("denominator")
    basis = "jaring_segment_denominator"
    den_source = "penduduk bekerja per segmen"
    if den is None and report["denominator"] is not None:
        den = report["denominator"]["value"]
        basis = f"jaring_{report['denominator']['kind']}"
        den_source = report["denominator"]["source"]
    if not den:
        return None
    return {
        "value": str(ratio(seg["covered"], den)),
        "detail": {
            "basis": basis,
            "covered": seg["covered"],
            "denominator": den,
            "denominator_source": den_source,
            "on": report["on"],
            "trace": f"jaring coverage report --region {report['region']['code']} --on {report['on']} --trace FILE",
        },
    }


def coverage_pu(end: dict[str, Any]) -> dict[str, Any] | None:
    return _coverage(end, "pu")


def coverage_bpu(end: dict[str, Any]) -> dict[str, Any] | None:
    return _coverage(end, "bpu")


def coverage_growth(end: dict[str, Any], start: dict[str, Any]) -> dict[str, Any] | None:
    """Rise in the coverage ratio over the year, in ratio points, on the end year's
    denominator for both dates (so a new denominator does not pass for growth)."""
    den = end["denominator"]
    if den is None:
        return None
    r_end = ratio(end["covered"], den["value"])
    r_start = ratio(start["covered"], den["value"])
    assert r_end is not None and r_start is not None
    return {
        "value": str(r_end - r_start),
        "detail": {
            "basis": f"jaring_{den['kind']}",
            "covered_start": start["covered"],
            "covered_end": end["covered"],
            "start": start["on"],
            "end": end["on"],
            "denominator": den["value"],
            "denominator_source": den["source"],
        },
    }


def budget_per_worker(
    budget: int, programs: list[dict[str, Any]], end: dict[str, Any], year: int
) -> dict[str, Any] | None:
    """APBD rupiah budgeted for contributions in ``year`` per person of the denominator."""
    den = end["denominator"]
    if den is None or budget <= 0:
        return None
    per = (Decimal(budget) / Decimal(den["value"])).quantize(Decimal(1), ROUND_HALF_UP)
    spent = end.get("money", {}).get("spent", {})
    return {
        "value": str(per),
        "detail": {
            "budget": budget,
            "year": year,
            "programs": programs,
            "denominator": den["value"],
            "denominator_source": den["source"],
            "spent": spent.get("total") if spent.get("available") else None,
        },
    }


def head_attendance(attended: bool | None, scheduled_at: dt.datetime | None) -> dict | None:
    if attended is None:
        return None
    return {
        "value": "hadir" if attended else "tidak_hadir",
        "detail": {"interview": scheduled_at},
    }
