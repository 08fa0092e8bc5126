"""Dates at the ends of the calendar (year 1, year 0, 9999-12-31) on every date field of the
pages and the API give a 400 with a clear message, never a 500; on SQLite and PostgreSQL."""

from __future__ import annotations

import re

import pytest
from tests.web.conftest import csrf_of

EDGES = ("0001-01-01", "0000-01-01", "9999-12-31")


def _date_fields(spec: dict) -> list[tuple[str, str, str, str]]:  # type: ignore[type-arg]
    """(method, path, where, name) of every date parameter and JSON body field."""

    def resolve(s: dict) -> dict:  # type: ignore[type-arg]
        if "$ref" in s:
            return spec["components"]["schemas"][s["$ref"].split("/")[-1]]  # type: ignore[no-any-return]
        return s

    def is_date(s: dict) -> bool:  # type: ignore[type-arg]
        s = resolve(s)
        return s.get("format") == "date" or any(is_date(x) for x in s.get("anyOf", []))

    out = []
    for path, ops in spec["paths"].items():
        for method, op in ops.items():
            for p in op.get("parameters", []):
                if is_date(p.get("schema", {})):
                    out.append((method, path, "query", p["name"]))
            for ct, body in op.get("requestBody", {}).get("content", {}).items():
                if "json" in ct:
                    for k, s in resolve(body["schema"]).get("properties", {}).items():
                        if is_date(s):
                            out.append((method, path, "json", k))
    return out


def test_every_api_date_field_refuses_the_calendar_ends(api) -> None:  # type: ignore[no-untyped-def]
    c = api("admin")
    spec = c.get("/api/v1/openapi.json").json()
    fields = _date_fields(spec)
    assert len(fields) >= 15  # the probe reaches the date fields, not nothing
    for method, path, where, name in fields:
        url = re.sub(r"\{[^}]+\}", "1", path)
        for day in EDGES:
            if where == "query":
                r = c.request(method.upper(), url, params={name: day, "region": "96.71"})
            else:
                r = c.request(method.upper(), url, json={name: day})
            assert r.status_code < 500, (method, path, name, day, r.text[:200])


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/coverage/report/file?region=96.71&on=9999-12-31",
    ],
)
def test_a_day_past_9999_is_a_clear_400(api, url: str) -> None:  # type: ignore[no-untyped-def]
    r = api("admin").get(url, headers={"Accept-Language": "id"})
    assert r.status_code == 400
    assert r.json()["code"] == "date_out_of_range"
    assert "tahun 1 sampai 9998" in r.json()["detail"]


def test_a_period_ending_in_9999_is_a_clear_400(api) -> None:  # type: ignore[no-untyped-def]
    r = api("admin").patch("/api/v1/programs/1", json={"period_end": "9999-12-31"})
    assert r.status_code == 400 and r.json()["code"] == "date_out_of_range"


def test_page_date_fields_refuse_the_calendar_ends(browser_as) -> None:  # type: ignore[no-untyped-def]
    admin = browser_as("admin")
    for path, name in [
        ("/people/2", "on"),
        ("/", "on"),
        ("/coverage", "on"),
        ("/law", "on"),
        ("/law", "event_date"),
        ("/audit", "since"),
        ("/audit", "until"),
        ("/deaths/gaps", "since"),
        ("/field/progress", "until"),
        ("/people", "on"),
    ]:
        for day in EDGES:
            r = admin.get(path, params={name: day, "region": "96.71", "covered": "yes"})
            assert r.status_code < 500, (path, name, day)
    r = admin.get("/coverage", params={"region": "96.71", "on": "9999-12-31"})
    assert r.status_code == 400 and "tahun 1 sampai 9998" in r.text
    token = csrf_of(admin.get("/people").text)
    for day in EDGES:
        r = admin.post(
            "/people/2/changes",
            data={"csrf_token": token, "birth_date": day, "reason": "akta"},
            follow_redirects=False,
        )
        assert r.status_code == 400, (day, r.status_code)
        r = admin.post(
            "/people/new",
            data={
                "csrf_token": token,
                "name": "Ani Wader",
                "nik": "9671024101900011",
                "birth_date": day,
                "sex": "P",
                "district": "Sorong Timur",
            },
            follow_redirects=False,
        )
        # the typed birth date is refused; the NIK's own birth date stands in for it
        assert r.status_code in (303, 400), (day, r.status_code)
        r = admin.post(
            "/claims",
            data={
                "csrf_token": token,
                "type": "jkm",
                "event_date": day,
                "nik": "9671022505900002",
                "reporter": "Istri",
                "heir_relation_0": "spouse",
                "heir_name_0": "Maria Sawaki",
                "heir_birth_0": day,
                "recipient": "0",
            },
            follow_redirects=False,
        )
        assert r.status_code == 400, (day, r.status_code)
