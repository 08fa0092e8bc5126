"""The award's records one at a time, inside a caller's transaction: an edition (with its
frozen rubrics validated), a candidate, a juror, an interview and its panel, submissions and
evidence, and who the actor scores as. Each refuses what does not exist with a
:class:`~jaring.errors.NotFound` the user can act on. The award's actions and queries are
built on these."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, func, select

from jaring.access import Actor
from jaring.award import errors
from jaring.award import rubric as rb
from jaring.registry.regions import current_code
from jaring.store import dialect
from jaring.store.dialect import to_datetime
from jaring.store.tables.award import (
    award_candidate,
    award_edition,
    award_evidence,
    award_interview,
    award_juror,
    award_panel,
    award_submission,
)

JURY_ROLE = "juror"  # the role whose accounts score as the award juror of the same name
JSON = dict[str, Any]  # rubrics and evidence details, stored as JSON


@dataclass(frozen=True)
class Edition:
    id: int
    year: int
    assessed_year: int
    name: str
    stage: str  # one of jaring.award.stages.STAGES
    categories: list[str]
    rubrics: dict[str, JSON]  # category -> rubric, validated (weights as Decimal)


@dataclass(frozen=True)
class Candidate:
    id: int
    category: str
    code: str  # a region code, or a company's own code
    name: str
    stage: str = "administrasi"  # the furthest stage it has reached


@dataclass(frozen=True)
class Juror:
    id: int
    code: str
    name: str
    affiliation: str | None


@dataclass(frozen=True)
class Interview:
    id: int
    scheduled_at: dt.datetime
    place: str | None
    head_attended: bool | None
    notes: str | None = None
    stage: str = "wawancara-provinsi"  # the interview stage it is held at


@dataclass(frozen=True)
class Evidence:
    """The evidence of one criterion: its value, where it came from (``jaring``: filled from
    data; ``entered``: by the secretariat), the figures behind it and the document relied on
    (name, SHA-256, where it was read from)."""

    criterion: str
    value: str
    origin: str
    detail: JSON
    file_name: str | None
    file_sha256: str | None
    file_path: str | None
    attachment_id: int | None = None


def edition(conn: Connection, year: int, *, lock: bool = False) -> Edition:
    """The edition of ``year``; refuses ``edition_not_found``. With ``lock``, writers that
    also lock it (a stage move, an interview scheduled, a score) wait for this transaction,
    so each sees the stage the other left."""
    if lock:
        dialect.lock_row(conn, award_edition, award_edition.c.year == year)
    row = conn.execute(select(award_edition).where(award_edition.c.year == year)).first()
    if row is None:
        raise errors.EDITION_NOT_FOUND(edition=year)
    return Edition(
        id=int(row.id),
        year=int(row.year),
        assessed_year=int(row.assessed_year),
        name=row.name,
        stage=row.stage,
        categories=list(row.categories),
        rubrics={cat: rb.validate(r, file=f"edition {year}") for cat, r in row.rubric.items()},
    )


def _candidate(row: Any) -> Candidate:
    return Candidate(
        id=int(row.id), category=row.category, code=row.code, name=row.name, stage=row.stage
    )


def candidate(conn: Connection, ed: Edition, code: str) -> Candidate:
    """The candidate ``code`` (an old region code finds the current one); refuses
    ``candidate_not_found``."""
    row = conn.execute(
        select(award_candidate).where(
            award_candidate.c.edition_id == ed.id,
            award_candidate.c.code.in_([code, current_code(code)]),
        )
    ).first()
    if row is None:
        raise errors.CANDIDATE_NOT_FOUND(edition=ed.year, candidate=code)
    return _candidate(row)


def candidates(conn: Connection, ed: Edition, category: str | None = None) -> list[Candidate]:
    """The edition's candidates (of ``category``), by code."""
    q = select(award_candidate).where(award_candidate.c.edition_id == ed.id)
    if category is not None:
        q = q.where(award_candidate.c.category == category)
    return [_candidate(r) for r in conn.execute(q.order_by(award_candidate.c.code))]


def _juror(row: Any) -> Juror:
    return Juror(id=int(row.id), code=row.code, name=row.name, affiliation=row.affiliation)


def juror(conn: Connection, ed: Edition, code: str) -> Juror:
    """The juror ``code`` of the edition; refuses ``juror_not_found``."""
    row = conn.execute(
        select(award_juror).where(award_juror.c.edition_id == ed.id, award_juror.c.code == code)
    ).first()
    if row is None:
        raise errors.JUROR_NOT_FOUND(edition=ed.year, juror=code)
    return _juror(row)


def jurors(conn: Connection, ed: Edition) -> list[Juror]:
    """Every juror of the edition, by code."""
    return [
        _juror(r)
        for r in conn.execute(
            select(award_juror)
            .where(award_juror.c.edition_id == ed.id)
            .order_by(award_juror.c.code)
        )
    ]


def own_juror_code(conn: Connection, actor: Actor, year: int) -> str | None:
    """The award juror code an account with the juror role scores as in edition ``year``:
    the juror whose code equals its username, case aside (the secretariat creates the
    account ``j1`` for juror ``J1``). ``None`` for every other role; refuses ``not_a_juror``
    when a juror account is no juror of that edition."""
    if actor.role != JURY_ROLE:
        return None
    code = conn.execute(
        select(award_juror.c.code)
        .join(award_edition, award_edition.c.id == award_juror.c.edition_id)
        .where(award_edition.c.year == year, func.lower(award_juror.c.code) == actor.username)
    ).scalar_one_or_none()
    if code is None:
        raise errors.NOT_A_JUROR(edition=year)
    return str(code)


def acting_juror(conn: Connection, actor: Actor, year: int, asked: str | None) -> str | None:
    """Whose eyes a score or a view is for: a juror account is always itself (asking for
    another juror is refused, ``other_juror``); anyone else names the juror (``asked``) or
    is the secretariat (``None``)."""
    own = own_juror_code(conn, actor, year)
    if own is None:
        return asked
    if asked is not None and asked.lower() != own.lower():
        raise errors.OTHER_JUROR(juror=own, asked=asked)
    return own


def submitted(conn: Connection, candidate_id: int, juror_id: int, stage: str) -> bool:
    """Whether the juror has locked their scores of the candidate at ``stage``."""
    return (
        conn.execute(
            select(award_submission.c.juror_id).where(
                award_submission.c.candidate_id == candidate_id,
                award_submission.c.juror_id == juror_id,
                award_submission.c.stage == stage,
            )
        ).first()
        is not None
    )


def interview(conn: Connection, candidate_id: int, stage: str) -> Interview | None:
    """The candidate's interview at ``stage``, if scheduled."""
    row = conn.execute(
        select(award_interview).where(
            award_interview.c.candidate_id == candidate_id, award_interview.c.stage == stage
        )
    ).first()
    if row is None:
        return None
    at = to_datetime(row.scheduled_at)
    assert at is not None
    return Interview(
        id=int(row.id),
        scheduled_at=at,
        place=row.place,
        head_attended=row.head_attended,
        notes=row.notes,
        stage=row.stage,
    )


def panel(conn: Connection, interview_id: int) -> list[int]:
    """The ids of the jurors on an interview's panel."""
    return [
        r[0]
        for r in conn.execute(
            select(award_panel.c.juror_id).where(award_panel.c.interview_id == interview_id)
        )
    ]


def evidence(conn: Connection, candidate_id: int) -> list[Evidence]:
    """The candidate's evidence, by criterion."""
    return [
        Evidence(
            criterion=r.criterion,
            value=r.value,
            origin=r.origin,
            detail=r.detail,
            file_name=r.file_name,
            file_sha256=r.file_sha256,
            file_path=r.file_path,
            attachment_id=r.attachment_id,
        )
        for r in conn.execute(
            select(
                award_evidence.c.criterion,
                award_evidence.c.value,
                award_evidence.c.origin,
                award_evidence.c.detail,
                award_evidence.c.file_name,
                award_evidence.c.file_sha256,
                award_evidence.c.file_path,
                award_evidence.c.attachment_id,
            )
            .where(award_evidence.c.candidate_id == candidate_id)
            .order_by(award_evidence.c.criterion)
        )
    ]
