"""Hostile uploads through the API: refused with 400 and the code, never a dead server."""

from __future__ import annotations

from pathlib import Path

from tests.registry.test_files import workbook


def test_a_far_cell_workbook_is_a_400(api, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = workbook(tmp_path / "far.xlsx", far=(1048575, 16383))
    c = api("operator")
    r = c.post(
        "/api/v1/registry/batches",
        files={"files": ("far.xlsx", path.read_bytes(), "application/octet-stream")},
        data={"source": "Pasar Remu"},
    )
    assert r.status_code == 400, r.text
    assert r.json()["code"] == "sheet_too_large"
    assert c.get("/api/v1/people", params={"q": "Yohana"}).status_code == 200  # still alive


def test_a_damaged_workbook_is_a_400(api) -> None:  # type: ignore[no-untyped-def]
    r = api("operator").post(
        "/api/v1/registry/batches",
        files={"files": ("list.xlsx", b"PK\x03\x04 broken", "application/octet-stream")},
        data={"source": "Pasar Remu"},
    )
    assert r.status_code == 400 and r.json()["code"] == "file_unreadable"


def test_a_nul_in_a_name_breaks_no_later_upload(api, web_engine) -> None:  # type: ignore[no-untyped-def]
    """PostgreSQL refuses NUL in text: a name holding one made every later upload fail."""
    from sqlalchemy import select

    from jaring.store.tables.registry import person

    c = api("admin")
    first = "NIK;Nama;Tgl Lahir\n9671015508920003;Ruth\x00 Mambrasar;15/08/1992\n"
    second = "NIK;Nama;Tgl Lahir\n9671021708930004;Agus Rumbiak;17/08/1993\n"
    for name, text in (("a.csv", first), ("b.csv", second)):
        r = c.post(
            "/api/v1/registry/batches",
            files={"files": (name, text.encode(), "text/csv")},
            data={"source": name},
        )
        assert r.status_code == 201, r.text
    with web_engine.connect() as conn:
        names = set(conn.execute(select(person.c.name)).scalars())
    assert "Ruth Mambrasar" in names and "Agus Rumbiak" in names
