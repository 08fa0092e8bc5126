"""Program actions: create a program, save a plan of what its budget buys.

Each is one transaction, takes the actor (``program.write`` and every region:
:func:`~jaring.programs.actions.scope.require_whole_program`) and records its audit event in
that transaction.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence
from typing import Any

import polars as pl
from sqlalchemy import Engine, insert, update
from sqlalchemy.exc import IntegrityError

from jaring import audit
from jaring.access import Actor
from jaring.dates import check_year
from jaring.errors import BAD_VALUE
from jaring.i18n import _
from jaring.jsonable import to_jsonable
from jaring.law.inputs import MAX_RUPIAH, PAYERS
from jaring.programs import errors
from jaring.programs.actions.scope import require_whole_program
from jaring.programs.months import first_of, last_day
from jaring.programs.pricing import monthly_costs
from jaring.programs.queries.plans import PlanSummary, plan_summary, preview_plan
from jaring.programs.queries.programs import LOWEST_BPU_INCOME, Program, program_of
from jaring.programs.targeting import check_rules
from jaring.progress import SILENT, Progress
from jaring.store.bulk import insert_frame
from jaring.store.tables.programs import plan, plan_line, program


def check_funder_region(code: str | None) -> str | None:
    """The paying region's code trimmed (``None`` for none or blank); refuses
    ``unknown_funder_region`` for a code no region has (a typo would leave the program's
    people out of its candidates, its invoices out of their province on a national store)."""
    from jaring.registry import regions

    code = (code or "").strip() or None
    if code is not None and regions.name_of(code) is None:
        raise errors.UNKNOWN_FUNDER_REGION(value=code, field="funder_region")
    return code


def create_program(
    engine: Engine,
    actor: Actor,
    *,
    name: str,
    fiscal_year: int,
    budget: int,
    funder_type: str = "apbd",
    funder_region: str | None = None,
    segment: str = "bpu",
    income_base: int | None = None,
    risk: str | None = None,
    with_jht: bool = False,
    with_jp: bool = False,
    period_start: dt.date | None = None,
    period_end: dt.date | None = None,
    rules: dict[str, Any] | None = None,
) -> Program:
    """Create a program and return it.

    Defaults: the whole fiscal year, BPU, the lowest declared income band (what Pemda pay for
    pekerja rentan), JKK + JKM. The package is JKK + JKM, with JHT (``with_jht``) and, for
    wage earners only, JP (``with_jp``) when chosen: a Pemda's non-ASN staff need JKK, JKM
    and JHT (Permenaker 1/2025); JP is billed only when the program chooses it. Who pays
    (``funder_type``, PP 50/2025): ``apbd``, ``apbn``, ``apbdes`` (village budget), ``donor``
    or ``self`` (a pekerja mandiri, the only payer its discount reaches). The law must price the package for the whole period, or it is
    refused now rather than at billing. Needs ``program.write`` and every region; refuses
    ``bad_funder``, ``unknown_funder_region``, ``jp_not_for_bpu``, ``bad_segment``, ``bad_budget``,
    ``bad_period``, ``missing_wage`` (a PU
    program without a wage) and ``program_exists``. Audited as ``program.create``.
    """
    require_whole_program(actor, "program.write")
    name = (name or "").strip()
    if not name:
        raise BAD_VALUE(field="name", value=name)
    check_year(fiscal_year, "fiscal_year")
    funder_region = check_funder_region(funder_region)
    rules = check_rules(rules)
    start = period_start or dt.date(fiscal_year, 1, 1)
    end = period_end or dt.date(fiscal_year, 12, 31)
    if funder_type not in PAYERS:
        raise errors.BAD_FUNDER(value=funder_type, field="funder_type")
    if with_jp and segment != "pu":
        raise errors.JP_NOT_FOR_BPU(field="with_jp")
    if segment not in ("bpu", "pu"):
        raise errors.BAD_SEGMENT(value=segment, choices="bpu, pu", field="segment")
    if budget < 0 or budget > MAX_RUPIAH:
        raise errors.BAD_BUDGET(value=budget, field="budget")
    if end < start:
        raise errors.BAD_PERIOD(start=start.isoformat(), end=end.isoformat(), field="period_end")
    if segment == "pu" and not income_base:
        raise errors.MISSING_WAGE(field="income_base")
    values = {
        "name": name,
        "funder_type": funder_type,
        "funder_region": funder_region,
        "fiscal_year": fiscal_year,
        "budget": int(budget),
        "segment": segment,
        "income_base": int(income_base or LOWEST_BPU_INCOME),
        "risk": risk,
        "with_jht": with_jht,
        "with_jp": with_jp,
        "period_start": first_of(start),
        "period_end": last_day(end),
        "rules": rules or {},
    }
    created = program_of({"id": 0, **values})
    monthly_costs(created.package, created.period_start, created.period_end)
    try:
        with engine.begin() as conn:
            pid = conn.execute(insert(program).values(**values)).inserted_primary_key[0]  # type: ignore[index]
            created = dataclasses.replace(created, id=int(pid))
            audit.record(conn, actor, "program.create", "program", created.id, after=created)
    except IntegrityError:
        raise errors.PROGRAM_EXISTS(name=name, field="name") from None
    return created


def plan_program(
    engine: Engine,
    actor: Actor,
    program_ref: str | int,
    *,
    budget: int | None = None,
    scenario: str = "full",
    priority: str | None = None,
    quotas: Sequence[str] = (),
    from_month: dt.date | None = None,
    drop_covered: bool = False,
    name: str | None = None,
    save: bool = True,
    progress: Progress = SILENT,
) -> PlanSummary:
    """Plan what the budget buys and (unless ``save`` is false) save the plan with its lines.

    ``budget`` replaces the program's budget (APBD-Perubahan) and is recorded on the program
    when the plan is saved. The money for the months already invoiced is set aside first; the
    rest buys the remaining months from ``from_month`` (default: after the last invoice),
    keeping the people already covered unless ``drop_covered``. ``priority`` is
    ``"desil,risk,registered"`` in any order, ``quotas`` like ``["distrik=0.2", "women=0.5"]``.

    Needs ``program.write`` and every region, saved or not; refuses what
    :func:`~jaring.programs.queries.plans.draft_plan` refuses. A saved plan is audited as
    ``program.plan``. Example: 120 eligible people, Rp10.080.000 from March to December 2024
    at Rp16.800 a month buy 60 people for 10 months.
    """
    require_whole_program(actor, "program.write")
    with engine.begin() as conn:
        draft = preview_plan(
            conn,
            program_ref,
            budget=budget,
            scenario=scenario,
            priority=priority,
            quotas=quotas,
            from_month=from_month,
            drop_covered=drop_covered,
            progress=progress,
        )
        if not save:
            return draft.summary
        progress.step(_("Saving the plan"))
        prog, start = draft.program, draft.start
        settings = {
            "priority": list(draft.priority),
            "quotas": [q.label for q in draft.quotas],
            "drop_covered": drop_covered,
        }
        pid = conn.execute(
            insert(plan).values(
                program_id=prog.id,
                name=name or f"{scenario} {start:%Y-%m}",
                scenario=scenario,
                budget=prog.budget,
                from_month=start,
                settings=settings,
                summary=to_jsonable(draft.facts),
                enrolled=False,
            )
        ).inserted_primary_key[0]  # type: ignore[index]
        lines = draft.selection.select(
            plan_id=pl.lit(int(pid), dtype=pl.Int64),
            person_id=pl.col("person_id").cast(pl.Int64),
            start_month=pl.lit(start, dtype=pl.Date),
            months=pl.col("months").cast(pl.Int64),
            cost=pl.col("cost").cast(pl.Int64),
            kept=pl.col("kept"),
        )
        insert_frame(conn, plan_line, lines)
        if budget is not None:
            conn.execute(update(program).where(program.c.id == prog.id).values(budget=int(budget)))
        summary = plan_summary({**draft.facts, "plan_id": int(pid)})
        audit.record(conn, actor, "program.plan", "program", prog.id, after=summary)
    return summary
