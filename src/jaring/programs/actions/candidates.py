"""A program's candidates added by hand: people a user puts on the program's list beside
those its targeting rules select (who, when and why), and taken off again.

The list is what OpenSPP and openIMIS call adding beneficiaries to a programme by hand: the
plan (:func:`jaring.programs.queries.plans.draft_plan`) counts the people of the list as
candidates whatever the rules say about occupation, decile, age or sex, but still only
those alive on the first month planned, living in the program's region
(``funder_region``) and with a NIK when the program requires one, and never twice.

Changing the list changes what a plan buys, so it needs what planning needs:
``program.write`` and every region (:func:`~jaring.programs.actions.scope.require_whole_program`).
Each action is one transaction with its audit event, set-based (one ``INSERT ... SELECT``
or ``DELETE``), whatever the number of people.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Engine, and_, delete, exists, func, insert, literal, select

from jaring import audit
from jaring.access import Actor
from jaring.programs import errors
from jaring.programs.actions.scope import require_whole_program
from jaring.programs.queries.candidates import in_program_region
from jaring.programs.queries.programs import find_program
from jaring.registry.queries import browse
from jaring.store.tables.programs import program_candidate
from jaring.store.tables.registry import person

MAX_AT_ONCE = 100_000  # people added or removed by one action
MAX_REASON = 500
_AUDITED_IDS = 1_000  # person ids written into the audit event (beyond: the count)


@dataclasses.dataclass(frozen=True)
class CandidatesAdded:
    """What adding did: ``added`` people newly on ``program``'s list, ``already`` on it
    before, ``outside`` left off because they live outside the program's region."""

    program_id: int
    program: str
    added: int
    already: int
    outside: int


@dataclasses.dataclass(frozen=True)
class CandidatesRemoved:
    """How many people were taken off ``program``'s list (``not_listed``: asked for but
    not on it)."""

    program_id: int
    program: str
    removed: int
    not_listed: int


def _ids(ids: Sequence[int] | None) -> list[int] | None:
    if ids is None:
        return None
    out = sorted({int(i) for i in ids})
    if not out:
        raise errors.NO_CANDIDATES_CHOSEN(field="ids")
    if len(out) > MAX_AT_ONCE:
        raise errors.TOO_MANY_CANDIDATES(count=len(out), limit=MAX_AT_ONCE, field="ids")
    return out


def add_candidates(
    engine: Engine,
    actor: Actor,
    program_ref: str | int,
    *,
    reason: str,
    ids: Sequence[int] | None = None,
    filters: browse.Filters | None = None,
    now: dt.datetime | None = None,
) -> CandidatesAdded:
    """Put on ``program_ref``'s list of candidates the people ``ids`` (ticked on the people
    list), or everyone ``filters`` keep when ``ids`` is ``None`` (the people list's filters;
    both may be given: the ticked ones among those the filters keep), with ``reason``.

    People already on the list keep their first entry; people outside the program's region
    are left off and counted. Needs ``program.write`` and every region; refuses
    ``missing_reason``, ``no_candidates_chosen``, ``too_many_candidates`` (more than
    :data:`MAX_AT_ONCE`), ``program_not_found``, the list's ``filter_invalid``. Audited as
    ``program.candidates_add`` (reason, filters, counts, the ids up to a thousand)."""
    require_whole_program(actor, "program.write")
    why = (reason or "").strip()
    if not why:
        raise errors.MISSING_REASON(field="reason")
    if len(why) > MAX_REASON:
        why = why[:MAX_REASON]
    wanted = _ids(ids)
    f = filters or browse.Filters()
    at = (now or dt.datetime.now(dt.UTC)).replace(tzinfo=None, microsecond=0)
    with engine.begin() as conn:
        prog = find_program(conn, program_ref)
        chosen = (
            browse.selection(conn, actor, f, wanted)
            .with_only_columns(
                person.c.id, person.c.district_code, person.c.regency_code, person.c.province_code
            )
            .order_by(None)
            .subquery("chosen")
        )
        count = int(conn.execute(select(func.count()).select_from(chosen)).scalar() or 0)
        if count == 0:
            raise errors.NO_CANDIDATES_CHOSEN(field="ids")
        if count > MAX_AT_ONCE:
            raise errors.TOO_MANY_CANDIDATES(count=count, limit=MAX_AT_ONCE, field="filters")
        listed = exists().where(
            program_candidate.c.program_id == prog.id,
            program_candidate.c.person_id == chosen.c.id,
        )
        inside = in_program_region(prog, chosen.c)
        already = int(
            conn.execute(select(func.count()).select_from(chosen).where(listed)).scalar() or 0
        )
        outside = int(
            conn.execute(select(func.count()).select_from(chosen).where(~listed, ~inside)).scalar()
            or 0
        )
        new = select(
            literal(prog.id),
            chosen.c.id,
            literal(why),
            literal(actor.username),
            literal(at),
        ).where(~listed, inside)
        added = count - already - outside  # the driver's rowcount of INSERT ... SELECT varies
        conn.execute(
            insert(program_candidate).from_select(
                ["program_id", "person_id", "reason", "added_by", "added_at"], new
            )
        )
        after: dict[str, Any] = {
            "reason": why,
            "filters": f.active(),
            "added": added,
            "already": already,
            "outside": outside,
        }
        if wanted is not None and len(wanted) <= _AUDITED_IDS:
            after["ids"] = wanted
        audit.record(conn, actor, "program.candidates_add", "program", prog.id, after=after)
    return CandidatesAdded(prog.id, prog.name, added, already, outside)


def remove_candidates(
    engine: Engine, actor: Actor, program_ref: str | int, ids: Sequence[int]
) -> CandidatesRemoved:
    """Take the people ``ids`` off ``program_ref``'s list of candidates (a plan saved
    before keeps them; the next plan does not count them unless the rules select them).
    Needs ``program.write`` and every region; refuses ``no_candidates_chosen``,
    ``too_many_candidates``, ``program_not_found``. Audited as
    ``program.candidates_remove`` with the entries removed (who added them, when, why)."""
    require_whole_program(actor, "program.write")
    wanted = _ids(ids) or []
    with engine.begin() as conn:
        prog = find_program(conn, program_ref)
        mine = and_(
            program_candidate.c.program_id == prog.id,
            program_candidate.c.person_id.in_(wanted),
        )
        before = [
            {
                "person_id": int(r.person_id),
                "reason": r.reason,
                "added_by": r.added_by,
                "added_at": r.added_at,
            }
            for r in conn.execute(
                select(
                    program_candidate.c.person_id,
                    program_candidate.c.reason,
                    program_candidate.c.added_by,
                    program_candidate.c.added_at,
                )
                .where(mine)
                .order_by(program_candidate.c.person_id)
            )
        ]
        removed = len(before)
        conn.execute(delete(program_candidate).where(mine))
        if removed:
            audit.record(
                conn,
                actor,
                "program.candidates_remove",
                "program",
                prog.id,
                before=before,
                after={"removed": removed},
            )
    return CandidatesRemoved(prog.id, prog.name, removed, len(wanted) - removed)
