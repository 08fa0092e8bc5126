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

from sqlalchemy import Connection, Engine, and_, func, insert, select, update

from jaring.award import measures, scoring
from jaring.award import rubric as rb
from jaring.errors import JaringError, NotFound
from jaring.store.tables.award import (
    award_candidate,
    award_edition,
    award_evidence,
    award_interview,
    award_juror,
    award_panel,
    award_score,
    award_submission,
)
from jaring.store.tables.programs import program

JURY_SIZE = {"provinsi": 9}  # RULES.md section 5: a jury of nine at the provincial interview
STAGES = ("provinsi", "nasional")


# ---------------------------------------------------------------------------- look-ups
def _edition(conn: Connection, year: int) -> dict[str, Any]:
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


def _candidate(conn: Connection, ed: dict[str, Any], code: str) -> dict[str, Any]:
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


def _juror(conn: Connection, ed: dict[str, Any], code: str) -> dict[str, Any]:
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


def _submitted(conn: Connection, candidate_id: int, juror_id: int) -> bool:
    return (
        conn.execute(
            select(award_submission.c.juror_id).where(
                award_submission.c.candidate_id == candidate_id,
                award_submission.c.juror_id == juror_id,
            )
        ).first()
        is not None
    )


def _interview(conn: Connection, candidate_id: int) -> dict[str, Any] | None:
    row = (
        conn.execute(select(award_interview).where(award_interview.c.candidate_id == candidate_id))
        .mappings()
        .first()
    )
    return dict(row) if row else None


def _panel(conn: Connection, interview_id: int) -> list[int]:
    return [
        r[0]
        for r in conn.execute(
            select(award_panel.c.juror_id).where(award_panel.c.interview_id == interview_id)
        )
    ]


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


def add_candidate(
    engine: Engine, year: int, category: str, code: str, name: str | None = None
) -> dict[str, Any]:
    """Add a candidate: a province (``96``) or regency/city (``96.71``) by its region code,
    or a company / micro business by a code of the secretariat's choosing and a name."""
    from jaring.coverage.regions import resolve

    with engine.begin() as conn:
        ed = _edition(conn, year)
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
        exists = conn.execute(
            select(award_candidate.c.id).where(
                award_candidate.c.edition_id == ed["id"], award_candidate.c.code == code
            )
        ).first()
        if exists:
            raise JaringError(
                "candidate_exists",
                f"Kandidat {code} sudah terdaftar di edisi {year}",
                f"Candidate {code} is already in edition {year}",
                candidate=code,
            )
        conn.execute(
            insert(award_candidate).values(
                edition_id=ed["id"], category=category, code=code, name=name
            )
        )
    return {"edition": year, "category": category, "code": code, "name": name}


def add_juror(
    engine: Engine, year: int, code: str, name: str, affiliation: str | None = None
) -> dict[str, Any]:
    with engine.begin() as conn:
        ed = _edition(conn, year)
        if conn.execute(
            select(award_juror.c.id).where(
                award_juror.c.edition_id == ed["id"], award_juror.c.code == code
            )
        ).first():
            raise JaringError(
                "juror_exists",
                f"Juri {code} sudah terdaftar",
                f"Juror {code} is already registered",
                juror=code,
            )
        conn.execute(
            insert(award_juror).values(
                edition_id=ed["id"], code=code, name=name, affiliation=affiliation
            )
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
        ed = _edition(conn, year)
        cand = _candidate(conn, ed, candidate)
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
            panel = [_juror(conn, ed, j) for j in dict.fromkeys(jurors)]
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
        old = _interview(conn, cand["id"])
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
        ed = _edition(conn, year)
        cand = _candidate(conn, ed, candidate)
        iv = _interview(conn, cand["id"])
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
        ed = _edition(conn, year)
        cand = _candidate(conn, ed, candidate)
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
        ed = _edition(conn, year)
        if candidate:
            cands = [_candidate(conn, ed, candidate)]
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
        ed = _edition(conn, year)
        cand = _candidate(conn, ed, candidate)
        jur = _juror(conn, ed, juror)
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
    iv = _interview(conn, cand["id"])
    if iv is None:
        raise JaringError(
            "no_interview",
            f"Wawancara {cand['code']} belum dijadwalkan",
            f"No interview scheduled for {cand['code']}",
            candidate=cand["code"],
        )
    if jur["id"] not in _panel(conn, iv["id"]):
        raise JaringError(
            "not_on_panel",
            f"Juri {jur['code']} tidak termasuk panel wawancara {cand['code']}",
            f"Juror {jur['code']} is not on the interview panel of {cand['code']}",
            juror=jur["code"],
            candidate=cand["code"],
        )
    if _submitted(conn, cand["id"], jur["id"]):
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
        ed = _edition(conn, year)
        cand = _candidate(conn, ed, candidate)
        jur = _juror(conn, ed, juror)
        _check_may_score(conn, cand, jur)
        _submit(conn, ed["rubrics"][cand["category"]], cand, jur)
    return {"edition": year, "candidate": cand["code"], "juror": juror, "submitted": True}


def juror_view(engine: Engine, year: int, candidate: str, juror: str) -> dict[str, Any]:
    """What a juror may see of a candidate: the evidence, their own scores, and the other
    jurors' scores only once their own are submitted (``others`` is ``None`` before)."""
    with engine.connect() as conn:
        ed = _edition(conn, year)
        cand = _candidate(conn, ed, candidate)
        jur = _juror(conn, ed, juror)
        rows = conn.execute(
            select(award_juror.c.code, award_score.c.criterion, award_score.c.points)
            .select_from(award_score.join(award_juror, award_juror.c.id == award_score.c.juror_id))
            .where(award_score.c.candidate_id == cand["id"])
        ).all()
        submitted = _submitted(conn, cand["id"], jur["id"])
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
        evidence = _evidence_rows(conn, cand["id"])
    own = {c: p for j, c, p in rows if j == juror}
    others = None
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


def _evidence_rows(conn: Connection, candidate_id: int) -> list[dict[str, Any]]:
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


# ---------------------------------------------------------------------------- results
def _result(conn: Connection, ed: dict[str, Any], cand: dict[str, Any]) -> dict[str, Any]:
    rubric = ed["rubrics"][cand["category"]]
    ev_rows = _evidence_rows(conn, cand["id"])
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
    iv = _interview(conn, cand["id"])
    panel = len(_panel(conn, iv["id"])) if iv else 0
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
    jur = _juror(conn, ed, viewer)
    for cand in cands:
        iv = _interview(conn, cand["id"])
        if (
            iv
            and jur["id"] in _panel(conn, iv["id"])
            and not _submitted(conn, cand["id"], jur["id"])
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
        ed = _edition(conn, year)
        cand = _candidate(conn, ed, candidate)
        _check_viewer(conn, ed, [cand], viewer)
        res = _result(conn, ed, cand)
    res.pop("_exact", None)
    return {"edition": year, **res}


def ranking(engine: Engine, year: int, category: str, viewer: str | None = None) -> dict[str, Any]:
    """Candidates of a category, best first, with the tie-break rule stated."""
    with engine.connect() as conn:
        ed = _edition(conn, year)
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
        ed = _edition(conn, year)
        cand = _candidate(conn, ed, candidate)
        res = _result(conn, ed, cand)
        iv = _interview(conn, cand["id"])
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
