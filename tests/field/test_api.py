"""The field API and pages, through FastAPI, on SQLite and PostgreSQL: a registrar's phone
signed in with a session (CSRF header) or a token, a supervisor's progress."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import Engine, text
from tests.field.helpers import nik, record
from tests.web.conftest import make_user, sign_in

pytestmark = pytest.mark.usefixtures("app")


@pytest.fixture
def registrar(web_engine: Engine) -> str:
    make_user(web_engine, "reg1", "registrar", ["96.71"])
    make_user(web_engine, "sup1", "supervisor", ["96.71"])
    return "reg1"


def body(*records: Any) -> dict[str, Any]:
    return {"records": [dataclasses.asdict(r) for r in records]}


def test_a_phone_syncs_with_its_session(app, web_engine: Engine, registrar: str) -> None:  # type: ignore[no-untyped-def]
    from fastapi.testclient import TestClient

    phone = TestClient(app)
    assert sign_in(phone, registrar, next="/field/").headers["location"] == "/field/"
    page = phone.get("/field/")
    assert page.status_code == 200 and "Pendaftaran lapangan" in page.text
    assert phone.get("/field/sw.js").headers["content-type"].startswith("text/javascript")
    assert phone.get("/field/manifest.webmanifest").json()["start_url"] == "/field/"
    me = phone.get("/api/v1/field/me").json()
    assert me["username"] == "reg1" and me["can_register"] and me["csrf_token"]
    assert me["region_names"] == ["Kota Sorong"] and me["regions"] == ["96.71"]
    lists = phone.get("/api/v1/field/lists").json()
    assert [d["code"] for d in lists["districts"]][:1] and "967101" in lists["nik_prefixes"]
    assert lists["nik_old"]["927101"] == "96.71.01"
    assert "NIK" in lists["messages"]["nik_length"]
    payload = body(record(11), record(12, nik="96710112038500A1"))
    refused = phone.post("/api/v1/field/sync", json=payload)
    assert refused.status_code == 403 and refused.json()["code"] == "csrf_failed"
    headers = {"X-CSRF-Token": me["csrf_token"]}
    first = phone.post("/api/v1/field/sync", json=payload, headers=headers)
    assert first.status_code == 200, first.text
    answers = first.json()["answers"]
    assert [a["status"] for a in answers] == ["accepted", "needs_fix"]
    assert answers[1]["issues"][0]["message"].startswith("NIK 96710112038500A1")
    again = phone.post("/api/v1/field/sync", json=payload, headers=headers).json()
    assert [a["status"] for a in again["answers"]] == ["accepted", "needs_fix"]
    assert again["answers"][0]["repeated"] is True
    mine = phone.get("/api/v1/field/records").json()
    assert [r["name"] for r in mine] == ["Mama Pedagang 12", "Mama Pedagang 11"]
    with web_engine.connect() as c:
        assert c.execute(text("SELECT count(*) FROM field_record")).scalar_one() == 2
    assert phone.get("/").headers.get("location", "/field/") == "/field/"


def test_tokens_roles_and_progress(
    api: Callable[[str], Any], browser_as: Callable[[str], Any], registrar: str
) -> None:
    phone = api(registrar)
    out = phone.post(
        "/api/v1/field/sync", json=body(record(11), record(12), record(13, nik=nik(11)))
    )
    assert [a["status"] for a in out.json()["answers"]] == [
        "accepted",
        "accepted",
        "duplicate_here",
    ]
    assert api("viewer").post("/api/v1/field/sync", json=body(record(14))).status_code == 403
    assert phone.get("/api/v1/field/progress").status_code == 403
    sup = api("sup1")
    p = sup.get("/api/v1/field/progress", params={"since": "2026-12-01"}).json()
    assert (p["records"], p["accepted"], p["duplicates"]) == (3, 2, 1)
    html = browser_as("sup1").get("/field/progress?since=2026-12-01")
    assert html.status_code == 200 and "Pasar Remu" in html.text and "reg1" in html.text
    assert "967101" not in html.text  # counts only: no NIK on the supervisor's page
    bad = phone.post("/api/v1/field/sync", json={"records": [{"client_id": "x"}]})
    assert bad.status_code == 422


def test_the_form_is_light_enough_to_install(app) -> None:  # type: ignore[no-untyped-def]
    """Everything the service worker keeps, under 300 KB (the region lists are fetched
    beside it, compressed: measured in the browser test)."""
    from importlib import resources

    static = resources.files("jaring.web") / "static"
    names = ["jaring.css", "field/field.css", "field/checks.js", "field/app.js",
             "field/icon-192.png", "field/manifest.webmanifest", "field/sw.js"]  # fmt: skip
    total = sum(len((static / n).read_bytes()) for n in names)
    assert total < 300 * 1024, total
