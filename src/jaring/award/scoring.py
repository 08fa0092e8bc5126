"""Weighted scores, juror contributions, spread and ranking: pure arithmetic on exact
fractions (no binary floats), rounded only for display (2 decimals, half up).

For a candidate, a criterion earns ``points / scale max`` of its weight. Evidence criteria
give the same points for every juror. Jury criteria take the mean over the jurors who have
*submitted* (drafts never count), so the total is::

    total = sum over evidence criteria (weight x points/max)
          + sum over jurors j of contribution_j,
    contribution_j = sum over jury criteria (weight x points_j/max) / number of jurors

Each juror's own total (evidence part + that juror's jury part, as if they judged alone)
gives the spread between jurors: ``max - min`` and the population standard deviation.
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any

Q = Decimal("0.01")


def show(x: Fraction | None) -> Decimal | None:
    """An exact fraction as a Decimal rounded half up to 2 places (for people to read)."""
    if x is None:
        return None
    return (Decimal(x.numerator) / Decimal(x.denominator)).quantize(Q, ROUND_HALF_UP)


def _frac(d: Decimal) -> Fraction:
    return Fraction(str(d))


def candidate_result(
    rubric: dict[str, Any],
    evidence: dict[str, int],
    jury: dict[str, dict[str, int]],
) -> dict[str, Any]:
    """Score one candidate.

    ``evidence``: criterion -> points (evidence criteria); ``jury``: juror code -> criterion ->
    points, submitted scores only. Exact values are kept under ``_exact`` for ranking.
    """
    crit_rows = []
    evidence_part = Fraction(0)
    jury_crits = [c for c in rubric["criteria"] if c["scored_by"] == "jury"]
    jurors = sorted(jury)
    n = len(jurors)
    per_criterion_exact: dict[str, Fraction] = {}
    for c in rubric["criteria"]:
        w = _frac(Decimal(str(c["weight_pct"])))
        top = c["scale"]["max"]
        if c["scored_by"] == "evidence":
            pts = evidence.get(c["code"])
            got = w * Fraction(pts or 0, top)
            evidence_part += got
            per_criterion_exact[c["code"]] = got
            crit_rows.append(
                {
                    "criterion": c["code"],
                    "scored_by": "evidence",
                    "weight_pct": Decimal(str(c["weight_pct"])),
                    "points": pts,
                    "max": top,
                    "missing": pts is None,
                    "score": show(got),
                }
            )
        else:
            pts_list = [jury[j].get(c["code"]) for j in jurors]
            mean = Fraction(sum(p or 0 for p in pts_list), n) if n else Fraction(0)
            got = w * mean / top
            per_criterion_exact[c["code"]] = got
            crit_rows.append(
                {
                    "criterion": c["code"],
                    "scored_by": "jury",
                    "weight_pct": Decimal(str(c["weight_pct"])),
                    "mean_points": show(mean) if n else None,
                    "max": top,
                    "missing": n == 0,
                    "score": show(got),
                }
            )
    juror_rows: list[dict[str, Any]] = []
    contributions: list[Fraction] = []
    own_totals: list[Fraction] = []
    for j in jurors:
        own = sum(
            (
                _frac(Decimal(str(c["weight_pct"])))
                * Fraction(jury[j].get(c["code"], 0), c["scale"]["max"])
                for c in jury_crits
            ),
            Fraction(0),
        )
        own_totals.append(evidence_part + own)
        juror_rows.append(
            {
                "juror": j,
                "points": {c["code"]: jury[j].get(c["code"]) for c in jury_crits},
                "contribution": show(own / n),
                "own_total": show(evidence_part + own),
            }
        )
        contributions.append(own / n)
    jury_part = sum(contributions, Fraction(0))
    total = evidence_part + jury_part
    spread = (max(own_totals) - min(own_totals)) if own_totals else None
    if own_totals:
        mean_own = sum(own_totals, Fraction(0)) / len(own_totals)
        var = sum(((t - mean_own) ** 2 for t in own_totals), Fraction(0)) / len(own_totals)
        stdev = Decimal(math.sqrt(var)).quantize(Q, ROUND_HALF_UP)
    else:
        stdev = None
    return {
        "total": show(total),
        "evidence_part": show(evidence_part),
        "jury_part": show(jury_part),
        "jurors_submitted": n,
        "complete": n > 0 and not any(r["missing"] for r in crit_rows),
        "criteria": crit_rows,
        "jurors": juror_rows,
        "spread": {"range": show(spread), "stdev": stdev},
        "_exact": {
            "total": total,
            "jury_part": jury_part,
            "criteria": per_criterion_exact,
            "spread": spread if spread is not None else Fraction(0),
        },
    }


def sort_key(rubric: dict[str, Any], result: dict[str, Any]) -> tuple:
    """Larger is better on every element (spread negated): total, then the tie-breaks."""
    ex = result["_exact"]
    key: list[Any] = [ex["total"]]
    by_weight = sorted(
        rubric["criteria"], key=lambda c: (-Decimal(str(c["weight_pct"])), c["code"])
    )
    for tb in rubric.get("tie_break", []):
        if tb == "jury_part":
            key.append(ex["jury_part"])
        elif tb == "criteria_by_weight":
            key.extend(ex["criteria"][c["code"]] for c in by_weight)
        elif tb == "spread":
            key.append(-ex["spread"])
    return tuple(key)


def rank(rubric: dict[str, Any], results: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Order candidates best first and number them; candidates equal on the total and every
    tie-break share a rank (1, 2, 2, 4). ``decided_by`` names what separated a candidate
    from the one just above it (``total`` or a tie-break), ``tie`` when nothing did."""
    keyed = sorted(((sort_key(rubric, r), r) for r in results), key=lambda kr: kr[0], reverse=True)
    names = ["total"]
    for tb in rubric.get("tie_break", []):
        if tb == "criteria_by_weight":
            by_weight = sorted(
                rubric["criteria"], key=lambda c: (-Decimal(str(c["weight_pct"])), c["code"])
            )
            names.extend(f"criterion:{c['code']}" for c in by_weight)
        else:
            names.append(tb)
    out = []
    prev_key = None
    decided: str | None
    for i, (key, r) in enumerate(keyed):
        if prev_key is not None and key == prev_key:
            rank_no = out[-1]["rank"]
            decided = "tie"
        else:
            rank_no = i + 1
            decided = None
            if prev_key is not None:
                decided = next(names[k] for k in range(len(key)) if key[k] != prev_key[k])
        row = {k: v for k, v in r.items() if k != "_exact"}
        out.append({"rank": rank_no, "decided_by": decided, **row})
        prev_key = key
    return out
