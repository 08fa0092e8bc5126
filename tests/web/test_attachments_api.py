"""The attachment routes: a file comes back as it was added, with headers that keep browsers
and caches from doing anything else with it; rights are the store's."""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient
from sqlalchemy import Engine

from jaring.access import Actor
from jaring.attachments import actions

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_download_info_and_delete(web_engine: Engine, api: Callable[[str], TestClient]) -> None:
    with web_engine.begin() as conn:
        a = actions.put(
            conn, Actor.system(), PDF, filename="../Surat kuasa.pdf", purpose="award.evidence"
        )
    admin = api("admin")
    r = admin.get(f"/api/v1/attachments/{a.id}/file")
    assert r.status_code == 200 and r.content == PDF
    assert r.headers["content-type"] == "application/pdf"
    assert r.headers["cache-control"] == "no-store"
    assert r.headers["x-content-type-options"] == "nosniff"
    assert "Surat%20kuasa.pdf" in r.headers["content-disposition"]
    assert admin.get(f"/api/v1/attachments/{a.id}").json()["size"] == len(PDF)
    # a juror reads award files; nobody reads a file that does not exist
    assert api("juror").get(f"/api/v1/attachments/{a.id}/file").status_code == 200
    assert admin.get("/api/v1/attachments/999999").status_code == 404
    # a viewer may not delete; the administrator may, and then the bytes are gone
    assert (
        api("viewer").post(f"/api/v1/attachments/{a.id}/delete", json={"reason": "x"}).status_code
        == 403
    )
    r = admin.post(f"/api/v1/attachments/{a.id}/delete", json={"reason": "salah unggah"})
    assert r.status_code == 200 and r.json()["deleted_by"] == "admin"
    r = admin.get(f"/api/v1/attachments/{a.id}/file")
    assert r.status_code == 404 and r.json()["code"] == "attachment_deleted"


def test_a_personal_file_is_refused_to_masked_roles(
    web_engine: Engine, api: Callable[[str], TestClient]
) -> None:
    with web_engine.begin() as conn:
        a = actions.put(
            conn,
            Actor.system(),
            PDF,
            filename="ktp.pdf",
            purpose="registry.change",
            region="96.71.02",
            personal=True,
        )
    assert api("viewer").get(f"/api/v1/attachments/{a.id}/file").status_code == 403
    assert api("operator").get(f"/api/v1/attachments/{a.id}/file").status_code == 200
