"""The dossier a candidate presents, as data: who it is, the rubric (with its notice), the
evidence per criterion with points, the interview, its results so far and, for a region, its
coverage report on 31 December of the assessed year. :mod:`jaring.award.dossier` renders it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import Engine

from jaring.access import Actor
from jaring.award import stages
from jaring.award.queries import records
from jaring.award.queries.results import (
    RIGHT,
    CandidateRef,
    CriterionScore,
    JurorScore,
    RubricInfo,
    Spread,
    criterion_scores,
    default_stage,
    juror_scores,
    rubric_info,
    score_of,
)
from jaring.coverage import queries as coverage
from jaring.coverage.queries import CoverageReport
from jaring.i18n import _
from jaring.progress import SILENT, Progress

REGION_CATEGORIES = ("provinsi", "kabupaten-kota")


@dataclass(frozen=True)
class FileRef:
    name: str
    sha256: str


@dataclass(frozen=True)
class DossierCriterion:
    """A criterion with the evidence relied on (value, its label on a levels scale, where it
    came from, the figures behind it, the document) and what it earned."""

    code: str
    name: dict[str, str]
    weight_pct: Decimal
    scored_by: str
    evidence_needed: dict[str, str] | None
    unit: str | None
    label: str | None
    value: str | None
    origin: str | None
    detail: dict[str, Any] | None
    file: FileRef | None
    points: int | Decimal | None
    max: int
    score: Decimal | None


@dataclass(frozen=True)
class InterviewInfo:
    at: dt.datetime
    place: str | None
    head_attended: bool | None


@dataclass(frozen=True)
class Score:
    """The candidate's result (see :class:`~jaring.award.queries.results.Result`)."""

    candidate: str
    name: str
    category: str
    total: Decimal | None
    evidence_part: Decimal | None
    jury_part: Decimal | None
    jurors_submitted: int
    complete: bool
    criteria: list[CriterionScore]
    jurors: list[JurorScore]
    spread: Spread
    panel_size: int


@dataclass(frozen=True)
class Dossier:
    edition: int
    edition_name: str
    assessed_year: int
    candidate: CandidateRef
    rubric: RubricInfo
    criteria: list[DossierCriterion]
    interview: InterviewInfo | None
    results: Score
    coverage: CoverageReport | None
    stage: str = "wawancara-provinsi"  # the stage whose criteria and scores it shows
    max_total: Decimal = Decimal(100)  # the weight of those criteria


def dossier(
    engine: Engine, actor: Actor, year: int, candidate: str, progress: Progress = SILENT
) -> Dossier:
    """What candidate ``candidate`` of edition ``year`` presents. A region's coverage report
    is read with the actor's own rights; the criteria and scores are those of the stage the
    candidate is (or was last) assessed at (``coverage.read``, its regions). Refuses:
    ``forbidden``, ``edition_not_found``, ``candidate_not_found``, ``region_out_of_scope``."""
    actor.require(RIGHT)
    progress.step(_("Gathering the dossier"))
    with engine.connect() as conn:
        ed = records.edition(conn, year)
        cand = records.candidate(conn, ed, candidate)
        at = default_stage(ed, cand)  # the stage it is (or was last) assessed at
        res, evidence = score_of(conn, ed, cand, at)
        iv = records.interview(conn, cand.id, at)
    rubric = stages.stage_rubric(ed.rubrics[cand.category], at)
    ev = {e.criterion: e for e in evidence}
    criteria = []
    for c, row in zip(rubric["criteria"], res["criteria"], strict=True):
        e = ev.get(c["code"])
        levels = c["scale"].get("levels") or {}
        criteria.append(
            DossierCriterion(
                code=c["code"],
                name=c["name"],
                weight_pct=c["weight_pct"],
                scored_by=c["scored_by"],
                evidence_needed=c.get("evidence"),
                unit=c["scale"].get("unit"),
                label=(
                    levels.get(e.value, {}).get("label")
                    if e and c["scale"]["type"] == "levels"
                    else None
                ),
                value=e.value if e else None,
                origin=e.origin if e else None,
                detail=e.detail if e else None,
                file=FileRef(e.file_name, e.file_sha256 or "") if e and e.file_name else None,
                points=row.get("points", row.get("mean_points")),
                max=row["max"],
                score=row["score"],
            )
        )
    report = None
    if cand.category in REGION_CATEGORIES:
        report = coverage.coverage_report(
            engine, actor, cand.code, dt.date(ed.assessed_year, 12, 31), progress=progress
        )
    return Dossier(
        edition=year,
        edition_name=ed.name,
        assessed_year=ed.assessed_year,
        candidate=CandidateRef(cand.code, cand.name, cand.category, cand.stage),
        rubric=rubric_info(rubric),
        criteria=criteria,
        interview=None
        if iv is None
        else InterviewInfo(iv.scheduled_at, iv.place, iv.head_attended),
        results=Score(
            candidate=cand.code,
            name=cand.name,
            category=cand.category,
            total=res["total"],
            evidence_part=res["evidence_part"],
            jury_part=res["jury_part"],
            jurors_submitted=res["jurors_submitted"],
            complete=res["complete"],
            criteria=criterion_scores(res["criteria"]),
            jurors=juror_scores(res["jurors"]),
            spread=Spread(res["spread"]["range"], res["spread"]["stdev"]),
            panel_size=res["panel_size"],
        ),
        coverage=report,
        stage=at,
        max_total=res["max_total"],
    )
