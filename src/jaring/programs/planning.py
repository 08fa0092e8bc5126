"""Budget planning: who is covered for how many months, never spending more than the budget.

The exact model is an integer program solved by HiGHS, but not over people: people with the
same priority class and the same quota groups (distrik, desa, sex when a women quota is set)
cost the same and are interchangeable, so the variables are *how many* of each group are
covered (a few thousand integers even for a million people). Individuals are then chosen
inside each group in priority order (``registered_on``, then ``person_id``). A greedy pass over
the same groups gives a fallback plan and a yardstick: the report carries both objectives,
the gap between them and the solver's own proven gap.

Scenarios:
- ``full``: fewer people, each for every remaining month of the period. Priorities and quotas
  decide who. This is the IP.
- ``spread``: everyone eligible, each for the same number of months ``k`` (the largest the
  budget allows), and the money left buys month ``k+1`` for the first people in priority
  order. This one is solved exactly in closed form.

Kept people (already covered before an APBD-Perubahan re-plan) are bought first for all the
remaining months and count towards the quotas.

Objective of ``full``: maximise ``sum(weight(class) * covered)`` with ``weight = 2R - rank`` for
``R`` classes: covering more people always wins (every weight lies in ``(R, 2R]``), and among
plans that cover as many, the better-ranked classes win.
"""

from __future__ import annotations

import dataclasses
import math
import time
from fractions import Fraction
from typing import Any

import highspy
import numpy as np
import polars as pl

from jaring.programs import errors

QUOTA_COLUMNS = {"distrik": "district_code", "desa": "village_code"}
QUOTA_KINDS = (*QUOTA_COLUMNS, "women")


@dataclasses.dataclass(frozen=True)
class Quota:
    """At least ``share`` of each area's eligible (``distrik``, ``desa``), or ``share`` of the
    people covered are women (``women``)."""

    kind: str
    share: Fraction

    @property
    def label(self) -> str:
        return f"{self.kind}={float(self.share):g}"


def parse_quota(text: str) -> Quota:
    """``"distrik=0.2"`` -> ``Quota("distrik", 1/5)``; refuses unknown kinds and shares."""
    kind, _, value = str(text).partition("=")
    kind = kind.strip().lower()
    if kind in ("perempuan", "wanita"):
        kind = "women"
    if kind not in QUOTA_KINDS:
        raise errors.BAD_QUOTA(value=text, choices=", ".join(QUOTA_KINDS), field="quotas")
    try:
        share = Fraction(value.strip()).limit_denominator(10_000)
    except (ValueError, ZeroDivisionError):
        share = Fraction(-1)
    if not 0 < share <= 1:
        raise errors.BAD_QUOTA(value=text, choices=", ".join(QUOTA_KINDS), field="quotas")
    return Quota(kind, share)


@dataclasses.dataclass
class Plan:
    """A plan: ``selection`` (``person_id``, ``months``, ``cost``, ``kept``) and its summary."""

    selection: pl.DataFrame
    summary: dict[str, Any]


def solve(
    pool: pl.DataFrame,
    *,
    month_costs: list[int],
    budget: int,
    scenario: str = "full",
    quotas: tuple[Quota, ...] = (),
    kept: pl.DataFrame | None = None,
    time_limit: float = 25.0,
) -> Plan:
    """Plan ``budget`` over the people of ``pool`` (not yet covered) and ``kept`` (covered).

    Both frames carry ``person_id``, ``class_rank``, ``registered_on``, ``sex`` and the quota
    columns. ``month_costs[i]`` is one person's contribution in the i-th month bought.
    """
    t0 = time.perf_counter()
    if scenario not in ("full", "spread"):
        raise errors.BAD_SCENARIO(value=scenario, field="scenario")
    kept = kept if kept is not None else pool.clear()
    n_months = len(month_costs)
    if n_months == 0:
        raise errors.NO_MONTHS_LEFT()
    if budget < min(month_costs):
        raise errors.BUDGET_TOO_SMALL(budget=budget, person_month=min(month_costs), field="budget")
    if pool.height + kept.height == 0:
        raise errors.NOBODY_ELIGIBLE()
    full_cost = int(sum(month_costs))
    kept_cost = kept.height * full_cost
    if kept_cost > budget:
        raise errors.BUDGET_BELOW_COVERED(
            budget=budget, people=kept.height, needed=kept_cost, field="drop_covered"
        )
    free = budget - kept_cost
    if scenario == "spread":
        plan = _spread(pool, month_costs, free)
    else:
        plan = _full(pool, kept, full_cost, free, quotas, time_limit, n_months)
    kept_sel = kept.select(
        "person_id",
        months=pl.lit(n_months, dtype=pl.Int32),
        cost=pl.lit(full_cost, dtype=pl.Int64),
        kept=pl.lit(True),
    )
    selection = pl.concat([kept_sel, plan.selection], how="vertical_relaxed")
    cost = int(selection["cost"].sum()) if selection.height else 0
    person_months = int(selection["months"].sum()) if selection.height else 0
    people = selection.height
    summary = {
        "scenario": scenario,
        "budget": budget,
        "eligible": pool.height + kept.height,
        "people": people,
        "months": _months_each(person_months, people),
        "person_months": person_months,
        "months_min": int(selection["months"].min()) if people else 0,  # type: ignore[arg-type]
        "months_max": int(selection["months"].max()) if people else 0,  # type: ignore[arg-type]
        "cost": cost,
        "unspent": budget - cost,
        "kept": kept.height,
        **plan.summary,
        "seconds": round(time.perf_counter() - t0, 3),
    }
    summary["quotas"] = quota_report(selection, pool, kept, quotas)
    return Plan(selection.sort("person_id"), summary)


def _months_each(person_months: int, people: int) -> int | float:
    """Months per covered person: a whole number when everyone has the same, else 2 decimals."""
    if not people:
        return 0
    if person_months % people == 0:
        return person_months // people
    return round(person_months / people, 2)


def _spread(pool: pl.DataFrame, month_costs: list[int], free: int) -> Plan:
    """Everyone for ``k`` months, the leftover buying month ``k+1`` in priority order."""
    n = pool.height
    cumulative = np.cumsum([0, *month_costs])
    affordable = [k for k in range(len(month_costs) + 1) if n * int(cumulative[k]) <= free]
    k = max(affordable)
    if n == 0 or k == 0:
        raise errors.SPREAD_UNAFFORDABLE(people=n, needed=n * month_costs[0], available=free)
    extra = 0
    if k < len(month_costs):
        extra = min(n, (free - n * int(cumulative[k])) // month_costs[k])
    order = pool.sort(["class_rank", "registered_on", "person_id"]).select("person_id")
    months = pl.when(pl.int_range(pl.len()) < extra).then(k + 1).otherwise(k).cast(pl.Int32)
    selection = order.with_columns(months=months).with_columns(
        cost=pl.col("months").replace_strict(
            list(range(len(cumulative))), [int(c) for c in cumulative], return_dtype=pl.Int64
        ),
        kept=pl.lit(False),
    )
    return Plan(
        selection,
        {"solver": "closed_form", "optimal_gap": 0.0, "mip_gap": 0.0, "greedy_gap": 0.0},
    )


def _group_keys(quotas: tuple[Quota, ...]) -> list[str]:
    keys = ["class_rank"]
    for q in quotas:
        if q.kind in QUOTA_COLUMNS and QUOTA_COLUMNS[q.kind] not in keys:
            keys.append(QUOTA_COLUMNS[q.kind])
        if q.kind == "women" and "is_woman" not in keys:
            keys.append("is_woman")
    return keys


def _with_woman(df: pl.DataFrame) -> pl.DataFrame:
    return df.with_columns(is_woman=(pl.col("sex") == "P").fill_null(False))


def _full(
    pool: pl.DataFrame,
    kept: pl.DataFrame,
    cost: int,
    free: int,
    quotas: tuple[Quota, ...],
    time_limit: float,
    n_months: int,
) -> Plan:
    keys = _group_keys(quotas)
    pool = _with_woman(pool)
    kept = _with_woman(kept)
    groups = pool.group_by(keys).agg(n=pl.len().cast(pl.Int64)).sort(keys)
    n_classes = int(pool["class_rank"].cast(pl.Int64).max() or 0) + 1 if pool.height else 1  # type: ignore[arg-type]
    weight = (2 * n_classes - groups["class_rank"].cast(pl.Int64)).to_numpy()
    counts = groups["n"].to_numpy().astype(np.int64)
    cap = free // cost  # people the free money buys for the whole period

    rows = _quota_rows(groups, pool, kept, quotas, cost, free)
    t_greedy = time.perf_counter()
    greedy_x = _greedy(groups, counts, cap, rows, quotas, kept)
    greedy_seconds = time.perf_counter() - t_greedy
    greedy_obj = int(weight @ greedy_x) if greedy_x is not None else None

    ip_x, info = _solve_ip(weight, counts, cost, free, rows, greedy_x, time_limit)
    if ip_x is None and greedy_x is None:
        labels = ", ".join(q.label for q in quotas)
        raise errors.QUOTAS_INFEASIBLE(quotas=labels)
    ip_obj = int(weight @ ip_x) if ip_x is not None else None
    chosen: np.ndarray
    if ip_x is not None and ip_obj is not None and (greedy_obj is None or ip_obj >= greedy_obj):
        chosen, solver = ip_x, "highs"
    else:
        assert greedy_x is not None
        chosen, solver = greedy_x, "greedy"
    chosen_obj = int(weight @ chosen)
    bound = info.get("bound")
    optimal_gap = (
        max(0.0, (bound - chosen_obj) / bound) if bound and bound > 0 else info.get("mip_gap", 0.0)
    )
    greedy_gap = (ip_obj - greedy_obj) / ip_obj if ip_obj and greedy_obj is not None else None
    take = groups.select(keys).with_columns(take=pl.Series(chosen, dtype=pl.Int64))
    ranked = (
        pool.join(take, on=keys, how="inner", nulls_equal=True)
        .sort([*keys, "registered_on", "person_id"])
        .with_columns(pos=pl.int_range(pl.len()).over(keys))
        .filter(pl.col("pos") < pl.col("take"))
    )
    selection = ranked.select(
        "person_id",
        months=pl.lit(n_months, dtype=pl.Int32),
        cost=pl.lit(cost, dtype=pl.Int64),
        kept=pl.lit(False),
    )
    return Plan(
        selection,
        {
            "solver": solver,
            "objective": chosen_obj,
            "optimal_gap": round(float(optimal_gap), 6),
            "mip_gap": info.get("mip_gap"),
            "greedy_objective": greedy_obj,
            "greedy_people": int(greedy_x.sum()) if greedy_x is not None else None,
            "greedy_gap": round(float(greedy_gap), 6) if greedy_gap is not None else None,
            "greedy_seconds": round(greedy_seconds, 3),
            "ip_objective": ip_obj,
            "ip_seconds": info.get("seconds"),
            "ip_status": info.get("status"),
            "groups": groups.height,
        },
    )


@dataclasses.dataclass
class _Row:
    """One quota as a linear row: ``coef @ x >= rhs``."""

    label: str
    coef: np.ndarray
    rhs: int
    members: np.ndarray | None  # groups in this area (area quotas), for the greedy


def _quota_rows(
    groups: pl.DataFrame,
    pool: pl.DataFrame,
    kept: pl.DataFrame,
    quotas: tuple[Quota, ...],
    cost: int,
    free: int,
) -> list[_Row]:
    rows: list[_Row] = []
    for q in quotas:
        if q.kind in QUOTA_COLUMNS:
            col = QUOTA_COLUMNS[q.kind]
            # people without a known area are outside every area quota
            elig = (
                pl.concat([pool.select(col), kept.select(col)])
                .drop_nulls()
                .group_by(col)
                .agg(e=pl.len().cast(pl.Int64))
            )
            have = kept.drop_nulls(col).group_by(col).agg(k=pl.len().cast(pl.Int64))
            need = (
                elig.join(have, on=col, how="left")
                .with_columns(pl.col("k").fill_null(0))
                .with_columns(
                    need=(
                        (pl.col("e") * q.share.numerator + q.share.denominator - 1)
                        // q.share.denominator
                        - pl.col("k")
                    ).clip(lower_bound=0)
                )
                .filter(pl.col("need") > 0)
                .sort(col)
            )
            total_need = int(need["need"].sum()) if need.height else 0
            if total_need * cost > free:
                raise errors.QUOTA_UNAFFORDABLE(
                    quota=q.label,
                    people_needed=total_need,
                    cost_needed=total_need * cost,
                    available=free,
                    shortfall=total_need * cost - free,
                )
            area_of = groups[col].to_numpy()
            for area, amount in need.select(col, "need").iter_rows():
                members = np.flatnonzero(area_of == area)
                coef = np.zeros(groups.height, dtype=np.int64)
                coef[members] = 1
                rows.append(_Row(f"{q.label}:{area}", coef, int(amount), members))
        else:  # women share: den*W - num*N >= num*K - den*K_w over new people
            num, den = q.share.numerator, q.share.denominator
            woman = groups["is_woman"].to_numpy().astype(np.int64)
            kept_w = int(kept["is_woman"].sum()) if kept.height else 0
            coef = den * woman - num
            rows.append(_Row(q.label, coef, num * kept.height - den * kept_w, None))
    return rows


def _greedy(
    groups: pl.DataFrame,
    counts: np.ndarray,
    cap: int,
    rows: list[_Row],
    quotas: tuple[Quota, ...],
    kept: pl.DataFrame,
) -> np.ndarray | None:
    """Quotas first (best-ranked people of each area), then everyone else by rank.

    Groups are sorted by class rank, so walking them in order is walking the priority list.
    Returns ``None`` when the greedy cannot satisfy the quotas within the budget.
    """
    x = np.zeros(len(counts), dtype=np.int64)
    left = cap
    for row in rows:
        if row.members is None:
            continue
        need = row.rhs - int(x[row.members].sum())
        for g in row.members:  # members are in class order (groups sorted by keys)
            if need <= 0:
                break
            take = min(need, counts[g] - x[g], left)
            x[g] += take
            need -= take
            left -= take
        if need > 0:
            return None
    women_rows = [r for r in rows if r.members is None]
    if women_rows:
        row = women_rows[0]
        woman = groups["is_woman"].to_numpy()
        share = next(q.share for q in quotas if q.kind == "women")
        final = min(cap, int(counts.sum()))
        kept_w = int(kept["is_woman"].sum()) if kept.height else 0
        need_w = math.ceil(share * (final + kept.height)) - kept_w - int(x[woman].sum())
        for g in np.flatnonzero(woman):
            if need_w <= 0 or left <= 0:
                break
            take = min(need_w, counts[g] - x[g], left)
            x[g] += take
            need_w -= take
            left -= take
    for g in range(len(counts)):
        if left <= 0:
            break
        take = min(counts[g] - x[g], left)
        x[g] += take
        left -= take
    if any(int(r.coef @ x) < r.rhs for r in rows):
        return None
    return x


def _solve_ip(
    weight: np.ndarray,
    counts: np.ndarray,
    cost: int,
    free: int,
    rows: list[_Row],
    start: np.ndarray | None,
    time_limit: float,
) -> tuple[np.ndarray | None, dict[str, Any]]:
    """The group IP in HiGHS. Returns the integer solution (checked exactly) and solver facts."""
    t0 = time.perf_counter()
    n = len(counts)
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("time_limit", float(time_limit))
    h.setOptionValue("mip_rel_gap", 1e-6)
    h.setOptionValue("threads", 1)
    inf = highspy.kHighsInf
    h.addVars(n, np.zeros(n), counts.astype(np.float64))
    h.changeColsCost(n, np.arange(n, dtype=np.int32), weight.astype(np.float64))
    h.changeColsIntegrality(
        n, np.arange(n, dtype=np.int32), np.full(n, highspy.HighsVarType.kInteger)
    )
    # budget: cost * sum(x) <= free, written as sum(x) <= free // cost (exact in integers)
    all_idx = np.arange(n, dtype=np.int32)
    h.addRow(-inf, float(free // cost), n, all_idx, np.ones(n))
    for row in rows:
        idx = np.flatnonzero(row.coef).astype(np.int32)
        h.addRow(float(row.rhs), inf, len(idx), idx, row.coef[idx].astype(np.float64))
    h.changeObjectiveSense(highspy.ObjSense.kMaximize)
    if start is not None:
        sol = highspy.HighsSolution()
        sol.col_value = list(start.astype(np.float64))
        sol.value_valid = True
        h.setSolution(sol)
    h.run()
    status = h.modelStatusToString(h.getModelStatus())
    info = h.getInfo()
    facts: dict[str, Any] = {
        "status": status,
        "seconds": round(time.perf_counter() - t0, 3),
    }
    if info.primal_solution_status == 0:  # no feasible solution found
        return None, facts
    x = np.rint(np.asarray(h.getSolution().col_value)).astype(np.int64)
    x = np.clip(x, 0, counts)
    facts["mip_gap"] = round(float(info.mip_gap), 8) if math.isfinite(info.mip_gap) else None
    facts["bound"] = float(info.mip_dual_bound) if math.isfinite(info.mip_dual_bound) else None
    if cost * int(x.sum()) > free or any(int(r.coef @ x) < r.rhs for r in rows):
        return None, facts
    return x, facts


def quota_report(
    selection: pl.DataFrame, pool: pl.DataFrame, kept: pl.DataFrame, quotas: tuple[Quota, ...]
) -> list[dict[str, Any]]:
    """For each quota: the required and the achieved figures (the worst area for area quotas)."""
    people = _with_woman(pl.concat([pool, kept], how="diagonal_relaxed"))
    covered = people.join(selection.select("person_id"), on="person_id", how="semi")
    out: list[dict[str, Any]] = []
    for q in quotas:
        if q.kind in QUOTA_COLUMNS:
            col = QUOTA_COLUMNS[q.kind]
            e = people.drop_nulls(col).group_by(col).agg(e=pl.len().cast(pl.Int64))
            c = covered.drop_nulls(col).group_by(col).agg(c=pl.len().cast(pl.Int64))
            share = e.join(c, on=col, how="left").with_columns(
                pl.col("c").fill_null(0), ratio=pl.col("c").fill_null(0) / pl.col("e")
            )
            worst = share.sort("ratio").row(0, named=True)
            out.append(
                {
                    "quota": q.label,
                    "required": float(q.share),
                    "achieved_min": round(float(worst["ratio"]), 4),
                    "areas": share.height,
                    "met": bool(
                        (share["c"] * q.share.denominator >= share["e"] * q.share.numerator).all()
                        or False
                    ),
                }
            )
        else:
            w = int(covered["is_woman"].sum())
            total = covered.height
            out.append(
                {
                    "quota": q.label,
                    "required": float(q.share),
                    "achieved": round(w / total, 4) if total else 0.0,
                    "met": w * q.share.denominator >= total * q.share.numerator,
                }
            )
    return out
