"""The Pemda's summary as a few sentences a mayor can read, in the current language (the CLI's
``jaring claims summary`` and the demo say the same), and the demo step's own lines."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from jaring import formatting, labels
from jaring.i18n import N_, _

SOURCES = {
    "payments": N_("recorded payments"),
    "coverage_periods_via_law": N_("computed from coverage periods"),
    "none": N_("none yet"),
}


def summary_lines(s: Mapping[str, Any]) -> list[str]:
    """``s``: a :class:`~jaring.claims.queries.Summary` as JSON (``jaring.jsonable``), or
    any mapping with its ``paid``, ``contributions``, ``benefits_per_rupiah``,
    ``paid_by_month``, ``paid_by_type``, ``paid_by_district`` and ``by_status``."""
    paid, contrib = s["paid"], s["contributions"]
    rp = formatting.rupiah
    source = SOURCES[contrib["source"]]
    lines = [
        _(
            "For %(contributions)s of contributions (%(source)s), %(families)s families "
            "received %(paid)s from %(claims)s claims.",
            contributions=rp(contrib["amount"]),
            source=_(source),
            families=paid["families"],
            paid=rp(paid["amount"]),
            claims=paid["count"],
        )
    ]
    if s.get("benefits_per_rupiah") is not None:
        lines.append(
            _(
                "Every Rp1 of contributions returned Rp%(ratio)s to families.",
                ratio=formatting.number(s["benefits_per_rupiah"], digits=2),
            )
        )
    if s.get("paid_by_month"):
        months = ", ".join(
            f"{formatting.month(r['month'] + '-01')}: {formatting.number(r['count'])}"
            for r in s["paid_by_month"]
        )
        lines.append("  " + _("Paid per month: %(months)s", months=months))
    for row in s["paid_by_type"]:
        lines.append(
            "  "
            + _(
                "%(what)s: %(n)s claims, %(amount)s",
                what=labels.label("claim_type", row["type"]),
                n=formatting.number(row["count"]),
                amount=rp(row["amount"]),
            )
        )
    for row in s["paid_by_district"]:
        lines.append(
            "  "
            + _(
                "%(what)s: %(n)s claims, %(amount)s",
                what=row["name"] or row["district"],
                n=formatting.number(row["count"]),
                amount=rp(row["amount"]),
            )
        )
    waiting = sum(v["count"] for k, v in s["by_status"].items() if k not in ("paid", "rejected"))
    if waiting:
        lines.append(_("%(n)s claims in progress.", n=waiting))
    return lines


def demo_lines(summary: Mapping[str, Any]) -> list[str]:
    """The demo step's summary (:func:`jaring.demo.claims.run`) as lines."""
    rp = formatting.rupiah
    if "skipped" in summary:
        return [_("Claims: skipped (%(why)s)", why=summary["skipped"])]
    lines = [
        _("Claims"),
        "  "
        + _(
            "%(claims)s claims filed in %(members)s members' year; %(deaths)s deaths drawn from "
            "%(table)s (expected %(expected)s; insured-lives table, a floor for informal "
            "workers).",
            claims=summary["claims_filed"],
            members=formatting.number(summary["members"]),
            deaths=summary["deaths_drawn"],
            table=summary["mortality_table"],
            expected=formatting.number(summary["expected_deaths"]),
        ),
    ]
    lines += ["  " + line for line in summary_lines(summary)]
    e = summary["early_death"]
    lines.append(
        "  "
        + _(
            "A death in the first 3 months of membership: %(amount)s (claim %(claim)s).",
            amount=rp(e["amount"]),
            claim=e["claim"],
        )
    )
    if summary["lapsed_death"]:
        d = summary["lapsed_death"]
        lines.append(
            "  "
            + _(
                "A death after the membership lapsed: refused (would have been %(amount)s; "
                "claim %(claim)s).",
                amount=rp(d["law_total"]),
                claim=d["claim"],
            )
        )
    return lines
