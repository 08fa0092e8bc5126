"""Invoice lines already issued for months after a death, on SQLite and PostgreSQL: the
unpaid part is no longer asked of the Pemda (a line with nothing paid leaves its invoice, a
part-paid one keeps what was paid, which is refunded), each invoice changed is audited, and
undoing the death asks for all of it again."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, select

from families.world import SYSTEM, built, deaths_csv
from jaring.access import Actor
from jaring.families.actions import deaths
from jaring.families.queries import deaths as dq
from jaring.programs import actions as programs
from jaring.programs import queries as program_queries
from jaring.store.tables.families import death_list_row
from jaring.store.tables.programs import invoice_line, membership
from jaring.store.tables.registry import person
from jaring.store.tables.web import audit_event

TODAY = dt.date(2024, 10, 20)
YOHANIS = "9671011505800001"  # dies 15 June 2024: July onwards is not owed
SUPERVISOR = Actor(username="spv", role="supervisor", regions=("96.71",))
SEPT, OCT = dt.date(2024, 9, 1), dt.date(2024, 10, 1)


@pytest.fixture
def world(engine: Engine, tmp_path: Path, store_copies) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    """March to August paid; September billed and unpaid; October billed and paid up to
    half of Yohanis' line (lines are filled in membership order)."""
    out = built(engine, tmp_path, store_copies)
    sept = programs.create_invoice(engine, SYSTEM, "Sorong 2024", SEPT)
    oct_ = programs.create_invoice(engine, SYSTEM, "Sorong 2024", OCT)
    with engine.connect() as c:
        mid = c.execute(
            select(membership.c.id)
            .join(person, person.c.id == membership.c.person_id)
            .where(person.c.nik == YOHANIS)
        ).scalar_one()
        lines = {
            int(r.membership_id): int(r.amount)
            for r in c.execute(
                select(invoice_line.c.membership_id, invoice_line.c.amount).where(
                    invoice_line.c.invoice_id == oct_.id
                )
            )
        }
    half = lines[mid] // 2
    before = sum(a for m, a in lines.items() if m < mid)
    programs.pay(engine, SYSTEM, oct_.invoice, amount=before + half, sp2d="SP2D-OKT", on=OCT)
    return {**out, "sept": sept, "oct": oct_, "mid": mid, "line": lines[mid], "half": half}


def _invoices(engine: Engine) -> dict[dt.date, Any]:
    return {i.month: i for i in program_queries.list_invoices(engine, SYSTEM, "Sorong 2024")}


def _line(engine: Engine, invoice_id: int, mid: int) -> tuple[int, int] | None:
    with engine.connect() as c:
        r = c.execute(
            select(invoice_line.c.amount, invoice_line.c.paid).where(
                invoice_line.c.invoice_id == invoice_id, invoice_line.c.membership_id == mid
            )
        ).first()
    return None if r is None else (int(r.amount), int(r.paid))


def test_unpaid_lines_after_a_death_are_cancelled_and_come_back_on_undo(
    engine: Engine, tmp_path: Path, world: dict[str, Any]
) -> None:
    sept, oct_, mid, line, half = (world[k] for k in ("sept", "oct", "mid", "line", "half"))
    before = _invoices(engine)
    assert (before[SEPT].lines, before[SEPT].outstanding) == (8, sept.amount)
    path = deaths_csv(tmp_path / "d.csv", [(YOHANIS, "Yohanis Wonatorei", "15/06/2024", "")])
    out = deaths.import_deaths(engine, SYSTEM, path, source="Dukcapil", today=TODAY)
    assert out.recorded == 1
    # September's line (nothing paid) and the unpaid half of October's are no longer asked
    assert (out.lines_cancelled, out.cancelled_amount) == (2, line + (line - half))
    after = _invoices(engine)
    assert (after[SEPT].lines, after[SEPT].amount) == (7, sept.amount - line)
    assert after[SEPT].outstanding == sept.amount - line
    assert (after[OCT].lines, after[OCT].amount) == (8, oct_.amount - (line - half))
    assert _line(engine, sept.id, mid) is None
    assert _line(engine, oct_.id, mid) == (half, half)
    # what was paid after the death goes back: July, August and October's half
    assert sorted((r.month.month, r.amount) for r in dq.refunds(engine, SYSTEM)) == [
        (7, line), (8, line), (10, half)]  # fmt: skip
    # the Pemda pays September as it is now asked
    paid = programs.pay(
        engine, SYSTEM, sept.invoice, amount=after[SEPT].outstanding, sp2d="SP2D-SEP", on=TODAY
    )
    assert paid.outstanding == 0
    with engine.connect() as c:
        events = c.execute(
            select(audit_event.c.entity_id, audit_event.c.before, audit_event.c.after).where(
                audit_event.c.action == "invoice.death_cancel"
            )
        ).all()
        death_id = c.execute(select(death_list_row.c.death_id)).scalar_one()
    assert {(str(e.entity_id), e.before["amount"] - e.after["amount"]) for e in events} == {
        (str(sept.id), line), (str(oct_.id), line - half)}  # fmt: skip

    undone = deaths.undo_death(engine, SUPERVISOR, death_id, reason="salah orang")
    assert (undone.lines_restored, undone.restored_amount) == (2, line + (line - half))
    back = _invoices(engine)
    assert (back[SEPT].lines, back[SEPT].amount) == (8, sept.amount)
    assert back[SEPT].outstanding == line  # he was alive: his September is owed again
    assert (back[OCT].amount, back[OCT].outstanding) == (oct_.amount, before[OCT].outstanding)
    assert _line(engine, sept.id, mid) == (line, 0)
    assert _line(engine, oct_.id, mid) == (line, half)
    assert dq.refunds(engine, SYSTEM) == []
    with engine.connect() as c:
        restored = (
            c.execute(
                select(audit_event.c.actor).where(audit_event.c.action == "invoice.death_restore")
            )
            .scalars()
            .all()
        )
    assert restored == ["spv", "spv"]


def test_a_death_entered_by_hand_cancels_the_unpaid_lines_too(
    engine: Engine, world: dict[str, Any]
) -> None:
    sept, line = world["sept"], world["line"]
    with engine.connect() as c:
        pid = c.execute(select(person.c.id).where(person.c.nik == YOHANIS)).scalar_one()
    rec = deaths.record_death(
        engine, SYSTEM, int(pid), dt.date(2024, 8, 31), source="Surat kelurahan", today=TODAY
    )
    # August is the month of death: owed; September's line leaves, October's unpaid half too
    assert rec.lines_cancelled == 2
    assert _invoices(engine)[SEPT].amount == sept.amount - line
