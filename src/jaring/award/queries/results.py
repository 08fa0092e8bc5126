"""Results: a candidate's weighted score with each juror's contribution and the spread, the
ranking of a category with its stated tie-break, what a juror may see of a candidate, and
the editions with their candidates.

Every query needs ``award.read``. Only submitted scores count, and only those of the stage
asked (default: the edition's stage, or the last one a candidate was assessed at): a stage
ranks by its own criteria (:func:`jaring.award.stages.criteria`) and its own scores. A
juror account sees as itself (the award juror of its name): the other jurors' scores, and any result built from
them, only for candidates it has submitted scores for (``submit_first``); the secretariat may
look as a named juror (``viewer``) to check what that juror sees.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, Engine, and_, select

from jaring.access import Actor
from jaring.award import errors, jury, measures, scoring, stages
from jaring.award import rubric as rb
from jaring.award.queries import records
from jaring.award.queries.records import Candidate, Edition, Evidence
from jaring.store.tables.award import (
    award_candidate,
    award_edition,
    award_juror,
    award_score,
    award_submission,
)

RIGHT = "award.read"


@dataclass(frozen=True)
class CriterionScore:
    """One criterion of a candidate's result: evidence criteria have ``points`` (the same
    for every juror), jury criteria ``mean_points`` over the submitted jurors."""

    criterion: str
    scored_by: str
    weight_pct: Decimal
    points: int | None
    mean_points: Decimal | None
    max: int
    missing: bool
    score: Decimal | None


@dataclass(frozen=True)
class JurorScore:
    juror: str
    points: dict[str, int | None]
    contribution: Decimal | None  # this juror's share of the total
    own_total: Decimal | None  # the total had this juror judged alone


@dataclass(frozen=True)
class Spread:
    range: Decimal | None
    stdev: Decimal | None


@dataclass(frozen=True)
class Result:
    """A candidate's weighted score (2 decimals, half up), its evidence and jury parts, each
    criterion and juror, and the spread; ``complete`` once every criterion has its evidence
    and every juror of the panel has submitted."""

    edition: int
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
    evidence: list[Evidence]
    stage: str = "wawancara-provinsi"  # the stage these scores belong to
    max_total: Decimal = Decimal(100)  # the weight of the stage's criteria


@dataclass(frozen=True)
class RankedCandidate:
    """A row of a ranking: ``decided_by`` names what put it below the row above (``total``
    or a tie-break), ``tie`` when nothing did (a shared rank)."""

    rank: int
    decided_by: str | None
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
class RubricInfo:
    """Which rubric: its code, whether it is official, its notice and title by language."""

    code: str
    official: bool
    notice: dict[str, str] | None
    title: dict[str, str] | None


@dataclass(frozen=True)
class Ranking:
    """A category's candidates at ``stage`` (those that reached it), ranked on that
    stage's criteria and scores; totals are out of ``max_total`` (the weight of the stage's
    criteria)."""

    edition: int
    category: str
    rubric: RubricInfo
    tie_break: list[str]
    ranking: list[RankedCandidate]
    stage: str = "wawancara-provinsi"
    max_total: Decimal = Decimal(100)
    # each criterion's name by language, for saying what separated two candidates
    criterion_names: dict[str, dict[str, str]] = field(default_factory=dict)


@dataclass(frozen=True)
class JurorView:
    """What a juror may see of a candidate: the evidence, their own scores, and the other
    jurors' submitted scores once their own are submitted (``others`` ``None`` before)."""

    edition: int
    candidate: str
    juror: str
    submitted: bool
    own: dict[str, int]
    others: dict[str, dict[str, int]] | None
    evidence: list[Evidence]
    stage: str = "wawancara-provinsi"


@dataclass(frozen=True)
class CandidateRef:
    code: str
    name: str
    category: str
    stage: str = "administrasi"  # the furthest stage it has reached


@dataclass(frozen=True)
class EditionSummary:
    id: int
    year: int
    assessed_year: int
    name: str
    stage: str
    categories: list[str]
    candidates: list[CandidateRef]


@dataclass(frozen=True)
class CriterionInfo:
    """A criterion as a scoring screen shows it (``min`` only on a jury's points scale)."""

    code: str
    name: dict[str, str]
    weight_pct: Decimal
    scored_by: str
    min: int | None
    max: int


@dataclass(frozen=True)
class CandidatePage:
    """A candidate's page: the secretariat's ``result``, or a juror's own ``view``; the
    rubric of its category and the criteria a juror scores."""

    year: int
    code: str
    name: str
    category: str
    rubric: RubricInfo
    criteria: list[CriterionInfo]
    jury: list[CriterionInfo]
    result: Result | None
    view: JurorView | None


def rubric_info(rubric: dict[str, Any]) -> RubricInfo:
    return RubricInfo(
        code=rubric["code"],
        official=bool(rubric["official"]),
        notice=rubric.get("notice"),
        title=rubric.get("title"),
    )


def criterion_scores(rows: list[dict[str, Any]]) -> list[CriterionScore]:
    return [
        CriterionScore(
            criterion=r["criterion"],
            scored_by=r["scored_by"],
            weight_pct=r["weight_pct"],
            points=r.get("points"),
            mean_points=r.get("mean_points"),
            max=r["max"],
            missing=r["missing"],
            score=r["score"],
        )
        for r in rows
    ]


def juror_scores(rows: list[dict[str, Any]]) -> list[JurorScore]:
    return [JurorScore(r["juror"], r["points"], r["contribution"], r["own_total"]) for r in rows]


def stage_weight(rubric: dict[str, Any], stage: str) -> Decimal:
    """The weight of the criteria ``stage`` assesses (its totals are out of this)."""
    return sum((Decimal(str(c["weight_pct"])) for c in stages.criteria(rubric, stage)), Decimal(0))


def default_stage(ed: Edition, cand: Candidate) -> str:
    """The stage a candidate is shown at: the edition's, or the furthest it reached if it
    stayed behind."""
    return cand.stage if stages.index(cand.stage) < stages.index(ed.stage) else ed.stage


def score_of(
    conn: Connection, ed: Edition, cand: Candidate, stage: str
) -> tuple[dict[str, Any], list[Evidence]]:
    """The candidate's result at ``stage`` as :func:`jaring.award.scoring.candidate_result`
    gives it on the stage's criteria and scores (exact values kept for ranking), with
    ``panel_size`` and ``complete`` for the stage's panel, and its evidence rows."""
    rubric = stages.stage_rubric(ed.rubrics[cand.category], stage)
    ev_rows = records.evidence(conn, cand.id)
    known = {c["code"] for c in rubric["criteria"]}
    evidence = {
        r.criterion: rb.evidence_points(rb.criterion(rubric, r.criterion), r.value)
        for r in ev_rows
        if r.criterion in known
    }
    scores: dict[str, dict[str, int]] = {}
    for j, c, p in conn.execute(
        select(award_juror.c.code, award_score.c.criterion, award_score.c.points)
        .select_from(
            award_score.join(award_juror, award_juror.c.id == award_score.c.juror_id).join(
                award_submission,
                and_(
                    award_submission.c.candidate_id == award_score.c.candidate_id,
                    award_submission.c.juror_id == award_score.c.juror_id,
                ),
            )
        )
        .where(
            award_score.c.candidate_id == cand.id,
            award_score.c.stage == stage,
            award_submission.c.stage == stage,
        )
    ):
        scores.setdefault(j, {})[c] = int(p)
    iv = records.interview(conn, cand.id, stage) if stages.BY_CODE[stage].interview else None
    entered = {r.criterion for r in ev_rows if r.origin == "entered"}
    for c in rubric["criteria"]:
        # the attendance counted is that of this stage's interview (entered evidence wins)
        if c.get("measure") == "head_attendance" and c["code"] not in entered:
            m = measures.head_attendance(iv.head_attended, iv.scheduled_at) if iv else None
            if m is None:
                evidence.pop(c["code"], None)
            else:
                evidence[c["code"]] = rb.evidence_points(c, m.value)
    res = scoring.candidate_result(rubric, evidence, scores)
    if stages.BY_CODE[stage].interview:
        panel = len(records.panel(conn, iv.id)) if iv else 0
        res["complete"] = res["complete"] and res["jurors_submitted"] == panel
    else:  # assessed from the evidence alone
        panel = 0
        res["complete"] = not any(r["missing"] for r in res["criteria"])
    res["panel_size"] = panel
    res["stage"] = stage
    res["max_total"] = stage_weight(ed.rubrics[cand.category], stage)
    return res, ev_rows


def _result(year: int, cand: Candidate, res: dict[str, Any], ev: list[Evidence]) -> Result:
    return Result(
        edition=year,
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
        evidence=ev,
        stage=res["stage"],
        max_total=res["max_total"],
    )


def _check_viewer(
    conn: Connection, ed: Edition, cands: list[Candidate], viewer: str | None, stage: str
) -> None:
    """A juror (``viewer``) sees results of ``stage`` only for candidates they have
    submitted that stage's scores for (or whose panel they do not sit on); ``None`` is the
    secretariat."""
    if viewer is None or not stages.BY_CODE[stage].interview:
        return
    jur = records.juror(conn, ed, viewer)
    for cand in cands:
        iv = records.interview(conn, cand.id, stage)
        jury.check_may_view(
            cand.code,
            viewer,
            on_panel=iv is not None and jur.id in records.panel(conn, iv.id),
            submitted=records.submitted(conn, cand.id, jur.id, stage),
        )


def _stage(ed: Edition, stage: str | None) -> str:
    return ed.stage if stage is None else stages.canonical(stage)


def results(
    engine: Engine,
    actor: Actor,
    year: int,
    candidate: str,
    viewer: str | None = None,
    stage: str | None = None,
) -> Result:
    """One candidate's weighted score at ``stage`` (default: the edition's, or the last
    stage the candidate reached), each juror's contribution and the spread. Refuses:
    ``forbidden``, ``edition_not_found``, ``candidate_not_found``, ``bad_stage``,
    ``not_a_juror``, ``submit_first`` (a juror who has not submitted for this candidate)."""
    actor.require(RIGHT)
    with engine.connect() as conn:
        ed = records.edition(conn, year)
        viewer = records.acting_juror(conn, actor, year, viewer)
        cand = records.candidate(conn, ed, candidate)
        at = default_stage(ed, cand) if stage is None else stages.canonical(stage)
        _check_viewer(conn, ed, [cand], viewer, at)
        res, ev = score_of(conn, ed, cand, at)
    return _result(year, cand, res, ev)


def ranking(
    engine: Engine,
    actor: Actor,
    year: int,
    category: str,
    viewer: str | None = None,
    stage: str | None = None,
) -> Ranking:
    """Candidates of a category that reached ``stage`` (default: the edition's stage), best
    first on that stage's criteria and scores, with the tie-break rule stated; an earlier
    stage's ranking stays readable after the edition moves on. Refuses as :func:`results`,
    and ``bad_category`` for a category the edition does not open."""
    actor.require(RIGHT)
    with engine.connect() as conn:
        ed = records.edition(conn, year)
        at = _stage(ed, stage)
        viewer = records.acting_juror(conn, actor, year, viewer)
        if category not in ed.categories:
            raise errors.BAD_CATEGORY(
                field="category", category=category, choices=", ".join(ed.categories)
            )
        cands = [c for c in records.candidates(conn, ed, category) if stages.reached(c.stage, at)]
        _check_viewer(conn, ed, cands, viewer, at)
        rubric = stages.stage_rubric(ed.rubrics[category], at)
        rows = []
        for c in cands:
            res, _ev = score_of(conn, ed, c, at)
            rows.append({**res, "candidate": c.code, "name": c.name, "category": c.category})
    ranked = [
        RankedCandidate(
            rank=r["rank"],
            decided_by=r["decided_by"],
            candidate=r["candidate"],
            name=r["name"],
            category=r["category"],
            total=r["total"],
            evidence_part=r["evidence_part"],
            jury_part=r["jury_part"],
            jurors_submitted=r["jurors_submitted"],
            complete=r["complete"],
            criteria=criterion_scores(r["criteria"]),
            jurors=juror_scores(r["jurors"]),
            spread=Spread(r["spread"]["range"], r["spread"]["stdev"]),
            panel_size=r["panel_size"],
        )
        for r in scoring.rank(rubric, rows)
    ]
    return Ranking(
        edition=year,
        category=category,
        rubric=rubric_info(rubric),
        tie_break=["total", *rubric["tie_break"], "shared_rank"],
        ranking=ranked,
        stage=at,
        max_total=stage_weight(ed.rubrics[category], at),
        criterion_names={
            str(c["code"]): dict(c.get("name") or {}) for c in ed.rubrics[category]["criteria"]
        },
    )


def _juror_view(conn: Connection, ed: Edition, cand: Candidate, code: str) -> JurorView:
    """What juror ``code`` sees of ``cand`` at the edition's stage (scores are given there)."""
    jur = records.juror(conn, ed, code)
    rows = [
        (j, c, int(p))
        for j, c, p in conn.execute(
            select(award_juror.c.code, award_score.c.criterion, award_score.c.points)
            .select_from(award_score.join(award_juror, award_juror.c.id == award_score.c.juror_id))
            .where(award_score.c.candidate_id == cand.id, award_score.c.stage == ed.stage)
        )
    ]
    submitted = records.submitted(conn, cand.id, jur.id, ed.stage)
    others_submitted = {
        r[0]
        for r in conn.execute(
            select(award_juror.c.code)
            .select_from(
                award_submission.join(award_juror, award_juror.c.id == award_submission.c.juror_id)
            )
            .where(award_submission.c.candidate_id == cand.id, award_submission.c.stage == ed.stage)
        )
    }
    return JurorView(
        edition=ed.year,
        candidate=cand.code,
        juror=code,
        submitted=submitted,
        own={c: p for j, c, p in rows if j == code},
        others=jury.others_visible(rows, code, submitted, others_submitted),
        evidence=records.evidence(conn, cand.id),
        stage=ed.stage,
    )


def juror_view(
    engine: Engine, actor: Actor, year: int, candidate: str, juror: str | None = None
) -> JurorView:
    """What a juror may see of a candidate: the evidence, their own scores, and the other
    jurors' submitted scores only once their own are submitted. A juror account sees as
    itself; anyone else names the ``juror``. Refuses: ``forbidden``, ``juror_required``,
    ``other_juror``, ``not_a_juror``, and the look-ups' ``*_not_found``."""
    actor.require(RIGHT)
    with engine.connect() as conn:
        ed = records.edition(conn, year)
        code = records.acting_juror(conn, actor, year, juror)
        if code is None:
            raise errors.JUROR_REQUIRED(field="juror")
        cand = records.candidate(conn, ed, candidate)
        return _juror_view(conn, ed, cand, code)


def candidate(
    engine: Engine, actor: Actor, year: int, code: str, stage: str | None = None
) -> Result | JurorView:
    """A candidate as the actor may see it: a juror account its own :class:`JurorView` (at
    the edition's stage, where it scores), everyone else the :class:`Result` at ``stage``
    (default as :func:`results`)."""
    actor.require(RIGHT)
    with engine.connect() as conn:
        own = records.own_juror_code(conn, actor, year)
    if own is not None:
        return juror_view(engine, actor, year, code)
    return results(engine, actor, year, code, stage=stage)


def _criterion_info(c: dict[str, Any]) -> CriterionInfo:
    scale = c["scale"]
    return CriterionInfo(
        code=c["code"],
        name=c["name"],
        weight_pct=Decimal(str(c["weight_pct"])),
        scored_by=c["scored_by"],
        min=scale.get("min") if scale["type"] == "points" else None,
        max=int(scale["max"]),
    )


def candidate_page(
    engine: Engine, actor: Actor, year: int, code: str, stage: str | None = None
) -> CandidatePage:
    """What a candidate's page shows the actor (see :func:`candidate`), with the rubric of
    its category. Refuses as :func:`results` / :func:`juror_view`."""
    seen = candidate(engine, actor, year, code, stage)
    with engine.connect() as conn:
        ed = records.edition(conn, year)
        cand = records.candidate(conn, ed, code)
    rubric = ed.rubrics[cand.category]
    criteria = [_criterion_info(c) for c in rubric["criteria"]]
    return CandidatePage(
        year=year,
        code=code,
        name=cand.name,
        category=cand.category,
        rubric=rubric_info(rubric),
        criteria=criteria,
        jury=[c for c in criteria if c.scored_by == "jury"],
        result=seen if isinstance(seen, Result) else None,
        view=seen if isinstance(seen, JurorView) else None,
    )


def editions(engine: Engine, actor: Actor) -> list[EditionSummary]:
    """Every edition, newest first, with its categories and candidates."""
    actor.require(RIGHT)
    with engine.connect() as conn:
        eds = conn.execute(
            select(
                award_edition.c.id,
                award_edition.c.year,
                award_edition.c.assessed_year,
                award_edition.c.name,
                award_edition.c.stage,
                award_edition.c.categories,
            ).order_by(award_edition.c.year.desc())
        ).all()
        out = []
        for ed in eds:
            cands = conn.execute(
                select(
                    award_candidate.c.code,
                    award_candidate.c.name,
                    award_candidate.c.category,
                    award_candidate.c.stage,
                )
                .where(award_candidate.c.edition_id == ed.id)
                .order_by(award_candidate.c.category, award_candidate.c.code)
            )
            out.append(
                EditionSummary(
                    id=int(ed.id),
                    year=int(ed.year),
                    assessed_year=int(ed.assessed_year),
                    name=ed.name,
                    stage=ed.stage,
                    categories=list(ed.categories),
                    candidates=[CandidateRef(c.code, c.name, c.category, c.stage) for c in cands],
                )
            )
    return out
