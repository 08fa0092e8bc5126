"""The deaths pages and API on SQLite and PostgreSQL: a death list uploaded in the browser,
the task with its letter, the dashboard's count, a person's family section, the gap report,
undo by a supervisor."""

from __future__ import annotations

import warnings
from pathlib import Path

from sqlalchemy import Engine

from families.world import built, deaths_csv
from jaring.web.app import create_app
from web.conftest import csrf_of, make_user, sign_in, token_for

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient


def test_deaths_in_the_browser_and_the_api(engine: Engine, tmp_path: Path, store_copies) -> None:  # type: ignore[no-untyped-def]
    built(engine, tmp_path, store_copies)
    make_user(engine, "ops", "operator", ["96.71"])
    make_user(engine, "spv", "supervisor", ["96.71"])
    app = create_app(engine, rate_limit=1000)
    ops = TestClient(app)
    assert sign_in(ops, "ops").status_code == 303

    page = ops.get("/deaths")
    assert page.status_code == 200
    path = deaths_csv(
        tmp_path / "dukcapil.csv",
        [
            ("9671011505800001", "Yohanis Wonatorei", "15/06/2024", "RSUD Sorong"),
            ("9671011505800009", "Yohanis Wonatorey", "15/06/2024", ""),
            ("9671020505901234", "Orang Tidak Dikenal", "01/01/2024", ""),
        ],
    )
    r = ops.post(
        "/deaths/lists",
        data={"csrf_token": csrf_of(page.text), "source": "Dukcapil Kota Sorong"},
        files={"file": ("dukcapil.csv", path.read_bytes(), "text/csv")},
    )
    assert r.status_code == 200, r.text
    assert "1 dicatat, 1 menunggu tinjauan, 1 ditolak" in r.text
    assert "Rp42.000.000" in r.text and "Maria Wonatorei" in r.text
    assert "Tidak ada orang di registri" not in r.text  # refused rows are not in the queue
    assert "mungkin yang dimaksud" in r.text  # the near match waits, with its reason
    assert "<li>Nama: " in r.text and "None" not in r.text  # and the model's reasons
    # the claim form comes filled with the NIK, the date and the heirs for the operator to check
    assert "/claims?type=jkm&amp;event_date=2024-06-15&amp;heirs=spouse%2A%3AMaria" in r.text

    tasks = ops.get("/api/v1/deaths/tasks", headers={"X-CSRF-Token": csrf_of(r.text)}).json()
    (task,) = tasks
    letter = ops.get(f"/deaths/{task['death_id']}/letter.pdf")
    assert letter.status_code == 200 and letter.headers["content-type"] == "application/pdf"
    assert letter.content.startswith(b"%PDF")

    home = ops.get("/")
    assert "Kematian tanpa klaim" in home.text
    # refunds fold behind their total, so a long list does not bury the page on a phone
    listing = ops.get("/deaths").text
    assert '<details id="refunds"><summary>2 bulan, seluruhnya Rp' in listing
    assert "Juli 2024" in listing  # a month, not the first day of it
    assert "Hari sejak meninggal" in listing  # a count says what it counts

    family = ops.get(f"/people/{task['person_id']}/family", headers={"HX-Request": "true"})
    assert family.status_code == 200
    assert "<html" not in family.text  # a section for the person's page, not a whole page
    assert "Maria Wonatorei" in family.text and "Meninggal pada 15 Juni 2024" in family.text
    person = ops.get(f"/people/{task['person_id']}")
    assert f'hx-get="/people/{task["person_id"]}/family"' in person.text
    # the page says first that the person died, not that they are "not covered" today
    assert '<p class="status warn">Meninggal pada 15 Juni 2024</p>' in person.text
    assert "Kematian pada 15 Juni 2024 dicatat" in person.text  # and so does the history

    # the operator may not undo; the supervisor may, with a reason
    assert 'action="/deaths/' not in family.text
    spv = TestClient(app)
    assert sign_in(spv, "spv").status_code == 303
    own = spv.get(f"/people/{task['person_id']}/family")
    undo = spv.post(
        f"/deaths/{task['death_id']}/undo",
        data={"csrf_token": csrf_of(own.text), "reason": "salah orang"},
        follow_redirects=False,
    )
    assert undo.status_code == 303
    after = spv.get(f"/people/{task['person_id']}/family")
    assert "dibatalkan oleh spv: salah orang" in after.text
    assert '<p class="status warn">Meninggal' not in spv.get(f"/people/{task['person_id']}").text

    api = TestClient(app, headers={"Authorization": f"Bearer {token_for(engine, 'spv')}"})
    assert api.get("/api/v1/deaths/refunds").json() == []
    gaps = api.get("/api/v1/deaths/gaps")
    assert gaps.status_code == 200 and gaps.json()["deaths"] == 0
    assert spv.get("/deaths/gaps").status_code == 200
    heirs = api.get(f"/api/v1/people/{task['person_id']}/heirs?died=2024-06-15").json()
    assert [h["relation"] for h in heirs["heirs"]] == ["spouse", "child", "child", "parent"]
    review = api.get("/api/v1/deaths/review").json()
    assert [r["reason"] for r in review] == ["near_match"]
