"""Paritrana Award actions: editions, candidates, evidence, jurors, interviews, scores,
results, ranking and the dossier. One function per user action, one transaction each.

Juror isolation is enforced here, not in an interface: a juror's scores for a candidate are
locked once submitted, and a juror sees other jurors' scores (or any result built from
them) only after submitting their own.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, Table, func, insert, select, update

from jaring.award import lookups as lk
from jaring.award import measures
from jaring.award import rubric as rb
from jaring.award.jury import juror_view, record_scores, submit_scores  # noqa: F401
from jaring.award.results import dossier, ranking, results  # noqa: F401
from jaring.errors import JaringError
from jaring.store.tables.award import (
    award_candidate,
    award_edition,
    award_evidence,
    award_interview,
    award_juror,
    award_panel,
    award_score,
)
from jaring.store.tables.programs import program

JURY_SIZE = {"provinsi": 9}  # RULES.md section 5: a jury of nine at the provincial interview
STAGES = ("provinsi", "nasional")


# ---------------------------------------------------------------------------- editions
def create_edition(
    engine: Engine,
    year: int,
    categories: list[str],
    rubric_file: Path | None = None,
    assessed_year: int | None = None,
    name: str | None = None,
    stage: str = "provinsi",
) -> dict[str, Any]:
    """Open an edition; each category gets ``rubric_file`` or the shipped rubric for it, frozen
    into the edition so that later edits to a rubric file do not change its scoring."""
    cats = [c.strip() for c in categories if c.strip()]
    bad = [c for c in cats if c not in rb.CATEGORIES]
    if not cats or bad:
        raise JaringError(
            "bad_category",
            f"Kategori tidak dikenal: {', '.join(bad) or '-'} (pilih {', '.join(rb.CATEGORIES)})",
            f"Unknown category: {', '.join(bad) or '-'} (choose {', '.join(rb.CATEGORIES)})",
            value=bad,
        )
    if stage not in STAGES:
        raise JaringError(
            "bad_stage",
            f"Tahap tidak dikenal: {stage} (provinsi atau nasional)",
            f"Unknown stage: {stage} (provinsi or nasional)",
            value=stage,
        )
    rubrics = {}
    for cat in cats:
        r = rb.load(rubric_file, cat)
        if r.get("categories") and cat not in r["categories"]:
            raise JaringError(
                "rubric_category",
                f"Rubrik {r.get('code')} tidak untuk kategori {cat}",
                f"Rubric {r.get('code')} is not for category {cat}",
                category=cat,
            )
        rubrics[cat] = rb.to_json(r)
    with engine.begin() as conn:
        if conn.execute(select(award_edition.c.id).where(award_edition.c.year == year)).first():
            raise JaringError(
                "edition_exists",
                f"Edisi {year} sudah ada",
                f"Edition {year} already exists",
                edition=year,
            )
        conn.execute(
            insert(award_edition).values(
                year=year,
                assessed_year=assessed_year or year - 1,
                name=name or f"Paritrana Award {year}",
                stage=stage,
                categories=cats,
                rubric=rubrics,
            )
        )
    return {
        "edition": year,
        "assessed_year": assessed_year or year - 1,
        "stage": stage,
        "categories": cats,
        "rubrics": {
            c: {"code": r["code"], "official": r["official"], "notice": r.get("notice")}
            for c, r in rubrics.items()
        },
    }


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
    engine: Engine, year: int, category: str, code: str, name: str | None = None
) -> dict[str, Any]:
    """Add a candidate: a province (``96``) or regency/city (``96.71``) by its region code,
    or a company / micro business by a code of the secretariat's choosing and a name."""
    from jaring.coverage.regions import resolve

    with engine.begin() as conn:
        ed = lk.edition(conn, year)
        if category not in ed["categories"]:
            raise JaringError(
                "bad_category",
                f"Kategori {category} tidak dibuka di edisi {year} ({', '.join(ed['categories'])})",
                f"Category {category} is not open in edition {year} ({', '.join(ed['categories'])})",
                category=category,
            )
        if category in ("provinsi", "kabupaten-kota"):
            code, level, region_name = resolve(code)
            want = 1 if category == "provinsi" else 2
            if level != want:
                raise JaringError(
                    "bad_candidate",
                    f"{code} bukan {'provinsi' if want == 1 else 'kabupaten/kota'}",
                    f"{code} is not a {'province' if want == 1 else 'regency/city'}",
                    candidate=code,
                )
            name = name or region_name
        elif not name:
            raise JaringError(
                "name_required",
                "Nama perusahaan/usaha wajib diisi",
                "A company / business name is required",
                candidate=code,
            )
        _insert_new(
            conn,
            award_candidate,
            {"edition_id": ed["id"], "category": category, "code": code, "name": name},
            JaringError(
                "candidate_exists",
                f"Kandidat {code} sudah terdaftar di edisi {year}",
                f"Candidate {code} is already in edition {year}",
                candidate=code,
            ),
        )
    return {"edition": year, "category": category, "code": code, "name": name}


def add_juror(
    engine: Engine, year: int, code: str, name: str, affiliation: str | None = None
) -> dict[str, Any]:
    with engine.begin() as conn:
        ed = lk.edition(conn, year)
        _insert_new(
            conn,
            award_juror,
            {"edition_id": ed["id"], "code": code, "name": name, "affiliation": affiliation},
            JaringError(
                "juror_exists",
                f"Juri {code} sudah terdaftar",
                f"Juror {code} is already registered",
                juror=code,
            ),
        )
    return {"edition": year, "code": code, "name": name, "affiliation": affiliation}


def schedule_interview(
    engine: Engine,
    year: int,
    candidate: str,
    at: dt.datetime,
    jurors: list[str] | None = None,
    place: str | None = None,
) -> dict[str, Any]:
    """Schedule (or re-schedule, before any score) a candidate's interview with its panel
    (default: every juror of the edition). At the provincial stage the panel has nine
    jurors; a juror cannot sit on two interviews at the same time."""
    with engine.begin() as conn:
        ed = lk.edition(conn, year)
        cand = lk.candidate(conn, ed, candidate)
        if jurors is None:
            panel = [
                dict(r)
                for r in conn.execute(
                    select(award_juror)
                    .where(award_juror.c.edition_id == ed["id"])
                    .order_by(award_juror.c.code)
                ).mappings()
            ]
        else:
            panel = [lk.juror(conn, ed, j) for j in dict.fromkeys(jurors)]
        need = JURY_SIZE.get(ed["stage"])
        if need is not None and len(panel) != need:
            raise JaringError(
                "jury_size",
                f"Tahap {ed['stage']} memerlukan {need} juri, bukan {len(panel)}",
                f"The {ed['stage']} stage needs {need} jurors, not {len(panel)}",
                needed=need,
                given=len(panel),
            )
        if not panel:
            raise JaringError("jury_size", "Panel juri kosong", "The jury panel is empty")
        old = lk.interview(conn, cand["id"])
        if old is not None:
            scored = conn.execute(
                select(func.count())
                .select_from(award_score)
                .where(award_score.c.candidate_id == cand["id"])
            ).scalar_one()
            if scored:
                raise JaringError(
                    "interview_scored",
                    "Wawancara sudah dinilai; jadwal tidak dapat diubah",
                    "The interview has scores; it cannot be rescheduled",
                    candidate=cand["code"],
                )
            conn.execute(award_panel.delete().where(award_panel.c.interview_id == old["id"]))
            conn.execute(award_interview.delete().where(award_interview.c.id == old["id"]))
        busy = conn.execute(
            select(award_juror.c.code)
            .select_from(
                award_panel.join(
                    award_interview, award_panel.c.interview_id == award_interview.c.id
                ).join(award_juror, award_juror.c.id == award_panel.c.juror_id)
            )
            .where(
                award_interview.c.scheduled_at == at,
                award_panel.c.juror_id.in_([j["id"] for j in panel]),
            )
        ).first()
        if busy:
            raise JaringError(
                "juror_busy",
                f"Juri {busy[0]} sudah terjadwal pada {at:%Y-%m-%d %H:%M}",
                f"Juror {busy[0]} is already scheduled at {at:%Y-%m-%d %H:%M}",
                juror=busy[0],
            )
        iid = conn.execute(
            insert(award_interview)
            .values(candidate_id=cand["id"], scheduled_at=at, place=place)
            .returning(award_interview.c.id)
        ).scalar_one()
        conn.execute(
            insert(award_panel), [{"interview_id": iid, "juror_id": j["id"]} for j in panel]
        )
    return {
        "edition": year,
        "candidate": cand["code"],
        "at": at,
        "place": place,
        "jurors": [j["code"] for j in panel],
    }


def record_attendance(engine: Engine, year: int, candidate: str, attended: bool) -> dict[str, Any]:
    """Record whether the head of region attended the interview in person; it is also the
    evidence of an attendance criterion, when the rubric has one."""
    with engine.begin() as conn:
        ed = lk.edition(conn, year)
        cand = lk.candidate(conn, ed, candidate)
        iv = lk.interview(conn, cand["id"])
        if iv is None:
            raise JaringError(
                "no_interview",
                f"Wawancara {cand['code']} belum dijadwalkan",
                f"No interview scheduled for {cand['code']}",
                candidate=cand["code"],
            )
        conn.execute(
            update(award_interview)
            .where(award_interview.c.id == iv["id"])
            .values(head_attended=attended)
        )
        rubric = ed["rubrics"][cand["category"]]
        for c in rubric["criteria"]:
            if c.get("measure") == "head_attendance":
                m = measures.head_attendance(attended, iv["scheduled_at"])
                assert m is not None
                _put_evidence(conn, cand["id"], c, m["value"], "jaring", m["detail"])
    return {"edition": year, "candidate": cand["code"], "head_attended": attended}


# ---------------------------------------------------------------------------- evidence
def _put_evidence(
    conn: Connection,
    candidate_id: int,
    c: dict[str, Any],
    value: str,
    origin: str,
    detail: dict[str, Any],
    file: dict[str, Any] | None = None,
) -> int:
    points = rb.evidence_points(c, value)
    conn.execute(
        award_evidence.delete().where(
            award_evidence.c.candidate_id == candidate_id, award_evidence.c.criterion == c["code"]
        )
    )
    conn.execute(
        insert(award_evidence).values(
            candidate_id=candidate_id,
            criterion=c["code"],
            value=value,
            origin=origin,
            detail=json.loads(json.dumps(detail, default=str)),  # dates, Decimals as text
            **(file or {}),
        )
    )
    return points


def add_evidence(
    engine: Engine,
    year: int,
    candidate: str,
    criterion: str,
    value: str,
    file: Path | None = None,
    note: str | None = None,
) -> dict[str, Any]:
    """Enter the evidence of an evidence-scored criterion (e.g. ``regulasi = perda``) with the
    uploaded document: its name, SHA-256 and path are stored, so the dossier can show what
    was relied on and anyone can check the file was not changed since."""
    file_info = None
    if file is not None:
        try:
            data = Path(file).read_bytes()
        except OSError:
            raise JaringError(
                "bad_file",
                f"Dokumen tidak dapat dibaca: {file}",
                f"Cannot read the document: {file}",
                file=str(file),
            ) from None
        file_info = {
            "file_name": Path(file).name,
            "file_sha256": hashlib.sha256(data).hexdigest(),
            "file_path": str(Path(file).resolve()),
        }
    with engine.begin() as conn:
        ed = lk.edition(conn, year)
        cand = lk.candidate(conn, ed, candidate)
        c = rb.criterion(ed["rubrics"][cand["category"]], criterion)
        if c["scored_by"] != "evidence":
            raise JaringError(
                "not_evidence_criterion",
                f"Kriteria {criterion} dinilai juri, bukan dari bukti",
                f"Criterion {criterion} is scored by jurors, not from evidence",
                criterion=criterion,
            )
        points = _put_evidence(conn, cand["id"], c, value, "entered", {"note": note}, file_info)
    return {
        "edition": year,
        "candidate": cand["code"],
        "criterion": criterion,
        "value": value,
        "points": points,
        **(file_info or {}),
    }


def _region_uses_jaring(conn: Connection, code: str) -> bool:
    from jaring.store.tables.programs import coverage_period
    from jaring.store.tables.registry import person

    col = person.c.province_code if "." not in code else person.c.regency_code
    got = conn.execute(
        select(coverage_period.c.id)
        .select_from(coverage_period.join(person, person.c.id == coverage_period.c.person_id))
        .where(col == code)
        .limit(1)
    ).first()
    return got is not None


def fill_evidence(engine: Engine, year: int, candidate: str | None = None) -> dict[str, Any]:
    """Fill the measurable criteria of region candidates from their Jaring data: coverage
    of PU and BPU and its growth over the assessed year, and the APBD budget per working
    person. Evidence someone entered by hand is kept (it wins over the data). Regions with no
    coverage data in this store are skipped and listed."""
    from jaring.coverage.service import coverage_report

    with engine.connect() as conn:
        ed = lk.edition(conn, year)
        if candidate:
            cands = [lk.candidate(conn, ed, candidate)]
        else:
            cands = [
                dict(r)
                for r in conn.execute(
                    select(award_candidate)
                    .where(award_candidate.c.edition_id == ed["id"])
                    .order_by(award_candidate.c.code)
                ).mappings()
            ]
    ay = ed["assessed_year"]
    filled, skipped = [], []
    for cand in cands:
        if cand["category"] not in ("provinsi", "kabupaten-kota"):
            skipped.append({"candidate": cand["code"], "reason": "not_a_region"})
            continue
        with engine.connect() as conn:
            uses = _region_uses_jaring(conn, cand["code"])
            budget_rows = [
                dict(r)
                for r in conn.execute(
                    select(program.c.id, program.c.name, program.c.budget).where(
                        program.c.funder_type == "apbd",
                        program.c.funder_region == cand["code"],
                        program.c.fiscal_year == ay,
                    )
                ).mappings()
            ]
        if not uses:
            skipped.append({"candidate": cand["code"], "reason": "no_jaring_data"})
            continue
        end = coverage_report(engine, cand["code"], dt.date(ay, 12, 31), trend_months=1)
        start = coverage_report(engine, cand["code"], dt.date(ay - 1, 12, 31), trend_months=1)
        budget = sum(int(r["budget"]) for r in budget_rows)
        values = {
            "coverage_pu": measures.coverage_pu(end),
            "coverage_bpu": measures.coverage_bpu(end),
            "coverage_growth": measures.coverage_growth(end, start),
            "budget_per_worker": measures.budget_per_worker(budget, budget_rows, end, ay),
        }
        rubric = ed["rubrics"][cand["category"]]
        with engine.begin() as conn:
            entered = {
                r[0]
                for r in conn.execute(
                    select(award_evidence.c.criterion).where(
                        award_evidence.c.candidate_id == cand["id"],
                        award_evidence.c.origin == "entered",
                    )
                )
            }
            for c in rubric["criteria"]:
                m = values.get(c.get("measure") or "")
                if c["scored_by"] != "evidence" or m is None or c["code"] in entered:
                    continue
                points = _put_evidence(conn, cand["id"], c, m["value"], "jaring", m["detail"])
                filled.append(
                    {
                        "candidate": cand["code"],
                        "criterion": c["code"],
                        "value": m["value"],
                        "points": points,
                        "basis": m["detail"].get("basis"),
                    }
                )
    return {"edition": year, "filled": filled, "skipped": skipped}
