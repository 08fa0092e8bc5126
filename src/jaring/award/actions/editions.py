"""Running an edition: open it, move it through its four stages, shortlist the candidates
that go on, add candidates and jurors, schedule interviews with their panels and record the
head of region's attendance. The secretariat's work: every action
needs ``award.manage``, is one transaction and writes its audit event in it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, Table, delete, func, insert, select, update

from jaring import audit
from jaring.access import Actor
from jaring.award import errors, measures, stages
from jaring.award import rubric as rb
from jaring.award.actions.evidence import put_evidence
from jaring.award.queries import records
from jaring.award.queries.results import RubricInfo, rubric_info
from jaring.award.stages import JURY_SIZE, check_move
from jaring.coverage.queries import check_region
from jaring.coverage.regions import resolve
from jaring.errors import Coded, JaringError
from jaring.store.tables.award import (
    award_candidate,
    award_edition,
    award_interview,
    award_juror,
    award_panel,
    award_score,
)

RIGHT = "award.manage"
REGION_LEVEL = {"provinsi": 1, "kabupaten-kota": 2}  # the region categories


@dataclass(frozen=True)
class EditionCreated:
    edition: int
    assessed_year: int
    stage: str
    categories: list[str]
    rubrics: dict[str, RubricInfo]


@dataclass(frozen=True)
class StageChanged:
    edition: int
    before: str
    stage: str


@dataclass(frozen=True)
class Shortlisted:
    """The candidates of ``stage`` that go on to ``next_stage`` (``candidates``), and those
    that stay (``stay``)."""

    edition: int
    stage: str
    next_stage: str
    candidates: list[str]
    stay: list[str]


@dataclass(frozen=True)
class CandidateAdded:
    edition: int
    category: str
    code: str
    name: str


@dataclass(frozen=True)
class JurorAdded:
    edition: int
    code: str
    name: str
    affiliation: str | None


@dataclass(frozen=True)
class InterviewScheduled:
    edition: int
    candidate: str
    at: dt.datetime
    place: str | None
    jurors: list[str]


@dataclass(frozen=True)
class AttendanceRecorded:
    edition: int
    candidate: str
    head_attended: bool


def create_edition(
    engine: Engine,
    actor: Actor,
    year: int,
    categories: list[str],
    rubric_file: Path | None = None,
    assessed_year: int | None = None,
    name: str | None = None,
    stage: str = "administrasi",
) -> EditionCreated:
    """Open an edition at ``stage`` (default the first, the administrative data; the old
    ``provinsi`` and ``nasional`` are the interview stages); each category gets
    ``rubric_file`` or the shipped rubric for it, frozen into the edition so that later edits
    to a rubric file do not change its scoring. The assessed year defaults to the year
    before. Refuses: ``bad_category``, ``bad_stage``,
    ``bad_file``, ``bad_rubric``, ``rubric_category``, ``edition_exists``, ``forbidden``."""
    actor.require(RIGHT)
    cats = [c.strip() for c in categories if c.strip()]
    bad = [c for c in cats if c not in rb.CATEGORIES]
    if not cats or bad:
        raise errors.BAD_CATEGORY(
            field="categories",
            category=", ".join(bad) or "-",
            value=bad,
            choices=", ".join(rb.CATEGORIES),
        )
    stage = stages.canonical(stage)
    rubrics = {}
    for cat in cats:
        r = rb.load(rubric_file, cat)
        if r.get("categories") and cat not in r["categories"]:
            raise errors.RUBRIC_CATEGORY(rubric=r.get("code"), category=cat)
        rubrics[cat] = rb.to_json(r)
    assessed = assessed_year or year - 1
    with engine.begin() as conn:
        if conn.execute(select(award_edition.c.id).where(award_edition.c.year == year)).first():
            raise errors.EDITION_EXISTS(edition=year)
        row = {
            "year": year,
            "assessed_year": assessed,
            "name": name or f"Paritrana Award {year}",
            "stage": stage,
            "categories": cats,
        }
        conn.execute(insert(award_edition).values(**row, rubric=rubrics))
        codes = {c: r["code"] for c, r in rubrics.items()}
        audit.record(
            conn,
            actor,
            "award.edition_create",
            "award_edition",
            year,
            after={**row, "rubrics": codes},
        )
    return EditionCreated(
        edition=year,
        assessed_year=assessed,
        stage=stage,
        categories=cats,
        rubrics={c: rubric_info(r) for c, r in rubrics.items()},
    )


def change_stage(engine: Engine, actor: Actor, year: int, stage: str) -> StageChanged:
    """Move the edition of ``year`` to ``stage`` (a code, or the old ``provinsi`` /
    ``nasional``) by the rules of :mod:`jaring.award.stages`: forward once the secretariat has
    shortlisted who goes on, unless an unscored interview of the new stage has a panel it
    refuses; back only while nothing is scored after the stage it goes back to. Forward, the
    shortlisted candidates reach the new stage; back, those past it return to the one after
    it (still shortlisted). Earlier stages' scores stay as they are. The edition is locked
    while the rules are checked, so an interview scheduled or a score recorded at the same
    time waits and then sees the new stage. Refuses ``bad_stage``, ``stage_unchanged``,
    ``stage_scored``, ``no_shortlist``, ``stage_panels``, ``edition_not_found``,
    ``forbidden``. Audited as ``award.edition_stage``."""
    actor.require(RIGHT)
    target = stages.canonical(stage)
    with engine.begin() as conn:
        ed = records.edition(conn, year, lock=True)
        in_edition = select(award_candidate.c.id).where(award_candidate.c.edition_id == ed.id)
        later = stages.STAGES[stages.index(target) + 1 :]
        scores_after = conn.execute(
            select(func.count())
            .select_from(award_score)
            .where(award_score.c.candidate_id.in_(in_edition), award_score.c.stage.in_(later))
        ).scalar_one()
        scored = select(award_score.c.candidate_id).where(
            award_score.c.candidate_id.in_(in_edition), award_score.c.stage == target
        )
        panels = {
            str(code): int(n)
            for code, n in conn.execute(
                select(award_candidate.c.code, func.count(award_panel.c.juror_id))
                .select_from(
                    award_interview.join(
                        award_candidate, award_candidate.c.id == award_interview.c.candidate_id
                    ).join(award_panel, award_panel.c.interview_id == award_interview.c.id)
                )
                .where(
                    award_candidate.c.edition_id == ed.id,
                    award_interview.c.stage == target,
                    award_candidate.c.id.not_in(scored),
                )
                .group_by(award_candidate.c.code)
            )
        }
        reached = [c.stage for c in records.candidates(conn, ed)]
        at_stage = [s for s in reached if stages.reached(s, ed.stage)]
        gone_on = [s for s in at_stage if stages.index(s) > stages.index(ed.stage)]
        check_move(
            ed.stage,
            target,
            scores_after=int(scores_after),
            panels=panels,
            at_stage=len(at_stage),
            shortlisted=len(gone_on),
        )
        if stages.index(target) > stages.index(ed.stage):
            # the shortlisted (past the current stage) reach the new one
            passed = [s for s in stages.STAGES if stages.index(s) > stages.index(ed.stage)]
            below = [s for s in passed if stages.index(s) < stages.index(target)]
            conn.execute(
                update(award_candidate)
                .where(award_candidate.c.edition_id == ed.id, award_candidate.c.stage.in_(below))
                .values(stage=target)
            )
        else:
            nxt = stages.next_stage(target)
            beyond = [s for s in stages.STAGES if stages.index(s) > stages.index(target)]
            conn.execute(
                update(award_candidate)
                .where(award_candidate.c.edition_id == ed.id, award_candidate.c.stage.in_(beyond))
                .values(stage=nxt)
            )
        conn.execute(update(award_edition).where(award_edition.c.id == ed.id).values(stage=target))
        audit.record(
            conn,
            actor,
            "award.edition_stage",
            "award_edition",
            year,
            before={"stage": ed.stage},
            after={"stage": target},
        )
    return StageChanged(edition=year, before=ed.stage, stage=target)


def shortlist(engine: Engine, actor: Actor, year: int, candidates: list[str]) -> Shortlisted:
    """Choose, at the edition's stage, the candidates that pass it and go on to the next
    (the secretariat's decision; it replaces an earlier choice at the same stage, so a
    candidate can be taken off again until the edition moves). Refuses ``last_stage``,
    ``not_at_stage`` (a candidate not assessed at this stage), ``candidate_not_found``,
    ``forbidden``. Audited as ``award.shortlist`` with the list before and after."""
    actor.require(RIGHT)
    with engine.begin() as conn:
        ed = records.edition(conn, year, lock=True)
        chosen = [records.candidate(conn, ed, c) for c in dict.fromkeys(candidates) if c]
        here = [c for c in records.candidates(conn, ed) if stages.reached(c.stage, ed.stage)]
        codes = {c.code for c in here}
        nxt = stages.check_shortlist(ed.stage, [c.code for c in chosen if c.code not in codes])
        before = sorted(c.code for c in here if c.stage != ed.stage)
        ids = [c.id for c in chosen]
        conn.execute(
            update(award_candidate)
            .where(
                award_candidate.c.id.in_([c.id for c in here]),
                award_candidate.c.id.not_in(ids),
            )
            .values(stage=ed.stage)
        )
        conn.execute(update(award_candidate).where(award_candidate.c.id.in_(ids)).values(stage=nxt))
        after = sorted(c.code for c in chosen)
        audit.record(
            conn,
            actor,
            "award.shortlist",
            "award_edition",
            year,
            before={"stage": ed.stage, "candidates": before},
            after={"stage": ed.stage, "candidates": after},
        )
    return Shortlisted(
        edition=year,
        stage=ed.stage,
        next_stage=nxt,
        candidates=after,
        stay=sorted(codes - set(after)),
    )


def _insert_new(conn: Connection, table: Table, row: dict[str, Any], exists: JaringError) -> None:
    """Insert ``row`` unless the edition already has one with its ``code`` (then refuse)."""
    if conn.execute(
        select(table.c.code).where(
            table.c.edition_id == row["edition_id"], table.c.code == row["code"]
        )
    ).first():
        raise exists
    conn.execute(insert(table).values(**row))


def add_candidate(
    engine: Engine, actor: Actor, year: int, category: str, code: str, name: str | None = None
) -> CandidateAdded:
    """Add a candidate: a province (``96``) or regency/city (``96.71``) by its region code
    (inside the actor's regions; its name from the region's), or a company / micro business
    by a code of the secretariat's choosing and a name. Refuses: ``bad_category``,
    ``unknown_region``, ``bad_candidate`` (a region of the wrong level),
    ``region_out_of_scope``, ``name_required``, ``candidate_exists``, ``forbidden``."""
    actor.require(RIGHT)
    with engine.begin() as conn:
        ed = records.edition(conn, year)
        if category not in ed.categories:
            raise errors.BAD_CATEGORY(
                field="category", category=category, choices=", ".join(ed.categories)
            )
        if category in REGION_LEVEL:
            code, level, region_name = resolve(code)
            if level != REGION_LEVEL[category]:
                raise errors.BAD_CANDIDATE(field="code", candidate=code, category=category)
            check_region(actor, code)
            name = name or region_name
        elif not name:
            raise errors.NAME_REQUIRED(field="name", candidate=code)
        _insert_new(
            conn,
            award_candidate,
            {
                "edition_id": ed.id,
                "category": category,
                "code": code,
                "name": name,
                "stage": ed.stage,
            },
            errors.CANDIDATE_EXISTS(candidate=code, edition=year),
        )
        audit.record(
            conn,
            actor,
            "award.candidate_add",
            "award_candidate",
            f"{year}/{code}",
            after={"category": category, "name": name},
        )
    return CandidateAdded(year, category, code, name)


def add_juror(
    engine: Engine,
    actor: Actor,
    year: int,
    code: str,
    name: str,
    affiliation: str | None = None,
) -> JurorAdded:
    """Register a juror of the edition under a short code (``J1``); a web account of role
    ``juror`` named like the code (``j1``) scores as this juror. Refuses ``juror_exists``,
    ``edition_not_found``, ``forbidden``."""
    actor.require(RIGHT)
    with engine.begin() as conn:
        ed = records.edition(conn, year)
        _insert_new(
            conn,
            award_juror,
            {"edition_id": ed.id, "code": code, "name": name, "affiliation": affiliation},
            errors.JUROR_EXISTS(juror=code),
        )
        audit.record(
            conn,
            actor,
            "award.juror_add",
            "award_juror",
            f"{year}/{code}",
            after={"name": name, "affiliation": affiliation},
        )
    return JurorAdded(year, code, name, affiliation)


def schedule_interview(
    engine: Engine,
    actor: Actor,
    year: int,
    candidate: str,
    at: dt.datetime,
    jurors: list[str] | None = None,
    place: str | None = None,
) -> InterviewScheduled:
    """Schedule (or re-schedule, before any score) a candidate's interview at the edition's
    stage with its panel (default: every juror of the edition). Only the interview stages
    hold one; the candidate must have reached the stage; at the national interview the panel
    has nine jurors, at the provincial one a regional team of any size; a juror cannot sit
    on two interviews at the same time. Refuses ``stage_no_interview``, ``not_at_stage``,
    ``jury_size``, ``interview_scored``, ``juror_busy``, ``juror_not_found``,
    ``forbidden``."""
    actor.require(RIGHT)
    with engine.begin() as conn:
        ed = records.edition(conn, year, lock=True)
        cand = records.candidate(conn, ed, candidate)
        if not stages.BY_CODE[ed.stage].interview:
            raise errors.STAGE_NO_INTERVIEW(stage=Coded(ed.stage, "award_stage"))
        if not stages.reached(cand.stage, ed.stage):
            raise errors.NOT_AT_STAGE(
                field="candidate", stage=Coded(ed.stage, "award_stage"), candidates=cand.code
            )
        if jurors is None:
            panel = records.jurors(conn, ed)
        else:
            panel = [records.juror(conn, ed, j) for j in dict.fromkeys(jurors)]
        need = JURY_SIZE.get(ed.stage)
        if (need is not None and len(panel) != need) or not panel:
            raise errors.JURY_SIZE(
                stage=Coded(ed.stage, "award_stage"),
                needed=need if need is not None else ">= 1",
                given=len(panel),
            )
        old = records.interview(conn, cand.id, ed.stage)
        if old is not None:
            scored = conn.execute(
                select(func.count())
                .select_from(award_score)
                .where(award_score.c.candidate_id == cand.id, award_score.c.stage == ed.stage)
            ).scalar_one()
            if scored:
                raise errors.INTERVIEW_SCORED(candidate=cand.code)
            conn.execute(delete(award_panel).where(award_panel.c.interview_id == old.id))
            conn.execute(delete(award_interview).where(award_interview.c.id == old.id))
        busy = conn.execute(
            select(award_juror.c.code)
            .select_from(
                award_panel.join(
                    award_interview, award_panel.c.interview_id == award_interview.c.id
                ).join(award_juror, award_juror.c.id == award_panel.c.juror_id)
            )
            .where(
                award_interview.c.scheduled_at == at,
                award_panel.c.juror_id.in_([j.id for j in panel]),
            )
        ).first()
        if busy:
            raise errors.JUROR_BUSY(juror=busy[0], at=f"{at:%Y-%m-%d %H:%M}")
        iid = conn.execute(
            insert(award_interview)
            .values(candidate_id=cand.id, scheduled_at=at, place=place, stage=ed.stage)
            .returning(award_interview.c.id)
        ).scalar_one()
        conn.execute(insert(award_panel), [{"interview_id": iid, "juror_id": j.id} for j in panel])
        codes = [j.code for j in panel]
        audit.record(
            conn,
            actor,
            "award.interview_schedule",
            "award_candidate",
            f"{year}/{cand.code}",
            before=None if old is None else {"at": old.scheduled_at, "place": old.place},
            after={"at": at, "place": place, "jurors": codes, "stage": ed.stage},
        )
    return InterviewScheduled(year, cand.code, at, place, codes)


def record_interview_notes(
    engine: Engine, actor: Actor, year: int, candidate: str, notes: str
) -> AttendanceRecorded:
    """Keep the secretariat's notes of a candidate's interview at the edition's stage (what
    was presented, the answers), shown to the jurors beside each criterion. Refuses
    ``no_interview``, ``forbidden`` and the look-ups' ``*_not_found``. Audited as
    ``award.interview_notes``."""
    actor.require(RIGHT)
    with engine.begin() as conn:
        ed = records.edition(conn, year)
        cand = records.candidate(conn, ed, candidate)
        iv = records.interview(conn, cand.id, ed.stage)
        if iv is None:
            raise errors.NO_INTERVIEW(candidate=cand.code)
        text = notes.strip()[:5000] or None
        conn.execute(
            update(award_interview).where(award_interview.c.id == iv.id).values(notes=text)
        )
        audit.record(
            conn,
            actor,
            "award.interview_notes",
            "award_candidate",
            f"{year}/{cand.code}",
            before={"notes": iv.notes},
            after={"notes": text},
        )
    return AttendanceRecorded(year, cand.code, bool(iv.head_attended))


def record_attendance(
    engine: Engine, actor: Actor, year: int, candidate: str, attended: bool
) -> AttendanceRecorded:
    """Record whether the head of region attended the interview of the edition's stage in
    person; a stage's result counts the attendance of its own interview for an attendance
    criterion, when the rubric has one (kept as that criterion's evidence too). Refuses
    ``no_interview``, ``forbidden`` and the look-ups' ``*_not_found``."""
    actor.require(RIGHT)
    with engine.begin() as conn:
        ed = records.edition(conn, year)
        cand = records.candidate(conn, ed, candidate)
        iv = records.interview(conn, cand.id, ed.stage)
        if iv is None:
            raise errors.NO_INTERVIEW(candidate=cand.code)
        conn.execute(
            update(award_interview)
            .where(award_interview.c.id == iv.id)
            .values(head_attended=attended)
        )
        for c in ed.rubrics[cand.category]["criteria"]:
            if c.get("measure") == "head_attendance":
                m = measures.head_attendance(attended, iv.scheduled_at)
                assert m is not None
                put_evidence(conn, cand.id, c, m.value, "jaring", m.detail)
        audit.record(
            conn,
            actor,
            "award.attendance",
            "award_candidate",
            f"{year}/{cand.code}",
            before={"head_attended": iv.head_attended},
            after={"head_attended": attended},
        )
    return AttendanceRecorded(year, cand.code, attended)
