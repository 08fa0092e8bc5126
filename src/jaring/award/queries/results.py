"""Results: a candidate's weighted score with each juror's contribution and the spread, the
ranking of a category with its stated tie-break, and the dossier a candidate presents.
Only submitted scores count; a juror may view results only after submitting."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Connection, Engine, and_, select

from jaring.award import lookups as lk
from jaring.award import rubric as rb
from jaring.award import scoring
from jaring.errors import JaringError
from jaring.store.tables.award import (
    award_candidate,
    award_juror,
    award_score,
    award_submission,
)


# ---------------------------------------------------------------------------- results
def _result(conn: Connection, ed: dict[str, Any], cand: dict[str, Any]) -> dict[str, Any]:
    rubric = ed["rubrics"][cand["category"]]
    ev_rows = lk.evidence_rows(conn, cand["id"])
    evidence = {}
    for r in ev_rows:
        c = rb.criterion(rubric, r["criterion"])
        evidence[r["criterion"]] = rb.evidence_points(c, r["value"])
    jury: dict[str, dict[str, int]] = {}
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
        .where(award_score.c.candidate_id == cand["id"])
    ):
        jury.setdefault(j, {})[c] = int(p)
    res = scoring.candidate_result(rubric, evidence, jury)
    iv = lk.interview(conn, cand["id"])
    panel = len(lk.panel(conn, iv["id"])) if iv else 0
    res["panel_size"] = panel
    res["complete"] = res["complete"] and res["jurors_submitted"] == panel
    return {
        "candidate": cand["code"],
        "name": cand["name"],
        "category": cand["category"],
        **res,
        "evidence": ev_rows,
    }


def _check_viewer(
    conn: Connection, ed: dict[str, Any], cands: list[dict[str, Any]], viewer: str | None
) -> None:
    """A juror (``viewer``) sees results only for candidates they have submitted scores for;
    ``None`` is the secretariat."""
    if viewer is None:
        return
    jur = lk.juror(conn, ed, viewer)
    for cand in cands:
        iv = lk.interview(conn, cand["id"])
        if (
            iv
            and jur["id"] in lk.panel(conn, iv["id"])
            and not lk.submitted(conn, cand["id"], jur["id"])
        ):
            raise JaringError(
                "submit_first",
                f"Kirim nilai Anda untuk {cand['code']} sebelum melihat nilai juri lain",
                f"Submit your scores for {cand['code']} before seeing other jurors' scores",
                juror=viewer,
                candidate=cand["code"],
            )


def results(engine: Engine, year: int, candidate: str, viewer: str | None = None) -> dict[str, Any]:
    """One candidate's weighted score, each juror's contribution and the spread."""
    with engine.connect() as conn:
        ed = lk.edition(conn, year)
        cand = lk.candidate(conn, ed, candidate)
        _check_viewer(conn, ed, [cand], viewer)
        res = _result(conn, ed, cand)
    res.pop("_exact", None)
    return {"edition": year, **res}


def ranking(engine: Engine, year: int, category: str, viewer: str | None = None) -> dict[str, Any]:
    """Candidates of a category, best first, with the tie-break rule stated."""
    with engine.connect() as conn:
        ed = lk.edition(conn, year)
        if category not in ed["categories"]:
            raise JaringError(
                "bad_category",
                f"Kategori {category} tidak dibuka di edisi {year}",
                f"Category {category} is not open in edition {year}",
                category=category,
            )
        cands = [
            dict(r)
            for r in conn.execute(
                select(award_candidate)
                .where(
                    award_candidate.c.edition_id == ed["id"], award_candidate.c.category == category
                )
                .order_by(award_candidate.c.code)
            ).mappings()
        ]
        _check_viewer(conn, ed, cands, viewer)
        rubric = ed["rubrics"][category]
        rows = [_result(conn, ed, c) for c in cands]
    ranked = scoring.rank(rubric, rows)
    for r in ranked:
        r.pop("evidence", None)
    return {
        "edition": year,
        "category": category,
        "rubric": {
            "code": rubric["code"],
            "official": rubric["official"],
            "notice": rubric.get("notice"),
        },
        "tie_break": ["total", *rubric["tie_break"], "shared_rank"],
        "ranking": ranked,
    }


def dossier(engine: Engine, year: int, candidate: str) -> dict[str, Any]:
    """What a candidate presents: who it is, the rubric (with its notice), the evidence per
    criterion with points, the interview, its results so far and, for a region, its coverage
    report on 31 December of the assessed year."""
    from jaring.coverage.service import coverage_report

    with engine.connect() as conn:
        ed = lk.edition(conn, year)
        cand = lk.candidate(conn, ed, candidate)
        res = _result(conn, ed, cand)
        iv = lk.interview(conn, cand["id"])
    rubric = ed["rubrics"][cand["category"]]
    ev = {e["criterion"]: e for e in res["evidence"]}
    criteria = []
    for c, row in zip(rubric["criteria"], res["criteria"], strict=True):
        e = ev.get(c["code"])
        criteria.append(
            {
                "code": c["code"],
                "name": c["name"],
                "weight_pct": c["weight_pct"],
                "scored_by": c["scored_by"],
                "evidence_needed": c.get("evidence"),
                "unit": c["scale"].get("unit"),
                "label": (
                    c["scale"]["levels"].get(e["value"], {}).get("label")
                    if e and c["scale"]["type"] == "levels"
                    else None
                ),
                "value": e["value"] if e else None,
                "origin": e["origin"] if e else None,
                "detail": e["detail"] if e else None,
                "file": {"name": e["file_name"], "sha256": e["file_sha256"]}
                if e and e["file_name"]
                else None,
                "points": row.get("points", row.get("mean_points")),
                "max": row["max"],
                "score": row["score"],
            }
        )
    coverage = None
    if cand["category"] in ("provinsi", "kabupaten-kota"):
        coverage = coverage_report(engine, cand["code"], dt.date(ed["assessed_year"], 12, 31))
    res.pop("_exact", None)
    res.pop("evidence", None)
    return {
        "edition": year,
        "edition_name": ed["name"],
        "assessed_year": ed["assessed_year"],
        "candidate": {"code": cand["code"], "name": cand["name"], "category": cand["category"]},
        "rubric": {
            "code": rubric["code"],
            "official": rubric["official"],
            "notice": rubric.get("notice"),
            "title": rubric.get("title"),
        },
        "criteria": criteria,
        "interview": None
        if iv is None
        else {"at": iv["scheduled_at"], "place": iv["place"], "head_attended": iv["head_attended"]},
        "results": res,
        "coverage": coverage,
    }
