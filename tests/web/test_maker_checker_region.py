"""Maker-checker in the claim's region: a claims approver of another regency may not approve
or pay a claim of Kota Sorong, through the page, the API or the CLI; an administrator may
not either (the right is the approver's); an approver of the claim's region may. On SQLite
and PostgreSQL."""

from __future__ import annotations

from tests.clirun import jaring
from tests.web.conftest import csrf_of, make_user
from tests.web.test_jobs import _file_claim

from jaring.access import Actor
from jaring.claims import actions as claim_actions
from jaring.claims import queries as claim_queries


def _verified(op, web_engine) -> str:  # type: ignore[no-untyped-def]
    claim = _file_claim(op)
    c = claim_queries.get_claim(web_engine, Actor.system(), int(claim))
    claim_actions.record_documents(web_engine, Actor.system(), int(claim), c.missing_documents)
    for to in ("documents_complete", "verified"):
        claim_actions.advance_claim(web_engine, Actor.system(), int(claim), to)
    return claim


def test_an_approver_of_another_region_is_refused_everywhere(  # type: ignore[no-untyped-def]
    browser_as, api, web_engine
) -> None:
    make_user(web_engine, "approver_manokwari", "claims_approver", ["92.02"])
    make_user(web_engine, "approver_sorong", "claims_approver", ["96.71"])
    claim = _verified(browser_as("operator"), web_engine)
    far = browser_as("approver_manokwari")
    page = far.get("/claims").text
    r = far.post(f"/claims/{claim}/advance", data={"csrf_token": csrf_of(page), "to": "approved"})
    assert r.status_code in (403, 404)
    r = api("approver_manokwari").post(f"/api/v1/claims/{claim}/advance", json={"to": "approved"})
    assert r.status_code == 403 and r.json()["code"] == "person_out_of_region"
    r = api("admin").post(f"/api/v1/claims/{claim}/advance", json={"to": "approved"})
    assert r.status_code == 403 and r.json()["code"] == "claim_approver_required"
    url = web_engine.url.render_as_string(hide_password=False)
    for user in ("approver_manokwari", "admin"):
        args = ("claims", "advance", claim, "--to", "approved", "--user", user, "--db", url)
        cli = jaring(*args)
        assert cli.returncode == 2 and "Traceback" not in cli.stderr, cli.stderr
    near = api("approver_sorong")
    r = near.post(f"/api/v1/claims/{claim}/advance", json={"to": "approved"})
    assert r.status_code == 200, r.text
    r = api("approver_manokwari").post(
        f"/api/v1/claims/{claim}/advance",
        json={"to": "paid", "paid_on": "2024-07-01", "amount": 42_000_000, "reference": "SP2D-1"},
    )
    assert r.status_code == 403
