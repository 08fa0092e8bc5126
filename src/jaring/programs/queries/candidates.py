"""A program's candidates added by hand, as they are read: the list on the program's page,
the API and the CLI (:func:`candidate_list`), and what the plan counts of it
(:func:`listed_people`). Written by :mod:`jaring.programs.actions.candidates`."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from sqlalchemy import Engine, case, func, select, true
from sqlalchemy.sql import ColumnElement

from jaring import audit
from jaring.access import Actor
from jaring.programs.queries.programs import Program, find_program
from jaring.registry.queries.people import LIST_COLUMNS, PersonRow, person_rows, scope_clause
from jaring.store.tables.programs import program_candidate
from jaring.store.tables.registry import person

PAGE = 100


@dataclasses.dataclass(frozen=True)
class Candidate:
    """A person on a program's list: the person (masked as the actor sees people), who
    added them, when (UTC) and why, and whether they live in the program's region."""

    person: PersonRow
    reason: str
    added_by: str
    added_at: dt.datetime
    in_region: bool


@dataclasses.dataclass(frozen=True)
class CandidateList:
    """A page of a program's list (by person id, after ``after``), ``total`` people on it
    (of the actor's regions), ``outside`` of them outside the program's region; ``next``
    is the key of the next page (``None`` on the last)."""

    program_id: int
    program: str
    total: int
    outside: int
    people: list[Candidate]
    next: int | None


def in_program_region(prog: Program, cols: Any) -> ColumnElement[bool]:
    """SQL: a person (columns ``district_code``, ``regency_code``, ``province_code`` of
    ``cols``) lives in the region that funds ``prog`` (``funder_region``, a code prefix);
    everyone when the program names no region."""
    if not prog.funder_region:
        return true()
    place = func.coalesce(cols.district_code, cols.regency_code, cols.province_code, "")
    return place.startswith(prog.funder_region, autoescape=True)


def listed_people(prog: Program) -> ColumnElement[bool]:
    """SQL on ``person``: on ``prog``'s list and in its region (the plan adds the checks of
    life and NIK it makes of everyone)."""
    on_list = person.c.id.in_(
        select(program_candidate.c.person_id).where(program_candidate.c.program_id == prog.id)
    )
    return on_list & in_program_region(prog, person.c)


def candidate_list(
    engine: Engine,
    actor: Actor,
    program_ref: str | int,
    *,
    after: int | None = None,
    limit: int = PAGE,
) -> CandidateList:
    """A page of ``program_ref``'s candidates added by hand, of the actor's regions, masked
    as the actor sees people. Needs ``program.read`` and ``person.read``; refuses
    ``program_not_found``. Audited as a read (``program.candidates``: the ids shown)."""
    actor.require("program.read")
    actor.require("person.read")
    limit = max(1, min(int(limit), 1_000))
    with engine.connect() as conn:
        prog = find_program(conn, program_ref)
        inside = in_program_region(prog, person.c)
        mine = [program_candidate.c.program_id == prog.id]
        scope = scope_clause(actor)
        if scope is not None:
            mine.append(scope)
        joined = program_candidate.join(person, person.c.id == program_candidate.c.person_id)
        total, outside = conn.execute(
            select(
                func.count(),
                func.coalesce(func.sum(case((inside, 0), else_=1)), 0),
            )
            .select_from(joined)
            .where(*mine)
        ).one()
        stmt = (
            select(
                *LIST_COLUMNS,
                program_candidate.c.reason,
                program_candidate.c.added_by,
                program_candidate.c.added_at,
                inside.label("in_region"),
            )
            .select_from(joined)
            .where(*mine)
            .order_by(person.c.id)
            .limit(limit + 1)
        )
        if after is not None:
            stmt = stmt.where(person.c.id > int(after))
        rows = conn.execute(stmt).all()
    shown = rows[:limit]
    n = len(LIST_COLUMNS)
    people = person_rows([r[:n] for r in shown], actor)
    out = [
        Candidate(
            person=p,
            reason=str(r[n]),
            added_by=str(r[n + 1]),
            added_at=_datetime(r[n + 2]),
            in_region=bool(r[n + 3]),
        )
        for p, r in zip(people, shown, strict=True)
    ]
    if out:
        audit.record_read(
            engine, actor, "program.candidates", "program", prog.id,
            {"people": [c.person.id for c in out]},
        )  # fmt: skip
    return CandidateList(
        program_id=prog.id,
        program=prog.name,
        total=int(total),
        outside=int(outside or 0),
        people=out,
        next=out[-1].person.id if len(rows) > limit else None,
    )


def _datetime(value: Any) -> dt.datetime:
    if isinstance(value, dt.datetime):
        return value
    return dt.datetime.fromisoformat(str(value))
