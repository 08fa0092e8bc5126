"""`jaring field pull` against a small ODK Central of our own: an HTTP server that answers
the calls pyodk makes, as ODK Central's API documentation shows them (no ODK Central is
reachable here): ``GET /v1/users/current`` to check the bearer token, and the form's OData
``GET /v1/projects/{id}/forms/{form}.svc/Submissions`` with ``$top``, ``$skip`` and
``$filter``. A pull and a CSV import of the same submissions store each once."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar
from urllib.parse import parse_qs, urlparse

import pytest
from sqlalchemy import Engine, text
from tests.field.test_xlsform import export_rows, write_export
from typer.testing import CliRunner, Result

from jaring.access import Actor
from jaring.cli import app, options
from jaring.errors import JaringError
from jaring.field import actions, odk

TOKEN = "lSpAIeksRu1CNZs7!qjAot2T17dPzkrw9B4iTtpj7OoIJBmXvnHM8z8Ka4QPEjR"
FORM = "jaring_lapangan_9671"


def odata(row: dict[str, str]) -> dict[str, Any]:
    """One submission as ODK Central's OData feed gives it."""
    fields = {k: row[k] for k in export_rows(1)[0] if k[0].islower() and "-" not in k}
    return {
        "__id": row["KEY"],
        "__system": {
            "submissionDate": "2026-12-05T01:00:00.000Z",
            "submitterId": "7",
            "submitterName": "enumerator1",
            "attachmentsPresent": 0,
            "attachmentsExpected": 1,
            "status": None,
            "reviewState": None,
            "deviceId": "collect:abc123",
            "edits": 0,
            "formVersion": "2026120501",
        },
        "meta": {"instanceID": row["KEY"]},
        **fields,
        "penghasilan": int(fields["penghasilan"]),
    }


class Central(BaseHTTPRequestHandler):
    submissions: ClassVar[list[dict[str, Any]]] = []
    asked: ClassVar[list[str]] = []

    def log_message(self, *args: Any) -> None:  # quiet
        pass

    def _json(self, status: int, body: Any) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self) -> None:
        url = urlparse(self.path)
        self.asked.append(url.path)
        if self.headers.get("Authorization") != f"Bearer {TOKEN}":
            self._json(
                401,
                {"code": 401.2, "message": "Could not authenticate with the provided credentials."},
            )
            return
        if url.path == "/v1/users/current":
            self._json(200, {"id": 7, "type": "user", "displayName": "Disnaker", "email": "a@b.id"})
            return
        if url.path == f"/v1/projects/1/forms/{FORM}.svc/Submissions":
            q = parse_qs(url.query)
            skip = int(q.get("$skip", ["0"])[0])
            top = int(q.get("$top", ["1000"])[0])
            rows = self.submissions
            if "$filter" in q:
                assert q["$filter"][0].startswith("__system/submissionDate gt ")
            page = rows[skip : skip + top]
            self._json(
                200,
                {
                    "@odata.context": f"/v1/projects/1/forms/{FORM}.svc/$metadata#Submissions",
                    "value": page,
                },
            )
            return
        self._json(
            404, {"code": 404.1, "message": "Could not find the resource you were looking for."}
        )

    def do_POST(self) -> None:
        self.asked.append(urlparse(self.path).path)
        self._json(401, {"code": 401.2, "message": "no sessions here"})


@pytest.fixture
def central() -> Iterator[str]:
    Central.submissions = [odata(r) for r in export_rows(3)]
    Central.asked = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), Central)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def where(url: str, token: str = TOKEN) -> odk.Central:
    return odk.Central(url=url, project=1, form=FORM, token=token)


def test_pull_then_import_stores_each_submission_once(
    engine: Engine, central: str, tmp_path: Path
) -> None:
    system = Actor.system()
    first = actions.pull(engine, system, where(central), "96.71")
    assert (first.accepted, first.repeated) == (3, 0)
    assert "/v1/users/current" in Central.asked
    again = actions.pull(engine, system, where(central), "96.71")
    assert (again.accepted, again.repeated) == (0, 3)
    export = write_export(tmp_path / "export.csv", export_rows(3))
    imported = actions.sync_many(
        engine, system, odk.read_export(str(export), "96.71"), origin="import"
    )
    assert imported.repeated == 3
    with engine.connect() as c:
        assert c.execute(text("SELECT count(*) FROM field_record")).scalar_one() == 3
        origins = c.execute(text("SELECT DISTINCT origin FROM field_record")).scalars().all()
        assert origins == ["odk"]
        device = c.execute(text("SELECT device FROM field_record LIMIT 1")).scalar_one()
        assert device == "ODK collect:abc123 (enumerator1)"


def test_refusals(engine: Engine, central: str) -> None:
    with pytest.raises(JaringError) as e:
        actions.pull(engine, Actor.system(), where(central, token="wrong"), "96.71")
    assert e.value.code == "odk_refused"
    with pytest.raises(JaringError) as e:
        actions.pull(engine, Actor.system(), where("http://127.0.0.1:9"), "96.71")
    assert e.value.code == "odk_unreachable"
    with pytest.raises(JaringError) as e:
        actions.pull(engine, Actor.system(), where(central, token=""), "96.71")
    assert e.value.code == "odk_url_missing"
    with pytest.raises(JaringError) as e:
        actions.pull(engine, Actor(username="v", role="viewer"), where(central), "96.71")
    assert e.value.code == "forbidden"


def invoke(args: list[str]) -> Result:
    options.reset()
    return CliRunner().invoke(app, args)


def test_the_commands(central: str, tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'j.db'}"
    form = tmp_path / "form.xlsx"
    r = invoke(["field", "xlsform", "--region", "96.71", "--out", str(form), "--db", db])
    assert r.exit_code == 0, r.output
    assert form.exists() and "jaring_lapangan_9671" in r.output
    r = invoke(["field", "xlsform", "--region", "96.71.01", "--out", str(form)])
    assert r.exit_code == 2 and len(r.output.strip().splitlines()) == 1
    assert "--region" in r.output
    args = ["field", "pull", "--url", central, "--project", "1", "--form", FORM,
            "--region", "96.71", "--token", TOKEN, "--db", db, "--json"]  # fmt: skip
    r = invoke(args)
    assert r.exit_code == 0, r.output
    assert json.loads(r.output)["accepted"] == 3
    export = write_export(tmp_path / "export.csv", export_rows(4))
    r = invoke(["field", "import", str(export), "--region", "96.71", "--db", db])
    assert r.exit_code == 0, r.output
    assert "4 rekaman: 1 diterima" in r.output and "3 sudah diterima sebelumnya" in r.output
    r = invoke(["field", "progress", "--since", "2026-12-01", "--db", db, "--json"])
    assert r.exit_code == 0, r.output
    assert json.loads(r.output)["records"] == 4


def test_purge_photos_takes_the_regions_retention(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'j.db'}"
    r = invoke(["field", "purge-photos", "--db", db, "--json"])  # each region's setting
    assert r.exit_code == 0, r.output
    assert json.loads(r.output) == {"erased": 0, "retention": {}}
    r = invoke(["field", "purge-photos", "--keep-days", "-1", "--db", db])
    assert r.exit_code == 2 and len(r.output.strip().splitlines()) == 1
    r = invoke(["field", "purge-photos", "--keep-days", "180", "--db", db, "--json"])
    assert r.exit_code == 0, r.output
    assert json.loads(r.output)["erased"] == 0
