"""The NIK look-up's hot path (``jaring.web.hotpath`` + ``jaring.web.lookup``) answers exactly
as the FastAPI route and the SQLAlchemy look-up do: same statuses, bytes, refusals, scope and
masking, for every role, on SQLite and PostgreSQL; revoked tokens stop at once; new rows are
seen at once; a connection the server dropped is replaced."""

from __future__ import annotations

import datetime as dt
import warnings

import polars as pl
from sqlalchemy import Engine, text

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

from tests.web.conftest import PEOPLE, principal_named, token_for

from jaring.registry.queries import people
from jaring.store.bulk import insert_frame
from jaring.web.app import create_app

NIK_SORONG_TIMUR = "9671022505900002"  # person 2, Distrik Sorong Timur (96.71.02)
NIK_SORONG = "9671011203850001"  # person 1, Distrik Sorong (96.71.01)
PATHS = [f"/api/v1/people/by-nik/{p[1]}" for p in PEOPLE] + [
    "/api/v1/people/by-nik/9671010101010999",  # nobody
    "/api/v1/people/by-nik/123",  # bad_nik
    "/api/v1/people/by-nik/96710112038500011",  # 17 digits
    "/api/v1/people/by-nik/96710112O3850001",  # a letter O
    f"/api/v1/people/by-nik/{NIK_SORONG}?lang=en",
]
HEADERS = ("content-type", "x-content-type-options", "referrer-policy", "x-frame-options")


def _token(engine: Engine, username: str) -> str:
    return token_for(engine, username, "t")


def test_hot_path_answers_as_the_route(web_engine: Engine) -> None:
    hot = create_app(web_engine, rate_limit=1000)
    plain = create_app(web_engine, rate_limit=1000, hot_paths=False)
    tokens = {
        u: _token(web_engine, u)
        for u in ("admin", "operator", "budget", "viewer", "juror", "auditor")
    }
    auths = [{"Authorization": f"Bearer {t}"} for t in tokens.values()] + [
        {},
        {"Authorization": "Bearer jrg_not-a-real-token"},
    ]
    statuses = set()
    for headers in auths:
        a, b = TestClient(hot, headers=headers), TestClient(plain, headers=headers)
        for path in PATHS:
            ra, rb = a.get(path), b.get(path)
            assert (ra.status_code, ra.content) == (rb.status_code, rb.content), path
            for h in HEADERS:
                assert ra.headers.get(h) == rb.headers.get(h), (path, h)
            statuses.add(ra.status_code)
    assert statuses == {200, 400, 401, 403}


def test_lookup_agrees_with_find_by_nik(web_engine: Engine) -> None:
    app = create_app(web_engine)
    lookup = app.state.nik_lookup
    for username in ("admin", "operator", "viewer"):
        p = principal_named(web_engine, username)
        for _, nik, *_ in PEOPLE:
            assert lookup.find(p, nik) == people.find_by_nik(web_engine, p, nik)
    lookup.close()


def test_scope_and_masking_on_the_hot_path(api) -> None:  # type: ignore[no-untyped-def]
    op = api("operator").get(f"/api/v1/people/by-nik/{NIK_SORONG_TIMUR}").json()
    assert op["people"][0]["nik"] == NIK_SORONG_TIMUR
    assert op["people"][0]["birth_date"] == "1990-05-25"
    assert op["people"][0]["district_name"] == "Sorong Timur"
    # an operator of 96.71.02 gets nobody from 96.71.01
    assert api("operator").get(f"/api/v1/people/by-nik/{NIK_SORONG}").json() == {
        "count": 0,
        "people": [],
    }
    viewer = api("viewer").get(f"/api/v1/people/by-nik/{NIK_SORONG}")
    assert viewer.json()["people"][0]["nik"] == "9671********0001"
    assert NIK_SORONG not in viewer.text and "+6281234560001" not in viewer.text
    juror = api("juror").get(f"/api/v1/people/by-nik/{NIK_SORONG}")
    assert juror.status_code == 403 and juror.json()["code"] == "forbidden"


def test_refusals_speak_the_requests_language(api) -> None:  # type: ignore[no-untyped-def]
    c = api("admin")
    r = c.get("/api/v1/people/by-nik/123")
    assert r.status_code == 400 and r.headers["content-type"] == "application/problem+json"
    assert r.json()["detail"] == "NIK terdiri dari 16 angka."
    assert r.json()["field"] == "nik"
    assert c.get("/api/v1/people/by-nik/123?lang=en").json()["detail"] == "A NIK has 16 digits."


def test_other_methods_go_to_the_router(api) -> None:  # type: ignore[no-untyped-def]
    r = api("admin").post(f"/api/v1/people/by-nik/{NIK_SORONG}")
    assert r.status_code == 405 and r.json()["code"] == "method_not_allowed"
    # no NIK: the router's answer (``by-nik`` is not a person id)
    assert api("admin").get("/api/v1/people/by-nik/").json()["code"] == "invalid_request"


def test_revoked_token_stops_at_once(api, app) -> None:  # type: ignore[no-untyped-def]
    op = api("operator")
    tok = op.post("/api/v1/tokens", json={"name": "BPJS Cabang Sorong"}).json()
    machine = TestClient(app, headers={"Authorization": f"Bearer {tok['token']}"})
    path = f"/api/v1/people/by-nik/{NIK_SORONG_TIMUR}"
    assert machine.get(path).json()["count"] == 1  # now cached
    assert op.delete(f"/api/v1/tokens/{tok['id']}").status_code == 204
    r = machine.get(path)
    assert r.status_code == 401 and r.json()["code"] == "login_required"


def test_new_people_are_seen_at_once(api, web_engine: Engine) -> None:  # type: ignore[no-untyped-def]
    c = api("admin")
    nik = "9671020202020005"
    path = f"/api/v1/people/by-nik/{nik}"
    assert c.get(path).json()["count"] == 0  # the held connection has run a query
    frame = pl.DataFrame(
        {
            "id": [5],
            "nik": [nik],
            "name": ["Rina Wanma"],
            "name_norm": ["rina wanma"],
            "birth_date": [dt.date(1992, 2, 2)],
            "province_code": ["96"],
            "regency_code": ["96.71"],
            "district_code": ["96.71.02"],
            "village_code": ["96.71.02.1001"],
            "registered_on": [dt.date(2024, 1, 2)],
        }
    )
    with web_engine.begin() as conn:
        insert_frame(conn, "person", frame)
    assert c.get(path).json()["people"][0]["name"] == "Rina Wanma"


def test_a_dropped_connection_is_replaced(api, app, web_engine: Engine) -> None:  # type: ignore[no-untyped-def]
    if web_engine.dialect.name != "postgresql":
        return  # a SQLite file has no server to drop the connection
    c = api("admin")
    path = f"/api/v1/people/by-nik/{NIK_SORONG}"
    assert c.get(path).json()["count"] == 1
    held = list(app.state.nik_lookup._idle)
    assert held
    with web_engine.connect() as conn:
        for h in held:
            conn.execute(text("SELECT pg_terminate_backend(:p)"), {"p": h.info.backend_pid})
    assert c.get(path).json()["count"] == 1
    assert all(h not in app.state.nik_lookup._idle for h in held)


def test_an_internal_error_logs_no_nik(app, web_engine: Engine, caplog) -> None:  # type: ignore[no-untyped-def]
    token = _token(web_engine, "admin")
    c = TestClient(app, headers={"Authorization": f"Bearer {token}"}, raise_server_exceptions=False)
    assert c.get(f"/api/v1/people/by-nik/{NIK_SORONG}").status_code == 200
    with web_engine.begin() as conn:  # the store breaks under the running app
        conn.execute(text("ALTER TABLE person RENAME TO person_moved"))
    r = c.get(f"/api/v1/people/by-nik/{NIK_SORONG}")
    assert r.status_code == 500 and r.json()["code"] == "internal_error"
    assert NIK_SORONG not in r.text
    logged = "\n".join(rec.getMessage() for rec in caplog.records)
    assert "internal error on GET /api/v1/people/by-nik/****************" in logged
    assert NIK_SORONG not in logged
