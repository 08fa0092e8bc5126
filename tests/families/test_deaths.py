"""Deaths learned from a list, on SQLite and PostgreSQL: each bad row refused or queued with
its reason, coverage and billing ended from the date of death, refunds, the claims
officer's task, review of a near match, and undo restoring everything."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from sqlalchemy import Engine, select

from families.world import SYSTEM, built, deaths_csv
from jaring.access import Actor
from jaring.claims import actions as claims
from jaring.errors import JaringError
from jaring.families.actions import deaths
from jaring.families.queries import deaths as dq
from jaring.i18n import using
from jaring.programs import actions as programs
from jaring.programs.actions import refresh_coverage
from jaring.registry.queries import timeline
from jaring.store.dialect import to_date
from jaring.store.tables.families import death_list_row
from jaring.store.tables.programs import coverage_period, invoice_line, membership
from jaring.store.tables.web import audit_event

TODAY = dt.date(2024, 9, 1)
YOHANIS = "9671011505800001"  # head of KK A, died 15 June 2024 in the lists below
OPERATOR = Actor(username="ops", role="operator", regions=("96.71",))
SUPERVISOR = Actor(username="spv", role="supervisor", regions=("96.71",))


def _state(engine: Engine) -> dict[str, Any]:
    """Everything a death may change: memberships, coverage periods, paid lines."""
    with engine.connect() as c:
        mem = sorted(
            (r.id, r.state, str(to_date(r.end_month)))
            for r in c.execute(select(membership.c.id, membership.c.state, membership.c.end_month))
        )
        per = sorted(
            (r.membership_id, str(to_date(r.start_date)), str(to_date(r.end_date)))
            for r in c.execute(select(coverage_period))
        )
        paid = c.execute(select(invoice_line.c.paid)).scalars().all()
    return {"memberships": mem, "periods": per, "paid": sorted(paid)}


@pytest.fixture
def world(engine: Engine, tmp_path: Path, store_copies) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    return built(engine, tmp_path, store_copies)


def test_a_death_list_ends_coverage_billing_and_opens_the_task(
    engine: Engine, tmp_path: Path, world: dict[str, Any]
) -> None:
    before = _state(engine)
    path = deaths_csv(
        tmp_path / "dukcapil.csv",
        [
            (YOHANIS, "Yohanis Wonatorei", "15/06/2024", "RSUD Sorong"),  # recorded
            ("9671011505800009", "Yohanis Wonatorey", "15/06/2024", "Remu"),  # near match
            ("9671021010000007", "Andi Rahmat", "15/06/2030", "Remu"),  # future
            ("9.67102E+15", "Andi Rahmat", "15/06/2024", "Remu"),  # NIK lost by Excel
            ("9671020505900008", "Hasan Basri", "01/01/1980", "Remu"),  # before birth (1990)
            ("9671020505901234", "Orang Tidak Dikenal", "01/01/2024", "Remu"),  # unknown
            ("9671021010000007", "Andi Rahmat", "", "Remu"),  # no date
        ],
    )
    out = deaths.import_deaths(engine, SYSTEM, path, source="Dukcapil Kota Sorong", today=TODAY)
    assert (out.rows, out.recorded, out.review, out.refused, out.unchanged) == (7, 1, 1, 5, 0)
    rows = {r.row_number: r for r in dq.list_rows(engine, SYSTEM, outcome=None)}
    assert {n: (r.outcome, r.reason) for n, r in rows.items()} == {
        2: ("recorded", None),
        3: ("review", "near_match"),
        4: ("refused", "death_in_future"),
        5: ("refused", "bad_nik"),
        6: ("refused", "death_before_birth"),
        7: ("refused", "unknown_nik"),
        8: ("refused", "bad_death_date"),
    }
    assert rows[3].person_id == rows[2].person_id  # the near match names Yohanis
    assert rows[6].reason_text  # worded for the operator

    after = _state(engine)
    (dead_mem,) = [m for m in after["memberships"] if m[1] == "deceased"]
    assert dead_mem[2] == "2024-06-01"  # June, the month of death, is still owed and covered
    assert (dead_mem[0], "2024-03-01", "2024-06-15") in after["periods"]
    # nothing else changed: the other seven members keep their memberships and periods
    assert len([m for m in after["memberships"] if m[1] == "active"]) == 7
    assert after["paid"] == before["paid"]
    # July and August were paid after the death: Rp16.800 each back to the Pemda
    refunds = dq.refunds(engine, SYSTEM)
    assert [(r.month, r.amount, r.status) for r in refunds] == [
        (dt.date(2024, 7, 1), 16_800, "due"),
        (dt.date(2024, 8, 1), 16_800, "due"),
    ]
    assert out.refund_amount == 33_600
    # recomputing coverage from the paid lines keeps it ended on the day of death
    with engine.begin() as c:
        ids = pl.Series(c.execute(select(membership.c.id)).scalars().all(), dtype=pl.Int64)
        refresh_coverage(c, ids)
    assert _state(engine)["periods"] == after["periods"]
    # the next invoice has no line for him
    sept = programs.create_invoice(engine, SYSTEM, "Sorong 2024", dt.date(2024, 9, 1))
    assert (sept.lines, sept.amount) == (7, 7 * 16_800)

    (task,) = dq.tasks(engine, OPERATOR, today=TODAY)
    assert task.expected_amount == 42_000_000 and not task.early_death
    assert task.days_since == (TODAY - dt.date(2024, 6, 15)).days
    assert [(h.relation, h.rank, h.recipient) for h in task.heirs] == [
        ("spouse", 1, True),
        ("child", 1, False),
        ("child", 1, False),
        ("parent", 2, False),
    ]
    assert task.heirs[0].name == "Maria Wonatorei"
    assert {"death-certificate", "kartu-keluarga", "marriage-book"} <= {
        d.code for d in task.documents
    }
    bands = {b.band: b.deaths for b in dq.tasks_by_age(engine, OPERATOR, today=TODAY)}
    assert bands == {"0-30": 0, "31-90": 1, "91-365": 0, ">365": 0}

    # a claim filed closes the task
    claims.file_claim(
        engine, SYSTEM, claim_type="jkm", nik=YOHANIS, event_date=dt.date(2024, 6, 15),
        filed_on=TODAY, reporter="Maria", heirs=[{"relation": "spouse", "name": "Maria"}],
    )  # fmt: skip
    assert dq.tasks(engine, OPERATOR, today=TODAY) == []

    # the same file again changes nothing
    again = deaths.import_deaths(engine, SYSTEM, path, source="Dukcapil Kota Sorong", today=TODAY)
    assert again.list is None and again.rows == 0


def test_already_dead_with_another_date_waits_and_same_date_changes_nothing(
    engine: Engine, tmp_path: Path, world: dict[str, Any]
) -> None:
    first = deaths_csv(tmp_path / "a.csv", [(YOHANIS, "Yohanis", "15-06-2024", "Sorong")])
    deaths.import_deaths(engine, SYSTEM, first, source="Kelurahan Remu", today=TODAY)
    state = _state(engine)
    second = deaths_csv(
        tmp_path / "b.csv",
        [
            (YOHANIS, "Yohanis", "15-06-2024", "Sorong"),
            (YOHANIS, "Yohanis", "20-06-2024", "Sorong"),
        ],
    )
    out = deaths.import_deaths(engine, SYSTEM, second, source="Dukcapil", today=TODAY)
    assert (out.recorded, out.review, out.unchanged) == (0, 1, 1)
    assert _state(engine) == state
    (waiting,) = dq.list_rows(engine, SYSTEM)
    assert waiting.reason == "already_dead_other_date"
    # the supervisor takes the list's date: the first death is undone, the new one recorded
    decided = deaths.decide_row(
        engine, SUPERVISOR, waiting.id, accept=True, reason="akta kematian: 20 Juni"
    )
    assert decided.outcome == "accepted" and decided.death is not None
    (current,) = [
        d for d in dq.deaths_of(engine, SYSTEM, waiting.person_id) if d.status == "recorded"
    ]
    assert current.death_date == dt.date(2024, 6, 20)


def test_near_match_waits_for_review_then_is_recorded(
    engine: Engine, tmp_path: Path, world: dict[str, Any]
) -> None:
    path = deaths_csv(
        tmp_path / "n.csv", [("9671011505800009", "Yohanis Wonatorey", "15/06/2024", "")]
    )
    state = _state(engine)
    out = deaths.import_deaths(engine, OPERATOR, path, source="Kelurahan Remu", today=TODAY)
    assert (out.recorded, out.review) == (0, 1)
    assert _state(engine) == state  # a near match changes nothing until decided
    (row,) = dq.list_rows(engine, OPERATOR)
    assert row.match_score and row.match_score > 0.8
    with pytest.raises(JaringError) as e:
        deaths.decide_row(engine, OPERATOR, row.id, accept=True, reason="cocok")
    assert e.value.code == "forbidden"
    with pytest.raises(JaringError) as e:
        deaths.decide_row(engine, SUPERVISOR, row.id, accept=True, reason=" ")
    assert e.value.code == "reason_missing"
    deaths.decide_row(engine, SUPERVISOR, row.id, accept=True, reason="NIK salah ketik di daftar")
    assert len(dq.refunds(engine, SYSTEM)) == 2
    assert dq.list_rows(engine, SYSTEM) == []


def test_undo_by_a_supervisor_restores_eligibility_and_billing(
    engine: Engine, tmp_path: Path, world: dict[str, Any]
) -> None:
    before = _state(engine)
    path = deaths_csv(tmp_path / "d.csv", [(YOHANIS, "Yohanis", "2024-06-15", "Sorong")])
    deaths.import_deaths(engine, SYSTEM, path, source="Dukcapil", today=TODAY)
    with engine.connect() as c:
        death_id = c.execute(select(death_list_row.c.death_id)).scalar_one()
    assert _state(engine) != before
    with pytest.raises(JaringError) as e:
        deaths.undo_death(engine, OPERATOR, death_id, reason="salah orang")
    assert e.value.code == "forbidden"
    with pytest.raises(JaringError) as e:
        deaths.undo_death(engine, SUPERVISOR, death_id, reason="")
    assert e.value.code == "reason_missing"
    undone = deaths.undo_death(engine, SUPERVISOR, death_id, reason="salah orang: NIK tertukar")
    assert (undone.memberships, undone.refunds_cancelled) == (1, 2)
    assert _state(engine)["periods"] == before["periods"]
    assert _state(engine)["memberships"] == before["memberships"]
    assert dq.refunds(engine, SYSTEM) == []
    assert dq.tasks(engine, SYSTEM, today=TODAY) == []
    sept = programs.create_invoice(engine, SYSTEM, "Sorong 2024", dt.date(2024, 9, 1))
    assert sept.lines == 8
    (kept,) = dq.deaths_of(engine, SYSTEM, undone.person_id)  # never deleted
    assert (kept.status, kept.undone_by, kept.undo_reason) == (
        "undone",
        "spv",
        "salah orang: NIK tertukar",
    )
    with engine.connect() as c:
        audited = c.execute(
            select(audit_event.c.actor, audit_event.c.after).where(
                audit_event.c.action == "death.undo"
            )
        ).one()
    assert audited.actor == "spv" and audited.after["reason"] == "salah orang: NIK tertukar"
    with pytest.raises(JaringError) as e:
        deaths.undo_death(engine, SUPERVISOR, death_id, reason="lagi")
    assert e.value.code == "death_undone"
    # the person's history tells both: the death recorded, then undone
    with using("id"):
        lines = [t for t in timeline.person_timeline(engine, SYSTEM, undone.person_id)]
    told = [t.text for t in lines if t.kind == "death"]
    assert any("Kematian pada 15 Juni 2024 dicatat (Dukcapil" in t for t in told), told
    assert any("dibatalkan" in t for t in told), told
    assert [t.by for t in lines if t.kind == "death"] == ["spv", "system"]


def test_a_death_claim_alone_stops_billing_and_planning(
    engine: Engine, tmp_path: Path, world: dict[str, Any]
) -> None:
    # Lukas (KK A's father) died 10 April 2024, one month and ten days into coverage: a BPU
    # dying in the first three months gets Rp10.000.000
    claims.file_claim(
        engine, SYSTEM, claim_type="jkm", nik="9671010101550005", event_date=dt.date(2024, 4, 10),
        filed_on=dt.date(2024, 9, 2), reporter="Yohanis",
        heirs=[{"relation": "child", "name": "Yohanis"}],
    )  # fmt: skip
    sept = programs.create_invoice(engine, SYSTEM, "Sorong 2024", dt.date(2024, 9, 1))
    assert sept.lines == 7
    assert deaths.record_claim_deaths(engine, SYSTEM) == 1
    assert deaths.record_claim_deaths(engine, SYSTEM) == 0
    # May to August were paid after his death
    assert [r.month.month for r in dq.refunds(engine, SYSTEM)] == [5, 6, 7, 8]
    # the next year's program does not plan him
    programs.create_program(
        engine, SYSTEM, name="Sorong 2025", fiscal_year=2025, budget=50_000_000,
        period_start=dt.date(2025, 1, 1),
    )  # fmt: skip
    plan = programs.plan_program(engine, SYSTEM, "Sorong 2025")
    assert plan.people == 7


def test_early_death_task_amount_and_manual_record_refusals(
    engine: Engine, world: dict[str, Any]
) -> None:
    from jaring.registry import queries as registry

    lukas = registry.person_by_nik(engine, SYSTEM, "9671010101550005")
    with pytest.raises(JaringError) as e:
        deaths.record_death(engine, SYSTEM, lukas, dt.date(2030, 1, 1), source="Kel", today=TODAY)
    assert e.value.code == "death_date_future"
    with pytest.raises(JaringError) as e:
        deaths.record_death(engine, SYSTEM, lukas, dt.date(1950, 1, 1), source="Kel", today=TODAY)
    assert e.value.code == "death_before_birth"
    deaths.record_death(engine, OPERATOR, lukas, dt.date(2024, 4, 10), source="Kel", today=TODAY)
    with pytest.raises(JaringError) as e:
        deaths.record_death(engine, SYSTEM, lukas, dt.date(2024, 4, 11), source="Kel", today=TODAY)
    assert e.value.code == "already_dead"
    (task,) = dq.tasks(engine, SYSTEM, today=TODAY)
    assert task.expected_amount == 10_000_000 and task.early_death
    # Lukas is the head's father: his son first, then the head's children (his grandchildren,
    # rank 2); the head's wife (his daughter-in-law) is not an heir
    assert [(h.relation, h.rank, h.name) for h in task.heirs] == [
        ("child", 1, "Yohanis Wonatorei"),
        ("grandchild", 2, "Petrus Wonatorei"),
        ("grandchild", 2, "Ester Wonatorei"),
    ]


def test_gap_report_names_deaths_without_coverage(engine: Engine, world: dict[str, Any]) -> None:
    from jaring.registry import queries as registry

    andi = registry.person_by_nik(engine, SYSTEM, "9671021010000007")
    # died in February 2024, before the program's first month
    deaths.record_death(engine, SYSTEM, andi, dt.date(2024, 2, 10), source="Kel", today=TODAY)
    yohanis = registry.person_by_nik(engine, SYSTEM, YOHANIS)
    deaths.record_death(engine, SYSTEM, yohanis, dt.date(2024, 6, 15), source="Kel", today=TODAY)
    report = dq.gap_report(engine, SYSTEM, until=TODAY)
    assert (report.deaths, report.covered, report.gaps) == (2, 1, 1)
    (gap,) = report.rows
    assert (gap.person_id, gap.reason, gap.benefit_missed) == (andi, "not_yet_covered", 42_000_000)
    assert report.benefit_missed == 42_000_000
    # the page names the person's distrik, never its code
    import warnings

    from jaring.web.app import create_app
    from web.conftest import make_user, sign_in

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from fastapi.testclient import TestClient

    make_user(engine, "spv", "supervisor", ["96.71"])
    c = TestClient(create_app(engine, rate_limit=1000))
    sign_in(c, "spv")
    page = c.get(f"/deaths/gaps?until={TODAY.isoformat()}").text
    row = page.split(f'href="/people/{andi}"')[1].split("</tr>")[0]
    assert "<td>Sorong Timur</td>" in row and "96.71.02" not in row


def test_the_letter_renders_in_indonesian(
    engine: Engine, tmp_path: Path, world: dict[str, Any]
) -> None:
    import pypdfium2 as pdfium

    path = deaths_csv(tmp_path / "d.csv", [(YOHANIS, "Yohanis", "2024-06-15", "Sorong")])
    deaths.import_deaths(engine, SYSTEM, path, source="Dukcapil", today=TODAY)
    (task,) = dq.tasks(engine, OPERATOR, today=TODAY)
    pdf = deaths.print_letter(engine, OPERATOR, task.death_id, today=TODAY)
    doc = pdfium.PdfDocument(pdf)
    assert len(doc) == 1
    page = doc[0]
    text = page.get_textpage().get_text_range()
    for words in (
        "Rp42.000.000",
        "Maria Wonatorei",
        "Kartu Keluarga",
        "15 Juni 2024",
        "ahli waris",
    ):
        assert words in text
    image = page.render(scale=1).to_pil().convert("L")
    width, height = image.size
    assert abs(width - 595) <= 1 and abs(height - 842) <= 1  # A4 at 72 dpi
    dark = sum(image.histogram()[:128])
    assert 0.005 < dark / (width * height) < 0.3  # ink on the page, not a blank or black sheet
    image.save(tmp_path / "surat.png")
    (tmp_path / "surat.pdf").write_bytes(pdf)
    with pytest.raises(JaringError) as e:
        deaths.print_letter(engine, OPERATOR, task.death_id + 99, today=TODAY)
    assert e.value.code == "task_not_found"


def test_a_claim_rejected_for_lapse_still_records_the_death_for_the_gap_report(
    engine: Engine, world: dict[str, Any]
) -> None:
    # paid March to August: a death on 1 October falls after coverage lapsed
    c = claims.file_claim(
        engine, SYSTEM, claim_type="jkm", nik="9671020202750006", event_date=dt.date(2024, 10, 1),
        filed_on=dt.date(2024, 10, 5), reporter="Andi",
        heirs=[{"relation": "child", "name": "Andi Rahmat"}],
    )  # fmt: skip
    assert not c.eligible
    claims.record_documents(engine, SYSTEM, c.claim, c.missing_documents, received_on=c.filed_on)
    for to in ("documents_complete", "verified"):
        claims.advance_claim(engine, SYSTEM, c.claim, to)
    claims.advance_claim(engine, SYSTEM, c.claim, "rejected", reason_code="lapsed")
    assert deaths.record_claim_deaths(engine, SYSTEM) == 1
    report = dq.gap_report(engine, SYSTEM, until=dt.date(2024, 12, 31))
    (gap,) = report.rows
    assert (gap.reason, gap.benefit_missed) == ("lapsed", 42_000_000)
    assert dq.tasks(engine, SYSTEM, today=dt.date(2024, 12, 31)) == []  # not covered: a gap
