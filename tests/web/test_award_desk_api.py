"""The juror's desk and scoring sheet, the secretariat's set-up and interview notes, through
the API (the pages show the same dataclasses)."""

from __future__ import annotations

import datetime as dt

from jaring.access import Actor
from jaring.award import actions


def test_desk_sheet_and_notes(api, web_engine) -> None:  # type: ignore[no-untyped-def]
    system = Actor.system()
    actions.create_edition(
        web_engine, system, 2032, ["kabupaten-kota"], stage="provinsi"
    )  # a regional team of any size
    actions.add_candidate(web_engine, system, 2032, "kabupaten-kota", "96.71")
    actions.add_juror(web_engine, system, 2032, "JUROR", "Juri Uji")
    actions.schedule_interview(web_engine, system, 2032, "96.71", dt.datetime(2032, 2, 1, 9))
    admin = api("admin")
    notes = admin.put(
        "/api/v1/award/2032/candidates/96.71/interview-notes", json={"notes": "Paparan jelas."}
    )
    assert notes.status_code == 200
    setup = admin.get("/api/v1/award/2032/setup").json()
    assert setup["candidates"][0]["panel"] == ["JUROR"]
    assert "regulasi" in setup["candidates"][0]["missing"]
    juror = api("juror")
    desk = juror.get("/api/v1/award/2032/jury").json()
    assert (desk["done"], desk["total"]) == (0, 1) and desk["items"][0]["state"] == "new"
    sheet = juror.get("/api/v1/award/2032/candidates/96.71/sheet").json()
    assert sheet["interview"]["notes"] == "Paparan jelas."
    inovasi = next(c for c in sheet["criteria"] if c["code"] == "inovasi")
    assert [g["points"] for g in inovasi["guide"]] == [1, 2, 3, 4, 5]
    # a juror sees only as itself; the viewer role cannot set anything up
    assert juror.get("/api/v1/award/2032/jury", params={"juror": "J9"}).status_code in (400, 403)
    assert api("viewer").get("/api/v1/award/2032/setup").status_code == 403


def test_stages_through_the_api_and_the_pages(api, browser_as, web_engine) -> None:  # type: ignore[no-untyped-def]
    system = Actor.system()
    actions.create_edition(web_engine, system, 2034, ["kabupaten-kota"])
    actions.add_candidate(web_engine, system, 2034, "kabupaten-kota", "96.71")
    actions.add_candidate(web_engine, system, 2034, "kabupaten-kota", "96.01")
    admin = api("admin")
    r = admin.put("/api/v1/award/2034/stage", json={"stage": "wawancara-provinsi"})
    assert r.status_code == 400 and r.json()["code"] == "no_shortlist"
    r = admin.put("/api/v1/award/2034/shortlist", json={"candidates": ["96.71"]})
    assert r.status_code == 200 and r.json()["next_stage"] == "wawancara-provinsi"
    r = admin.put("/api/v1/award/2034/stage", json={"stage": "provinsi"})  # the old name
    assert r.json() == {"edition": 2034, "before": "administrasi", "stage": "wawancara-provinsi"}
    assert (
        api("juror").put("/api/v1/award/2034/stage", json={"stage": "nasional"}).status_code == 403
    )
    prov = admin.get("/api/v1/award/2034/ranking/kabupaten-kota").json()
    assert prov["stage"] == "wawancara-provinsi" and [r["candidate"] for r in prov["ranking"]] == [
        "96.71"
    ]
    adm = admin.get("/api/v1/award/2034/ranking/kabupaten-kota", params={"stage": "administrasi"})
    assert adm.json()["max_total"] == "70" and len(adm.json()["ranking"]) == 2
    page = browser_as("admin")
    html = page.get("/award/2034/manage").text
    assert 'data-stage="wawancara-provinsi" class="next"' in html
    assert "dewan juri independen (9 orang)" in html and "tidak lolos" in html
    html = page.get("/award", params={"edition": "2034", "stage": "administrasi"}).text
    assert 'class="ranking" data-stage="administrasi"' in html
    assert "Tahap data administrasi: nilai dari 70" in html
    # a candidate's page: the stage it stayed at, or any stage asked
    assert "Hasil tahap data administrasi" in page.get("/award/2034/96.01").text
    assert "Hasil tahap wawancara provinsi" in page.get("/award/2034/96.71").text
    html = page.get("/award/2034/96.71", params={"stage": "administrasi"}).text
    assert "Hasil tahap data administrasi" in html
    got = admin.get("/api/v1/award/2034/candidates/96.71", params={"stage": "administrasi"})
    assert got.json()["stage"] == "administrasi" and got.json()["max_total"] == "70"
    bad = admin.get("/api/v1/award/2034/candidates/96.71", params={"stage": "kota"})
    assert bad.status_code == 400 and bad.json()["code"] == "bad_stage"
    # the moves and the choices are in the audit trail, in words
    audit = page.get("/audit", params={"action": "award.edition_stage"}).text
    assert "memindahkan tahap edisi Paritrana" in audit and "edisi Paritrana 2034" in audit
    audit = page.get("/audit", params={"action": "award.shortlist"}).text
    assert "memilih kandidat yang lolos tahap Paritrana" in audit


def test_evidence_is_shown_in_words_not_codes(api, browser_as, web_engine) -> None:  # type: ignore[no-untyped-def]
    system = Actor.system()
    actions.create_edition(web_engine, system, 2036, ["kabupaten-kota"], stage="provinsi")
    actions.add_candidate(web_engine, system, 2036, "kabupaten-kota", "96.71")
    actions.add_evidence(web_engine, system, 2036, "96.71", "regulasi", "surat_edaran")
    actions.add_evidence(web_engine, system, 2036, "96.71", "cakupan_bpu", "0.0138")
    actions.add_juror(web_engine, system, 2036, "JUROR", "Juri Uji")
    actions.schedule_interview(web_engine, system, 2036, "96.71", dt.datetime(2036, 2, 1, 9))
    manage = browser_as("admin").get("/award/2036/manage").text
    sheet = browser_as("juror").get("/award/2036/96.71").text
    assert 'id="sheet"' in sheet
    for html in (manage, sheet):
        assert "Surat edaran" in html and "1,38%" in html
        assert "surat_edaran" not in html.replace('value="surat_edaran"', "")
        assert "0.0138" not in html and "(entered" not in html


def test_value_words() -> None:
    from hypothesis import given
    from hypothesis import strategies as st

    from jaring.award import rubric

    levels = {"surat_edaran": "Surat edaran", "tidak_ada": "Belum ada"}

    @given(st.decimals(min_value=0, max_value=1, places=4), st.sampled_from(["id", "en"]))
    def ratio(x, lang) -> None:  # type: ignore[no-untyped-def]
        got = rubric.value_words(str(x), unit="ratio", lang=lang)
        assert got.endswith("%") and ("." not in got if lang == "id" else "," not in got)

    ratio()
    assert rubric.value_words("tidak_ada", unit=None, levels=levels) == "Belum ada"
    assert rubric.value_words("25000", unit="rupiah", lang="id") == "Rp25.000"
    assert rubric.value_words(None, unit="ratio") == "-"
    assert rubric.value_words("0.015", unit="ratio_points", lang="en").startswith("+1.50")
