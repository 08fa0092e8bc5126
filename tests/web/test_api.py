"""The JSON API: every endpoint, its answers, and its refusals (problem+json, stable codes)."""

from __future__ import annotations

import warnings

import pytest
from sqlalchemy import text

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

from tests.web.conftest import PASSWORD

NIK_SORONG_TIMUR = "9671022505900002"  # person 2, Distrik Sorong Timur (96.71.02)
NIK_SORONG = "9671011203850001"  # person 1, Distrik Sorong (96.71.01)


def is_problem(r, status: int, code: str) -> None:  # type: ignore[no-untyped-def]
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    body = r.json()
    assert body["code"] == code
    assert body["status"] == status
    assert body["detail"]


def test_anonymous_gets_401_problem(app) -> None:  # type: ignore[no-untyped-def]
    c = TestClient(app)
    for path in (
        "/api/v1/me",
        "/api/v1/people?q=ab",
        "/api/v1/dashboard",
        "/api/v1/audit",
        "/api/v1/users",
    ):
        is_problem(c.get(path), 401, "login_required")


def test_bad_token_is_401(app) -> None:  # type: ignore[no-untyped-def]
    c = TestClient(app, headers={"Authorization": "Bearer jrg_not-a-real-token"})
    is_problem(c.get("/api/v1/me"), 401, "login_required")


def test_me(api) -> None:  # type: ignore[no-untyped-def]
    body = api("operator").get("/api/v1/me").json()
    assert body["role"] == "operator"
    assert body["regions"] == ["96.71.02"]
    assert body["masked"] is False
    assert "person.write" in body["permissions"]
    assert api("viewer").get("/api/v1/me").json()["masked"] is True


def test_search_by_full_nik_and_name(api) -> None:  # type: ignore[no-untyped-def]
    c = api("admin")
    r = c.get("/api/v1/people", params={"q": NIK_SORONG})
    assert r.status_code == 200
    body = r.json()
    assert body["kind"] == "nik"
    assert [p["name"] for p in body["people"]] == ["Yohana Kambuaya"]
    assert body["people"][0]["district_name"] == "Sorong"
    names = [p["name"] for p in c.get("/api/v1/people", params={"q": "sawaki"}).json()["people"]]
    assert names == ["Markus Sawaki"]
    assert c.get("/api/v1/people", params={"q": "9671"}).json()["kind"] == "nik_prefix"


def test_search_refusals(api) -> None:  # type: ignore[no-untyped-def]
    c = api("admin")
    is_problem(c.get("/api/v1/people", params={"q": "1" * 17}), 400, "bad_nik")
    is_problem(c.get("/api/v1/people", params={"q": "a"}), 400, "query_too_short")
    is_problem(c.get("/api/v1/people"), 422, "invalid_request")
    # a viewer may not enumerate NIKs by prefix
    is_problem(
        api("viewer").get("/api/v1/people", params={"q": "9671"}), 403, "nik_prefix_forbidden"
    )


def test_viewer_sees_masked_nik_and_phone(api) -> None:  # type: ignore[no-untyped-def]
    c = api("viewer")
    p = c.get("/api/v1/people", params={"q": NIK_SORONG}).json()["people"][0]
    assert p["nik"] == "9671********0001"
    assert p["phone"] == "+628******0001"
    full = c.get(f"/api/v1/people/{p['id']}").json()
    assert full["nik"] == "9671********0001"
    assert full["address"] is None
    assert NIK_SORONG not in c.get(f"/api/v1/people/by-nik/{NIK_SORONG}").text


def test_operator_is_limited_to_their_distrik(api) -> None:  # type: ignore[no-untyped-def]
    c = api("operator")
    assert c.get("/api/v1/people/2").json()["name"] == "Markus Sawaki"
    is_problem(c.get("/api/v1/people/1"), 403, "person_out_of_region")
    # searches never return people from elsewhere
    assert c.get("/api/v1/people", params={"q": NIK_SORONG}).json()["people"] == []
    assert c.get(f"/api/v1/people/by-nik/{NIK_SORONG}").json() == {"count": 0, "people": []}
    names = {p["name"] for p in c.get("/api/v1/people", params={"q": "96710"}).json()["people"]}
    assert names == {"Markus Sawaki", "Daniel Fonataba"}
    d = c.get("/api/v1/dashboard", params={"on": "2024-06-01"}).json()
    assert d["people"] == 2
    assert [x["code"] for x in d["districts"]] == ["96.71.02"]


def test_person_file_and_coverage(api) -> None:  # type: ignore[no-untyped-def]
    c = api("auditor")
    p = c.get("/api/v1/people/2", params={"on": "2024-06-01"}).json()
    assert p["covered"] is True
    assert p["memberships"][0]["kpj"] == "24000000002"
    assert p["coverage_periods"] == [
        {"program_id": 1, "segment": "bpu", "start_date": "2024-01-01", "end_date": "2024-12-31"}
    ]
    assert c.get("/api/v1/people/3", params={"on": "2024-06-01"}).json()["covered"] is False
    is_problem(c.get("/api/v1/people/999"), 404, "person_not_found")


def test_by_nik(api) -> None:  # type: ignore[no-untyped-def]
    c = api("budget")
    body = c.get(f"/api/v1/people/by-nik/{NIK_SORONG_TIMUR}").json()
    assert body["count"] == 1 and body["people"][0]["name"] == "Markus Sawaki"
    assert body["people"][0]["nik"] == "9671********0002"  # budget officers see masked data
    is_problem(c.get("/api/v1/people/by-nik/123"), 400, "bad_nik")


def test_juror_cannot_read_people_or_dashboard(api) -> None:  # type: ignore[no-untyped-def]
    c = api("juror")
    is_problem(c.get("/api/v1/people", params={"q": "markus"}), 403, "forbidden")
    is_problem(c.get("/api/v1/dashboard"), 403, "forbidden")
    is_problem(c.get("/api/v1/audit"), 403, "forbidden")


def test_dashboard_figures(api) -> None:  # type: ignore[no-untyped-def]
    d = api("viewer").get("/api/v1/dashboard", params={"on": "2024-06-01"}).json()
    assert d["people"] == 4
    assert d["covered"] == 2
    assert d["coverage_share"] == 0.5
    assert d["memberships"] == {"active": 2}
    assert d["budget_total"] == 2_200_000_000
    by_code = {x["code"]: x for x in d["districts"]}
    assert by_code["96.71.02"] == {
        "code": "96.71.02",
        "name": "Sorong Timur",
        "people": 2,
        "covered": 1,
        "share": 0.5,
    }
    assert (
        api("viewer").get("/api/v1/dashboard", params={"on": "2025-06-01"}).json()["covered"] == 0
    )


def test_users_admin_only_and_audited(api) -> None:  # type: ignore[no-untyped-def]
    admin = api("admin")
    is_problem(api("operator").get("/api/v1/users"), 403, "forbidden")
    is_problem(api("auditor").post("/api/v1/users", json={}), 403, "forbidden")
    r = admin.post(
        "/api/v1/users",
        json={
            "username": "op.sorong",
            "role": "operator",
            "password": PASSWORD,
            "regions": ["96.71.01"],
        },
    )
    assert r.status_code == 201, r.text
    uid = r.json()["id"]
    assert "password_hash" not in r.json()
    assert admin.get(f"/api/v1/users/{uid}").json()["regions"] == ["96.71.01"]
    assert any(u["username"] == "op.sorong" for u in admin.get("/api/v1/users").json())
    is_problem(
        admin.post(
            "/api/v1/users", json={"username": "op2", "role": "operator", "password": PASSWORD}
        ),
        400,
        "operator_needs_region",
    )
    is_problem(
        admin.post("/api/v1/users", json={"username": "x", "role": "king", "password": PASSWORD}),
        400,
        "bad_role",
    )
    is_problem(
        admin.post("/api/v1/users", json={"username": "y", "role": "viewer", "password": "short"}),
        400,
        "weak_password",
    )
    is_problem(
        admin.post(
            "/api/v1/users", json={"username": "op.sorong", "role": "viewer", "password": PASSWORD}
        ),
        400,
        "username_taken",
    )
    is_problem(
        admin.post(
            "/api/v1/users",
            json={"username": "z", "role": "viewer", "password": PASSWORD, "regions": ["99.99"]},
        ),
        400,
        "bad_region",
    )
    r = admin.patch(f"/api/v1/users/{uid}", json={"regions": ["96.71.02"]})
    assert r.json()["regions"] == ["96.71.02"]
    assert (
        admin.post(f"/api/v1/users/{uid}/password", json={"password": PASSWORD + "x"}).status_code
        == 204
    )
    is_problem(admin.get("/api/v1/users/9999"), 404, "user_not_found")
    me = admin.get("/api/v1/me").json()["id"]
    is_problem(
        admin.patch(f"/api/v1/users/{me}", json={"role": "viewer"}), 403, "cannot_demote_self"
    )

    events = (
        api("auditor")
        .get("/api/v1/audit", params={"entity": "web_user", "entity_id": str(uid)})
        .json()
    )
    actions = [e["action"] for e in events["events"]]
    assert actions == ["user.reset_password", "user.update", "user.create"]
    update = events["events"][1]
    assert update["actor"] == "admin"
    assert update["before"]["regions"] == ["96.71.01"]
    assert update["after"]["regions"] == ["96.71.02"]
    # no secret ever lands in the trail
    assert PASSWORD not in str(events)


def test_deactivated_user_token_stops_working(api, app) -> None:  # type: ignore[no-untyped-def]
    viewer = api("viewer")
    assert viewer.get("/api/v1/me").status_code == 200
    vid = viewer.get("/api/v1/me").json()["id"]
    assert api("admin").patch(f"/api/v1/users/{vid}", json={"active": False}).status_code == 200
    is_problem(viewer.get("/api/v1/me"), 401, "login_required")


def test_tokens_lifecycle(api, app) -> None:  # type: ignore[no-untyped-def]
    op = api("operator")
    r = op.post("/api/v1/tokens", json={"name": "BPJS Cabang Sorong"})
    assert r.status_code == 201
    tok = r.json()
    assert tok["token"].startswith("jrg_") and tok["prefix"] == tok["token"][:10]
    listed = op.get("/api/v1/tokens").json()
    assert any(t["id"] == tok["id"] for t in listed)
    assert all("token" not in t and "token_hash" not in t for t in listed)
    machine = TestClient(app, headers={"Authorization": f"Bearer {tok['token']}"})
    assert machine.get("/api/v1/me").json()["username"] == "operator"
    is_problem(api("viewer").delete(f"/api/v1/tokens/{tok['id']}"), 404, "token_not_found")
    assert op.delete(f"/api/v1/tokens/{tok['id']}").status_code == 204
    is_problem(machine.get("/api/v1/me"), 401, "login_required")
    is_problem(op.post("/api/v1/tokens", json={"name": "  "}), 400, "token_needs_name")


def test_change_own_password(api, app) -> None:  # type: ignore[no-untyped-def]
    c = api("viewer")
    is_problem(
        c.post(
            "/api/v1/me/password", json={"current": "wrong-password", "new": "a-new-password-1"}
        ),
        400,
        "wrong_password",
    )
    r = c.post("/api/v1/me/password", json={"current": PASSWORD, "new": "a-new-password-1"})
    assert r.status_code == 204


def test_audit_trail_is_append_only(api, web_engine) -> None:  # type: ignore[no-untyped-def]
    api("admin").post(
        "/api/v1/users", json={"username": "v2", "role": "viewer", "password": PASSWORD}
    )
    for sql in ("UPDATE audit_event SET actor = 'mallory'", "DELETE FROM audit_event"):
        with pytest.raises(Exception, match="append-only"), web_engine.begin() as conn:
            conn.execute(text(sql))
    with web_engine.connect() as conn:
        assert (
            conn.execute(text("SELECT count(*) FROM audit_event WHERE actor = 'mallory'")).scalar()
            == 0
        )


def test_errors_follow_the_language(api) -> None:  # type: ignore[no-untyped-def]
    c = api("operator")
    assert (
        c.get("/api/v1/people/1").json()["detail"] == "Orang ini berada di luar wilayah kerja Anda."
    )
    en = c.get("/api/v1/people/1", headers={"Accept-Language": "en-GB,en;q=0.8"}).json()
    assert en["detail"] == "This person lives outside your regions."
    assert c.get("/api/v1/people/1?lang=en").json()["detail"] == en["detail"]


def test_unknown_api_path_is_problem(api) -> None:  # type: ignore[no-untyped-def]
    is_problem(api("admin").get("/api/v1/nothing-here"), 404, "not_found")


def test_openapi_document(app) -> None:  # type: ignore[no-untyped-def]
    doc = TestClient(app).get("/api/v1/openapi.json").json()
    paths = set(doc["paths"])
    assert {
        "/api/v1/people",
        "/api/v1/people/{person_id}",
        "/api/v1/dashboard",
        "/api/v1/audit",
    } <= paths
    assert not any(p.startswith("/login") for p in paths)  # pages stay out of the API
