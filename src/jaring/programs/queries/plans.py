"""What a budget buys, read from the store and worked out without saving anything: the
eligible people and the people already covered, the months left to buy and their prices from
the law, the plan :mod:`jaring.programs.planning` finds (:func:`draft_plan`), and two
scenarios side by side (:func:`compare_scenarios`).

:func:`jaring.programs.actions.programs.plan_program` saves a draft as a plan.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence
from typing import Any

import polars as pl
from sqlalchemy import Connection, Engine, or_, select

from jaring.access import Actor
from jaring.errors import JaringError
from jaring.families.queries.deaths import alive_on
from jaring.i18n import _
from jaring.programs import errors, planning, targeting
from jaring.programs.months import first_of
from jaring.programs.pricing import monthly_costs
from jaring.programs.queries.billing import billed_before, next_unbilled_month
from jaring.programs.queries.candidates import listed_people
from jaring.programs.queries.programs import Program, find_program
from jaring.programs.states import LIVE_STATES
from jaring.progress import SILENT, Progress
from jaring.store import dialect
from jaring.store.bulk import read_frame
from jaring.store.tables.programs import membership
from jaring.store.tables.registry import person

# what planning needs of a person (names, addresses and phones stay in the store)
PERSON_COLUMNS = (
    person.c.id.label("person_id"),
    person.c.nik,
    person.c.birth_date,
    person.c.sex,
    person.c.district_code,
    person.c.village_code,
    person.c.occupation,
    person.c.desil,
    person.c.registered_on,
)


@dataclasses.dataclass(frozen=True)
class QuotaResult:
    """A quota and how the plan meets it: the worst area's share (``achieved_min``, over
    ``areas``) for ``distrik``/``desa``, the share of women (``achieved``) for ``women``."""

    quota: str
    required: float
    met: bool
    achieved_min: float | None = None
    areas: int | None = None
    achieved: float | None = None


@dataclasses.dataclass(frozen=True)
class PlanSummary:
    """What a plan buys: ``people`` for ``months`` each (a decimal when they differ:
    ``person_months / people``) at ``cost`` rupiah, ``unspent`` left of the program's
    ``budget`` once ``billed_before`` (the months invoiced before ``from_month``) is set
    aside; ``kept`` of them were covered before a re-plan. ``optimal_gap`` is the proven gap
    of the plan returned, ``solver`` ``highs``, ``greedy`` or ``closed_form`` (``spread``);
    the greedy yardstick's and HiGHS's own figures follow when the integer program ran.
    ``plan_id`` is set once the plan is saved. ``from_list``: the eligible people counted
    only because they were added to the program's candidates by hand (alive, in its region,
    not selected by the rules), ``people_from_list`` of them in the plan."""

    program: str
    program_budget: int
    budget: int
    billed_before: int
    from_month: dt.date
    to_month: dt.date
    priority: list[str]
    scenario: str
    eligible: int
    people: int
    months: int | float
    person_months: int
    months_min: int
    months_max: int
    cost: int
    unspent: int
    kept: int
    solver: str
    optimal_gap: float
    seconds: float
    quotas: list[QuotaResult]
    mip_gap: float | None = None
    greedy_gap: float | None = None
    objective: int | None = None
    greedy_objective: int | None = None
    greedy_people: int | None = None
    greedy_seconds: float | None = None
    ip_objective: int | None = None
    ip_seconds: float | None = None
    ip_status: str | None = None
    groups: int | None = None
    plan_id: int | None = None
    from_list: int = 0
    people_from_list: int = 0


@dataclasses.dataclass(frozen=True)
class Draft:
    """A plan worked out and not saved: the program (with the budget tried), the first month
    bought, the priorities and quotas parsed, the solver's selection and the summary as
    stored on ``plan.summary``."""

    program: Program
    start: dt.date
    priority: tuple[str, ...]
    quotas: tuple[planning.Quota, ...]
    selection: pl.DataFrame
    facts: dict[str, Any]

    @property
    def summary(self) -> PlanSummary:
        return plan_summary(self.facts)


@dataclasses.dataclass(frozen=True)
class ScenarioFigures:
    """What one scenario buys."""

    people: int
    months: int | float
    person_months: int
    cost: int
    unspent: int
    optimal_gap: float
    solver: str


@dataclasses.dataclass(frozen=True)
class ScenarioRefusal:
    """A scenario the budget cannot buy: the refusal's code and message."""

    refused: str
    message: str


@dataclasses.dataclass(frozen=True)
class Scenarios:
    """ "Fewer people for the whole period" (``full``) beside "everyone for fewer months"
    (``spread``), and what ``extra`` rupiah more would buy (``with_extra``)."""

    program: str
    budget: int
    full: ScenarioFigures
    spread: ScenarioFigures | ScenarioRefusal
    extra: int
    with_extra: ScenarioFigures
    extra_buys_people: int
    extra_buys_person_months: int


def plan_summary(facts: dict[str, Any]) -> PlanSummary:
    """A :class:`PlanSummary` from the figures a draft records."""
    names = {f.name for f in dataclasses.fields(PlanSummary)}
    values = {k: v for k, v in facts.items() if k in names}
    values["quotas"] = [QuotaResult(**q) for q in facts.get("quotas", [])]
    return PlanSummary(**values)


def _people(conn: Connection, *where: Any) -> pl.DataFrame:
    people = read_frame(conn, select(*PERSON_COLUMNS).where(*where))
    return dialect.date_columns(people, "birth_date", "registered_on").with_columns(
        pl.col("person_id").cast(pl.Int64),
        pl.col("desil").cast(pl.Int16),
        *[
            pl.col(c).cast(pl.String)
            for c in ("sex", "district_code", "village_code", "occupation", "nik")
        ],
    )


def _live(program_id: int, month: dt.date) -> Any:
    """Memberships of a program the budget still pays for in ``month``."""
    return select(membership.c.person_id).where(
        membership.c.program_id == program_id,
        membership.c.state.in_(LIVE_STATES),
        or_(membership.c.end_month.is_(None), membership.c.end_month >= month),
    )


def _inputs(
    conn: Connection,
    prog: Program,
    from_month: dt.date | None,
    drop_covered: bool,
    priority: tuple[str, ...],
) -> tuple[pl.DataFrame, pl.DataFrame, dt.date, list[int], int, pl.Series]:
    start = first_of(from_month) if from_month else next_unbilled_month(conn, prog)
    if from_month is None and start > prog.period_end:
        raise errors.NO_MONTHS_LEFT(program=prog.name)
    if not prog.period_start <= start <= prog.period_end:
        raise errors.MONTH_OUTSIDE_PERIOD(
            month=start.isoformat(),
            start=prog.period_start.isoformat(),
            end=prog.period_end.isoformat(),
            field="from_month",
        )
    costs = monthly_costs(prog.package, start, prog.period_end)["total"].to_list()
    people = _people(conn, alive_on(person.c.id, start))  # nobody who died before the start
    if people.height:
        people = targeting.eligible(people, prog.rules, prog.period_start)
    # the people added by hand: whatever the rules say, if alive, in the region, with a NIK
    # when the program needs one, and not twice
    listed = _people(conn, listed_people(prog), alive_on(person.c.id, start))
    if listed.height:
        nik_only = {"require_nik": prog.rules.get("require_nik", True)}
        listed = targeting.eligible(listed, nik_only, prog.period_start)
        listed = listed.filter(~pl.col("person_id").is_in(people["person_id"].implode()))
        people = pl.concat([people, listed.select(people.columns)]) if people.height else listed
    from_list = listed["person_id"]
    live = read_frame(conn, _live(prog.id, start))
    if drop_covered or live.height == 0:
        kept = people.clear()
        pool = people
    else:
        live_ids = live["person_id"].cast(pl.Int64)
        kept = _people(conn, person.c.id.in_(_live(prog.id, start)), alive_on(person.c.id, start))
        kept = kept.select(people.columns) if people.height else kept
        pool = people.filter(~pl.col("person_id").is_in(live_ids.implode()))
    both = targeting.with_priority(pl.concat([pool, kept], how="diagonal_relaxed"), priority)
    kept_ids = kept["person_id"].implode()
    pool_p = both.filter(~pl.col("person_id").is_in(kept_ids))
    kept_p = both.filter(pl.col("person_id").is_in(kept_ids))
    available = prog.budget - billed_before(conn, prog.id, start)
    return pool_p, kept_p, start, costs, available, from_list


def draft_plan(
    conn: Connection,
    prog: Program,
    *,
    scenario: str = "full",
    priority: tuple[str, ...] = targeting.DEFAULT_PRIORITY,
    quotas: tuple[planning.Quota, ...] = (),
    from_month: dt.date | None = None,
    drop_covered: bool = False,
    progress: Progress = SILENT,
) -> Draft:
    """Work out what ``prog``'s budget buys from ``from_month`` (default: the month after the
    last invoice) to the end of its period, without saving anything.

    The money invoiced for earlier months is set aside first; people planned, submitted or
    active are kept for every remaining month (unless ``drop_covered``) and the rest buys new
    people in ``priority`` order within the ``quotas``. Refuses ``no_months_left``,
    ``month_outside_period`` and the planner's refusals (``budget_too_small``,
    ``nobody_eligible``, ``budget_below_covered``, ``quota_unaffordable``...).
    """
    progress.step(_("Reading eligible people"))
    pool, kept, start, costs, available, from_list = _inputs(
        conn, prog, from_month, drop_covered, priority
    )
    progress.step(_("Solving the plan"))
    result = planning.solve(
        pool, month_costs=costs, budget=available, scenario=scenario, quotas=quotas, kept=kept
    )
    billed = prog.budget - available
    facts = {
        **result.summary,
        "program": prog.name,
        "program_budget": prog.budget,
        "billed_before": billed,
        "from_month": start,
        "to_month": first_of(prog.period_end),
        "priority": list(priority),
        "unspent": prog.budget - billed - result.summary["cost"],
        "from_list": from_list.len(),
        "people_from_list": int(
            result.selection["person_id"].is_in(from_list.cast(pl.Int64).implode()).sum()
        )
        if result.selection.height
        else 0,
    }
    facts["budget"] = prog.budget
    return Draft(prog, start, priority, quotas, result.selection, facts)


def _parse(
    priority: str | None, quotas: Sequence[str]
) -> tuple[tuple[str, ...], tuple[planning.Quota, ...]]:
    return targeting.parse_priority(priority), tuple(planning.parse_quota(q) for q in quotas)


def preview_plan(
    conn: Connection,
    program_ref: str | int,
    *,
    budget: int | None = None,
    scenario: str = "full",
    priority: str | None = None,
    quotas: Sequence[str] = (),
    from_month: dt.date | None = None,
    drop_covered: bool = False,
    progress: Progress = SILENT,
) -> Draft:
    """:func:`draft_plan` from what a user types: the program by id or name, ``budget``
    replacing the program's (APBD-Perubahan), ``priority`` as ``"desil,risk"`` and
    ``quotas`` as ``["distrik=0.2"]`` (refused as ``bad_priority``, ``bad_quota``)."""
    prio, quota_objs = _parse(priority, quotas)
    prog = find_program(conn, program_ref)
    if budget is not None:
        prog = dataclasses.replace(prog, budget=int(budget))
    return draft_plan(
        conn,
        prog,
        scenario=scenario,
        priority=prio,
        quotas=quota_objs,
        from_month=from_month,
        drop_covered=drop_covered,
        progress=progress,
    )


def _figures(s: PlanSummary) -> ScenarioFigures:
    return ScenarioFigures(
        people=s.people,
        months=s.months,
        person_months=s.person_months,
        cost=s.cost,
        unspent=s.unspent,
        optimal_gap=s.optimal_gap,
        solver=s.solver,
    )


def compare_scenarios(
    engine: Engine,
    actor: Actor,
    program_ref: str | int,
    *,
    budget: int | None = None,
    priority: str | None = None,
    quotas: Sequence[str] = (),
    extra: int = 1_000_000_000,
) -> Scenarios:
    """ "Fewer people for the whole period" vs "everyone for fewer months", and what
    ``extra`` rupiah more would buy. Nothing is saved. Needs ``program.read``.

    A ``spread`` the budget cannot buy is reported in the answer (its refusal), not raised;
    every other refusal of planning is raised.
    """
    actor.require("program.read")
    with engine.connect() as conn:
        full = preview_plan(
            conn, program_ref, scenario="full", quotas=quotas, priority=priority, budget=budget
        ).summary
        spread: ScenarioFigures | ScenarioRefusal
        try:
            spread = _figures(
                preview_plan(
                    conn, program_ref, scenario="spread", priority=priority, budget=budget
                ).summary
            )
        except JaringError as e:
            spread = ScenarioRefusal(refused=e.code, message=e.message("en"))
        more = preview_plan(
            conn,
            program_ref,
            scenario="full",
            quotas=quotas,
            priority=priority,
            budget=full.budget + extra,
        ).summary
    return Scenarios(
        program=full.program,
        budget=full.budget,
        full=_figures(full),
        spread=spread,
        extra=extra,
        with_extra=_figures(more),
        extra_buys_people=more.people - full.people,
        extra_buys_person_months=more.person_months - full.person_months,
    )
