"""Refunds of months paid after a death, in a program's invoices, on SQLite and PostgreSQL:
listed with month, amount, member (NIK masked for masked roles) and status; marked returned
to the payer once, with a day and a reference, audited; refused with a reason otherwise."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, select

from families.world import SYSTEM, built
from jaring.access import Actor
from jaring.errors import JaringError
from jaring.families.actions import deaths
from jaring.programs import actions, queries
from jaring.store.tables.web import audit_event

YOHANIS = "9671011505800001"
BUDGET = Actor(username="anggaran", role="budget_officer")


@pytest.fixture
def died(engine: Engine, tmp_path: Path, store_copies) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    """Six months paid from March 2024 (Rp16.800 a month); Yohanis dies on 15 June 2024:
    July and August were paid after his death and go back to the Pemda."""
    world = built(engine, tmp_path, store_copies)
    from jaring.registry import queries as registry

    person_id = registry.person_by_nik(engine, SYSTEM, YOHANIS)
    deaths.record_death(
        engine, SYSTEM, person_id, dt.date(2024, 6, 15), source="Kelurahan Remu",
        today=dt.date(2024, 9, 1),
    )  # fmt: skip
    return world


def test_refunds_listed_masked_and_returned_once(engine: Engine, died) -> None:  # type: ignore[no-untyped-def]
    rows = queries.program_refunds(engine, BUDGET, "Sorong 2024")
    assert [(r.month, r.amount, r.status, r.label_id) for r in rows] == [
        (dt.date(2024, 7, 1), 16_800, "due", "belum dikembalikan"),
        (dt.date(2024, 8, 1), 16_800, "due", "belum dikembalikan"),
    ]
    assert rows[0].name == "Yohanis Wonatorei" and rows[0].nik == "9671********0001"
    assert queries.program_refunds(engine, SYSTEM, "Sorong 2024")[0].nik == YOHANIS
    july = rows[0].id
    for bad, code in (
        ({"reference": " "}, "missing_refund_reference"),
        ({"returned_on": dt.date(2030, 1, 1)}, "refund_date_future"),
    ):
        kw: dict[str, Any] = {"returned_on": dt.date(2024, 9, 20), "reference": "TRF-01", **bad}
        with pytest.raises(JaringError) as e:
            actions.return_refund(engine, BUDGET, "Sorong 2024", july, **kw)
        assert e.value.code == code
    with pytest.raises(JaringError) as e:
        actions.return_refund(
            engine, Actor(username="lihat", role="viewer"), "Sorong 2024", july,
            returned_on=dt.date(2024, 9, 20), reference="TRF-01",
        )  # fmt: skip
    assert e.value.code == "forbidden"
    out = actions.return_refund(
        engine, BUDGET, "Sorong 2024", july, returned_on=dt.date(2024, 9, 20), reference="TRF-01"
    )
    assert (out.status, out.returned_on, out.returned_reference, out.returned_by) == (
        "returned", dt.date(2024, 9, 20), "TRF-01", "anggaran",
    )  # fmt: skip
    with pytest.raises(JaringError) as e:
        actions.return_refund(
            engine, BUDGET, "Sorong 2024", july, returned_on=dt.date(2024, 9, 21), reference="X"
        )
    assert e.value.code == "refund_not_due"
    with pytest.raises(JaringError) as e:
        actions.return_refund(
            engine, BUDGET, "Sorong 2024", 10_000, returned_on=dt.date(2024, 9, 21), reference="X"
        )
    assert e.value.code == "refund_not_found"
    left = queries.program_refunds(engine, BUDGET, "Sorong 2024", status="due")
    assert [r.month for r in left] == [dt.date(2024, 8, 1)]
    with engine.connect() as c:
        events = c.execute(
            select(audit_event.c.action, audit_event.c.entity_id).where(
                audit_event.c.action.in_(["billing.refund_return", "refund.read"])
            )
        ).all()
    assert ("billing.refund_return", str(july)) in [(a, str(i)) for a, i in events]
    assert any(a == "refund.read" for a, _ in events)


def test_one_transfer_returns_several_refunds_or_none(engine: Engine, died) -> None:  # type: ignore[no-untyped-def]
    july, august = (r.id for r in queries.program_refunds(engine, BUDGET, "Sorong 2024"))
    day = dt.date(2024, 9, 20)
    # one refund at fault (not found, or not owed) and nothing is returned
    with pytest.raises(JaringError) as e:
        actions.return_refunds(
            engine, BUDGET, "Sorong 2024", [july, 10_000], returned_on=day, reference="TRF-2"
        )
    assert e.value.code == "refund_not_found"
    with pytest.raises(JaringError) as e:
        actions.return_refunds(engine, BUDGET, "Sorong 2024", [], returned_on=day, reference="T")
    assert e.value.code == "no_refund_chosen"
    assert len(queries.program_refunds(engine, BUDGET, "Sorong 2024", status="due")) == 2
    out = actions.return_refunds(
        engine, BUDGET, "Sorong 2024", [august, july, july], returned_on=day, reference="TRF-2"
    )
    assert [(r.id, r.status, r.returned_reference) for r in out] == [
        (july, "returned", "TRF-2"), (august, "returned", "TRF-2"),
    ]  # fmt: skip
    with pytest.raises(JaringError) as e:
        actions.return_refunds(
            engine, BUDGET, "Sorong 2024", [july], returned_on=day, reference="TRF-3"
        )
    assert e.value.code == "refund_not_due"
    with engine.connect() as c:
        events = c.execute(
            select(audit_event.c.entity_id).where(audit_event.c.action == "billing.refund_return")
        ).scalars()
        assert sorted(events) == sorted([str(july), str(august)])


def test_refunds_through_the_command_line(engine: Engine, died) -> None:  # type: ignore[no-untyped-def]
    import json

    from tests.clirun import jaring, process

    url = engine.url.render_as_string(hide_password=False)

    def run(*args: str) -> Any:
        return jaring("billing", *args, "--db", url)

    p = process("billing", "refunds", "Sorong 2024", "--json", "--db", url)  # the real entry
    assert p.returncode == 0, p.stderr
    rows = json.loads(p.stdout)
    assert [(r["month"], r["amount"], r["status"]) for r in rows] == [
        ("2024-07-01", 16_800, "due"), ("2024-08-01", 16_800, "due"),
    ]  # fmt: skip
    august = str(rows[1]["id"])
    p = run(
        "refund-returned", "Sorong 2024", august, "--reference", "TRF-9", "--date", "2024-09-30"
    )
    assert p.returncode == 0, p.stderr
    assert "TRF-9" in p.stdout and "30 September 2024" in p.stdout
    p = run(
        "refund-returned", "Sorong 2024", august, "--reference", "TRF-9", "--date", "2024-09-30"
    )
    assert p.returncode == 2 and "Traceback" not in p.stderr
    # several ids, one transfer: refused whole while one is not owed, then July alone
    july = str(rows[0]["id"])
    p = run(
        "refund-returned", "Sorong 2024", july, august, "--reference", "T", "--date", "2024-10-01"
    )
    assert p.returncode == 2 and "Traceback" not in p.stderr
    p = run("refund-returned", "Sorong 2024", july, "--reference", "TRF-10", "--date", "2024-10-01")
    assert p.returncode == 0 and "TRF-10" in p.stdout


def test_one_transfer_through_the_api(engine: Engine, died) -> None:  # type: ignore[no-untyped-def]
    import warnings

    from jaring.web.app import create_app
    from web.conftest import make_user, token_for

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from fastapi.testclient import TestClient

    make_user(engine, "anggaran", "budget_officer", [])
    make_user(engine, "lihat", "viewer", ["96.71"])
    app = create_app(engine, rate_limit=1000)
    api = TestClient(app, headers={"Authorization": f"Bearer {token_for(engine, 'anggaran')}"})
    prog = api.get("/api/v1/programs").json()[0]["id"]
    ids = [r["id"] for r in api.get(f"/api/v1/programs/{prog}/refunds?status=due").json()]
    body = {"returned_on": "2024-09-20", "reference": "TRF-7", "refund_ids": ids}
    viewer = TestClient(app, headers={"Authorization": f"Bearer {token_for(engine, 'lihat')}"})
    assert viewer.post(f"/api/v1/programs/{prog}/refunds/return", json=body).status_code == 403
    bad = api.post(f"/api/v1/programs/{prog}/refunds/return", json={**body, "refund_ids": []})
    assert bad.status_code in (400, 422)
    r = api.post(f"/api/v1/programs/{prog}/refunds/return", json=body)
    assert r.status_code == 200, r.text
    assert [(x["status"], x["returned_reference"]) for x in r.json()] == [("returned", "TRF-7")] * 2
    again = api.post(f"/api/v1/programs/{prog}/refunds/return", json=body)
    assert again.status_code == 400 and again.json()["code"] == "refund_not_due"


def test_a_budget_officers_tasks_name_the_refunds_owed(engine: Engine, died) -> None:  # type: ignore[no-untyped-def]
    """The dashboard's work queue of a budget officer (billing, every region) names the
    refunds still to return, by program, with a link; once returned, the task is gone. An
    operator's queue does not name it."""
    import warnings

    from jaring.web.app import create_app
    from web.conftest import csrf_of, make_user, sign_in

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from fastapi.testclient import TestClient

    make_user(engine, "anggaran", "budget_officer", [])
    make_user(engine, "ops", "operator", ["96.71"])
    app = create_app(engine, rate_limit=1000)
    ops = TestClient(app)
    sign_in(ops, "ops")
    assert "iuran untuk dikembalikan" not in ops.get("/").text
    c = TestClient(app)
    sign_in(c, "anggaran")
    home = c.get("/").text
    tasks = home.split('id="tasks"')[1].split("</section>")[0]
    assert "2 bulan iuran untuk dikembalikan" in tasks and "Rp33.600" in tasks
    link = tasks.split('href="')[1].split('"')[0]
    assert link.endswith("/invoices#refunds-owed")
    tab = c.get(link.split("#")[0]).text
    form = {"csrf_token": csrf_of(tab), "all_due": "1", "returned_on": "2024-09-20"}
    asked = c.post(link.split("/invoices")[0] + "/refunds", data={**form, "reference": "TRF-1"})
    assert asked.status_code == 200 and 'id="confirm-refund"' in asked.text
    assert "Catat 2 iuran sudah dikembalikan" in asked.text
    done = c.post(
        link.split("/invoices")[0] + "/refunds",
        data={
            **form,
            "reference": "TRF-1",
            "refund_ids": asked.text.split('name="refund_ids" value="')[1].split('"')[0],
            "confirm": "1",
        },
        follow_redirects=True,
    )
    assert done.status_code == 200 and "2 iuran, seluruhnya Rp33.600" in done.text
    assert "iuran untuk dikembalikan" not in c.get("/").text
