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
