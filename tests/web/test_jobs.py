"""The jobs of the Disnaker operator, the registry supervisor and the claims officer through
the pages (a cookie-carrying client), on SQLite and PostgreSQL: a refused upload says why,
a rejected row is fixed with the whole row in view (also through Excel), one worker is
registered and edited, an identity change is approved by a second person, a claim is filed
with heirs from a form and approved by a second user (refused to the filer through the page,
the API and the CLI)."""

from __future__ import annotations

import datetime as dt
import io
import warnings

import polars as pl
import pytest
from sqlalchemy import select

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

from tests.clirun import jaring
from tests.web.conftest import csrf_of, make_user, token_for

from jaring.access import Actor
from jaring.claims import actions as claim_actions
from jaring.errors import JaringError
from jaring.registry.actions import changes, workers
from jaring.store.tables.web import audit_event

BROKEN_LIST = (
    "Nama,NIK,Tanggal Lahir,Jenis Kelamin,Alamat,Distrik\n"
    "Agus Rumbiak,9671021507880009,15 Juli 1988,L,Jl. Ahmad Yani 3,Sorong Timur\n"
    "Yosef Bonay,96710X,2 Februari 1980,L,Jl. Basuki Rahmat 7,Sorong Timur\n"
)


def _csrf(c: TestClient, path: str) -> str:
    return csrf_of(c.get(path).text)


def _upload(c: TestClient, name: str, content: bytes, hx: bool = False) -> object:
    token = _csrf(c, "/registry")
    headers = {"HX-Request": "true"} if hx else {}
    return c.post(
        "/registry/batches",
        data={"csrf_token": token, "source": "Pasar Remu", "listed_on": "2024-01-02"},
        files={"files": (name, content)},
        headers=headers,
    )


def test_a_refused_upload_says_why(browser_as) -> None:  # type: ignore[no-untyped-def]
    c = browser_as("operator")
    r = _upload(c, "daftar.pdf", b"%PDF-1.4 not a list", hx=True)
    assert r.status_code == 400
    assert 'id="upload-result"' in r.text and 'role="alert"' in r.text
    r = _upload(c, "daftar.csv", b"Kolom A,Kolom B\n1,2\n", hx=True)
    assert r.status_code == 400 and 'role="alert"' in r.text
    assert "Kolom A" in r.text  # says which headers it found


def test_fix_a_rejected_row_seeing_the_whole_row(browser_as) -> None:  # type: ignore[no-untyped-def]
    c = browser_as("operator")
    r = _upload(c, "pasar.csv", BROKEN_LIST.encode())
    assert r.status_code == 200, r.text
    # the summary says how far to trust the linking, in Indonesian numbers
    assert 'id="import-trust"' in r.text and "Perkiraan model: sekitar 0,0 penggabungan" in r.text
    batch = c.get("/registry").text.split('href="/registry/batches/')[1].split('"')[0]
    page = c.get(f"/registry/batches/{batch}").text
    assert 'value="Yosef Bonay"' in page and 'value="Jl. Basuki Rahmat 7"' in page
    assert "1 baris masih ditolak" in page
    row = page.split('action="/registry/rows/')[1].split('"')[0]
    form = {
        "csrf_token": csrf_of(page),
        "name": "Yosef Bonay",
        "nik": "9671020202800006",
        "birth_date": "2 Februari 1980",
        "sex": "L",
        "address": "Jl. Basuki Rahmat 7",
        "district": "Sorong Timur",
    }
    r = c.post(f"/registry/rows/{row}", data=form, headers={"HX-Request": "true"})
    assert r.status_code == 200
    assert "fixrow accepted" in r.text
    assert 'id="batch-counts"' in r.text and "Tidak ada baris yang ditolak lagi" in r.text
    assert "Yosef Bonay" in c.get("/people?q=9671020202800006").text


def test_fix_rows_in_excel_and_upload_them_back(browser_as) -> None:  # type: ignore[no-untyped-def]
    c = browser_as("operator")
    _upload(c, "pasar.csv", BROKEN_LIST.encode())
    batch = c.get("/registry").text.split('href="/registry/batches/')[1].split('"')[0]
    got = c.get(f"/registry/batches/{batch}/errors.xlsx")
    assert got.status_code == 200
    frame = pl.read_excel(io.BytesIO(got.content))
    assert list(frame.columns)[:3] == ["file", "sheet", "row"]
    fixed = frame.with_columns(
        value=pl.when(pl.col("field") == "nik")
        .then(pl.lit("9671020202800006"))
        .otherwise(pl.col("value"))
    )
    buf = io.BytesIO()
    fixed.write_excel(buf)
    page = c.get(f"/registry/batches/{batch}").text
    r = c.post(
        f"/registry/batches/{batch}/corrections",
        data={"csrf_token": csrf_of(page)},
        files={"file": ("kesalahan.xlsx", buf.getvalue())},
    )
    assert r.status_code == 200, r.text
    assert 'id="file-fixed"' in r.text and "1 diterima" in r.text
    assert "Tidak ada baris yang ditolak lagi" in r.text


def test_register_edit_and_change_a_worker(browser_as, web_engine) -> None:  # type: ignore[no-untyped-def]
    make_user(web_engine, "supervisor", "supervisor", ["96.71.02"])
    op = browser_as("operator")
    form = {
        "csrf_token": _csrf(op, "/people/new"),
        "name": "Ruth Mambrasar",
        "nik": "9671024404950005",
        "birth_date": "1995-04-04",
        "sex": "P",
        "address": "Jl. Sungai Maruni 2",
        "district": "Sorong Timur",
        "phone": "0812 3456 7890",
        "occupation": "pedagang sayur",
    }
    r = op.post("/people/new", data=form, follow_redirects=False)
    assert r.status_code == 303, r.text
    person = r.headers["location"].split("/people/")[1].split("?")[0]
    page = op.get(f"/people/{person}?registered=1").text
    assert "Ruth Mambrasar" in page and 'id="registered"' in page
    # the same form twice the same day registers nobody twice
    r = op.post("/people/new", data=form)
    assert r.status_code == 400 and 'role="alert"' in r.text
    # contact details change at once, audited with before and after
    r = op.post(
        f"/people/{person}/contact",
        data={"csrf_token": csrf_of(page), "phone": "0813 1111 2222", "address": "Jl. Baru 1"},
        follow_redirects=False,
    )
    assert r.status_code == 303
    assert "+6281311112222" in op.get(f"/people/{person}").text
    with web_engine.connect() as conn:
        ev = conn.execute(
            select(audit_event.c.before, audit_event.c.after).where(
                audit_event.c.action == "person.edit"
            )
        ).one()
    assert ev.before["phone"] == "+6281234567890" and ev.after["phone"] == "+6281311112222"
    # a name change waits for a supervisor
    # a scan of the new KTP (the store checks the content, not the name)
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 64
    r = op.post(
        f"/people/{person}/changes",
        data={"csrf_token": csrf_of(page), "name": "Ruth Mambrasar Wanma", "reason": "KTP baru"},
        files={"evidence": ("ktp.png", png, "image/png")},
        follow_redirects=False,
    )
    assert r.status_code == 303, r.text
    page = op.get(f"/people/{person}").text
    assert "Menunggu persetujuan" in page and "Setujui perubahan" not in page
    sup = browser_as("supervisor")
    page = sup.get(f"/people/{person}").text
    change = page.split('action="/changes/')[1].split('"')[0]
    got = sup.get(f"/changes/{change}/evidence")
    assert got.status_code == 200 and got.content == png
    r = sup.post(
        f"/changes/{change}",
        data={"csrf_token": csrf_of(page), "decision": "approve"},
        follow_redirects=False,
    )
    assert r.status_code == 303
    page = sup.get(f"/people/{person}").text
    assert "<h1>Ruth Mambrasar Wanma</h1>" in page


def test_an_impossible_typed_birth_date_is_refused_naming_the_field(  # type: ignore[no-untyped-def]
    browser_as, web_engine
) -> None:
    """A list fills a birth date it cannot read from the NIK; a person typing one worker
    (31 February) is refused, the field named, nothing registered; so is a change request
    to that date."""
    op = browser_as("operator")
    form = {
        "csrf_token": _csrf(op, "/people/new"),
        "name": "Ruth Mambrasar",
        "nik": "9671024404950005",
        "birth_date": "31/02/1995",
        "sex": "P",
        "district": "Sorong Timur",
    }
    with web_engine.connect() as conn:
        before = conn.execute(select(audit_event.c.id)).all()
    r = op.post("/people/new", data=form, follow_redirects=False)
    assert r.status_code == 400, r.text
    assert 'role="alert"' in r.text and "Tanggal lahir 31/02/1995" in r.text
    assert "mustahil" in r.text
    with web_engine.connect() as conn:
        assert conn.execute(select(audit_event.c.id)).all() == before  # nothing written
    with pytest.raises(JaringError) as refused:
        workers.register_worker(
            web_engine,
            Actor(username="admin", role="administrator"),
            {k: v for k, v in form.items() if k != "csrf_token"},
        )
    assert refused.value.code == "person_value_invalid"
    assert refused.value.context.get("field") == "birth_date"
    with pytest.raises(JaringError) as refused:
        changes.request_change(
            web_engine,
            Actor(username="admin", role="administrator"),
            2,
            {"birth_date": "30-02-1990"},
            "akta",
        )
    assert refused.value.context.get("field") == "birth_date"


def test_the_asker_cannot_approve_their_own_change(browser_as, web_engine) -> None:  # type: ignore[no-untyped-def]
    admin = browser_as("admin")
    page = admin.get("/people/2").text
    admin.post(
        "/people/2/changes",
        data={"csrf_token": csrf_of(page), "name": "Markus Sawaki Kambu", "reason": "KK baru"},
    )
    page = admin.get("/people/2").text
    assert 'action="/changes/' not in page  # no buttons for the asker
    r = admin.post("/changes/1", data={"csrf_token": csrf_of(page), "decision": "approve"})
    assert r.status_code == 403 and "orang kedua" in r.text


def _file_claim(c: TestClient) -> str:
    page = c.get("/claims").text
    r = c.post(
        "/claims",
        data={
            "csrf_token": csrf_of(page),
            "type": "jkm",
            "nik": "9671022505900002",
            "event_date": "2024-06-10",
            "reporter": "Istri",
            "heir_relation_0": "spouse",
            "heir_name_0": "Maria Sawaki",
            "heir_nik_0": "",
            "heir_birth_0": "1991-02-03",
            "recipient": "0",
        },
        follow_redirects=False,
    )
    assert r.status_code == 303, r.text
    return r.headers["location"].split("/claims/")[1].split("?")[0]


def test_file_a_claim_with_heirs_and_approve_as_a_second_user(  # type: ignore[no-untyped-def]
    browser_as, api, web_engine
) -> None:
    make_user(web_engine, "approver", "claims_approver", [])
    op = browser_as("operator")
    claim = _file_claim(op)
    page = op.get(f"/claims/{claim}").text
    assert "Markus Sawaki" in page and "24000000002" in page and "Jaring Sorong 2024" in page
    assert "janda/duda: Maria Sawaki" in page and "orang 2" not in page
    codes = [p.split('"')[0] for p in page.split('name="codes" value="')[1:]]
    r = op.post(
        f"/claims/{claim}/documents",
        data={"csrf_token": csrf_of(page), "codes": codes, "received_on": "2024-06-20"},
        follow_redirects=False,
    )
    assert r.status_code == 303
    for to in ("documents_complete", "verified"):
        r = op.post(
            f"/claims/{claim}/advance",
            data={"csrf_token": csrf_of(page), "to": to},
            follow_redirects=False,
        )
        assert r.status_code == 303, r.text
    page = op.get(f"/claims/{claim}").text
    assert 'id="needs-approver"' in page and 'value="approved"' not in page
    # the filer is refused through the page, the API and the CLI
    r = op.post(f"/claims/{claim}/advance", data={"csrf_token": csrf_of(page), "to": "approved"})
    assert r.status_code == 403 and 'role="alert"' in r.text
    r = api("operator").post(f"/api/v1/claims/{claim}/advance", json={"to": "approved"})
    assert r.status_code == 403 and r.json()["code"] == "claim_approver_required"
    url = web_engine.url.render_as_string(hide_password=False)
    args = ("claims", "advance", claim, "--to", "approved", "--user", "operator", "--db", url)
    cli = jaring(*args)
    assert cli.returncode == 2 and "Traceback" not in cli.stderr
    # a second user with the claims approver role approves it
    ap = browser_as("approver")
    page = ap.get(f"/claims/{claim}").text
    assert 'value="approved"' in page
    r = ap.post(
        f"/claims/{claim}/advance",
        data={"csrf_token": csrf_of(page), "to": "approved"},
        follow_redirects=False,
    )
    assert r.status_code == 303, r.text
    assert "disetujui" in ap.get(f"/claims/{claim}").text
    listing = op.get("/claims?q=sawaki").text
    assert "Markus Sawaki" in listing and "disetujui" in listing
    assert token_for  # the API client above used a token of the operator


def test_the_filer_cannot_approve_even_with_the_right(web_engine) -> None:  # type: ignore[no-untyped-def]
    """Maker-checker in the domain: the same account name, given the approver's right, is
    refused; an uncertain amount needs a confirmation and a reason."""
    maker = Actor(username="ani", role="administrator")
    checker_same = Actor(username="ani", role="claims_approver")
    c = claim_actions.file_claim(
        web_engine,
        maker,
        claim_type="jkm",
        event_date=dt.date(2024, 6, 10),
        nik="9671022505900002",
        reporter="Istri",
        heirs=[{"relation": "spouse", "name": "Maria Sawaki", "recipient": True}],
    )
    claim_actions.record_documents(web_engine, maker, c.claim, c.missing_documents)
    claim_actions.advance_claim(web_engine, maker, c.claim, "documents_complete")
    claim_actions.advance_claim(web_engine, maker, c.claim, "verified")
    with pytest.raises(JaringError) as e:
        claim_actions.advance_claim(web_engine, checker_same, c.claim, "approved")
    assert e.value.code == "claim_same_user"
    with pytest.raises(JaringError) as e:
        claim_actions.advance_claim(web_engine, maker, c.claim, "approved")
    assert e.value.code == "claim_approver_required"
    other = Actor(username="budi", role="claims_approver")
    assert claim_actions.advance_claim(web_engine, other, c.claim, "approved").status == "approved"


def test_rejected_rows_go_to_the_operator_of_their_distrik(browser_as, web_engine) -> None:  # type: ignore[no-untyped-def]
    """A list uploaded by the operator of another distrik: its rejected row of Sorong Timur
    waits in the work queue of Sorong Timur's operator, who opens and fixes it there."""
    make_user(web_engine, "operator_barat", "operator", ["96.71.01"])
    other = browser_as("operator_barat")
    assert _upload(other, "pasar.csv", BROKEN_LIST.encode()).status_code == 200  # type: ignore[attr-defined]
    op = browser_as("operator")
    home = op.get("/").text
    assert 'id="tasks"' in home and "Tugas saya" in home
    assert "1 baris untuk diperbaiki" in home
    batch = home.split('href="/registry/batches/')[1].split('"')[0]
    page = op.get(f"/registry/batches/{batch}").text
    assert 'value="Yosef Bonay"' in page
    assert 'value="Agus Rumbiak"' not in page  # accepted rows of the list stay the uploader's


def test_times_in_the_region_zone_set_by_an_administrator(browser_as, web_engine) -> None:  # type: ignore[no-untyped-def]
    """Papua's times are WIT by default; an administrator sets the regency to another zone
    and the pages follow; the person's history reads as sentences."""
    op = browser_as("operator")
    page = op.get("/people/2").text
    op.post(
        "/people/2/contact",
        data={"csrf_token": csrf_of(page), "occupation": "ojek pangkalan"},
    )
    page = op.get("/people/2").text
    history = page.split('id="timeline"')[1].split("</ol>")[0]
    assert "Data kontak diubah: pekerjaan." in history and " WIT" in history
    assert "Tercatat" not in history or "baris" in history
    admin = browser_as("admin")
    settings = admin.get("/settings").text
    assert "Sorong" in settings
    r = admin.post(
        "/settings/zones",
        data={"csrf_token": csrf_of(settings), "region": "96.71", "zone": "WITA"},
        follow_redirects=False,
    )
    assert r.status_code == 303
    r = admin.post(
        "/settings/zones", data={"csrf_token": csrf_of(settings), "region": "96.71", "zone": "PST"}
    )
    assert r.status_code == 400 and "PST" in r.text
    history = op.get("/people/2").text.split('id="timeline"')[1].split("</ol>")[0]
    assert " WITA" in history


ALIAS_LISTS = {
    "pasar.csv": "Yohana Kambuaya,9671025505930008,15 Mei 1993,P,Sorong Timur\n",
    "boswesen.csv": "Yohana Rumbewas,9671025505930008,15 Mei 1993,P,Sorong Timur\n",
}


def test_find_a_merged_person_by_an_alias_with_a_typo(browser_as, web_engine) -> None:  # type: ignore[no-untyped-def]
    """Yohana Kambuaya was listed at another market as "Yohana Rumbewas" (same NIK, another
    name: held for review, and an operator joined the rows); typed with a wrong letter and
    the parts swapped, she is still found."""
    from sqlalchemy import select

    from jaring.registry.actions import decisions, imports
    from jaring.store.tables.registry import registry_pair

    for name, row in ALIAS_LISTS.items():
        body = "Nama,NIK,Tanggal Lahir,Jenis Kelamin,Distrik\n" + row
        imports.import_uploads(web_engine, Actor.system(), [(name, body.encode())], name[:-4])
    with web_engine.connect() as conn:
        pair = conn.execute(select(registry_pair.c.id)).scalar_one()
    decisions.review_decide(web_engine, Actor.system(), pair, True, reason="menikah")
    c = browser_as("operator")
    for q in ("rumbewaz yohana", "Yohana Rumbeyas", "kambuaja yohana"):
        page = c.get(f"/people?q={q}").text
        assert "Yohana Kambuaya" in page, q
    assert "Rumbewas" in c.get("/people?q=rumbewaz yohana").text  # says which name matched


def test_the_api_gives_the_status_in_words(api, web_engine) -> None:  # type: ignore[no-untyped-def]
    c = api("operator")
    r = c.post(
        "/api/v1/claims",
        json={
            "type": "jkm",
            "nik": "9671022505900002",
            "event_date": "2024-06-10",
            "reporter": "Istri",
            "heirs": [{"relation": "spouse", "name": "Maria Sawaki", "recipient": True}],
        },
    )
    assert r.status_code == 201, r.text
    assert r.json()["label_id"] == "diajukan" and r.json()["label_en"] == "filed"
    rows = c.get("/api/v1/claims").json()
    assert rows[0]["label_id"] == "diajukan"
