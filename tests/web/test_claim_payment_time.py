"""The time BPJS TK has to pay a claim, and the compensation it owes when late, as the claim's
page, the API and the CLI show them, on SQLite and PostgreSQL. Computed by hand: a JKM of
Rp42.000.000 whose file was complete on Friday 14 June 2024 (17 June Idul Adha, 18 June cuti
bersama) is due on Friday 21 June; paid on Wednesday 26 June it is 5 days late, and
5 x 1% x 42.000.000 = Rp2.100.000 is owed to the heirs."""

from __future__ import annotations

import datetime as dt
import json

from tests.clirun import jaring
from tests.web.conftest import make_user

from jaring.access import Actor
from jaring.claims import actions

D = dt.date


def _approved_claim(web_engine) -> int:  # type: ignore[no-untyped-def]
    maker = Actor(username="operator", role="operator")
    c = actions.file_claim(
        web_engine,
        Actor.system(),
        claim_type="jkm",
        event_date=D(2024, 6, 10),
        nik="9671022505900002",
        reporter="Istri",
        heirs=[{"relation": "spouse", "name": "Maria Sawaki", "recipient": True}],
    )
    assert c.amount == 42_000_000
    actions.record_documents(
        web_engine, Actor.system(), c.claim, c.missing_documents, received_on=D(2024, 6, 14)
    )
    actions.advance_claim(web_engine, Actor.system(), c.claim, "documents_complete")
    actions.advance_claim(web_engine, Actor.system(), c.claim, "verified")
    assert maker.username
    return c.claim


def test_payment_time_on_the_page_the_api_and_the_cli(api, browser_as, web_engine) -> None:  # type: ignore[no-untyped-def]
    make_user(web_engine, "approver", "claims_approver", [])
    claim = _approved_claim(web_engine)
    client = api("approver")
    r = client.post(f"/api/v1/claims/{claim}/advance", json={"to": "approved"})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["complete_on"] == "2024-06-14" and body["payment_due"] == "2024-06-21"
    assert body["payment_working_days"] == 3 and body["late_compensation"] is None
    r = client.post(
        f"/api/v1/claims/{claim}/advance",
        json={"to": "paid", "paid_on": "2024-06-26", "amount": 42_000_000, "reference": "SP2D-7"},
    )
    assert r.status_code == 200, r.text
    assert (r.json()["late_days"], r.json()["late_compensation"]) == (5, 2_100_000)

    page = browser_as("approver").get(f"/claims/{claim}").text
    due = page.split('id="payment-due">')[1].split("</dd>")[0]
    assert "21 Juni 2024" in due and "3 hari kerja" in due
    owed = page.split('id="late-compensation">')[1].split("</dd>")[0]
    assert "Rp2.100.000" in owed and "5 hari terlambat" in owed

    url = web_engine.url.render_as_string(hide_password=False)
    run = ["claims", "show", str(claim), "--db", url]
    p = jaring(*run, "--json")
    assert p.returncode == 0, p.stderr
    out = json.loads(p.stdout)
    assert (out["payment_due"], out["late_compensation"]) == ("2024-06-21", 2_100_000)
    p = jaring(*run, "--lang", "id")
    assert p.returncode == 0, p.stderr
    assert "21 Juni 2024" in p.stdout and "Rp2.100.000" in p.stdout
