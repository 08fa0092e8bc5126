"""Coverage arithmetic: pure functions over the counted cells and the entered figures.

The store hands back one row per *cell* (district, village, segment, sex, age group,
occupation, desil) with the number of distinct covered people in it; every breakdown here is
a sum over those cells, so each breakdown adds up to the total by construction, and a
region's children add up to the region.

A person is counted once: across programs (distinct ``person_id``) and across segments (a
person with any wage-earner (PU) period on the date counts as PU, otherwise as BPU).
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

import polars as pl

# Age groups in years, as BPS reports the working population (15 and over), plus under 15.
AGE_EDGES = (15, 25, 35, 45, 55, 65)
UNKNOWN = "tidak diketahui"
RATIO_QUANTUM = Decimal("0.0001")  # ratios to a hundredth of a percent, half up


@dataclass(frozen=True)
class Count:
    """Covered people with one value of a breakdown (``value``: a segment, sex, age group,
    occupation or desil; ``None`` where the person has none)."""

    value: str | int | None
    covered: int


@dataclass(frozen=True)
class AreaCount:
    """Covered people in one child region (``code`` ``None``: people without a known one)."""

    code: str | None
    name: str
    covered: int


@dataclass(frozen=True)
class Target:
    """A target as entered: a ratio in basis points of the denominator, or people."""

    year: int
    ratio_bp: int | None
    people: int | None
    source: str


@dataclass(frozen=True)
class TargetGap:
    """The target in force and the distance to it (``gap_people`` 0 once met)."""

    year: int
    ratio: Decimal | None
    people: int | None
    gap_people: int | None
    met: bool | None
    source: str


def age_groups() -> list[str]:
    """The labels in order: ``<15``, ``15-24`` ... ``65+`` and unknown."""
    labels = [f"<{AGE_EDGES[0]}"]
    labels += [f"{a}-{b - 1}" for a, b in itertools.pairwise(AGE_EDGES)]
    labels += [f"{AGE_EDGES[-1]}+", UNKNOWN]
    return labels


def years_before(on: dt.date, years: int) -> dt.date:
    """``on`` minus whole years (29 February falls back to 28 February)."""
    try:
        return on.replace(year=on.year - years)
    except ValueError:
        return on.replace(year=on.year - years, day=28)


def age_cutoffs(on: dt.date) -> dict[str, dt.date]:
    """Birth-date cut-offs: a person is at least ``k`` years old on ``on`` exactly when born
    on or before ``a{k}``. Computing them here keeps the SQL free of date arithmetic, which
    every dialect writes differently."""
    return {f"a{k}": years_before(on, k) for k in AGE_EDGES}


def ratio(numerator: int | None, denominator: int | None) -> Decimal | None:
    """``numerator / denominator`` rounded half up to 4 places; ``None`` without a denominator."""
    if numerator is None or not denominator:
        return None
    return (Decimal(numerator) / Decimal(denominator)).quantize(RATIO_QUANTUM, ROUND_HALF_UP)


def breakdown(
    cells: pl.DataFrame, column: str, order: list[str] | list[int] | None = None
) -> list[Count]:
    """People per value of ``column``, summed over cells: the values of ``order`` first
    (zero where nobody has them), then any others in text order."""
    if cells.height == 0:
        sums = pl.DataFrame({column: order or [], "n": [0] * len(order or [])})
    else:
        sums = cells.group_by(column).agg(pl.col("n").sum())
    got = {row[0]: int(row[1]) for row in sums.iter_rows()}
    first: list[str | int] = list(order or [])
    keys = first + sorted((k for k in got if k not in first), key=str)
    return [Count(k, got.get(k, 0)) for k in keys]


def by_children(cells: pl.DataFrame, column: str, children: pl.DataFrame) -> list[AreaCount]:
    """People per child region, every child listed (zero where nobody is covered) and, if
    some people carry no or an unknown child code, one extra row for them."""
    if cells.height:
        sums = cells.group_by(column).agg(pl.col("n").sum())
        got = {row[0]: int(row[1]) for row in sums.iter_rows()}
    else:
        got = {}
    out = [AreaCount(code, name, got.pop(code, 0)) for code, name in children.iter_rows()]
    rest = sum(got.values())
    if rest:
        out.append(AreaCount(None, UNKNOWN, rest))
    return out


def target_gap(covered: int, denominator: int | None, target: Target | None) -> TargetGap | None:
    """The target in force and how far the region is from it, in people and in ratio.

    A target is a ratio (basis points of the denominator) or a number of people; a ratio
    target becomes people by rounding up (the target is met only by whole people)."""
    if target is None:
        return None
    people = target.people
    ratio_bp = target.ratio_bp
    if people is None and ratio_bp is not None and denominator:
        people = math.ceil(Decimal(ratio_bp) * Decimal(denominator) / Decimal(10_000))
    gap = None if people is None else max(int(people) - covered, 0)
    return TargetGap(
        year=target.year,
        ratio=None if ratio_bp is None else Decimal(ratio_bp) / Decimal(10_000),
        people=people,
        gap_people=gap,
        met=None if people is None else covered >= int(people),
        source=target.source,
    )


def month_ends(on: dt.date, months: int = 12) -> list[dt.date]:
    """The last day of each of the ``months - 1`` months before ``on``'s month, then ``on``."""
    out = [on]
    first = on.replace(day=1)
    for _ in range(months - 1):
        last_prev = first - dt.timedelta(days=1)
        out.append(last_prev)
        first = last_prev.replace(day=1)
    return sorted(out)


def per_person(amount: int | None, people: int) -> int | None:
    """Whole rupiah per person, rounded half up; ``None`` when either side is missing."""
    if amount is None or people == 0:
        return None
    return int((Decimal(amount) / Decimal(people)).quantize(Decimal(1), ROUND_HALF_UP))
