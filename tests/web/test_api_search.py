"""The API's name search (``/api/v1/people?q=``) is the people page's: every typed word the
start of a word of the name in any order, names with a letter wrong found, the most alike
first, paged; masked and kept to the caller's regions as every read of people."""

from __future__ import annotations

import datetime as dt

import polars as pl
from sqlalchemy import Engine
from tests.web.test_api import is_problem

from jaring.store.bulk import insert_frame

KEYS = {"query", "kind", "people", "more"}  # kept as they were; more may be added
NEW_KEYS = {"namesakes", "window", "born"}


def names(r) -> list[str]:  # type: ignore[no-untyped-def]
    assert r.status_code == 200, r.text
    body = r.json()
    assert set(body) == KEYS | NEW_KEYS
    assert body["kind"] == "name"
    return [p["name"] for p in body["people"]]


def test_word_starts_in_any_order(api) -> None:  # type: ignore[no-untyped-def]
    c = api("admin")
    assert names(c.get("/api/v1/people", params={"q": "sawa mar"})) == ["Markus Sawaki"]
    assert names(c.get("/api/v1/people", params={"q": "Kambuaya Yohana"}))[0] == ("Yohana Kambuaya")
    assert names(c.get("/api/v1/people", params={"q": "fon d"}))[0] == "Daniel Fonataba"
    # a word of the query that starts no word of the name: not a part, and not alike
    assert "Markus Sawaki" not in names(c.get("/api/v1/people", params={"q": "awaki"}))


def test_one_letter_wrong_is_found_first(api) -> None:  # type: ignore[no-untyped-def]
    c = api("admin")
    assert names(c.get("/api/v1/people", params={"q": "Markus Sawaky"}))[0] == "Markus Sawaki"
    assert names(c.get("/api/v1/people", params={"q": "yohana kambuaja"}))[0] == ("Yohana Kambuaya")
    # spelt as people write it: titles dropped, order free
    assert names(c.get("/api/v1/people", params={"q": "Bpk. Fonataba Danial"}))[0] == (
        "Daniel Fonataba"
    )


def test_masked_roles_see_names_found_masked(api) -> None:  # type: ignore[no-untyped-def]
    r = api("viewer").get("/api/v1/people", params={"q": "markus sawaky"})
    assert names(r)[0] == "Markus Sawaki"
    p = r.json()["people"][0]
    assert p["nik"] == "9671********0002"
    assert p["phone"] == "+628******0002"
    assert "birth_date" not in p or p["birth_date"] is None
    clear = api("admin").get("/api/v1/people", params={"q": "markus sawaki"}).json()["people"][0]
    assert clear["nik"] == "9671022505900002"


def test_names_outside_the_callers_regions_are_not_found(api) -> None:  # type: ignore[no-untyped-def]
    op = api("operator")  # Distrik Sorong Timur (96.71.02)
    assert names(op.get("/api/v1/people", params={"q": "kambuaya"})) == []  # 96.71.01
    assert names(op.get("/api/v1/people", params={"q": "yohana kambuaja"})) == []
    assert names(op.get("/api/v1/people", params={"q": "sawaki"})) == ["Markus Sawaki"]
    is_problem(api("juror").get("/api/v1/people", params={"q": "sawaki"}), 403, "forbidden")


def test_new_people_are_found_and_paged(api, web_engine: Engine) -> None:  # type: ignore[no-untyped-def]
    """People added after the last search are found by the next one (the name index is
    brought up to date first), and ``limit``/``offset`` page through the names found."""
    c = api("admin")
    assert names(c.get("/api/v1/people", params={"q": "wanma"})) == []
    frame = pl.DataFrame(
        {
            "id": [11, 12, 13],
            "nik": ["9671024101900011", "9671024101900012", "9671024101900013"],
            "name": ["Marta Wanma", "Maria Wanma", "Martinus Wanma"],
            "name_norm": ["marta wanma", "maria wanma", "martinus wanma"],
            "birth_date": [dt.date(1990, 1, 1)] * 3,
            "sex": ["P", "P", "L"],
            "province_code": ["96"] * 3,
            "regency_code": ["96.71"] * 3,
            "district_code": ["96.71.02"] * 3,
            "registered_on": [dt.date(2024, 1, 2)] * 3,
        }
    )
    with web_engine.begin() as conn:
        insert_frame(conn, "person", frame)
    first = c.get("/api/v1/people", params={"q": "wanma mar", "limit": 2})
    second = c.get("/api/v1/people", params={"q": "wanma mar", "limit": 2, "offset": 2})
    assert first.json()["more"] is True and second.json()["more"] is False
    seen = names(first) + names(second)
    assert sorted(seen) == ["Maria Wanma", "Marta Wanma", "Martinus Wanma"]
    assert names(c.get("/api/v1/people", params={"q": "wanma", "offset": 5})) == []


def test_an_offset_past_the_ranked_names_is_refused(api) -> None:  # type: ignore[no-untyped-def]
    """A name search ranks its first 1,000 people: asking past them is refused in words, not
    answered with an empty page that looks like the end of the names."""
    c = api("admin")
    body = c.get("/api/v1/people", params={"q": "sawaki", "offset": 999}).json()
    assert body["window"] == 1000 and body["people"] == [] and body["more"] is False
    r = c.get("/api/v1/people", params={"q": "sawaki", "offset": 1000})
    is_problem(r, 400, "name_search_window")
    assert "1.000" in r.json()["detail"]  # Indonesian first
    r = c.get(
        "/api/v1/people", params={"q": "sawaki", "offset": 1000}, headers={"Accept-Language": "en"}
    )
    assert "offset below 1,000" in r.json()["detail"]
    # a NIK's first digits are still paged by offset as far as asked
    nik = c.get("/api/v1/people", params={"q": "9671", "offset": 5000})
    assert nik.status_code == 200 and nik.json()["kind"] == "nik_prefix"
    assert nik.json()["window"] is None


def test_a_birth_year_with_the_name_narrows_it(api) -> None:  # type: ignore[no-untyped-def]
    c = api("admin")
    got = c.get("/api/v1/people", params={"q": "markus sawaky 1990"})
    assert got.json()["born"] == 1990
    assert names(got) == ["Markus Sawaki"]
    assert names(c.get("/api/v1/people", params={"q": "markus sawaky 1991"})) == []


def _wondas(web_engine: Engine, n: int) -> None:
    """``n`` people named "Yakob Wonda", born 1980, 1981, ... in turn (ten years)."""
    frame = pl.DataFrame(
        {
            "id": list(range(100, 100 + n)),
            "nik": [f"96710241019{i:05d}" for i in range(n)],
            "name": ["Yakob Wonda"] * n,
            "name_norm": ["yakob wonda"] * n,
            "birth_date": [dt.date(1980 + i % 10, 1, 1) for i in range(n)],
            "province_code": ["96"] * n,
            "regency_code": ["96.71"] * n,
            "district_code": ["96.71.02"] * n,
            "registered_on": [dt.date(2024, 1, 2)] * n,
        }
    )
    with web_engine.begin() as conn:
        insert_frame(conn, "person", frame)


def test_a_name_too_many_bear_asks_for_the_year(  # type: ignore[no-untyped-def]
    api, browser_as, web_engine: Engine
) -> None:
    """The page says how many bear the name when they do not fit, above the list, in words,
    and asks for the year of birth; the API says it in ``namesakes``."""
    _wondas(web_engine, 60)
    body = api("admin").get("/api/v1/people", params={"q": "yakob wondx"}).json()
    assert len(body["people"]) == 50 and body["namesakes"] == 60
    page = browser_as("admin").get("/people", params={"q": "yakob wondx"}).text
    assert 'data-namesakes="60"' in page
    assert "60 orang di wilayah Anda bernama ini; 50 ditampilkan." in page
    assert "Tambahkan tahun lahir pada pencarian, misalnya: Yakob Wonda 1985" in page
    assert page.index("data-namesakes") < page.index('<table class="people">')
    narrowed = browser_as("admin").get("/people", params={"q": "yakob wondx 1983"}).text
    assert "data-namesakes" not in narrowed and narrowed.count("/people/1") == 6
