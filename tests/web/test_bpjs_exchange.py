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


def test_more_than_a_page_of_refused_rows(api, browser_as) -> None:  # type: ignore[no-untyped-def]
    """450 refused rows: pages of 200 by keyset cursors, with their place and the total;
    setting a row aside does not shift the next page; the page links walk them all."""
    admin = api("admin")
    pid = _plan_and_enrol(admin)
    reg = pl.read_csv(
        admin.post(f"/api/v1/programs/{pid}/bpjs/registrations", params={"format": "csv"}).content,
        infer_schema=False,
    )
    bad = [f"12{i:04d}" for i in range(450)]  # not 16 digits: refused as bad_nik
    answer = pl.DataFrame(
        {
            "NIK": [*reg["NIK"], *bad],
            "KPJ": [f"3{i:010d}" for i in range(reg.height + len(bad))],
        }
    )
    buf = io.BytesIO()
    answer.write_csv(buf)
    got = admin.post(
        f"/api/v1/programs/{pid}/bpjs/answers",
        files={"file": ("jawaban.csv", buf.getvalue(), "text/csv")},
    ).json()
    assert got["refused"] == 450
    url = f"/api/v1/programs/{pid}/bpjs"
    first = admin.get(url).json()
    assert (len(first["refusals"]), first["refusals_total"], first["refusals_from"]) == (
        200,
        450,
        1,
    )
    assert first["refusals_before"] is None and first["refusals_after"] is not None
    second = admin.get(url, params={"after": first["refusals_after"]}).json()
    assert (len(second["refusals"]), second["refusals_from"]) == (200, 201)
    third = admin.get(url, params={"after": second["refusals_after"]}).json()
    assert (len(third["refusals"]), third["refusals_from"], third["refusals_after"]) == (
        50,
        401,
        None,
    )
    seen = [r["id"] for x in (first, second, third) for r in x["refusals"]]
    assert seen == sorted(seen) and len(set(seen)) == 450
    assert [r["row"] for x in (first, second, third) for r in x["refusals"]] == sorted(
        r["row"] for x in (first, second, third) for r in x["refusals"]
    )
    back = admin.get(url, params={"before": third["refusals_before"]}).json()
    assert [r["id"] for r in back["refusals"]] == [r["id"] for r in second["refusals"]]
    assert back["refusals_from"] == 201
    assert admin.get(url, params={"limit": 1001}).status_code == 422
    # a row of the first page set aside: the second page's cursor still starts it, one place on
    gone = first["refusals"][0]["id"]
    assert (
        admin.post(
            f"/api/v1/programs/{pid}/bpjs/refusals/{gone}/dismiss", json={"reason": "dobel"}
        ).status_code
        == 200
    )
    again = admin.get(url, params={"after": first["refusals_after"]}).json()
    assert [r["id"] for r in again["refusals"]] == [r["id"] for r in second["refusals"]]
    assert (again["refusals_total"], again["refusals_from"]) == (449, 200)

    # the page: counts in words, and links that walk the pages
    client = browser_as("admin")
    html = client.get(f"/programs/{pid}/bpjs").text
    assert "Baris ditolak 1 sampai 200 dari 449." in html
    assert 'id="refusals-prev"' not in html and html.count("data-refusal=") == 200
    nxt = html.split('id="refusals-next"')[0].rsplit('href="', 1)[1].split('"')[0]
    html = client.get(nxt.split("#")[0]).text
    assert "Baris ditolak 201 sampai 400 dari 449." in html
    assert 'id="refusals-prev"' in html and 'id="refusals-next"' in html
    nxt = html.split('id="refusals-next"')[0].rsplit('href="', 1)[1].split('"')[0]
    html = client.get(nxt.split("#")[0]).text
    assert "Baris ditolak 401 sampai 449 dari 449." in html and html.count("data-refusal=") == 49
    assert 'id="refusals-next"' not in html
    # a cursor typed wrongly is ignored: the first page
    assert "Baris ditolak 1 sampai 200" in client.get(f"/programs/{pid}/bpjs?after=x").text
