"""Look-ups shared by the award actions: an edition (with its frozen rubric validated), a
candidate, a juror, an interview and its panel, submissions and evidence rows. Each refuses
what does not exist with a :class:`NotFound` the user can act on."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, select

from jaring.award import rubric as rb
from jaring.errors import NotFound
from jaring.store.tables.award import (
    award_candidate,
    award_edition,
    award_evidence,
    award_interview,
    award_juror,
    award_panel,
    award_submission,
)


def edition(conn: Connection, year: int) -> dict[str, Any]:
    row = conn.execute(select(award_edition).where(award_edition.c.year == year)).mappings().first()
    if row is None:
        raise NotFound(
            "edition_not_found",
            f"Edisi Paritrana {year} belum dibuat",
            f"Paritrana edition {year} does not exist",
            edition=year,
        )
    ed = dict(row)
    ed["rubrics"] = {cat: rb.validate(r, file=f"edition {year}") for cat, r in ed["rubric"].items()}
    return ed


def candidate(conn: Connection, ed: dict[str, Any], code: str) -> dict[str, Any]:
    from jaring.registry.regions import current_code

    row = (
        conn.execute(
            select(award_candidate).where(
                award_candidate.c.edition_id == ed["id"],
                award_candidate.c.code.in_([code, current_code(code)]),
            )
        )
        .mappings()
        .first()
    )
    if row is None:
        raise NotFound(
            "candidate_not_found",
            f"Kandidat {code} tidak ada di edisi {ed['year']}",
            f"Candidate {code} is not in edition {ed['year']}",
            edition=ed["year"],
            candidate=code,
        )
    return dict(row)


def juror(conn: Connection, ed: dict[str, Any], code: str) -> dict[str, Any]:
    row = (
        conn.execute(
            select(award_juror).where(
                award_juror.c.edition_id == ed["id"], award_juror.c.code == code
            )
        )
        .mappings()
        .first()
    )
    if row is None:
        raise NotFound(
            "juror_not_found",
            f"Juri {code} tidak terdaftar di edisi {ed['year']}",
            f"Juror {code} is not registered in edition {ed['year']}",
            edition=ed["year"],
            juror=code,
        )
    return dict(row)


def submitted(conn: Connection, candidate_id: int, juror_id: int) -> bool:
    return (
        conn.execute(
            select(award_submission.c.juror_id).where(
                award_submission.c.candidate_id == candidate_id,
                award_submission.c.juror_id == juror_id,
            )
        ).first()
        is not None
    )


def interview(conn: Connection, candidate_id: int) -> dict[str, Any] | None:
    row = (
        conn.execute(select(award_interview).where(award_interview.c.candidate_id == candidate_id))
        .mappings()
        .first()
    )
    return dict(row) if row else None


def panel(conn: Connection, interview_id: int) -> list[int]:
    return [
        r[0]
        for r in conn.execute(
            select(award_panel.c.juror_id).where(award_panel.c.interview_id == interview_id)
        )
    ]


def evidence_rows(conn: Connection, candidate_id: int) -> list[dict[str, Any]]:
    return [
        dict(r)
        for r in conn.execute(
            select(
                award_evidence.c.criterion,
                award_evidence.c.value,
                award_evidence.c.origin,
                award_evidence.c.detail,
                award_evidence.c.file_name,
                award_evidence.c.file_sha256,
                award_evidence.c.file_path,
            )
            .where(award_evidence.c.candidate_id == candidate_id)
            .order_by(award_evidence.c.criterion)
        ).mappings()
    ]
