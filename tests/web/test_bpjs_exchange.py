"""The BPJS exchange through the API and the pages: the registration file with clear NIKs
only for holders of the audited export right, the history of files, a file sent downloaded
again, a refused row set aside with its reason."""

from __future__ import annotations

import io

import polars as pl
from sqlalchemy import select
from tests.web.conftest import csrf_of

from jaring.store.tables.web import audit_event


def _plan_and_enrol(admin) -> int:  # type: ignore[no-untyped-def]
    pid = admin.post(
        "/api/v1/programs",
        json={"name": "Uji Pertukaran", "fiscal_year": 2024, "budget": 2_000_000},
    ).json()["id"]
    assert admin.post(f"/api/v1/programs/{pid}/plans", json={"scenario": "full"}).status_code == 201
    assert admin.post(f"/api/v1/programs/{pid}/enrol").status_code == 200
    return int(pid)


def test_clear_niks_only_with_the_export_right(api, browser_as, web_engine) -> None:  # type: ignore[no-untyped-def]
    admin = api("admin")
    pid = _plan_and_enrol(admin)
    # the operator may write programs but holds no nik.export: no file, no form
    operator_page = browser_as("operator").get(f"/programs/{pid}/bpjs")
    assert operator_page.status_code == 200 and 'id="send-form"' not in operator_page.text
    refused = api("operator").post(f"/api/v1/programs/{pid}/bpjs/registrations")
    assert refused.status_code == 403
    budget = api("budget")
    sent = budget.post(f"/api/v1/programs/{pid}/bpjs/registrations", params={"format": "csv"})
    assert sent.status_code == 200
    name = sent.headers["content-disposition"].split('filename="')[1].rstrip('"')
    assert name.startswith(f"registrasi-{pid}-") and name.endswith("-1.csv")
    x = budget.get(f"/api/v1/programs/{pid}/bpjs").json()
    assert [f["direction"] for f in x["files"]] == ["sent"]
    assert x["files"][0]["created_by"] == "budget"
    again = budget.get(f"/api/v1/programs/{pid}/bpjs/files/{x['files'][0]['id']}")
    assert again.content == sent.content
    assert api("viewer").get(f"/api/v1/programs/{pid}/bpjs/files/1").status_code == 403
    with web_engine.connect() as c:
        actions = [a for (a,) in c.execute(select(audit_event.c.action))]
    assert "program.bpjs_export" in actions and "program.bpjs_download" in actions


def test_an_answer_keeps_its_name_and_a_refused_row_is_set_aside(api) -> None:  # type: ignore[no-untyped-def]
    admin = api("admin")
    pid = _plan_and_enrol(admin)
    reg = pl.read_csv(
        admin.post(f"/api/v1/programs/{pid}/bpjs/registrations", params={"format": "csv"}).content,
        infer_schema=False,
    )
    answer = pl.DataFrame(
        {
            "NIK": [*reg["NIK"], "1234"],
            "KPJ": [f"3100000000{i}" for i in range(reg.height)] + ["31000000099"],
        }
    )
    buf = io.BytesIO()
    answer.write_csv(buf)
    got = admin.post(
        f"/api/v1/programs/{pid}/bpjs/answers",
        files={"file": ("jawaban BPJS Maret.csv", buf.getvalue(), "text/csv")},
    ).json()
    assert got["file"] == "jawaban BPJS Maret.csv" and got["refused"] == 1
    x = admin.get(f"/api/v1/programs/{pid}/bpjs").json()
    received = [f for f in x["files"] if f["direction"] == "received"]
    assert received[0]["filename"] == "jawaban BPJS Maret.csv"
    assert (received[0]["accepted"], received[0]["refused"]) == (reg.height, 1)
    row = x["refusals"][0]
    assert row["reason"] == "bad_nik" and row["person_id"] is None and not row["resendable"]
    empty = admin.post(
        f"/api/v1/programs/{pid}/bpjs/refusals/{row['id']}/dismiss", json={"reason": " "}
    )
    assert empty.status_code == 400
    done = admin.post(
        f"/api/v1/programs/{pid}/bpjs/refusals/{row['id']}/dismiss",
        json={"reason": "baris uji dari BPJS"},
    )
    assert done.status_code == 200 and done.json()["refusals"] == []


def test_the_steps_say_what_comes_next(api, browser_as) -> None:  # type: ignore[no-untyped-def]
    admin = api("admin")
    pid = admin.post(
        "/api/v1/programs", json={"name": "Uji Langkah", "fiscal_year": 2024, "budget": 2_000_000}
    ).json()["id"]
    steps = admin.get(f"/api/v1/programs/{pid}/steps").json()
    assert steps["next"] == "targeting"
    assert [s["key"] for s in steps["steps"] if s["done"]] == ["setup"]
    page = browser_as("budget")
    listed = page.get("/programs").text
    assert f'href="/programs/{pid}">Uji Langkah</a>' in listed
    assert "Siapa yang berhak" in listed.split("Uji Langkah")[1].split("</tr>")[0]
    html = page.get(f"/programs/{pid}/setup").text
    r = page.post(
        f"/programs/{pid}/setup",
        data={"csrf_token": csrf_of(html), "budget": "1,5 juta", "desil_max": "2"},
    )
    assert r.status_code == 200
    steps = admin.get(f"/api/v1/programs/{pid}/steps").json()
    assert steps["next"] == "plan"
    assert admin.get(f"/api/v1/programs/{pid}").json()["budget"] == 1_500_000
    assert admin.patch(f"/api/v1/programs/{pid}", json={"rules": {"desil_max": 3}}).json()[
        "rules"
    ] == {"desil_max": 3}
