"""How an import is stored (registry.staging), on SQLite (ADBC writer process) and
PostgreSQL (CSV COPY): re-imports by raw values within a source, issues tied to their rows,
and the store seen at once by the caller's own connections."""

import datetime as dt
import json
from pathlib import Path

from sqlalchemy import text

from jaring.registry import service
from jaring.registry.intake import decode_raw

HEAD = "NIK,Nama,Tgl Lahir,L/P\n"
ALI = "9671010101800001,Muhammad Ali,01/01/1980,L\n"
YOKU = "9671015505900004,Mama Yoku,15/05/1990,P\n"
BAD = "12345,Tanpa NIK Benar,,L\n"


def _file(tmp_path: Path, name: str, body: str) -> Path:
    p = tmp_path / name
    p.write_text(HEAD + body, encoding="utf-8")
    return p


def _count(engine, sql: str, **params) -> int:  # type: ignore[no-untyped-def]
    with engine.connect() as c:
        return int(c.execute(text(sql), params).scalar_one())


def test_reimport_is_per_source_and_counts_identical_rows(engine, tmp_path: Path) -> None:
    on = dt.date(2024, 1, 2)
    first = service.import_files(
        engine, [_file(tmp_path, "a.csv", ALI + ALI)], "Pasar", listed_on=on
    )
    assert first["rows"] == 2  # a list that holds the same row twice keeps both
    # a re-export with a third copy and a new row: only those two are new
    second = service.import_files(
        engine, [_file(tmp_path, "b.csv", ALI + ALI + ALI + YOKU)], "Pasar", listed_on=on
    )
    assert (second["rows"], second["duplicates_skipped"]) == (2, 2)
    # the same rows from another source are that source's own rows
    other = service.import_files(engine, [_file(tmp_path, "c.csv", ALI)], "Ojek", listed_on=on)
    assert (other["rows"], other["duplicates_skipped"]) == (1, 0)
    assert _count(engine, "SELECT count(*) FROM registry_row") == 5
    assert (
        _count(
            engine,
            "SELECT count(*) FROM registry_row r JOIN registry_batch b ON b.id = r.batch_id "
            "WHERE b.source = 'Pasar'",
        )
        == 4
    )
    assert {"read", "validate", "store"} <= set(second["seconds"])


def test_rows_and_issues_keep_their_provenance(engine, tmp_path: Path) -> None:
    r = service.import_files(
        engine, [_file(tmp_path, "d.csv", ALI + BAD)], "Pasar", imported_by="ops",
        listed_on=dt.date(2024, 3, 1),
    )  # fmt: skip
    assert (r["accepted"], r["rejected"]) == (1, 1)
    with engine.connect() as c:
        rows = c.execute(
            text(
                "SELECT r.id, r.row_number, r.status, r.sheet, b.listed_on, r.raw, "
                "f.name, f.headers, b.imported_by FROM registry_row r "
                "JOIN registry_file f ON f.id = r.file_id "
                "JOIN registry_batch b ON b.id = r.batch_id ORDER BY r.id"
            )
        ).all()
        issues = c.execute(
            text("SELECT row_id, code, severity FROM registry_issue WHERE severity = 'error'")
        ).all()
    assert [(x.row_number, x.status) for x in rows] == [(2, "accepted"), (3, "rejected")]
    assert {x.name for x in rows} == {"d.csv"}
    assert str(rows[0].listed_on)[:10] == "2024-03-01" and rows[0].imported_by == "ops"
    # raw: the values as typed in file column order, their names once in the file's headers
    keys = json.loads(rows[1].headers)[rows[1].sheet or ""]
    assert isinstance(json.loads(rows[1].raw), list)
    assert decode_raw(rows[1].raw, keys)["NIK"] == "12345"
    assert {i.row_id for i in issues} == {rows[1].id}  # the issue points at its own row
    assert "nik_length" in {i.code for i in issues}


def test_revision_0008_converts_stored_rows_both_ways(engine, tmp_path: Path) -> None:
    """Down to 0007 the rows get back their keyed ``raw`` and their own source, file name and
    date; up again they are arrays named by the file's headers, and a re-import still sees
    them as stored."""
    from alembic import command

    from jaring.store.db import _alembic_config, migrate

    on = dt.date(2024, 1, 2)
    service.import_files(engine, [_file(tmp_path, "a.csv", ALI + BAD)], "Pasar", listed_on=on)
    read = "SELECT id, raw FROM registry_row ORDER BY id"
    with engine.connect() as c:
        before = c.execute(text(read)).all()
    command.downgrade(_alembic_config(engine), "0007")
    with engine.connect() as c:
        old = c.execute(
            text("SELECT raw, source, file_name, listed_on FROM registry_row ORDER BY id")
        ).all()
    assert [json.loads(r.raw) for r in old] == [
        {"NIK": "9671010101800001", "Nama": "Muhammad Ali", "Tgl Lahir": "01/01/1980", "L/P": "L"},
        {"NIK": "12345", "Nama": "Tanpa NIK Benar", "Tgl Lahir": None, "L/P": "L"},
    ]
    assert {(r.source, r.file_name, str(r.listed_on)[:10]) for r in old} == {
        ("Pasar", "a.csv", "2024-01-02")
    }
    migrate(engine)
    with engine.connect() as c:
        assert c.execute(text(read)).all() == before
    again = service.import_files(
        engine, [_file(tmp_path, "b.csv", ALI + BAD + YOKU)], "Pasar", listed_on=on
    )
    assert (again["rows"], again["duplicates_skipped"]) == (1, 2)
