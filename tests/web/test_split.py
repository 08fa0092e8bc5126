"""Splitting a wrongly merged source row off its person, through the API and the person page
roles, regions, CSRF, the audit trail, and the person page's list of rows."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl
from sqlalchemy import Engine, select
from tests.web.conftest import csrf_of
from tests.web.test_api import is_problem

from jaring.access import Actor
from jaring.registry.actions import imports, linking
from jaring.registry.queries import rows as source_rows
from jaring.store.tables.registry import registry_link

# Two people per distrik whose rows were merged because one NIK was typed for both.
LIST = (
    "Nama,NIK,Tanggal Lahir,Jenis Kelamin,Distrik\n"
    "Agustina Rumbiak,9671026606920007,26 Juni 1992,P,Sorong Timur\n"
    "Agustinus Rumbiak,9671026606920007,26 Juni 1992,L,Sorong Timur\n"
    "Petrus Mambor,9671011111800008,11 November 1980,L,Sorong\n"
    "Petra Mambor,9671011111800008,11 November 1980,P,Sorong\n"
)


def merged(engine: Engine, tmp_path: Path) -> dict[str, tuple[int, list[int]]]:
    """Import the list and link it: NIK -> (person id, its row ids)."""
    path = tmp_path / "pasar.csv"
    path.write_text(LIST, encoding="utf-8")
    system = Actor.system()
    imports.import_files(engine, system, [path], "Pasar Remu", listed_on=dt.date(2024, 1, 2))
    linking.dedupe(engine, system)
    out: dict[str, tuple[int, list[int]]] = {}
    with engine.connect() as conn:
        staged = source_rows.read(conn, columns=("nik",))
        for nik in ("9671026606920007", "9671011111800008"):
            ids = staged.filter(pl.col("nik") == nik).get_column("id").to_list()
            rows = conn.execute(
                select(registry_link.c.row_id, registry_link.c.person_id)
                .where(registry_link.c.row_id.in_(ids))
                .order_by(registry_link.c.row_id)
            ).all()
            assert len({r.person_id for r in rows}) == 1, "the two rows were merged"
            out[nik] = (int(rows[0].person_id), [int(r.row_id) for r in rows])
    return out


def test_split_through_the_api(api, web_engine, tmp_path) -> None:  # type: ignore[no-untyped-def]
    m = merged(web_engine, tmp_path)
    east, east_rows = m["9671026606920007"]  # Sorong Timur: the operator's distrik
    west, west_rows = m["9671011111800008"]  # Sorong: outside it
    op, admin = api("operator"), api("admin")

    rows = op.get(f"/api/v1/registry/people/{east}/rows").json()
    assert [r["row_id"] for r in rows] == east_rows and {r["method"] for r in rows} == {"nik"}
    is_problem(
        api("viewer").get(f"/api/v1/registry/people/{east}/rows"), 403, "registry_needs_clear_data"
    )
    is_problem(op.get(f"/api/v1/registry/people/{west}/rows"), 403, "person_out_of_region")

    url = f"/api/v1/registry/rows/{east_rows[1]}/split"
    is_problem(api("viewer").post(url, json={"reason": "x"}), 403, "forbidden")
    is_problem(api("budget").post(url, json={"reason": "x"}), 403, "forbidden")
    is_problem(op.post(url, json={"reason": ""}), 422, "invalid_request")
    is_problem(op.post(url, json={"reason": "   "}), 400, "reason_required")
    is_problem(
        op.post(f"/api/v1/registry/rows/{west_rows[1]}/split", json={"reason": "x"}),
        403,
        "person_out_of_region",
    )
    is_problem(
        op.post("/api/v1/registry/rows/999999/split", json={"reason": "x"}), 404, "row_not_linked"
    )

    r = op.post(url, json={"reason": "Agustinus adalah saudara kembar, bukan orang yang sama"})
    assert r.status_code == 200, r.text
    out = r.json()
    assert out["row"] == east_rows[1] and out["from_person"] == east and out["person"] != east
    assert [x["row_id"] for x in op.get(f"/api/v1/registry/people/{east}/rows").json()] == [
        east_rows[0]
    ]
    moved = op.get(f"/api/v1/registry/people/{out['person']}/rows").json()
    assert [(x["row_id"], x["method"]) for x in moved] == [(east_rows[1], "split")]
    assert op.get(f"/api/v1/people/{out['person']}").json()["name"] == "Agustinus Rumbiak"
    # a second split of the same row: it is its person's only row now
    is_problem(op.post(url, json={"reason": "again"}), 400, "split_single_row")

    # the administrator may split anywhere
    r = admin.post(f"/api/v1/registry/rows/{west_rows[1]}/split", json={"reason": "kembar"})
    assert r.status_code == 200, r.text

    events = (
        api("auditor").get("/api/v1/audit", params={"action": "registry.split"}).json()["events"]
    )
    assert sorted((e["actor"], str(e["entity_id"])) for e in events) == sorted(
        [("operator", str(east_rows[1])), ("admin", str(west_rows[1]))]
    )


def test_split_on_the_person_page(browser_as, web_engine, tmp_path) -> None:  # type: ignore[no-untyped-def]
    m = merged(web_engine, tmp_path)
    east, east_rows = m["9671026606920007"]
    c = browser_as("operator")
    page = c.get(f"/people/{east}")
    assert page.status_code == 200
    assert "Baris sumber" in page.text and f'id="row-{east_rows[1]}"' in page.text
    assert f'action="/people/{east}/rows/{east_rows[1]}/split"' in page.text
    # without the CSRF token: refused, nothing split
    r = c.post(f"/people/{east}/rows/{east_rows[1]}/split", data={"reason": "x"})
    assert r.status_code == 403
    # without a reason: the page again with the error, nothing split
    r = c.post(
        f"/people/{east}/rows/{east_rows[1]}/split",
        data={"reason": " ", "csrf_token": csrf_of(page.text)},
    )
    assert r.status_code == 400 and "Tulis alasan pemisahan." in r.text
    r = c.post(
        f"/people/{east}/rows/{east_rows[1]}/split",
        data={"reason": "Orang berbeda", "csrf_token": csrf_of(page.text)},
        follow_redirects=False,
    )
    assert r.status_code == 303, r.text
    done = c.get(r.headers["location"])
    assert 'id="split-done"' in done.text and f'id="row-{east_rows[1]}"' not in done.text
    # a row of another person cannot be split through this person's page
    r = c.post(
        f"/people/{east}/rows/{east_rows[1]}/split",
        data={"reason": "x", "csrf_token": csrf_of(page.text)},
    )
    assert r.status_code == 404
    # masked-data roles do not see the source rows; English page for English users
    assert "Baris sumber" not in browser_as("viewer").get(f"/people/{east}").text
    assert "Source rows" in c.get(f"/people/{east}?lang=en").text
