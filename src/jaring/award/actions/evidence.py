"""The evidence of evidence-scored criteria: entered by the secretariat with the document
relied on, or filled from a region's own Jaring data. Needs ``award.manage``; one
transaction each (``fill_evidence``: one per candidate), audited (``award.evidence_add``,
``award.evidence_fill``)."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, delete, insert, select

from jaring import audit
from jaring.access import Actor
from jaring.attachments import actions as attachments
from jaring.award import errors, measures
from jaring.award import rubric as rb
from jaring.award.measures import BudgetLine
from jaring.award.queries import records
from jaring.coverage import queries as coverage
from jaring.errors import BAD_FILE
from jaring.i18n import _
from jaring.jsonable import to_jsonable
from jaring.progress import SILENT, Progress
from jaring.store.tables.award import award_evidence
from jaring.store.tables.programs import coverage_period, program
from jaring.store.tables.registry import person

RIGHT = "award.manage"
REGION_CATEGORIES = ("provinsi", "kabupaten-kota")


@dataclass(frozen=True)
class EvidenceAdded:
    edition: int
    candidate: str
    criterion: str
    value: str
    points: int
    file_name: str | None
    file_sha256: str | None
    file_path: str | None
    attachment_id: int | None = None


@dataclass(frozen=True)
class Filled:
    candidate: str
    criterion: str
    value: str
    points: int
    basis: str | None  # which figures the value rests on (``ucj_bpjs``, ``jaring_...``)


@dataclass(frozen=True)
class Skipped:
    candidate: str
    reason: str  # ``not_a_region`` | ``no_jaring_data``


@dataclass(frozen=True)
class EvidenceFilled:
    edition: int
    filled: list[Filled]
    skipped: list[Skipped]


def put_evidence(
    conn: Connection,
    candidate_id: int,
    c: dict[str, Any],
    value: str,
    origin: str,
    detail: dict[str, Any],
    file: dict[str, Any] | None = None,
) -> int:
    """Store ``value`` as the evidence of criterion ``c`` (replacing any), with the figures
    behind it; the points it earns (refuses ``bad_evidence`` off the scale)."""
    points = rb.evidence_points(c, value)
    conn.execute(
        delete(award_evidence).where(
            award_evidence.c.candidate_id == candidate_id, award_evidence.c.criterion == c["code"]
        )
    )
    conn.execute(
        insert(award_evidence).values(
            candidate_id=candidate_id,
            criterion=c["code"],
            value=value,
            origin=origin,
            detail=to_jsonable(detail),
            **(file or {}),
        )
    )
    return points


def add_evidence(
    engine: Engine,
    actor: Actor,
    year: int,
    candidate: str,
    criterion: str,
    value: str,
    file: Path | None = None,
    note: str | None = None,
    upload: tuple[str, bytes] | None = None,
) -> EvidenceAdded:
    """Enter the evidence of an evidence-scored criterion (e.g. ``regulasi = perda``) with the
    uploaded document: its name, SHA-256 and path are stored (or, for ``upload``, a
    ``(filename, bytes)`` from the web, the file itself in the attachment store: PDF, JPEG
    or PNG by content, at most 10 MB), so the dossier can show what
    was relied on and anyone can check the file was not changed since. Refuses:
    ``bad_file``, ``unknown_criterion``, ``not_evidence_criterion``, ``bad_evidence``,
    ``forbidden`` and the look-ups' ``*_not_found``."""
    actor.require(RIGHT)
    file_info: dict[str, Any] | None = None
    if file is not None:
        try:
            data = Path(file).read_bytes()
        except OSError:
            raise BAD_FILE(field="file", file=str(file)) from None
        file_info = {
            "file_name": Path(file).name,
            "file_sha256": hashlib.sha256(data).hexdigest(),
            "file_path": str(Path(file).resolve()),
        }
    with engine.begin() as conn:
        ed = records.edition(conn, year)
        cand = records.candidate(conn, ed, candidate)
        c = rb.criterion(ed.rubrics[cand.category], criterion)
        if c["scored_by"] != "evidence":
            raise errors.NOT_EVIDENCE_CRITERION(field="criterion", criterion=criterion)
        if upload is not None:
            # the document goes to the one attachment store, in this transaction
            stored = attachments.put(
                conn,
                actor,
                upload[1],
                filename=upload[0],
                purpose="award.evidence",
                read_right="award.read",
            )
            file_info = {
                "file_name": stored.filename,
                "file_sha256": stored.sha256,
                "attachment_id": stored.id,
            }
        points = put_evidence(conn, cand.id, c, value, "entered", {"note": note}, file_info)
        audit.record(
            conn,
            actor,
            "award.evidence_add",
            "award_candidate",
            f"{year}/{cand.code}",
            after={"criterion": criterion, "value": value, "points": points, **(file_info or {})},
        )
    info = file_info or {}
    return EvidenceAdded(
        edition=year,
        candidate=cand.code,
        criterion=criterion,
        value=value,
        points=points,
        file_name=info.get("file_name"),
        file_sha256=info.get("file_sha256"),
        file_path=info.get("file_path"),
        attachment_id=info.get("attachment_id"),
    )


def _region_uses_jaring(conn: Connection, code: str) -> bool:
    col = person.c.province_code if "." not in code else person.c.regency_code
    got = conn.execute(
        select(coverage_period.c.id)
        .select_from(coverage_period.join(person, person.c.id == coverage_period.c.person_id))
        .where(col == code)
        .limit(1)
    ).first()
    return got is not None


def _budget_lines(conn: Connection, region: str, year: int) -> list[BudgetLine]:
    """The programs ``region`` funds from its APBD in fiscal ``year``."""
    rows = conn.execute(
        select(program.c.id, program.c.name, program.c.budget).where(
            program.c.funder_type == "apbd",
            program.c.funder_region == region,
            program.c.fiscal_year == year,
        )
    )
    return [BudgetLine(int(r.id), r.name, int(r.budget)) for r in rows]


def fill_evidence(
    engine: Engine,
    actor: Actor,
    year: int,
    candidate: str | None = None,
    progress: Progress = SILENT,
) -> EvidenceFilled:
    """Fill the measurable criteria of region candidates (one, or every one of the edition)
    from their Jaring data: coverage of PU and BPU and its growth over the assessed year, and
    the APBD budget per working person. Evidence someone entered by hand is kept (it wins
    over the data). Regions with no coverage data in this store are skipped and listed. The
    coverage is read with the actor's own rights (``coverage.read``, its regions)."""
    actor.require(RIGHT)
    with engine.connect() as conn:
        ed = records.edition(conn, year)
        if candidate:
            cands = [records.candidate(conn, ed, candidate)]
        else:
            cands = records.candidates(conn, ed)
    ay = ed.assessed_year
    filled: list[Filled] = []
    skipped: list[Skipped] = []
    progress.step(_("Filling evidence from Jaring's data"), total=len(cands))
    for cand in cands:
        progress.advance()
        if cand.category not in REGION_CATEGORIES:
            skipped.append(Skipped(cand.code, "not_a_region"))
            continue
        with engine.connect() as conn:
            uses = _region_uses_jaring(conn, cand.code)
            budget = _budget_lines(conn, cand.code, ay)
        if not uses:
            skipped.append(Skipped(cand.code, "no_jaring_data"))
            continue
        end = coverage.coverage_report(engine, actor, cand.code, dt.date(ay, 12, 31), 1)
        start = coverage.coverage_report(engine, actor, cand.code, dt.date(ay - 1, 12, 31), 1)
        values = {
            "coverage_pu": measures.coverage_pu(end),
            "coverage_bpu": measures.coverage_bpu(end),
            "coverage_growth": measures.coverage_growth(end, start),
            "budget_per_worker": measures.budget_per_worker(budget, end, ay),
        }
        rubric = ed.rubrics[cand.category]
        with engine.begin() as conn:
            entered = {
                r[0]
                for r in conn.execute(
                    select(award_evidence.c.criterion).where(
                        award_evidence.c.candidate_id == cand.id,
                        award_evidence.c.origin == "entered",
                    )
                )
            }
            mine = []
            for c in rubric["criteria"]:
                m = values.get(c.get("measure") or "")
                if c["scored_by"] != "evidence" or m is None or c["code"] in entered:
                    continue
                points = put_evidence(conn, cand.id, c, m.value, "jaring", m.detail)
                mine.append(Filled(cand.code, c["code"], m.value, points, m.detail.get("basis")))
            audit.record(
                conn,
                actor,
                "award.evidence_fill",
                "award_candidate",
                f"{year}/{cand.code}",
                after=[{"criterion": f.criterion, "value": f.value} for f in mine],
            )
            filled += mine
    return EvidenceFilled(year, filled, skipped)
