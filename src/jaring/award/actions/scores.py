"""A juror's scores: drafts while they think, then submitted and locked. A score belongs to
the edition's stage when it is given (an interview stage: :mod:`jaring.award.stages`), and
locks per stage. Needs ``award.score``. A juror account scores only as itself (the award
juror of its name) and only candidates whose interview panel it sits on (:mod:`jaring.award.jury`); the system actor
names the juror it enters scores for. Each action is one transaction with its audit event
(``award.score``, ``award.submit``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Engine, and_, func, insert, select, update

from jaring import audit
from jaring.access import Actor
from jaring.award import errors, jury, stages
from jaring.award import rubric as rb
from jaring.award.queries import records
from jaring.award.queries.records import Candidate, Edition, Juror
from jaring.errors import Coded
from jaring.store.tables.award import award_score, award_submission

RIGHT = "award.score"


@dataclass(frozen=True)
class ScoresRecorded:
    edition: int
    candidate: str
    juror: str
    points: dict[str, int]
    submitted: bool


@dataclass(frozen=True)
class ScoresSubmitted:
    edition: int
    candidate: str
    juror: str
    submitted: bool


def _scoring(
    conn: Connection, actor: Actor, year: int, candidate: str, juror: str | None
) -> tuple[Edition, Candidate, Juror, dict[str, Any]]:
    """The edition, candidate, juror and rubric of a scoring action, after the jury's checks:
    who the actor scores as, then the interview, the panel and the lock."""
    ed = records.edition(conn, year, lock=True)
    code = records.acting_juror(conn, actor, year, juror)
    if code is None:
        raise errors.JUROR_REQUIRED(field="juror")
    cand = records.candidate(conn, ed, candidate)
    jur = records.juror(conn, ed, code)
    if not stages.BY_CODE[ed.stage].interview:
        raise errors.STAGE_NO_INTERVIEW(stage=Coded(ed.stage, "award_stage"))
    iv = records.interview(conn, cand.id, ed.stage)
    jury.check_may_score(
        cand.code,
        jur.code,
        interviewed=iv is not None,
        on_panel=iv is not None and jur.id in records.panel(conn, iv.id),
        submitted=records.submitted(conn, cand.id, jur.id, ed.stage),
    )
    return ed, cand, jur, stages.stage_rubric(ed.rubrics[cand.category], ed.stage)


def _submit(
    conn: Connection, rubric: dict[str, Any], cand: Candidate, jur: Juror, stage: str
) -> None:
    scored = conn.execute(
        select(award_score.c.criterion).where(
            award_score.c.candidate_id == cand.id,
            award_score.c.juror_id == jur.id,
            award_score.c.stage == stage,
        )
    ).scalars()
    jury.check_complete(rubric, scored)
    conn.execute(
        insert(award_submission).values(candidate_id=cand.id, juror_id=jur.id, stage=stage)
    )


def record_scores(
    engine: Engine,
    actor: Actor,
    year: int,
    candidate: str,
    points: dict[str, int],
    notes: dict[str, str] | None = None,
    submit: bool = False,
    juror: str | None = None,
) -> ScoresRecorded:
    """A juror scores jury criteria of a candidate they interview at the edition's stage
    (drafts may be changed until submitted). With ``submit`` the scores are locked in the
    same transaction. ``juror``: whom the system actor scores for (a juror account is always
    itself). Refuses: ``forbidden``, ``juror_required``, ``other_juror``, ``not_a_juror``,
    ``stage_no_interview``, ``no_interview``, ``not_on_panel``, ``scores_locked``,
    ``unknown_criterion``, ``not_jury_criterion``, ``bad_points``, ``incomplete_scores`` (on
    submit)."""
    actor.require(RIGHT)
    with engine.begin() as conn:
        ed, cand, jur, rubric = _scoring(conn, actor, year, candidate, juror)
        for code, p in points.items():
            rb.check_jury_points(rb.criterion(rubric, code), int(p))
        for code, p in points.items():
            where = and_(
                award_score.c.candidate_id == cand.id,
                award_score.c.juror_id == jur.id,
                award_score.c.criterion == code,
                award_score.c.stage == ed.stage,
            )
            note = (notes or {}).get(code)
            if conn.execute(select(award_score.c.id).where(where)).first():
                conn.execute(
                    update(award_score)
                    .where(where)
                    .values(points=int(p), note=note, updated_at=func.now())
                )
            else:
                conn.execute(
                    insert(award_score).values(
                        candidate_id=cand.id,
                        juror_id=jur.id,
                        criterion=code,
                        points=int(p),
                        note=note,
                        stage=ed.stage,
                    )
                )
        if submit:
            _submit(conn, rubric, cand, jur, ed.stage)
        audit.record(
            conn,
            actor,
            "award.score",
            "award_candidate",
            f"{year}/{cand.code}",
            after={"juror": jur.code, "points": points, "submit": submit, "stage": ed.stage},
        )
    return ScoresRecorded(year, cand.code, jur.code, points, submit)


def submit_scores(
    engine: Engine, actor: Actor, year: int, candidate: str, juror: str | None = None
) -> ScoresSubmitted:
    """Lock a juror's scores for a candidate; after this they cannot change. Refuses as
    :func:`record_scores`, and ``incomplete_scores`` until every jury criterion is
    scored."""
    actor.require(RIGHT)
    with engine.begin() as conn:
        ed, cand, jur, rubric = _scoring(conn, actor, year, candidate, juror)
        _submit(conn, rubric, cand, jur, ed.stage)
        audit.record(
            conn,
            actor,
            "award.submit",
            "award_candidate",
            f"{year}/{cand.code}",
            after={"juror": jur.code, "stage": ed.stage},
        )
    return ScoresSubmitted(year, cand.code, jur.code, True)
