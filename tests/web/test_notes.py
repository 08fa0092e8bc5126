"""Explanation notes in the request's language, in API answers and pages."""

from __future__ import annotations

NIK_SORONG_TIMUR = "9671022505900002"  # person 2, covered in 2024 by the seeded program
PP82_ID = "PP 82/2019 diundangkan pada 2 Desember 2019"
PP82_EN = "PP 82/2019 was promulgated on 2 December 2019"


def test_law_api_notes_follow_the_language(api) -> None:  # type: ignore[no-untyped-def]
    c = api("viewer")
    params = {"event_date": "2024-05-01", "member_since": "2023-01-01"}
    ids = c.get("/api/v1/law/benefit/jkm", params=params).json()
    ens = c.get("/api/v1/law/benefit/jkm", params=params, headers={"Accept-Language": "en"}).json()
    assert ids["total"] == ens["total"] == 42_000_000
    lump_id = next(x for x in ids["explanation"] if x["parameter"] == "benefits.jkm.lump_sum")
    lump_en = next(x for x in ens["explanation"] if x["parameter"] == "benefits.jkm.lump_sum")
    assert lump_id["note"].startswith(PP82_ID)
    assert lump_en["note"].startswith(PP82_EN)
    assert lump_id["note_id"] == lump_en["note_id"] and lump_id["note_en"] == lump_en["note_en"]
    assert c.get("/api/v1/law/benefit/jkm", params={**params, "lang": "en"}).json() == ens


def test_law_page_shows_no_english_note_in_indonesian(browser_as) -> None:  # type: ignore[no-untyped-def]
    c = browser_as("viewer")
    q = "/law?calc=jkm&event_date=2024-05-01&member_since=2024-04-01"
    page_id = c.get(q).text
    assert "Meninggal sebelum 3 bulan kepesertaan" in page_id and "belum ditemukan" in page_id
    assert "Died within" not in page_id and "not sourced" not in page_id
    page_en = c.get(q + "&lang=en").text
    assert "Died within 3 months of joining" in page_en and "not sourced" in page_en
    assert "Meninggal sebelum" not in page_en


def test_claim_notes_follow_the_language(api, browser_as) -> None:  # type: ignore[no-untyped-def]
    op = api("operator")
    r = op.post(
        "/api/v1/claims",
        json={
            "type": "jkm",
            "nik": NIK_SORONG_TIMUR,
            "event_date": "2024-06-10",
            "reporter": "Istri",
            "filed_on": "2024-06-20",
            "heirs": [{"relation": "spouse", "name": "Maria Sawaki", "recipient": True}],
        },
    )
    assert r.status_code == 201, r.text
    cid = r.json()["claim"]
    covered = {x["parameter"]: x for x in r.json()["explanation"]}["claims.covered_on_event_date"]
    assert covered["note"].startswith("peserta sejak")
    got = op.get(f"/api/v1/claims/{cid}?lang=en").json()
    covered = {x["parameter"]: x for x in got["explanation"]}["claims.covered_on_event_date"]
    assert covered["note"].startswith("member since") and covered["note_id"].startswith("peserta")
    page_id = browser_as("operator").get(f"/claims/{cid}").text
    assert "peserta sejak" in page_id and PP82_ID in page_id
    assert "member since" not in page_id and PP82_EN not in page_id


def test_claim_page_says_the_funeral_cost_only_without_heirs(api, browser_as) -> None:  # type: ignore[no-untyped-def]
    op = api("operator")
    r = op.post(
        "/api/v1/claims",
        json={
            "type": "jkm",
            "nik": NIK_SORONG_TIMUR,
            "event_date": "2024-06-10",
            "reporter": "Ketua RT",
            "filed_on": "2024-06-20",
            "heirs": [{"relation": "funeral_arranger", "name": "Ketua RT 03", "recipient": True}],
        },
    )
    assert r.status_code == 201, r.text
    assert r.json()["amount"] == 10_000_000  # the funeral cost only
    page_id = browser_as("operator").get(f"/claims/{r.json()['claim']}").text
    assert "Dana Jaminan Sosial" in page_id and "pihak yang mengurus pemakaman" in page_id
