"""The people list of the Disnaker operator: filters (distrik, kelurahan, occupation,
covered or not on a date, source list), pages by keyset, and the bulk download of the
ticked or filtered people, masked as the role sees people and audited; on SQLite and
PostgreSQL."""

from __future__ import annotations

import io
import warnings

import polars as pl
from sqlalchemy import select

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

from tests.web.conftest import csrf_of

from jaring.access import Actor
from jaring.registry.queries import browse
from jaring.store.tables.web import audit_event

LIST = (
    "Nama,NIK,Tanggal Lahir,Jenis Kelamin,Alamat,Distrik\n"
    "Agus Rumbiak,9671021507880009,15 Juli 1988,L,Jl. Ahmad Yani 3,Sorong Timur\n"
)


def _ticked(html: str) -> list[str]:
    return [p.split('"')[0] for p in html.split('name="ids" value="')[1:]]


def test_filters_narrow_the_list(browser_as) -> None:  # type: ignore[no-untyped-def]
    admin = browser_as("admin")
    page = admin.get("/people").text
    assert 'id="people-list"' in page and len(_ticked(page)) == 4
    assert "Sorong Timur" in page  # the distrik's name in the select list
    page = admin.get("/people", params={"district": "96.71.02"}).text
    assert _ticked(page) == ["2", "4"]
    assert "Klawalu" in page  # its kelurahan offered once a distrik is chosen
    page = admin.get("/people", params={"district": "96.71.02", "village": "96.71.02.1002"}).text
    assert _ticked(page) == ["4"]
    page = admin.get("/people", params={"occupation": "OJEK"}).text
    assert _ticked(page) == ["2", "4"]
    covered = admin.get("/people", params={"covered": "yes", "on": "2024-06-01"}).text
    assert _ticked(covered) == ["1", "2"]
    bare = admin.get("/people", params={"covered": "no", "on": "2024-06-01"}).text
    assert _ticked(bare) == ["3", "4"]
    later = admin.get("/people", params={"covered": "yes", "on": "2025-06-01"}).text
    assert _ticked(later) == [] and "Tidak ada yang ditemukan" in later
    bad = admin.get("/people", params={"on": "0001-13-01"}).text
    assert 'role="alert"' in bad and "0001-13-01" in bad
    bad = admin.get("/people", params={"covered": "maybe"}).text
    assert 'role="alert"' in bad and "Saringan tidak dapat bernilai maybe" in bad


def test_the_source_list_filter(browser_as) -> None:  # type: ignore[no-untyped-def]
    op = browser_as("operator")
    token = csrf_of(op.get("/registry").text)
    r = op.post(
        "/registry/batches",
        data={"csrf_token": token, "source": "Pasar Remu", "listed_on": "2024-01-02"},
        files={"files": ("pasar.csv", LIST.encode())},
    )
    assert r.status_code == 200, r.text
    page = op.get("/people").text
    assert ">Pasar Remu<" in page
    page = op.get("/people", params={"source": "Pasar Remu"}).text
    names = page.split('id="people-list"')[1]
    assert "Agus Rumbiak" in names and "Markus Sawaki" not in names
    page = op.get("/people", params={"source": "Daftar lain"}).text
    assert _ticked(page) == []


def test_keyset_pages(web_engine) -> None:  # type: ignore[no-untyped-def]
    """Each page starts after the last id of the one before: every person once, in order."""
    admin = Actor(username="admin", role="administrator")
    seen: list[int] = []
    after = None
    for _ in range(10):
        pg = browse.browse(web_engine, admin, browse.Filters(), after=after, limit=3)
        seen += [p.id for p in pg.people]
        if pg.after is None:
            break
        after = pg.after
    assert seen == [1, 2, 3, 4]
    op = Actor(username="operator", role="operator", regions=("96.71.02",))
    pg = browse.browse(web_engine, op, browse.Filters(), limit=1)
    assert [p.id for p in pg.people] == [2] and pg.after == 2
    pg = browse.browse(web_engine, op, browse.Filters(), after=pg.after, limit=1)
    assert [p.id for p in pg.people] == [4] and pg.after is None


def test_the_pager_links_keep_the_filters(browser_as) -> None:  # type: ignore[no-untyped-def]
    admin = browser_as("admin")
    page = admin.get("/people", params={"occupation": "ojek", "after": "2"}).text
    assert _ticked(page) == ["4"]
    assert 'href="/people?occupation=ojek"' in page  # back to the first page, filters kept


def _download(c: TestClient, **form: object) -> object:
    page = c.get("/people").text
    return c.post("/people/export", data={"csrf_token": csrf_of(page), **form})


def test_download_the_ticked_people_masked_as_the_role_sees_them(  # type: ignore[no-untyped-def]
    browser_as, web_engine
) -> None:
    admin = browser_as("admin")
    r = _download(admin, ids=["2", "4"], scope="selected", format="xlsx")
    assert r.status_code == 200, r.text  # type: ignore[attr-defined]
    assert r.headers["cache-control"] == "no-store"  # type: ignore[attr-defined]
    frame = pl.read_excel(io.BytesIO(r.content))  # type: ignore[attr-defined]
    assert frame.get_column("id").to_list() == [2, 4]
    assert frame.get_column("nik").to_list()[0] == "9671022505900002"  # nik.export: clear
    # an operator sees clear data but holds no export right: NIKs masked in the file
    op = browser_as("operator")
    r = _download(op, scope="filtered", format="csv", occupation="ojek")
    frame = pl.read_csv(io.BytesIO(r.content), infer_schema=False)  # type: ignore[attr-defined]
    assert frame.get_column("nik").to_list() == ["9671********0002", "9671********0004"]
    # a masked role: NIK and phone masked, the birth date as its year, only its regions
    viewer = browser_as("viewer")
    r = _download(viewer, ids=["1", "2"], scope="selected", format="csv")
    frame = pl.read_csv(io.BytesIO(r.content), infer_schema=False)  # type: ignore[attr-defined]
    one = frame.row(0, named=True)
    assert one["nik"] == "9671********0001" and one["phone"] == "'+628******0001"
    assert one["birth_date"] is None and one["birth_year"] == "1985"
    # out of the operator's regions: not in the file even when ticked
    r = _download(op, ids=["1", "2"], scope="selected", format="csv")
    frame = pl.read_csv(io.BytesIO(r.content), infer_schema=False)  # type: ignore[attr-defined]
    assert frame.get_column("id").to_list() == ["2"]
    with web_engine.connect() as conn:
        events = conn.execute(
            select(audit_event.c.actor, audit_event.c.after).where(
                audit_event.c.action == "registry.export"
            )
        ).all()
    assert len(events) == 4
    assert {e[0] for e in events} == {"admin", "operator", "viewer"}


def test_nothing_ticked_is_refused_on_the_page(browser_as) -> None:  # type: ignore[no-untyped-def]
    op = browser_as("operator")
    r = _download(op, scope="selected", format="xlsx")
    assert r.status_code == 400  # type: ignore[attr-defined]
    assert 'id="bulk-error"' in r.text and "Centang paling sedikit" in r.text  # type: ignore[attr-defined]
    r = _download(op, scope="selected", format="docx", ids=["2"])
    assert r.status_code == 400 and 'role="alert"' in r.text  # type: ignore[attr-defined]


def test_add_the_ticked_or_filtered_people_to_a_program(browser_as, api) -> None:  # type: ignore[no-untyped-def]
    """The list's bulk action "add to a program's candidates": offered to those who may
    change a plan (every region), refused without a reason, shown on the program's page
    with who, when and why, removed there; the same through the API."""
    op = browser_as("operator")  # one distrik: may not change a program's plan
    assert 'id="to-program"' not in op.get("/people").text
    budget = browser_as("budget")
    page = budget.get("/people").text
    assert 'id="to-program"' in page and "Jaring Sorong 2024" in page
    token = csrf_of(page)
    r = budget.post(
        "/people/candidates",
        data={"csrf_token": token, "program": "1", "reason": " ", "ids": ["2"], "add": "selected"},
    )
    assert r.status_code == 400 and 'id="bulk-error"' in r.text and "alasan" in r.text.lower()
    r = budget.post(
        "/people/candidates",
        data={"csrf_token": token, "program": "1", "reason": "usulan RT", "ids": ["2"]},
    )
    assert r.status_code == 200 and 'id="bulk-added"' in r.text, r.text
    assert "1 orang ditambahkan ke kandidat Jaring Sorong 2024" in r.text
    r = budget.post(
        "/people/candidates",
        data={
            "csrf_token": token,
            "program": "1",
            "reason": "semua ojek",
            "occupation": "ojek",
            "add": "filtered",
        },
    )
    assert "1 orang ditambahkan" in r.text and "1 sudah ada dalam daftar" in r.text
    plan = budget.get("/programs/1/plan").text
    listed = plan.split('id="candidates"')[1]
    assert "Markus Sawaki" in listed and "Daniel Fonataba" in listed
    assert "usulan RT" in listed and "budget" in listed and "2 orang dalam daftar" in listed
    r = budget.post(
        "/programs/1/candidates/remove", data={"csrf_token": csrf_of(plan), "ids": ["4"]}
    )
    assert r.status_code == 200 and "1 orang dihapus dari daftar kandidat" in r.text
    # the API: the operator is refused, the budget officer lists, adds and removes
    refused = api("operator").post(
        "/api/v1/programs/1/candidates", json={"reason": "x", "ids": [2]}
    )
    assert refused.status_code == 403
    assert refused.json()["code"] == "program_needs_all_regions"
    client = api("budget")
    got = client.get("/api/v1/programs/1/candidates").json()
    assert got["total"] == 1 and got["people"][0]["person"]["id"] == 2
    assert got["people"][0]["reason"] == "usulan RT"
    added = client.post(
        "/api/v1/programs/1/candidates",
        json={"reason": "kelurahan", "filters": {"district": "96.71.03"}},
    ).json()
    assert (added["added"], added["already"], added["outside"]) == (1, 0, 0)
    gone = client.post("/api/v1/programs/1/candidates/remove", json={"ids": [2, 3]}).json()
    assert gone["removed"] == 2
    assert client.post("/api/v1/programs/1/candidates/remove", json={"ids": []}).status_code == 422
