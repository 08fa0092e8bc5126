"""Jury actions: a juror scores a candidate they interview, submits (locking the scores), and
sees other jurors' scores only after submitting. The isolation rules live here so that every
interface (CLI, web) enforces the same."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, Engine, and_, func, insert, select, update

from jaring.award import lookups as lk
from jaring.award import rubric as rb
from jaring.errors import JaringError
from jaring.store.tables.award import (
    award_juror,
    award_score,
    award_submission,
)


# ---------------------------------------------------------------------------- scores
def record_scores(
    engine: Engine,
    year: int,
    candidate: str,
    juror: str,
    points: dict[str, int],
    notes: dict[str, str] | None = None,
    submit: bool = False,
) -> dict[str, Any]:
    """A juror scores jury criteria of a candidate they interview (drafts may be changed
    until submitted). With ``submit`` the scores are locked in the same transaction."""
    with engine.begin() as conn:
        ed = lk.edition(conn, year)
        cand = lk.candidate(conn, ed, candidate)
        jur = lk.juror(conn, ed, juror)
        _check_may_score(conn, cand, jur)
        rubric = ed["rubrics"][cand["category"]]
        for code, p in points.items():
            rb.check_jury_points(rb.criterion(rubric, code), int(p))
        for code, p in points.items():
            where = and_(
                award_score.c.candidate_id == cand["id"],
                award_score.c.juror_id == jur["id"],
                award_score.c.criterion == code,
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
                        candidate_id=cand["id"],
                        juror_id=jur["id"],
                        criterion=code,
                        points=int(p),
                        note=note,
                    )
                )
        if submit:
            _submit(conn, rubric, cand, jur)
    return {
        "edition": year,
        "candidate": cand["code"],
        "juror": juror,
        "points": points,
        "submitted": submit,
    }


def _check_may_score(conn: Connection, cand: dict[str, Any], jur: dict[str, Any]) -> None:
    iv = lk.interview(conn, cand["id"])
    if iv is None:
        raise JaringError(
            "no_interview",
            f"Wawancara {cand['code']} belum dijadwalkan",
            f"No interview scheduled for {cand['code']}",
            candidate=cand["code"],
        )
    if jur["id"] not in lk.panel(conn, iv["id"]):
        raise JaringError(
            "not_on_panel",
            f"Juri {jur['code']} tidak termasuk panel wawancara {cand['code']}",
            f"Juror {jur['code']} is not on the interview panel of {cand['code']}",
            juror=jur["code"],
            candidate=cand["code"],
        )
    if lk.submitted(conn, cand["id"], jur["id"]):
        raise JaringError(
            "scores_locked",
            f"Nilai juri {jur['code']} untuk {cand['code']} sudah dikirim dan dikunci",
            f"Juror {jur['code']}'s scores for {cand['code']} are submitted and locked",
            juror=jur["code"],
            candidate=cand["code"],
        )


def _submit(
    conn: Connection, rubric: dict[str, Any], cand: dict[str, Any], jur: dict[str, Any]
) -> None:
    have = {
        r[0]
        for r in conn.execute(
            select(award_score.c.criterion).where(
                award_score.c.candidate_id == cand["id"], award_score.c.juror_id == jur["id"]
            )
        )
    }
    missing = [
        c["code"] for c in rubric["criteria"] if c["scored_by"] == "jury" and c["code"] not in have
    ]
    if missing:
        raise JaringError(
            "incomplete_scores",
            f"Belum semua kriteria dinilai: {', '.join(missing)}",
            f"Not every criterion is scored: {', '.join(missing)}",
            missing=missing,
        )
    conn.execute(insert(award_submission).values(candidate_id=cand["id"], juror_id=jur["id"]))


def submit_scores(engine: Engine, year: int, candidate: str, juror: str) -> dict[str, Any]:
    """Lock a juror's scores for a candidate; after this they cannot change."""
    with engine.begin() as conn:
        ed = lk.edition(conn, year)
        cand = lk.candidate(conn, ed, candidate)
        jur = lk.juror(conn, ed, juror)
        _check_may_score(conn, cand, jur)
        _submit(conn, ed["rubrics"][cand["category"]], cand, jur)
    return {"edition": year, "candidate": cand["code"], "juror": juror, "submitted": True}


def juror_view(engine: Engine, year: int, candidate: str, juror: str) -> dict[str, Any]:
    """What a juror may see of a candidate: the evidence, their own scores, and the other
    jurors' scores only once their own are submitted (``others`` is ``None`` before)."""
    with engine.connect() as conn:
        ed = lk.edition(conn, year)
        cand = lk.candidate(conn, ed, candidate)
        jur = lk.juror(conn, ed, juror)
        rows = conn.execute(
            select(award_juror.c.code, award_score.c.criterion, award_score.c.points)
            .select_from(award_score.join(award_juror, award_juror.c.id == award_score.c.juror_id))
            .where(award_score.c.candidate_id == cand["id"])
        ).all()
        submitted = lk.submitted(conn, cand["id"], jur["id"])
        others_submitted = {
            r[0]
            for r in conn.execute(
                select(award_juror.c.code)
                .select_from(
                    award_submission.join(
                        award_juror, award_juror.c.id == award_submission.c.juror_id
                    )
                )
                .where(award_submission.c.candidate_id == cand["id"])
            )
        }
        evidence = lk.evidence_rows(conn, cand["id"])
    own = {c: p for j, c, p in rows if j == juror}
    others: dict[str, dict[str, int]] | None = None
    if submitted:
        others = {}
        for j, c, p in rows:
            if j != juror and j in others_submitted:
                others.setdefault(j, {})[c] = p
    return {
        "edition": year,
        "candidate": cand["code"],
        "juror": juror,
        "submitted": submitted,
        "own": own,
        "others": others,
        "evidence": evidence,
    }
