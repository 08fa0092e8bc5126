"""A person whose rows carry two NIKs, on the web and in the API: the person page marks it
in Indonesian (which NIK is likely right and why) with a control to pick it for a role that
may, the person's file in the API carries it, and the people export has a column for it."""

import csv
import datetime as dt
import io
from pathlib import Path

import polars as pl
from sqlalchemy import select

from jaring.access import Actor
from jaring.demo.hardlists import hard_list, write_csv
from jaring.registry.actions import imports, linking
from jaring.registry.queries import niks
from jaring.store.tables.web import audit_event

from .conftest import csrf_of, principal_named


def _two_nik_person(engine, folder: Path) -> tuple[int, str, str]:  # type: ignore[no-untyped-def]
    """A small list in which one person is typed twice, the second time with a digit of the
    NIK changed: (person id, the likely NIK, the other)."""
    frame = hard_list(200, seed=9)
    first = frame.filter(pl.col("nik").is_not_null()).row(0, named=True)
    typo = first["nik"][:5] + str((int(first["nik"][5]) + 1) % 10) + first["nik"][6:]
    extra = pl.DataFrame([{**first, "id": frame.height + 1, "nik": typo}], schema=frame.schema)
    write_csv(pl.concat([frame, extra]), folder / "two.csv")
    system = Actor.system()
    imports.import_files(engine, system, [folder / "two.csv"], "Dua", listed_on=dt.date(2024, 1, 1))
    linking.dedupe(engine, system)
    admin = principal_named(engine, "admin")
    mine = next(
        t
        for t in niks.two_nik_people(engine, admin)
        if {c.nik for c in t.candidates} >= {first["nik"], typo}
    )
    other = next(c.nik for c in mine.candidates if c.nik != mine.likely)
    return mine.person, mine.likely, other


def test_two_niks_on_the_person_page_api_and_export(browser_as, api, web_engine, tmp_path) -> None:  # type: ignore[no-untyped-def]
    pid, likely, other = _two_nik_person(web_engine, tmp_path)
    c = browser_as("admin")
    page = c.get(f"/people/{pid}")
    assert page.status_code == 200 and 'id="two-niks"' in page.text
    assert "NIK yang paling mungkin benar adalah" in page.text and likely in page.text
    assert "sesuai dengan tanggal lahir" in page.text or "tercantum di" in page.text
    assert 'id="choose-nik"' in page.text and f'value="{other}"' in page.text
    assert f"{other[:5]}<mark>{other[5]}</mark>{other[6:]}" in page.text
    # the operator picks the other NIK: it becomes the person's, said on the page
    done = c.post(
        f"/people/{pid}/nik",
        data={"csrf_token": csrf_of(page.text), "nik": other, "reason": "KTP dilihat"},
        follow_redirects=False,
    )
    assert done.status_code == 303 and done.headers["location"].endswith("?done=nik")
    after = c.get(done.headers["location"])
    assert "NIK sudah dipilih" in after.text and 'id="nik-chosen"' in after.text
    # a NIK not on the person's rows is refused with a message, nothing changes
    bad = c.post(
        f"/people/{pid}/nik",
        data={"csrf_token": csrf_of(after.text), "nik": "9999999999999999"},
    )
    assert bad.status_code == 400 and 'id="nik-error"' in bad.text
    # the API's person file carries the same, with the operator's choice
    got = api("admin").get(f"/api/v1/people/{pid}").json()
    assert got["nik"] == other and got["two_niks"]["chosen"] == other
    assert {x["nik"] for x in got["two_niks"]["candidates"]} == {likely, other}
    assert got["two_niks"]["likely"] == likely
    # a masked-data role sees neither the NIKs nor the mark
    masked = api("viewer").get(f"/api/v1/people/{pid}").json()
    assert masked["two_niks"] is None
    viewer_page = browser_as("viewer").get(f"/people/{pid}")
    assert 'id="two-niks"' not in viewer_page.text and 'id="choose-nik"' not in viewer_page.text
    # the people export: the other NIKs of a person in their own column
    text = api("admin").get("/api/v1/registry/people/file", params={"format": "csv"}).text
    rows = {r["id"]: r for r in csv.DictReader(io.StringIO(text))}
    assert rows[str(pid)]["other_niks"] == likely
    assert sum(1 for r in rows.values() if r["other_niks"]) >= 1


def test_the_list_of_people_with_two_niks(browser_as, web_engine, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """The registry page links to the people whose rows carry two NIKs, those without a
    choice first, each with a link to choose; the list is audited; a masked-data role has
    neither the link nor the list."""
    pid, likely, other = _two_nik_person(web_engine, tmp_path)
    c = browser_as("admin")
    assert 'href="/registry/niks"' in c.get("/registry").text
    page = c.get("/registry/niks")
    assert page.status_code == 200 and "Orang dengan dua NIK" in page.text
    assert f'href="/people/{pid}#two-niks"' in page.text
    assert "(paling mungkin)" in page.text and "menunggu pilihan NIK" in page.text
    # both NIKs shown, the one digit where they part marked on each
    for nik in (likely, other):
        assert f"{nik[:5]}<mark>{nik[5]}</mark>{nik[6:]}" in page.text
    assert "Angka yang berbeda di antara NIK-NIK itu ditandai." in page.text
    with web_engine.connect() as conn:
        seen = (
            conn.execute(select(audit_event.c.after).where(audit_event.c.action == "registry.niks"))
            .scalars()
            .all()
        )
    assert seen and any(pid in (a or {}).get("people", []) for a in seen)
    viewer = browser_as("viewer")
    assert 'href="/registry/niks"' not in viewer.get("/registry").text
    refused = viewer.get("/registry/niks")
    assert refused.status_code == 403 and likely not in refused.text
    assert c.get("/registry/niks", params={"lang": "en"}).text.count("People with two NIKs") >= 1
