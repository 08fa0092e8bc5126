"""Setting a program up before it starts, and the BPJS exchange's own actions: change the
period, package and targeting; download a registration file again; set a refused answer row
aside.

Each is one transaction, needs ``program.write`` and every region
(:func:`~jaring.programs.actions.scope.require_whole_program`) and records its audit event in
that transaction.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from sqlalchemy import Engine, func, select, update

from jaring import audit
from jaring.access import Actor
from jaring.law.inputs import PAYERS
from jaring.programs import errors
from jaring.programs.actions.programs import check_funder_region
from jaring.programs.actions.scope import require_whole_program
from jaring.programs.months import first_of, last_day
from jaring.programs.pricing import monthly_costs
from jaring.programs.queries.programs import Program, find_program, program_of
from jaring.store.tables.programs import bpjs_file, bpjs_refusal, membership, program

RULE_KEYS = ("desil_max", "occupations", "districts", "age_min", "age_max", "sex")


@dataclasses.dataclass(frozen=True)
class SentFile:
    """A registration file sent to BPJS, handed back for a download."""

    id: int
    program_id: int
    filename: str
    format: str
    rows: int
    content: bytes


def update_program(
    engine: Engine,
    actor: Actor,
    program_ref: str | int,
    *,
    period_start: dt.date | None = None,
    period_end: dt.date | None = None,
    segment: str | None = None,
    income_base: int | None = None,
    risk: str | None = None,
    with_jht: bool | None = None,
    with_jp: bool | None = None,
    budget: int | None = None,
    rules: dict[str, Any] | None = None,
    funder_type: str | None = None,
    funder_region: str | None = None,
) -> Program:
    """Change a program's period, package, budget, payer or targeting ``rules``
    (``desil_max``, ``occupations``, ``districts``, ``age_min``, ``age_max``, ``sex``; an
    empty value drops the rule). What is not given stays.

    Period and package apply to every member and are registered with BPJS for each (the
    programmes of the registration file; each membership keeps its package), so they may
    change only before anyone is enrolled (``program_started``); the budget and the
    targeting may change until the next plan. The payer type (``funder_type``, PP 50/2025:
    ``apbd``, ``apbn``, ``apbdes``, ``donor``, ``self``) and the paying region
    (``funder_region``, ``""`` clears it) may change at any time: an invoice keeps the
    amounts it was issued with, the discount included or not, and the invoices issued from
    then on follow the new type; a saved plan keeps its figures until the next plan. The law
    must price the new package for the whole period. Needs ``program.write`` and every
    region; refuses ``bad_period``, ``bad_segment``, ``missing_wage``, ``jp_not_for_bpu``
    (JP is for wage earners only), ``bad_funder``, ``unknown_funder_region``, ``bad_budget``,
    ``bad_rules``. Audited as
    ``program.update`` with before and after.
    """
    require_whole_program(actor, "program.write")
    with engine.begin() as conn:
        before = find_program(conn, program_ref)
        started = conn.execute(
            select(func.count()).select_from(membership).where(membership.c.program_id == before.id)
        ).scalar_one()
        changes: dict[str, Any] = {}
        package = {
            "period_start": period_start and first_of(period_start),
            "period_end": period_end and last_day(period_end),
            "segment": segment,
            "income_base": income_base,
            "risk": risk,
            "with_jht": with_jht,
            "with_jp": with_jp,
        }
        for key, value in package.items():
            if value is not None and value != getattr(before, key):
                if started:
                    raise errors.PROGRAM_STARTED(program=before.name, field=key)
                changes[key] = value
        if funder_type is not None and funder_type != before.funder_type:
            if funder_type not in PAYERS:
                raise errors.BAD_FUNDER(value=funder_type, field="funder_type")
            changes["funder_type"] = funder_type
        if funder_region is not None and (funder_region.strip() or None) != before.funder_region:
            changes["funder_region"] = check_funder_region(funder_region)
        if budget is not None:
            if budget < 0:
                raise errors.BAD_BUDGET(value=budget, field="budget")
            changes["budget"] = int(budget)
        if rules is not None:
            merged = {**before.rules}
            for key, value in rules.items():
                if key not in RULE_KEYS and key != "require_nik":
                    raise errors.BAD_RULES(reason=key, field="rules")
                if value in (None, "", []):
                    merged.pop(key, None)
                else:
                    merged[key] = value
            changes["rules"] = merged
        after = dataclasses.replace(before, **changes)
        if after.period_end < after.period_start:
            raise errors.BAD_PERIOD(
                start=after.period_start.isoformat(),
                end=after.period_end.isoformat(),
                field="period_end",
            )
        if after.segment not in ("bpu", "pu"):
            raise errors.BAD_SEGMENT(value=after.segment, choices="bpu, pu", field="segment")
        if after.segment == "pu" and not after.income_base:
            raise errors.MISSING_WAGE(field="income_base")
        if after.with_jp and after.segment != "pu":
            raise errors.JP_NOT_FOR_BPU(field="with_jp")
        monthly_costs(after.package, after.period_start, after.period_end)
        if changes:
            conn.execute(update(program).where(program.c.id == before.id).values(**changes))
            audit.record(
                conn, actor, "program.update", "program", before.id, before=before, after=after
            )
        row = conn.execute(select(program).where(program.c.id == before.id)).mappings().one()
    return program_of(row)


def sent_file(engine: Engine, actor: Actor, file_id: int) -> SentFile:
    """A registration file sent to BPJS, to download it again exactly as it was sent.

    It holds clear NIKs: needs ``program.write``, every region and ``nik.export``; the
    download is audited as ``program.bpjs_download``. Refuses ``bpjs_file_not_found``.
    """
    require_whole_program(actor, "program.write")
    actor.require("nik.export")
    with engine.begin() as conn:
        row = (
            conn.execute(
                select(bpjs_file).where(bpjs_file.c.id == file_id, bpjs_file.c.direction == "sent")
            )
            .mappings()
            .first()
        )
        if row is None or row["content"] is None:
            raise errors.BPJS_FILE_NOT_FOUND(file=file_id)
        out = SentFile(
            id=int(row["id"]),
            program_id=int(row["program_id"]),
            filename=row["filename"],
            format=row["format"],
            rows=int(row["rows"]),
            content=bytes(row["content"]),
        )
        audit.record(
            conn,
            actor,
            "program.bpjs_download",
            "bpjs_file",
            out.id,
            after={"filename": out.filename, "rows": out.rows},
        )
    return out


def dismiss_refusal(engine: Engine, actor: Actor, refusal_id: int, reason: str) -> int:
    """Set a refused answer row aside without a resend (a row that matched no waiting member,
    or a person who will not be registered), giving the ``reason``. Returns its program's id.
    Needs ``program.write`` and every region; refuses ``refusal_not_found`` and
    ``missing_reason``. Audited as ``program.bpjs_dismiss``."""
    require_whole_program(actor, "program.write")
    if not reason.strip():
        raise errors.MISSING_REASON(field="reason")
    with engine.begin() as conn:
        row = (
            conn.execute(
                select(bpjs_refusal.c.id, bpjs_refusal.c.program_id, bpjs_refusal.c.reason).where(
                    bpjs_refusal.c.id == refusal_id, bpjs_refusal.c.resolved.is_(False)
                )
            )
            .mappings()
            .first()
        )
        if row is None:
            raise errors.REFUSAL_NOT_FOUND(row=refusal_id)
        conn.execute(
            update(bpjs_refusal).where(bpjs_refusal.c.id == refusal_id).values(resolved=True)
        )
        audit.record(
            conn,
            actor,
            "program.bpjs_dismiss",
            "bpjs_refusal",
            refusal_id,
            after={"reason": reason.strip()[:200], "code": row["reason"]},
        )
    return int(row["program_id"] or 0)
