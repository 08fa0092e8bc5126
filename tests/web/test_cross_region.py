"""Cross-region pairs in the registry's review, in the browser's terms: a national result
received by upload (all or nothing; hostile files refused naming file and reason), the
people marked ``lintas wilayah`` in the queue, a pair opened with the person's own data
(masked for masked-data roles) and of the other side only its region's name, the probability
and what agreed; decided after a confirmation and undone, both audited. Every role against
every new route. Both dialects."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from typing import Any

import polars as pl
import pytest
from sqlalchemy import Engine, func, select

from jaring.national import queries
from jaring.store.tables.national import national_pair
from jaring.store.tables.web import audit_event

from .conftest import PASSWORD, STORE_MARK, csrf_of, make_user, principal_named

EXPLAIN = json.dumps(
    {
        "nik": {"level": "sama", "weight": 9.1},
        "name_norm": {"level": "sangat mirip", "weight": 4.2},
        "birth_date": {"level": "tahun sama", "weight": -1.5},
        "sex": {"level": "sama", "weight": 0.4},
    }
)


def result_file(
    rows: dict[str, list[Any]] | None = None, store: str | None = STORE_MARK, **changes: Any
) -> bytes:
    """A per-Pemda result as the national run writes it: Markus Sawaki (2, distrik Sorong
    Timur) and Yohana Kambuaya (1, Sorong Barat) also listed in Kabupaten Sorong; made from
    the snapshot of the store marked ``store`` (``None``: a file without the column)."""
    data: dict[str, list[Any]] = rows or {
        "person_id": [2, 1],
        "other_region": ["96.01", "96.01"],
        "other_key": ["a1b2:10-20", "a1b2:11-21"],
        "match_probability": [0.9991, 0.62],
        "link": [True, False],
        "explain": [EXPLAIN, EXPLAIN],
    }
    data = {**data, **changes}
    if store is not None:
        data["store"] = [store] * len(data["person_id"])
    buf = io.BytesIO()
    pl.DataFrame(data).write_parquet(buf)
    return buf.getvalue()


def pairs_count(engine: Engine) -> int:
    with engine.connect() as c:
        return int(c.execute(select(func.count()).select_from(national_pair)).scalar_one())


def audited(engine: Engine, action: str) -> list[Any]:
    with engine.connect() as c:
        return list(c.execute(select(audit_event).where(audit_event.c.action == action)).all())


def upload(client: Any, name: str, data: bytes, token: str) -> Any:
    return client.post(
        "/registry/national-results",
        data={"csrf_token": token},
        files={"file": (name, data, "application/octet-stream")},
    )


def _received(browser_as: Callable[[str], Any], web_engine: Engine) -> tuple[Any, int, int]:
    """The admin client after receiving the result; the pair ids of persons 2 and 1."""
    c = browser_as("admin")
    token = csrf_of(c.get("/registry/review").text)
    r = upload(c, "96.71.parquet", result_file(), token)
    assert r.status_code == 200, r.text
    with web_engine.connect() as conn:
        ids = dict(conn.execute(select(national_pair.c.person_id, national_pair.c.id)).all())
    return c, int(ids[2]), int(ids[1])


def test_hostile_files_are_refused_whole(browser_as, web_engine) -> None:  # type: ignore[no-untyped-def]
    make_user(web_engine, "sup02", "supervisor", ["96.71.02"])
    c = browser_as("admin")
    token = csrf_of(c.get("/registry/review").text)
    good = result_file()
    cases = [
        ("96.71.parquet", b"person_id,other_region\n2,96.01\n", "bukan berkas Parquet"),
        ("96.71.parquet", good[:-10], "bukan berkas Parquet"),
        ("hasil.parquet", good, "tidak menyebut untuk Pemda mana"),
        ("96.71.parquet", result_file({"person_id": [2]}), "other_region, other_key"),
        (
            "96.71.parquet",
            result_file(person_id=["2", "1"]),
            "kolom person_id berisi jenis nilai yang salah",
        ),
        ("96.71.parquet", result_file(other_region=["96.01", "Kabupaten X"]), "Baris 2"),
        ("96.71.parquet", result_file(match_probability=[0.9, 7.0]), "match_probability"),
        # personal data of the other side smuggled into the explanation
        (
            "96.71.parquet",
            result_file(explain=[EXPLAIN, json.dumps({"name": {"level": "Budi Santoso"}})]),
            "tidak membawa data pribadi",
        ),
        ("96.71.parquet", result_file(person_id=[2, 99]), "1 orang yang tidak ada"),
        # the file of Kabupaten Sorong: its ids name people of Kota Sorong here
        (
            "96.01.parquet",
            result_file(other_region=["96.05", "96.05"]),
            "berisi hasil untuk Kabupaten Sorong",
        ),
        # Kabupaten Sorong's file renamed: it pairs people with Kota Sorong itself
        ("96.71.parquet", result_file(other_region=["96.01", "96.71"]), "Kota Sorong itu sendiri"),
        # another store's file: its person numbers name other people here
        ("96.71.parquet", result_file(store="ab" * 16), "basis data Jaring lain"),
        ("96.71.parquet", result_file(store=None), "tidak menyebut dari snapshot"),
    ]
    for name, data, words in cases:
        r = upload(c, name, data, token)
        assert r.status_code == 400, (name, words, r.status_code)
        assert words in r.text and name in r.text, (name, words)
        assert "Traceback" not in r.text
        assert pairs_count(web_engine) == 0  # nothing half-written
    # a supervisor of one distrik: Yohana lives in another
    s = browser_as("sup02")
    r = upload(s, "96.71.parquet", good, csrf_of(s.get("/registry/review").text))
    assert r.status_code == 403 and "di luar wilayah kerja Anda" in r.text
    assert pairs_count(web_engine) == 0
    # English too
    r = c.post(
        "/registry/national-results?lang=en",
        data={"csrf_token": token},
        files={"file": ("hasil.parquet", good, "application/octet-stream")},
    )
    assert "does not say which Pemda" in r.text
    # the right file: counts in sentences, audited; again: nothing new
    r = upload(c, "96.71.parquet", good, token)
    assert r.status_code == 200
    assert "96.71.parquet sudah diterima" in r.text
    assert "Keputusan dibatalkan" not in r.text  # no message of something not done
    assert "2 pasangan lintas wilayah baru menunggu keputusan (2 orang)" in r.text
    assert pairs_count(web_engine) == 2
    r = upload(c, "96.71.parquet", good, token)
    assert "0 pasangan lintas wilayah baru" in r.text
    assert "2 pasangan sudah diterima sebelumnya" in r.text
    events = audited(web_engine, "national.receive")
    assert len(events) == 2 and events[0].actor == "admin"
    after = events[0].after if isinstance(events[0].after, dict) else json.loads(events[0].after)
    assert after["pairs"] == 2 and after["file"] == "96.71.parquet"


def test_the_queue_marks_and_a_pair_decided_and_undone(browser_as, web_engine) -> None:  # type: ignore[no-untyped-def]
    _received(browser_as, web_engine)
    op = browser_as("operator")  # distrik Sorong Timur: Markus (2), not Yohana (1)
    home = op.get("/", params={"on": "2024-06-01"})
    assert "1 pasangan lintas wilayah untuk diputuskan" in home.text  # the work queue
    review = op.get("/registry/review")
    assert review.status_code == 200
    assert 'id="lintas-wilayah"' in review.text and "lintas wilayah" in review.text
    assert "Markus Sawaki" in review.text and "Yohana Kambuaya" not in review.text
    assert "juga terdaftar di Kabupaten Sorong" in review.text
    assert "96.01" not in review.text  # a name, never the code
    assert 'id="receive-national"' not in review.text  # an operator does not receive
    pair = queries.pending_cards(web_engine, principal_named(web_engine, "operator"))[0].pair
    card = op.get(f"/registry/cross-region/{pair}")
    assert card.status_code == 200
    text = card.text
    assert "Kabupaten Sorong" in text and "96.01" not in text
    assert "99,9%" in text  # the probability in Indonesian form
    assert "<strong>NIK</strong> sama" in text and "<strong>Nama</strong> sangat mirip" in text
    english = op.get(f"/registry/cross-region/{pair}", params={"lang": "en"}).text
    assert "<strong>Name</strong> very similar" in english  # the levels in the reader's words
    assert "9671022505900002" in text  # the person's own NIK: an operator sees it in clear
    assert "25 Mei 1990" in text
    token = csrf_of(text)
    # first a confirmation; nothing decided yet
    ask = op.post(f"/registry/cross-region/{pair}", data={"csrf_token": token, "decision": "same"})
    assert ask.status_code == 200 and 'id="confirm"' in ask.text
    assert "adalah orang yang sama?" in ask.text
    assert not audited(web_engine, "national.decide")
    done = op.post(
        f"/registry/cross-region/{pair}",
        data={"csrf_token": token, "decision": "same", "confirm": "1", "reason": "KTP dicek"},
        follow_redirects=False,
    )
    assert done.status_code == 303
    after = op.get(done.headers["location"])
    assert "Tersimpan: Markus Sawaki adalah orang yang sama" in after.text
    assert f'action="/registry/cross-region/{pair}/undo"' in after.text
    ev = audited(web_engine, "national.decide")
    assert len(ev) == 1 and ev[0].actor == "operator" and ev[0].entity_id == str(pair)
    # decided twice: refused in words
    again = op.post(
        f"/registry/cross-region/{pair}",
        data={"csrf_token": token, "decision": "different", "confirm": "1"},
    )
    assert again.status_code == 400 and "sudah diputuskan" in again.text
    undo = op.post(
        f"/registry/cross-region/{pair}/undo", data={"csrf_token": token}, follow_redirects=False
    )
    assert undo.status_code == 303
    assert "Keputusan dibatalkan" in op.get(undo.headers["location"]).text
    ev = audited(web_engine, "national.undo")
    assert len(ev) == 1 and ev[0].actor == "operator"
    before = ev[0].before if isinstance(ev[0].before, dict) else json.loads(ev[0].before)
    assert before["status"] == "same"
    assert queries.pending_cards(web_engine, principal_named(web_engine, "operator"))
    nothing = op.post(f"/registry/cross-region/{pair}/undo", data={"csrf_token": token})
    assert nothing.status_code == 400 and "belum diputuskan" in nothing.text
    bad = op.post(f"/registry/cross-region/{pair}", data={"csrf_token": token, "decision": "x"})
    assert bad.status_code == 400 and 'role="alert"' in bad.text


def test_masked_roles_see_the_person_masked(browser_as, web_engine) -> None:  # type: ignore[no-untyped-def]
    _, markus, _ = _received(browser_as, web_engine)
    for user in ("viewer", "budget"):
        page = browser_as(user).get(f"/registry/cross-region/{markus}")
        assert page.status_code == 200
        assert "9671********0002" in page.text
        assert "9671022505900002" not in page.text
        assert "25 Mei 1990" not in page.text and "1990" in page.text  # the year only
        assert 'id="decide"' not in page.text  # reading is not deciding
        assert "Kabupaten Sorong" in page.text
    events = audited(web_engine, "national.pair_read")
    assert {e.actor for e in events} >= {"viewer", "budget"}


ROUTES = ("card", "decide", "undo", "receive", "review")
# role -> the routes above it may use (the card is of Markus, distrik Sorong Timur)
ALLOWED = {
    "admin": {"card", "decide", "undo", "receive", "review"},
    "operator": {"card", "decide", "undo", "review"},
    "supervisor": {"card", "decide", "undo", "receive", "review"},
    "budget": {"card"},
    "viewer": {"card"},
    "auditor": {"card", "review"},  # roles of clear data read the review, not decide
    "approver": {"card", "review"},
    "juror": set(),
    "registrar": set(),
}


def test_every_role_against_the_routes(browser_as, web_engine) -> None:  # type: ignore[no-untyped-def]
    make_user(web_engine, "supervisor", "supervisor", ["96.71"])
    make_user(web_engine, "approver", "claims_approver", [])
    make_user(web_engine, "registrar", "registrar", ["96.71.02"])
    _, markus, _ = _received(browser_as, web_engine)
    for user, allowed in ALLOWED.items():
        c = browser_as(user)
        token = csrf_of(c.get("/law").text)  # a page with a form every role here may open
        got = {
            "card": c.get(f"/registry/cross-region/{markus}").status_code,
            "review": c.get("/registry/review").status_code,
            "decide": c.post(
                f"/registry/cross-region/{markus}", data={"csrf_token": token, "decision": "same"}
            ).status_code,
            # undo of a pending pair: refused as a conflict when allowed (400), else 403
            "undo": c.post(
                f"/registry/cross-region/{markus}/undo", data={"csrf_token": token}
            ).status_code,
            "receive": upload(c, "96.71.parquet", result_file(), token).status_code,
        }
        for route in ROUTES:
            if route in allowed:
                assert got[route] in (200, 400), (user, route, got[route])
            else:
                assert got[route] == 403, (user, route, got[route])
    # an operator of another distrik does not open Yohana's pair
    yohana = next(
        c.pair
        for c in queries.pending_cards(web_engine, principal_named(web_engine, "admin"))
        if c.person.id == 1
    )
    assert browser_as("operator").get(f"/registry/cross-region/{yohana}").status_code == 403
    assert browser_as("admin").get("/registry/cross-region/999999").status_code == 404


@pytest.mark.parametrize("user", ["admin"])
def test_registry_pairs_of_marked_people_are_marked(browser_as, web_engine, tmp_path, user) -> None:  # type: ignore[no-untyped-def]
    import datetime as dt

    from jaring.access import Actor
    from jaring.registry.actions import imports, linking
    from jaring.registry.dedupe import Thresholds
    from jaring.registry.queries import review

    for name, nik in (("pasar.csv", "9671024404950005"), ("ojek.csv", "")):
        (tmp_path / name).write_text(
            f"Nama,NIK,Tanggal Lahir,Jenis Kelamin,Distrik\nMarta Wanma,{nik},4 April 1995,P,Sorong Timur\n"
        )
        imports.import_files(
            web_engine, Actor.system(), [tmp_path / name], name[:-4], listed_on=dt.date(2024, 1, 2)
        )
    linking.dedupe(web_engine, Actor.system(), thresholds=Thresholds(match=0.999999999, review=0.3))
    pairs = review.review_list(web_engine, Actor.system())
    person = next(s.person for s in (pairs[0].left, pairs[0].right) if s.person)
    c = browser_as(user)
    token = csrf_of(c.get("/registry/review").text)
    data = result_file(
        {
            "person_id": [person],
            "other_region": ["96.01"],
            "other_key": ["a1b2:1-2"],
            "match_probability": [0.97],
            "link": [True],
            "explain": [EXPLAIN],
        }
    )
    assert upload(c, "96.71.parquet", data, token).status_code == 200
    page = c.get("/registry/review").text
    card = page.split('class="card pair"')[1]
    assert 'class="mark-cross"' in card.split("</thead>")[0]


def test_password_constant_is_the_fixtures() -> None:
    assert PASSWORD  # the users above sign in with the fixtures' password
