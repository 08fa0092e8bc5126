"""What the web's award pages need beyond the results: a juror's desk (the candidates on
their panels, each new, drafted or locked, and how many are done), the scoring sheet of one
candidate (each criterion with its evidence, the interview notes and a score guide), and the
secretariat's view of an edition (candidates with their interview, evidence and jurors).

Every query needs ``award.read``; a juror account sees as itself (:mod:`.records`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlalchemy import Engine, func, select

from jaring.access import Actor
from jaring.award import errors, stages
from jaring.award import rubric as rb
from jaring.award.queries import records
from jaring.award.queries.records import Evidence, Interview
from jaring.award.queries.results import RIGHT, JurorView, _juror_view
from jaring.store.dialect import to_datetime
from jaring.store.tables.award import (
    award_candidate,
    award_interview,
    award_panel,
    award_score,
    award_submission,
)


@dataclass(frozen=True)
class DeskItem:
    """A candidate a juror scores: ``state`` ``new`` (nothing yet), ``draft`` (scores saved,
    not locked; ``saved_at`` when) or ``locked`` (submitted)."""

    code: str
    name: str
    category: str
    state: str
    saved_at: dt.datetime | None
    interview_at: dt.datetime | None


@dataclass(frozen=True)
class Desk:
    """A juror's candidates in an edition and the progress: ``done`` of ``total`` locked."""

    edition: int
    stage: str
    juror: str
    items: list[DeskItem]
    done: int
    total: int


@dataclass(frozen=True)
class GuideLevel:
    points: int
    words: dict[str, str]


@dataclass(frozen=True)
class SheetCriterion:
    """One criterion on the scoring sheet: what it weighs, how it is scored, its evidence
    (``None`` for none yet) with the points it earns, what the evidence should be, the
    guide to each score, and the juror's own points (jury criteria)."""

    code: str
    name: dict[str, str]
    weight_pct: Decimal
    scored_by: str
    min: int | None
    max: int
    evidence: Evidence | None
    evidence_points: int | None
    asks_for: dict[str, str] | None
    guide: list[GuideLevel]
    own: int | None
    unit: str | None = None  # of the evidence value (ratio, rupiah...), for its words
    levels: dict[str, str] = field(default_factory=dict)  # level code -> label


@dataclass(frozen=True)
class Sheet:
    """The scoring sheet of one candidate for one juror (or the secretariat looking as
    one): criteria with evidence and guide, interview notes, whether the scores are saved
    as a draft or locked, and the juror's progress over the edition."""

    edition: int
    stage: str
    code: str
    name: str
    category: str
    juror: str
    criteria: list[SheetCriterion]
    interview: Interview | None
    submitted: bool
    draft_saved_at: dt.datetime | None
    view: JurorView
    done: int
    total: int


def _desk(conn: Any, ed: records.Edition, code: str) -> Desk:
    jur = records.juror(conn, ed, code)
    here = award_interview.c.stage == ed.stage  # a juror scores at the edition's stage
    on_panel = (
        select(award_interview.c.candidate_id)
        .join(award_panel, award_panel.c.interview_id == award_interview.c.id)
        .where(award_panel.c.juror_id == jur.id, here)
    )
    rows = conn.execute(
        select(
            award_candidate.c.id,
            award_candidate.c.code,
            award_candidate.c.name,
            award_candidate.c.category,
            award_interview.c.scheduled_at,
        )
        .select_from(
            award_candidate.outerjoin(
                award_interview,
                (award_interview.c.candidate_id == award_candidate.c.id) & here,
            )
        )
        .where(award_candidate.c.edition_id == ed.id, award_candidate.c.id.in_(on_panel))
        .order_by(award_interview.c.scheduled_at, award_candidate.c.code)
    ).all()
    saved = dict(
        conn.execute(
            select(award_score.c.candidate_id, func.max(award_score.c.updated_at))
            .where(award_score.c.juror_id == jur.id, award_score.c.stage == ed.stage)
            .group_by(award_score.c.candidate_id)
        ).all()
    )
    locked = {
        r[0]
        for r in conn.execute(
            select(award_submission.c.candidate_id).where(
                award_submission.c.juror_id == jur.id, award_submission.c.stage == ed.stage
            )
        )
    }
    items = [
        DeskItem(
            code=r.code,
            name=r.name,
            category=r.category,
            state="locked" if r.id in locked else ("draft" if r.id in saved else "new"),
            saved_at=to_datetime(saved.get(r.id)),
            interview_at=to_datetime(r.scheduled_at),
        )
        for r in rows
    ]
    return Desk(
        edition=ed.year,
        stage=ed.stage,
        juror=code,
        items=items,
        done=sum(1 for i in items if i.state == "locked"),
        total=len(items),
    )


def desk(engine: Engine, actor: Actor, year: int, juror: str | None = None) -> Desk:
    """A juror's candidates (those on whose interview panel they sit) with their state and
    the progress. A juror account is itself; the secretariat names the ``juror``. Refuses
    ``juror_required``, ``not_a_juror``, ``other_juror``, ``edition_not_found``."""
    actor.require(RIGHT)
    with engine.connect() as conn:
        ed = records.edition(conn, year)
        code = records.acting_juror(conn, actor, year, juror)
        if code is None:
            raise errors.JUROR_REQUIRED(field="juror")
        return _desk(conn, ed, code)


def sheet(
    engine: Engine, actor: Actor, year: int, candidate: str, juror: str | None = None
) -> Sheet:
    """The scoring sheet of ``candidate`` for the acting juror. Refuses as :func:`desk` and
    ``candidate_not_found``."""
    actor.require(RIGHT)
    with engine.connect() as conn:
        ed = records.edition(conn, year)
        code = records.acting_juror(conn, actor, year, juror)
        if code is None:
            raise errors.JUROR_REQUIRED(field="juror")
        cand = records.candidate(conn, ed, candidate)
        view = _juror_view(conn, ed, cand, code)
        iv = records.interview(conn, cand.id, ed.stage)
        jur = records.juror(conn, ed, code)
        saved_at = conn.execute(
            select(func.max(award_score.c.updated_at)).where(
                award_score.c.candidate_id == cand.id,
                award_score.c.juror_id == jur.id,
                award_score.c.stage == ed.stage,
            )
        ).scalar_one_or_none()
        d = _desk(conn, ed, code)
    by_criterion = {e.criterion: e for e in view.evidence}
    criteria = []
    for c in stages.criteria(ed.rubrics[cand.category], ed.stage):
        ev = by_criterion.get(c["code"])
        scale = c["scale"]
        points = None
        if ev is not None and c["scored_by"] == "evidence":
            try:
                points = rb.evidence_points(c, ev.value)
            except Exception:  # a value off today's scale: shown without points
                points = None
        criteria.append(
            SheetCriterion(
                code=c["code"],
                name=c["name"],
                weight_pct=Decimal(str(c["weight_pct"])),
                scored_by=c["scored_by"],
                min=scale.get("min") if scale["type"] == "points" else None,
                max=int(scale["max"]),
                evidence=ev,
                evidence_points=points,
                asks_for=c.get("evidence"),
                guide=[GuideLevel(p, w) for p, w in rb.score_guide(c)],
                own=view.own.get(c["code"]),
                unit=scale.get("unit"),
                levels=rb.levels_of(c),
            )
        )
    return Sheet(
        edition=year,
        stage=ed.stage,
        code=cand.code,
        name=cand.name,
        category=cand.category,
        juror=code,
        criteria=criteria,
        interview=iv,
        submitted=view.submitted,
        draft_saved_at=None if view.submitted else to_datetime(saved_at),
        view=view,
        done=d.done,
        total=d.total,
    )


@dataclass(frozen=True)
class AdminCandidate:
    """A candidate as the secretariat manages it: its interview and panel, the criteria with
    evidence entered and those still missing."""

    code: str
    name: str
    category: str
    interview: Interview | None
    panel: list[str]
    evidence: list[Evidence]
    missing: list[str]
    stage: str = "administrasi"  # the furthest stage reached
    at_stage: bool = True  # assessed at the edition's stage
    shortlisted: bool = False  # chosen to go on to the next stage


@dataclass(frozen=True)
class AdminEdition:
    """An edition for the secretariat: its stage, categories, jurors and candidates, and
    the evidence criteria of each category (code, name, levels for the form), and the
    stages it may be moved to (``stage_moves``; the move itself checks the rest)."""

    year: int
    name: str
    stage: str
    assessed_year: int
    categories: list[str]
    jurors: list[records.Juror]
    candidates: list[AdminCandidate]
    evidence_criteria: dict[str, list[dict[str, Any]]]
    stage_moves: list[str] = field(default_factory=list)
    next_stage: str | None = None  # where a shortlist sends its candidates
    interview: bool = False  # the stage holds interviews
    jury_size: int | None = None  # the panel the stage needs (None: any size)
    assessed_by: str = ""  # who assesses the stage (labels: award_assessor)


def admin_edition(engine: Engine, actor: Actor, year: int) -> AdminEdition:
    """Everything the secretariat sets up in an edition: each candidate with the furthest
    stage it reached, its interview at the edition's stage and whether it is shortlisted for
    the next. Needs ``award.manage``."""
    actor.require("award.manage")
    with engine.connect() as conn:
        ed = records.edition(conn, year)
        jurors = records.jurors(conn, ed)
        by_id = {j.id: j.code for j in jurors}
        cands = []
        for c in records.candidates(conn, ed):
            iv = records.interview(conn, c.id, ed.stage)
            panel = [by_id.get(j, str(j)) for j in records.panel(conn, iv.id)] if iv else []
            ev = records.evidence(conn, c.id)
            have = {e.criterion for e in ev}
            crit = ed.rubrics[c.category]["criteria"]
            cands.append(
                AdminCandidate(
                    code=c.code,
                    name=c.name,
                    category=c.category,
                    interview=iv,
                    panel=panel,
                    evidence=ev,
                    missing=[
                        k["code"]
                        for k in crit
                        if k["scored_by"] == "evidence" and k["code"] not in have
                    ],
                    stage=c.stage,
                    at_stage=stages.reached(c.stage, ed.stage),
                    shortlisted=stages.index(c.stage) > stages.index(ed.stage),
                )
            )
    ev_crit = {
        cat: [
            {
                "code": k["code"],
                "name": k["name"],
                "levels": list(rb.levels_of(k).items()),
                "unit": k["scale"].get("unit"),
            }
            for k in ed.rubrics[cat]["criteria"]
            if k["scored_by"] == "evidence"
        ]
        for cat in ed.categories
    }
    return AdminEdition(
        year=ed.year,
        name=ed.name,
        stage=ed.stage,
        assessed_year=ed.assessed_year,
        categories=list(ed.categories),
        jurors=jurors,
        candidates=cands,
        evidence_criteria=ev_crit,
        stage_moves=list(stages.moves(ed.stage)),
        next_stage=stages.next_stage(ed.stage),
        interview=stages.BY_CODE[ed.stage].interview,
        jury_size=stages.BY_CODE[ed.stage].jury_size,
        assessed_by=stages.BY_CODE[ed.stage].assessed_by,
    )
