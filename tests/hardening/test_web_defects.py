"""Small web defects an attacker or a careless operator met: docs blank under our own CSP,
htmx's injected style, personal data cacheable, a server path in an answer, bad values as
500 and raw exception messages in the server's log, "database is locked" as 500."""

from __future__ import annotations

import logging
import re
import threading
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import Engine

from jaring.web.app import create_app


def test_api_docs_work_offline_and_list_the_operations(app) -> None:  # type: ignore[no-untyped-def]
    c = TestClient(app)
    page = c.get("/api/v1/docs")
    assert page.status_code == 200
    assert "cdn" not in page.text.lower() and "http" not in page.text.split("<body>")[1]
    for src in re.findall(r'(?:src|href)="([^"]+)"', page.text):
        asset = c.get(src)
        assert asset.status_code == 200 and len(asset.content) > 100, src
    assert "script-src 'self'" in page.headers["content-security-policy"]
    ops = c.get(page.text.split('data-openapi="')[1].split('"')[0]).json()["paths"]
    assert "/api/v1/people" in ops and len(ops) >= 12  # what Swagger UI lists


def test_htmx_injects_no_style(app) -> None:  # type: ignore[no-untyped-def]
    html = TestClient(app).get("/login").text
    assert "includeIndicatorStyles" in html and '"includeIndicatorStyles": false' in html
    css = TestClient(app).get("/static/jaring.css").text
    assert ".htmx-indicator" in css


def test_personal_data_json_is_not_cached(api) -> None:  # type: ignore[no-untyped-def]
    c = api("admin")
    for url in (
        "/api/v1/people?q=Yohana",
        "/api/v1/people/1",
        "/api/v1/people/by-nik/9671011203850001",
    ):
        r = c.get(url)
        assert r.status_code == 200, url
        assert r.headers.get("cache-control") == "no-store", url


def test_bpjs_answer_shows_no_server_path(api, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    answer = "No NIK,NOMOR KPJ,Status,Keterangan\n9671011203850001,24000000001,,\n"
    r = api("admin").post(
        "/api/v1/programs/1/bpjs/answers",
        files={"file": ("jawaban.csv", answer.encode(), "text/csv")},
    )
    assert r.status_code < 500, r.text
    assert "/tmp" not in r.text and "tmp" not in r.json().get("file", "")


def test_bad_values_are_400_and_their_messages_stay_out_of_the_log(api, caplog) -> None:  # type: ignore[no-untyped-def]
    secret = "9671011203850001 Yohana Kambuaya"
    with caplog.at_level(logging.DEBUG):
        r = api("admin").post(
            "/api/v1/claims",
            json={
                "type": "jkk_stmb",
                "nik": "9671011203850001",
                "event_date": "2024-05-01",
                "reporter": "x",
                "inputs": {"months": secret, "wage": 1_000_000},
            },
        )
    assert r.status_code == 400 and r.json()["code"] == "claim_input_bad"
    assert "Yohana" not in caplog.text and "9671011203850001" not in caplog.text


def test_an_unhandled_error_is_logged_once_without_its_message(web_engine: Engine, caplog) -> None:  # type: ignore[no-untyped-def]
    app = create_app(web_engine)

    person = {"nik": "9671011203850001", "name": "Yo" + "hana Kambuaya"}

    @app.get("/boom")
    def boom() -> None:  # a bug whose message quotes the data it choked on
        raise ValueError(f"{person['nik']} {person['name']}")

    with caplog.at_level(logging.DEBUG):
        r = TestClient(app, raise_server_exceptions=True).get("/boom")
    assert r.status_code == 500  # answered, and not raised again to the server to log
    assert "Yohana" not in caplog.text


def test_a_locked_store_is_503_with_retry_after(tmp_path: Path) -> None:
    from tests.web.conftest import _seed_all, token_for

    from jaring.store import make_engine, migrate

    path = tmp_path / "locked.db"
    engine = make_engine(f"sqlite:///{path}", connect_args={"timeout": 0.2})
    migrate(engine)
    _seed_all(engine)
    token = token_for(engine, "admin")
    client = TestClient(create_app(engine), headers={"Authorization": f"Bearer {token}"})
    holder = make_engine(f"sqlite:///{path}")
    held, release = threading.Event(), threading.Event()

    def hold() -> None:  # a long CLI write holding the file
        with holder.begin() as conn:
            conn.exec_driver_sql("UPDATE person SET name = name")
            held.set()
            release.wait(10)

    t = threading.Thread(target=hold)
    t.start()
    held.wait(5)
    try:
        r = client.post("/api/v1/tokens", json={"name": "x"})
    finally:
        release.set()
        t.join()
    assert r.status_code == 503, r.text
    assert r.headers["retry-after"] == "5" and r.json()["code"] == "store_busy"
