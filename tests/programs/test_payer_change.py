"""A program's payer type changed after creation: issued invoices keep their amounts (the
PP 50/2025 discount depends on the payer type), later invoices follow the new type; audited
with before and after; the package stays fixed once anyone is enrolled. On SQLite and
PostgreSQL, amounts by hand; the CLI on SQLite."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from sqlalchemy import Engine, select
from tests.clirun import jaring, process

from jaring.access import Actor
from jaring.errors import JaringError
from jaring.programs import actions
from jaring.store.tables.programs import invoice
from jaring.store.tables.web import audit_event
from programs.helpers import add_people, people_frame
from programs.test_service import _answer

SYSTEM = Actor.system()
APRIL, MAY = dt.date(2026, 4, 1), dt.date(2026, 5, 1)


def _started(engine: Engine, tmp_path: Path) -> None:
    """Ten pekerja mandiri paying for themselves from April 2026, enrolled and registered."""
    add_people(engine, people_frame(10, seed=7))
    actions.create_program(engine, SYSTEM, name="Mandiri", fiscal_year=2026, budget=10_000_000,
        funder_type="self", period_start=APRIL, period_end=dt.date(2026, 6, 30),
    )  # fmt: skip
    actions.plan_program(engine, SYSTEM, "Mandiri")
    actions.enrol(engine, SYSTEM, "Mandiri")
    actions.bpjs_export(engine, SYSTEM, "Mandiri", tmp_path / "m.csv")
    actions.bpjs_import_kpj(engine, SYSTEM, _answer(tmp_path / "m.csv", tmp_path / "m-ans.csv"))


def test_issued_invoices_keep_their_amounts(engine: Engine, tmp_path: Path) -> None:
    _started(engine, tmp_path)
    # April 2026, lowest band, PP 50/2025 (BPU, April to December 2026): a pekerja mandiri
    # pays half of JKK 10.000 + JKM 6.800 = 8.400
    april = actions.create_invoice(engine, SYSTEM, "Mandiri", APRIL)
    assert april.amount == 10 * 8_400
    # the Pemda takes the program over from May: APBD pays, and no discount reaches it
    out = actions.update_program(engine, SYSTEM, "Mandiri", funder_type="apbd",
        funder_region="96.71")  # fmt: skip
    assert (out.funder_type, out.funder_region, out.paid_by) == ("apbd", "96.71", "apbd")
    may = actions.create_invoice(engine, SYSTEM, "Mandiri", MAY)
    assert may.amount == 10 * 16_800
    with engine.connect() as conn:
        kept = conn.execute(select(invoice.c.amount).where(invoice.c.id == april.id)).scalar_one()
        ev = conn.execute(
            select(audit_event.c.before, audit_event.c.after).where(
                audit_event.c.action == "program.update"
            )
        ).one()
    assert kept == 84_000
    before, after = (json.loads(v) if isinstance(v, str) else v for v in ev)
    assert (before["funder_type"], after["funder_type"]) == ("self", "apbd")
    assert (before["funder_region"], after["funder_region"]) == (None, "96.71")


def test_the_package_stays_once_anyone_is_enrolled(engine: Engine, tmp_path: Path) -> None:
    _started(engine, tmp_path)
    with pytest.raises(JaringError) as e:
        actions.update_program(engine, SYSTEM, "Mandiri", with_jht=True)
    assert e.value.code == "program_started" and e.value.context["field"] == "with_jht"
    with pytest.raises(JaringError) as e:
        actions.update_program(engine, SYSTEM, "Mandiri", funder_type="csr")
    assert e.value.code == "bad_funder" and e.value.context["field"] == "funder_type"
    viewer = Actor(username="v", role="viewer")
    with pytest.raises(JaringError) as e:
        actions.update_program(engine, viewer, "Mandiri", funder_type="apbd")
    assert e.value.code == "forbidden"


def test_an_unchanged_payer_writes_no_event(engine: Engine) -> None:
    actions.create_program(engine, SYSTEM, name="P", fiscal_year=2026, budget=1, funder_type="apbd")
    actions.update_program(engine, SYSTEM, "P", funder_type="apbd")
    with engine.connect() as conn:
        n = conn.execute(
            select(audit_event.c.id).where(audit_event.c.action == "program.update")
        ).all()
    assert n == []


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_the_cli_changes_the_payer(engine: Engine, db_url: str) -> None:
    actions.create_program(engine, SYSTEM, name="P", fiscal_year=2026, budget=1, funder_type="apbd")

    p = process("program", "update", "P", "--payer-type", "self", "--json", "--db", db_url)
    assert p.returncode == 0, p.stderr
    assert json.loads(p.stdout)["funder_type"] == "self"
    p = jaring("program", "update", "P", "--payer-type", "csr", "--db", db_url)
    assert p.returncode == 2 and "Traceback" not in p.stderr
    assert len(p.stderr.strip().splitlines()) == 1 and "[bad_funder]" in p.stderr
    assert "--payer-type" in p.stderr  # the CLI names its own flag
