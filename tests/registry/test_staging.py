"""How an import is stored (registry.actions.imports: chunks, on SQLite and PostgreSQL alike):
re-imports by the cells as typed within a source, issues tied to their rows, corrections
beside the rows, and stored rows carried through the migrations both ways."""

import datetime as dt
import json
from pathlib import Path

import polars as pl
from sqlalchemy import text

from jaring.access import Actor
from jaring.registry import chunks
from jaring.registry.actions import corrections, imports, linking
from jaring.registry.queries import batches, exports
from jaring.registry.queries import rows as source_rows

SYSTEM = Actor.system()
OPS = Actor(username="ops", role="operator")

HEAD = "NIK,Nama,Tgl Lahir,L/P\n"
ALI = "9671010101800001,Muhammad Ali,01/01/1980,L\n"
YOKU = "9671015505900004,Mama Yoku,15/05/1990,P\n"
BAD = "12345,Tanpa NIK Benar,,L\n"


def _file(tmp_path: Path, name: str, body: str, head: str = HEAD) -> Path:
    p = tmp_path / name
    p.write_text(head + body, encoding="utf-8")
    return p


def _rows(engine, **kw) -> pl.DataFrame:  # type: ignore[no-untyped-def]
    with engine.connect() as c:
        return source_rows.read(c, **kw)


def _issues(engine, **kw) -> pl.DataFrame:  # type: ignore[no-untyped-def]
    with engine.connect() as c:
        return source_rows.issues(c, **kw)


def test_reimport_is_per_source_and_counts_identical_rows(engine, tmp_path: Path) -> None:
    on = dt.date(2024, 1, 2)
    first = imports.import_files(
        engine, SYSTEM, [_file(tmp_path, "a.csv", ALI + ALI)], "Pasar", listed_on=on
    )
    assert first.rows == 2  # a list that holds the same row twice keeps both
    # a re-export with a third copy and a new row: only those two are new
    second = imports.import_files(
        engine, SYSTEM, [_file(tmp_path, "b.csv", ALI + ALI + ALI + YOKU)], "Pasar", listed_on=on
    )
    assert (second.rows, second.duplicates_skipped) == (2, 2)
    # the same rows from another source are that source's own rows
    other = imports.import_files(
        engine, SYSTEM, [_file(tmp_path, "c.csv", ALI)], "Ojek", listed_on=on
    )
    assert (other.rows, other.duplicates_skipped) == (1, 0)
    rows = _rows(engine, columns=("row_number",), provenance=True)
    assert rows.height == 5
    assert rows.filter(pl.col("source") == "Pasar").height == 4
    # b.csv stored its rows 4 and 5 (the third Ali, then Yoku), numbered after a.csv's
    b = rows.filter(pl.col("file_name") == "b.csv")
    assert b.get_column("row_number").to_list() == [4, 5]
    assert b.get_column("id").to_list() == [3, 4]
    assert {"read", "validate", "store"} <= set(vars(second.seconds))


def test_same_cells_under_other_headers_count_as_stored(engine, tmp_path: Path) -> None:
    on = dt.date(2024, 1, 2)
    imports.import_files(engine, SYSTEM, [_file(tmp_path, "a.csv", ALI)], "Pasar", listed_on=on)
    renamed = "No KTP,Nama Lengkap,Tanggal Lahir,Jenis Kelamin\n"
    again = imports.import_files(
        engine, SYSTEM, [_file(tmp_path, "b.csv", ALI + YOKU, head=renamed)], "Pasar", listed_on=on
    )
    assert (again.rows, again.duplicates_skipped) == (1, 1)
    # a wider file holds other cells: its rows are new
    wider = "NIK,Nama,Tgl Lahir,L/P,No HP\n"
    third = imports.import_files(
        engine,
        SYSTEM,
        [_file(tmp_path, "c.csv", ALI.replace("\n", ",\n"), head=wider)],
        "Pasar",
        listed_on=on,
    )
    assert (third.rows, third.duplicates_skipped) == (1, 0)


def test_rows_and_issues_keep_their_provenance(engine, tmp_path: Path) -> None:
    r = imports.import_files(
        engine, OPS, [_file(tmp_path, "d.csv", ALI + BAD)], "Pasar",
        listed_on=dt.date(2024, 3, 1),
    )  # fmt: skip
    assert (r.accepted, r.rejected) == (1, 1)
    rows = _rows(engine, raw=True, provenance=True)
    with engine.connect() as c:
        headers, by = c.execute(
            text(
                "SELECT f.headers, b.imported_by FROM registry_file f "
                "JOIN registry_batch b ON b.id = f.batch_id"
            )
        ).one()
    errors = _issues(engine).filter(pl.col("severity") == "error")
    assert rows.select("row_number", "status").rows() == [(2, "accepted"), (3, "rejected")]
    assert set(rows.get_column("file_name")) == {"d.csv"} and by == "ops"
    assert set(rows.get_column("listed_on")) == {dt.date(2024, 3, 1)}
    # the cells as typed in file column order, their names once in the file's headers
    keys = json.loads(headers)[""]
    assert keys == ["NIK", "Nama", "Tgl Lahir", "L/P"]
    assert rows.get_column("raw").to_list() == [
        ["9671010101800001", "Muhammad Ali", "01/01/1980", "L"],
        ["12345", "Tanpa NIK Benar", None, "L"],
    ]
    bad_id = rows.get_column("id")[1]
    assert set(errors.get_column("row_id")) == {bad_id}  # the issue points at its own row
    assert "nik_length" in set(errors.get_column("code"))


def test_rows_are_read_by_id_across_chunks(engine, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Chunks hold consecutive rows of one file and sheet; a read by id finds its rows in
    whichever chunks hold them, and only those (ids that hold no row are left out)."""
    monkeypatch.setattr(chunks, "CHUNK_ROWS", 3)
    body = "".join(f"96710101018000{i:02d},Orang {i},01/01/1980,L\n" for i in range(1, 9))
    imports.import_files(engine, SYSTEM, [_file(tmp_path, "e.csv", body)], "Pasar")
    imports.import_files(engine, SYSTEM, [_file(tmp_path, "f.csv", ALI + BAD)], "Ojek")
    with engine.connect() as c:
        index = source_rows.chunk_index(c)
        picked = source_rows.read(c, ids=[8, 1, 4, 9, 10, 99], columns=("row_number", "name"))
        assert source_rows.batch_of_row(c, 10) == 2 and source_rows.batch_of_row(c, 11) is None
    assert index.select("first_row", "rows").rows() == [(1, 3), (4, 3), (7, 2), (9, 2)]
    assert picked.select("id", "row_number", "name").rows() == [
        (1, 2, "Orang 1"),
        (4, 5, "Orang 4"),
        (8, 9, "Orang 8"),
        (9, 2, "Muhammad Ali"),
        (10, 3, "Tanpa NIK Benar"),
    ]
    assert _issues(engine, ids=[10]).get_column("row_id").unique().to_list() == [10]


def test_concurrent_import_of_the_same_file_stores_it_once(engine, tmp_path: Path) -> None:
    """Two imports read the same file before either stored it: the second to write finds
    the file stored (inside its own write transaction) and skips it."""
    from jaring.registry import intake

    path = _file(tmp_path, "g.csv", ALI + YOKU)
    files = [intake.read_file(path)]
    parts, staged = imports.stage(files)
    checked, issues = intake.validate_long(staged, listed_on=dt.date(2024, 1, 1))
    cells = [c for c in staged.columns if chunks.is_cell(c)]
    rows = pl.concat(
        [staged.select("_part", "row_number", *cells), checked.drop("row_number")],
        how="horizontal",
    )
    batch = imports.Staged(
        "Pasar", dt.date(2024, 1, 1), [imports.FileInfo.of(f) for f in files], 0,
        parts, rows, issues,
    )  # fmt: skip
    first = imports.store(engine, SYSTEM, batch)
    second = imports.store(engine, SYSTEM, batch)
    assert (first.rows, first.files) == (2, 1)
    assert (second.rows, second.files, second.files_skipped) == (0, 0, 1)
    assert _rows(engine, columns=()).height == 2


def test_revision_0010_converts_stored_rows_both_ways(engine, tmp_path: Path) -> None:
    """Down to 0009 the chunks become one SQL row per source row again (corrections applied,
    the issues now), and up again the same rows, values, issues, corrections and links
    come back, and a re-import still sees the rows as stored."""
    from alembic import command

    from jaring.store.db import _alembic_config, migrate

    on = dt.date(2024, 1, 2)
    # the corrected row comes after a hundred others: types are read from every row
    many = "".join(f"9671010101{i:06d},Orang {i},01/01/1980,L\n" for i in range(1, 121))
    r = imports.import_files(
        engine, SYSTEM, [_file(tmp_path, "a.csv", ALI + many + BAD + YOKU)], "Pasar", listed_on=on
    )
    bad = batches.errors_frame(engine, SYSTEM, r.batch).filter(pl.col("code") == "nik_length")[
        "row_id"
    ][0]
    corrections.correct_row(engine, OPS, bad, {"nik": "9671010303800003"})
    linking.dedupe(engine, SYSTEM)

    def snapshot() -> tuple:  # type: ignore[type-arg]
        rows = _rows(engine, raw=True, provenance=True).sort("id")
        issues = _issues(engine).sort("row_id", "code")
        with engine.connect() as c:
            fixes = c.execute(
                text("SELECT row_id, corrected, corrected_by, status, nik FROM registry_correction")
            ).all()
            links = c.execute(text("SELECT row_id, person_id FROM registry_link ORDER BY 1")).all()
        return rows.to_dicts(), issues.to_dicts(), [tuple(f) for f in fixes], links

    before = snapshot()
    command.downgrade(_alembic_config(engine), "0009")
    with engine.connect() as c:
        old = c.execute(
            text("SELECT id, raw, status, nik, corrected FROM registry_row ORDER BY id")
        ).all()
        old_issues = c.execute(text("SELECT row_id, code FROM registry_issue")).all()
    assert len(old) == 123
    assert [json.loads(x.raw) for x in (old[0], old[-2], old[-1])] == [
        ["9671010101800001", "Muhammad Ali", "01/01/1980", "L"],
        ["12345", "Tanpa NIK Benar", None, "L"],
        ["9671015505900004", "Mama Yoku", "15/05/1990", "P"],
    ]
    assert (old[-2].id, old[-2].status, old[-2].nik) == (bad, "accepted", "9671010303800003")
    assert json.loads(old[-2].corrected) == {"nik": "9671010303800003"}
    assert bad not in {i.row_id for i in old_issues if i.code == "nik_length"}
    migrate(engine)
    assert snapshot() == before
    again = imports.import_files(
        engine, SYSTEM, [_file(tmp_path, "b.csv", ALI + BAD + YOKU + YOKU)], "Pasar", listed_on=on
    )
    assert (again.rows, again.duplicates_skipped) == (1, 3)  # the second Yoku is new


def test_revision_0008_converts_stored_rows_both_ways(engine, tmp_path: Path) -> None:
    """Down to 0007 the rows get back their keyed ``raw`` and their own source, file name and
    date; up again they are the same cells, named by the file's headers."""
    from alembic import command

    from jaring.store.db import _alembic_config, migrate

    on = dt.date(2024, 1, 2)
    imports.import_files(
        engine, SYSTEM, [_file(tmp_path, "a.csv", ALI + BAD)], "Pasar", listed_on=on
    )
    before = _rows(engine, raw=True).to_dicts()
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
    assert _rows(engine, raw=True).to_dicts() == before
    again = imports.import_files(
        engine, SYSTEM, [_file(tmp_path, "b.csv", ALI + BAD + YOKU)], "Pasar", listed_on=on
    )
    assert (again.rows, again.duplicates_skipped) == (1, 2)


def test_cells_beyond_the_header_are_stored(engine, tmp_path: Path) -> None:
    """A first row longer than the header, and a short one after it: imported whole, the
    extra cells stored under kolom_N."""
    path = _file(
        tmp_path, "wide.csv", ALI.replace("\n", ",catatan,lain\n") + "9671015505900004,Mama Yoku\n"
    )
    r = imports.import_files(engine, SYSTEM, [path], "Pasar", listed_on=dt.date(2024, 1, 2))
    assert (r.rows, r.accepted) == (2, 2)
    raw = exports.source_rows_frame(engine, SYSTEM).get_column("raw").to_list()
    assert json.loads(raw[0]) == {
        "NIK": "9671010101800001", "Nama": "Muhammad Ali", "Tgl Lahir": "01/01/1980",
        "L/P": "L", "kolom_5": "catatan", "kolom_6": "lain",
    }  # fmt: skip
    assert json.loads(raw[1])["Nama"] == "Mama Yoku" and json.loads(raw[1])["kolom_6"] is None


def test_a_batch_with_more_issues_than_bound_parameters(engine, tmp_path: Path) -> None:
    """70,000 rejected rows, one corrected: the errors of the batch are read whole (the
    corrections were looked up by row id, past PostgreSQL's 65,535 parameters)."""
    body = "".join(f"{i},Orang {i},01/01/1980,L\n" for i in range(70_000))
    r = imports.import_files(engine, SYSTEM, [_file(tmp_path, "bad.csv", body)], "Pasar")
    assert r.rejected == 70_000
    first = _rows(engine, columns=()).get_column("id")[0]
    corrections.correct_row(engine, OPS, first, {"nik": "9671010101800001"})
    errors = batches.errors_frame(engine, SYSTEM, r.batch, all_issues=False)
    assert errors.height == 69_999 and first not in set(errors.get_column("row_id"))
    assert _rows(engine, columns=("status",)).get_column("status").value_counts().height == 2
