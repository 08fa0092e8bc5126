"""The domain journeys through the API: a budget planned and enrolled, BPJS files out and in,
an invoice paid, a JKM claim filed and explained; with the roles and regions enforced."""

from __future__ import annotations

import io
import re

import polars as pl
from tests.web.test_api import is_problem

NIK_SORONG_TIMUR = "9671022505900002"  # person 2, covered in 2024 by the seeded program
NIK_SORONG = "9671011203850001"  # person 1, Distrik Sorong


def test_law_calculator(api) -> None:  # type: ignore[no-untyped-def]
    c = api("juror")  # everyone may read the law
    r = c.get(
        "/api/v1/law/contribution",
        params={"segment": "bpu", "income": 1_000_000, "on": "2024-03-01"},
    )
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["total"] == 16_800
    assert {line["parameter"] for line in body["explanation"]} >= {"bpu.jkm"}
    assert all(line["reference"] for line in body["explanation"])
    jkm = c.get(
        "/api/v1/law/benefit/jkm", params={"event_date": "2024-05-01", "member_since": "2023-01-01"}
    )
    assert jkm.json()["total"] == 42_000_000
    is_problem(
        c.get("/api/v1/law/contribution", params={"segment": "pu", "wage": 3_000_000}),
        400,
        "missing_option",
    )


def test_law_answers_are_typed(app, api) -> None:  # type: ignore[no-untyped-def]
    from fastapi.testclient import TestClient

    doc = TestClient(app).get("/api/v1/openapi.json").json()
    ok = {p: doc["paths"][p]["get"]["responses"]["200"] for p in doc["paths"] if "/law/" in p}
    assert {p: r["content"]["application/json"]["schema"]["$ref"] for p, r in ok.items()} == {
        "/api/v1/law/contribution": "#/components/schemas/ContributionOut",
        "/api/v1/law/benefit/jkm": "#/components/schemas/JkmBenefitOut",
    }
    # Only a segment's own components are answered, as before the answers were typed.
    c = api("viewer")
    params = {"on": "2024-06-01", "segment": "pu", "wage": 12_000_000, "risk": "sangat-rendah"}
    pu = c.get("/api/v1/law/contribution", params=params).json()
    assert pu["jp_employer"] == 200_846 and "base" not in pu and "discount" not in pu
    bpu = c.get("/api/v1/law/contribution", params={"income": 1_000_000, "on": "2024-03-01"})
    assert "jht_employer" not in bpu.json() and bpu.json()["on"] == "2024-03-01"


def test_law_page_names_its_own_fields(browser_as) -> None:  # type: ignore[no-untyped-def]
    c = browser_as("viewer")
    page = c.get("/law?calc=contribution&segment=pu&wage=3000000").text
    assert "Wajib diisi: Kelompok risiko, PU." in page
    page = c.get("/law?calc=contribution&segment=bpu&income=1.000.000&on=2024-03-01").text
    assert "Rp16.800" in page and "PP 44/2015" in page


def test_program_journey(api) -> None:  # type: ignore[no-untyped-def]
    budget_officer, admin, operator, viewer = (
        api("budget"),
        api("admin"),
        api("operator"),
        api("viewer"),
    )
    r = budget_officer.post(
        "/api/v1/programs",
        json={
            "name": "Uji Web 2024",
            "fiscal_year": 2024,
            "budget": 4 * 16_800 * 10,
            "period_start": "2024-03-01",
        },
    )
    assert r.status_code == 201, r.text
    pid = r.json()["id"]
    is_problem(
        viewer.post("/api/v1/programs", json={"name": "x", "fiscal_year": 2024, "budget": 1}),
        403,
        "forbidden",
    )
    is_problem(
        operator.post(f"/api/v1/programs/{pid}/plans", json={}), 403, "program_needs_all_regions"
    )

    s = viewer.get(f"/api/v1/programs/{pid}/scenarios").json()
    assert s["full"]["people"] == 4 and s["full"]["cost"] == 4 * 16_800 * 10
    assert "spread" in s and "with_extra" in s

    plan = admin.post(f"/api/v1/programs/{pid}/plans", json={"scenario": "full"})
    assert plan.status_code == 201, plan.text
    assert plan.json()["people"] == 4
    enrolled = admin.post(f"/api/v1/programs/{pid}/enrol")
    assert enrolled.status_code == 200, enrolled.text

    reg = admin.post(f"/api/v1/programs/{pid}/bpjs/registrations", params={"format": "csv"})
    assert reg.status_code == 200 and reg.headers["content-type"].startswith("text/csv")
    niks = pl.read_csv(io.BytesIO(reg.content), infer_schema=False)["NIK"].to_list()
    assert sorted(niks) == sorted(
        ["9671011203850001", "9671022505900002", "9671031010880003", "9671020101700004"]
    )
    answer = pl.DataFrame(
        {
            "No NIK": niks,
            "NOMOR KPJ": [f"3000000000{i}" for i in range(len(niks))],
            "Status": [""] * 4,
            "Keterangan": [""] * 4,
        }
    )
    buf = io.BytesIO()
    answer.write_csv(buf)
    imp = admin.post(
        f"/api/v1/programs/{pid}/bpjs/answers",
        files={"file": ("jawaban.csv", buf.getvalue(), "text/csv")},
    )
    assert imp.status_code == 200, imp.text
    assert imp.json()["imported"] == 4

    is_problem(
        viewer.post(f"/api/v1/programs/{pid}/invoices", json={"month": "2024-03-01"}),
        403,
        "forbidden",
    )
    inv = budget_officer.post(f"/api/v1/programs/{pid}/invoices", json={"month": "2024-03-01"})
    assert inv.status_code == 201, inv.text
    assert inv.json()["amount"] == 4 * 16_800
    paid = budget_officer.post(
        f"/api/v1/invoices/{inv.json()['id']}/payments",
        json={"amount": 4 * 16_800, "sp2d": "SP2D-001/2024", "on": "2024-03-25"},
    )
    assert paid.status_code == 201, paid.text
    assert paid.json()["outstanding"] == 0
    is_problem(
        budget_officer.post(
            f"/api/v1/invoices/{inv.json()['id']}/payments",
            json={"amount": 1, "sp2d": "SP2D-001/2024", "on": "2024-03-26"},
        ),
        400,
        "sp2d_used",
    )
    detail = viewer.get(f"/api/v1/programs/{pid}").json()
    assert detail["reconcile"]["spent"] == 4 * 16_800
    assert detail["invoices"][0]["outstanding"] == 0
    is_problem(viewer.get("/api/v1/programs/9999"), 404, "program_not_found")

    actions = [
        e["action"]
        for e in api("auditor").get("/api/v1/audit", params={"entity": "program"}).json()["events"]
    ]
    assert {
        "program.create",
        "program.plan",
        "program.enrol",
        "program.bpjs_export",
        "billing.invoice",
    } <= set(actions)


def test_jkm_claim_journey(api) -> None:  # type: ignore[no-untyped-def]
    op = api("operator")  # Distrik Sorong Timur
    body = {
        "type": "jkm",
        "nik": NIK_SORONG_TIMUR,
        "event_date": "2024-06-10",
        "reporter": "Istri",
        "filed_on": "2024-06-20",
        "heirs": [{"relation": "spouse", "name": "Maria Sawaki", "recipient": True}],
    }
    r = op.post("/api/v1/claims", json=body)
    assert r.status_code == 201, r.text
    claim = r.json()
    assert claim["eligible"] is True
    assert claim["amount"] == 42_000_000
    cid = claim["claim"]
    got = op.get(f"/api/v1/claims/{cid}").json()
    assert got["explanation"] and got["missing_documents"]
    # another distrik's person: not found in the operator's regions
    is_problem(op.post("/api/v1/claims", json={**body, "nik": NIK_SORONG}), 404, "person_not_found")
    is_problem(api("viewer").post("/api/v1/claims", json=body), 403, "forbidden")
    # filed by the administrator for Distrik Sorong: the operator may neither see nor move it
    west = api("admin").post("/api/v1/claims", json={**body, "nik": NIK_SORONG}).json()["claim"]
    is_problem(op.get(f"/api/v1/claims/{west}"), 403, "person_out_of_region")
    is_problem(
        op.post(f"/api/v1/claims/{west}/advance", json={"to": "rejected", "reason_code": "lapsed"}),
        403,
        "person_out_of_region",
    )
    assert [c["claim"] for c in op.get("/api/v1/claims").json()] == [cid]

    page = op.get(f"/claims/{cid}")  # the claim's page: documents by their names
    assert page.status_code == 200, page.text
    assert "> KTP peserta" in page.text and "> Kartu peserta (KPJ)" in page.text
    assert "> ktp-member" not in page.text and "> kpj" not in page.text
    assert " · ·" not in page.text and "sejak -" not in page.text

    early = op.post(f"/api/v1/claims/{cid}/advance", json={"to": "documents_complete"})
    is_problem(early, 400, "documents_missing")
    docs = op.post(
        f"/api/v1/claims/{cid}/documents",
        json={"codes": got["missing_documents"], "received_on": "2024-06-21"},
    )
    assert docs.status_code == 200, docs.text
    moved = op.post(f"/api/v1/claims/{cid}/advance", json={"to": "documents_complete"})
    assert moved.status_code == 200, moved.text
    assert op.get(f"/api/v1/claims/{cid}").json()["status"] == "documents_complete"
    is_problem(op.get("/api/v1/claims/99999"), 404, "claim_not_found")


LIST_A = (
    "Nama,NIK,Tanggal Lahir,Jenis Kelamin,Distrik\n"
    "Marta Wanma,9671024404950005,4 April 1995,P,Sorong Timur\n"
    "Yosef Bonay,96710X,2 Februari 1980,L,Sorong Timur\n"
    "Yohanis Kambu,,3 Maret 1975,L,Sorong Timur\n"
)


def test_registry_upload_fix_and_review(api, web_engine, tmp_path) -> None:  # type: ignore[no-untyped-def]
    import datetime as dt

    from jaring.access import Actor
    from jaring.registry.actions import imports, linking
    from jaring.registry.dedupe import Thresholds

    op = api("operator")
    r = op.post(
        "/api/v1/registry/batches",
        files={"files": ("pasar.csv", LIST_A.encode(), "text/csv")},
        data={"source": "Pasar Remu", "listed_on": "2024-01-02"},
    )
    assert r.status_code == 201, r.text
    out = r.json()
    assert (out["rows"], out["accepted"], out["rejected"]) == (3, 2, 1)
    batch = out["batch"]
    is_problem(
        api("viewer").get(f"/api/v1/registry/batches/{batch}/errors"),
        403,
        "registry_needs_clear_data",
    )
    is_problem(
        api("viewer").post(
            "/api/v1/registry/batches",
            files={"files": ("x.csv", b"a", "text/csv")},
            data={"source": "x"},
        ),
        403,
        "forbidden",
    )
    errors = op.get(f"/api/v1/registry/batches/{batch}/errors").json()
    bad = next(e for e in errors if e["status"] == "rejected")
    assert bad["issues"][0]["field"] == "nik" and bad["issues"][0]["value"] == "96710X"
    fixed = op.post(
        f"/api/v1/registry/rows/{bad['row_id']}", json={"values": {"nik": "9671020202800006"}}
    )
    assert fixed.status_code == 200, fixed.text
    assert fixed.json()["status"] == "accepted"
    found = op.get("/api/v1/people", params={"q": "9671020202800006"}).json()["people"]
    assert [p["name"] for p in found] == ["Yosef Bonay"]

    # a second list, linked with a strict threshold so that a pair waits for review
    second = tmp_path / "ojek.csv"
    second.write_text(
        "Nama,NIK,Tanggal Lahir,Jenis Kelamin,Distrik\nMarta Wanma,,4 April 1995,P,Sorong Timur\n"
    )
    system = Actor.system()
    imports.import_files(web_engine, system, [second], "Ojek", listed_on=dt.date(2024, 2, 1))
    linking.dedupe(web_engine, system, thresholds=Thresholds(match=0.999999999, review=0.3))
    pairs = op.get("/api/v1/registry/review").json()
    assert pairs, "a pair to review"
    pair = pairs[0]
    assert {pair["left"]["name"], pair["right"]["name"]} == {"Marta Wanma"}
    admin = api(
        "admin"
    )  # the unlinked row's person has no distrik yet: outside the operator's view
    people_before = len(admin.get("/api/v1/people", params={"q": "marta wanma"}).json()["people"])
    assert people_before == 2
    ok = op.post(
        f"/api/v1/registry/review/{pair['pair']}", json={"accept": True, "reason": "KTP sama"}
    )
    assert ok.status_code == 200, ok.text
    assert (
        len(op.get("/api/v1/people", params={"q": "marta wanma"}).json()["people"])
        == people_before - 1
    )
    is_problem(
        op.post(f"/api/v1/registry/review/{pair['pair']}", json={"accept": False}),
        400,
        "pair_decided",
    )
    actions = {
        e["action"]
        for e in api("auditor")
        .get("/api/v1/audit", params={"action": "registry."})
        .json()["events"]
    }
    # changes, and the reads of personal data (audited one event per request)
    assert actions == {
        "registry.import",
        "registry.correct",
        "registry.review",
        "registry.batch_errors",
        "registry.review_list",
    }


def test_coverage_report_and_files(api) -> None:  # type: ignore[no-untyped-def]
    viewer = api("viewer")
    r = viewer.get("/api/v1/coverage/report", params={"region": "96.71", "on": "2024-06-01"})
    assert r.status_code == 200, r.text
    assert r.json()["covered"] == 2
    pdf = viewer.get(
        "/api/v1/coverage/report/file",
        params={"region": "96.71", "on": "2024-06-01", "format": "pdf"},
    )
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    xlsx = viewer.get("/api/v1/coverage/report/file", params={"region": "96.71", "format": "xlsx"})
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    op = api("operator")
    assert (
        op.get("/api/v1/coverage/report", params={"region": "96.71.02", "on": "2024-06-01"}).json()[
            "covered"
        ]
        == 1
    )
    is_problem(
        op.get("/api/v1/coverage/report", params={"region": "96.71.01"}), 403, "region_out_of_scope"
    )
    is_problem(
        viewer.get("/api/v1/coverage/report", params={"region": "x"}), 422, "invalid_request"
    )


def test_juror_scores_only_their_own(api, web_engine) -> None:  # type: ignore[no-untyped-def]
    import datetime as dt

    from jaring.access import Actor
    from jaring.award import actions

    system = Actor.system()
    actions.create_edition(
        web_engine, system, 2025, ["kabupaten-kota"], assessed_year=2024, stage="provinsi"
    )
    actions.add_candidate(web_engine, system, 2025, "kabupaten-kota", "96.71")
    for code in ("JUROR", *(f"J{i}" for i in range(2, 10))):  # a panel of nine
        actions.add_juror(web_engine, system, 2025, code, f"Juri {code}", "Disnaker")
    actions.schedule_interview(web_engine, system, 2025, "96.71", dt.datetime(2025, 2, 26, 9))

    juror = api("juror")
    view = juror.get("/api/v1/award/2025/candidates/96.71").json()
    assert view["juror"] == "JUROR" and view["own"] == {} and view["others"] is None
    is_problem(juror.get("/api/v1/award/2025/ranking/kabupaten-kota"), 400, "submit_first")
    r = juror.put(
        "/api/v1/award/2025/candidates/96.71/scores",
        json={"points": {"inovasi": 4, "wawancara": 5}, "submit": True},
    )
    assert r.status_code == 200, r.text
    is_problem(
        juror.put("/api/v1/award/2025/candidates/96.71/scores", json={"points": {"inovasi": 1}}),
        400,
        "scores_locked",
    )
    assert juror.get("/api/v1/award/2025/candidates/96.71").json()["own"] == {
        "inovasi": 4,
        "wawancara": 5,
    }
    assert juror.get("/api/v1/award/2025/ranking/kabupaten-kota").status_code == 200
    # nobody else scores in a juror's name
    is_problem(
        api("admin").put("/api/v1/award/2025/candidates/96.71/scores", json={"points": {}}),
        403,
        "forbidden",
    )
    is_problem(juror.get("/api/v1/people", params={"q": "markus"}), 403, "forbidden")
    ranking = api("viewer").get("/api/v1/award/2025/ranking/kabupaten-kota").json()
    assert ranking["ranking"][0]["candidate"] == "96.71"
    assert api("viewer").get("/api/v1/award/editions").json()[0]["year"] == 2025
    dossier = api("viewer").get(
        "/api/v1/award/2025/candidates/96.71/dossier", params={"format": "pdf"}
    )
    assert dossier.status_code == 200 and dossier.content.startswith(b"%PDF")


def test_people_export_is_scoped_masked_and_audited(api) -> None:  # type: ignore[no-untyped-def]
    op = api("operator")
    r = op.get("/api/v1/registry/people/file", params={"format": "csv"})
    assert r.status_code == 200, r.text
    frame = pl.read_csv(io.BytesIO(r.content), infer_schema=False)
    assert set(frame["district_code"]) == {"96.71.02"} and frame.height == 2
    # an operator holds no export right: NIKs masked, and the birth date as its year so that
    # the masked digits (distrik, birth date) cannot be rebuilt from the file
    assert all(re.fullmatch(r"\d{4}\*{8}\d{4}", n) for n in frame["nik"])
    assert "birth_date" not in frame.columns and frame["birth_year"].str.len_chars().max() == 4
    x = api("admin").get("/api/v1/registry/people/file", params={"format": "xlsx"})
    assert x.status_code == 200 and x.content[:2] == b"PK"
    clear = pl.read_csv(
        io.BytesIO(
            api("admin").get("/api/v1/registry/people/file", params={"format": "csv"}).content
        ),
        infer_schema=False,
    )
    assert all(re.fullmatch(r"\d{16}", n) for n in clear["nik"].drop_nulls())
    is_problem(api("viewer").get("/api/v1/registry/people/file"), 403, "registry_needs_clear_data")
    events = (
        api("auditor").get("/api/v1/audit", params={"action": "registry.export"}).json()["events"]
    )
    assert [e["actor"] for e in events] == ["admin", "admin", "operator"]
    assert [e["after"]["nik_clear"] for e in events] == [True, True, False]
