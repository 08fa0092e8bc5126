"""Registry actions on the store, on SQLite and PostgreSQL."""

import datetime as dt
import json
from pathlib import Path

import polars as pl
import pytest
from sqlalchemy import text

from jaring.access import Actor
from jaring.demo.synth import pair_quality, write_lists
from jaring.errors import JaringError
from jaring.registry.actions import corrections, decisions, imports, linking
from jaring.registry.actions import exports as people_files
from jaring.registry.queries import batches, exports, people, review
from jaring.registry.queries import rows as source_rows

SYSTEM = Actor.system()
OPS = Actor(username="ops", role="operator")

CSV = (
    "DAFTAR PEDAGANG PASAR REMU 2024;;;;;\n"
    "No.;No. KTP;Nama Lengkap;Tgl Lahir;L/P;Distrik;Kelurahan;No HP\n"
    "1;9271010101800001;H. Muh. Ali;01/01/1980;L;Sorong;Remu Utara;0812-3456-7890\n"
    "2;9.27101E+15;Siti Aminah;31 Desember 1980;P;Sorong Timur;Klawalu;\n"
    "3;9671015505900004;Mama Yoku;15/05/1990;P;Sorong Manoi;Klasabi;812999888\n"
    "4;9671015505900004;Mama Yoku;15/05/1990;P;Sorong Manoi;Klasabi;812999888\n"
)
OJEK = (
    "Nama,NIK,Tanggal Lahir,Jenis Kelamin,No. HP\n"
    "Muhammad Ali,9671010101800001,1 Januari 1980,L,+62 812 3456 7890\n"
    "Yohanis Kambu,,3 Maret 1975,L,\n"
)


def counts(engine) -> dict[str, int]:  # type: ignore[no-untyped-def]
    tables = [
        "registry_batch",
        "registry_file",
        "registry_chunk",
        "registry_correction",
        "registry_link",
        "person",
        "registry_pair",
    ]
    with engine.connect() as c:
        out = {t: c.execute(text(f"SELECT count(*) FROM {t}")).scalar_one() for t in tables}
        out["source_rows"] = source_rows.read(c, columns=()).height
        out["issues"] = source_rows.issues(c).height
    return out


@pytest.fixture
def remu(tmp_path: Path) -> Path:
    p = tmp_path / "remu.csv"
    p.write_text(CSV, encoding="utf-8")
    return p


def test_import_counts_and_reimport_changes_nothing(engine, remu: Path, tmp_path: Path) -> None:
    r = imports.import_files(engine, OPS, [remu], "Pasar Remu", listed_on=dt.date(2024, 1, 2))
    assert (r.rows, r.accepted, r.rejected) == (4, 3, 1)
    assert r.batch == 1 and r.warnings >= 0
    before = counts(engine)
    again = imports.import_files(engine, SYSTEM, [remu], "Pasar Remu")
    assert again.batch is None and again.files_skipped == 1
    # the same rows in a re-exported file (new bytes, two rows more) add only the new rows
    copy = tmp_path / "remu_v2.csv"
    copy.write_text(
        CSV + "5;9671010202800007;Petrus Mayor;02/02/1980;L;Sorong;Remu;\n", encoding="utf-8"
    )
    third = imports.import_files(engine, SYSTEM, [copy], "Pasar Remu")
    assert third.rows == 1 and third.duplicates_skipped == 4
    after = counts(engine)
    assert after["source_rows"] == before["source_rows"] + 1
    assert after["issues"] == before["issues"]  # the new row is clean
    with engine.connect() as c:
        b = c.execute(
            text("SELECT source, imported_by, rows FROM registry_batch WHERE id = 1")
        ).one()
    assert tuple(b) == ("Pasar Remu", "ops", 4)


def test_errors_frame_and_messages(engine, remu: Path) -> None:
    r = imports.import_files(engine, SYSTEM, [remu], "Pasar Remu")
    errs = batches.errors_frame(engine, SYSTEM, r.batch)
    assert {"file", "sheet", "row", "field", "code", "message"} <= set(errs.columns)
    mangled = errs.filter(pl.col("code") == "nik_excel_mangled").row(0, named=True)
    assert mangled["file"] == "remu.csv" and mangled["row"] == 4 and mangled["field"] == "nik"
    assert "9.27101E+15" in mangled["message"] and "Excel" in mangled["message"]
    en = batches.errors_frame(engine, SYSTEM, r.batch, lang="en")
    assert "scientific notation" in en.filter(pl.col("code") == "nik_excel_mangled")["message"][0]
    with pytest.raises(JaringError) as e:
        batches.errors_frame(engine, SYSTEM, 99)
    assert e.value.code == "batch_not_found"


def test_correct_row_accepts_it(engine, remu: Path) -> None:
    r = imports.import_files(engine, SYSTEM, [remu], "Pasar Remu")
    row_id = batches.errors_frame(engine, SYSTEM, r.batch).filter(
        pl.col("code") == "nik_excel_mangled"
    )["row_id"][0]
    still = corrections.correct_row(engine, OPS, row_id, {"name": "Siti A."})
    assert still.status == "rejected"  # the mangled NIK is not forgotten
    bad = corrections.correct_row(engine, OPS, row_id, {"nik": "12"})
    assert bad.status == "rejected"
    ok = corrections.correct_row(engine, OPS, row_id, {"nik": "9271014112800002"})
    assert ok.status == "accepted"
    with engine.connect() as c:
        row = source_rows.read(c, ids=[row_id], columns=("nik", "status"), raw=True).row(
            0, named=True
        )
        headers = c.execute(text("SELECT headers FROM registry_file")).scalar_one()
        fix = c.execute(
            text("SELECT corrected, corrected_by FROM registry_correction WHERE row_id = :i"),
            {"i": row_id},
        ).one()
        now = source_rows.issues(c, ids=[row_id])
    keys = json.loads(headers)[row["sheet"] or ""]
    assert row["raw"][keys.index("No. KTP")] == "9.27101E+15"  # kept as typed
    assert json.loads(fix.corrected) == {"name": "Siti A.", "nik": "9271014112800002"}
    assert (fix.corrected_by, row["nik"], row["status"]) == ("ops", "9271014112800002", "accepted")
    assert "nik_excel_mangled" not in now.get_column("code").to_list()  # issues now: the fix's
    with pytest.raises(JaringError):
        corrections.correct_row(engine, SYSTEM, row_id, {"colour": "red"})


def test_dedupe_incremental_review_links(engine, remu: Path, tmp_path: Path) -> None:
    imports.import_files(engine, SYSTEM, [remu], "Pasar Remu", listed_on=dt.date(2023, 1, 16))
    d = linking.dedupe(engine, SYSTEM)
    assert d.records == 3 and d.people == 2  # the twice-typed Mama Yoku is one person
    ojek = tmp_path / "ojek.csv"
    ojek.write_text(OJEK, encoding="utf-8-sig")
    imports.import_files(engine, SYSTEM, [ojek], "Pangkalan Ojek", listed_on=dt.date(2024, 3, 1))
    d2 = linking.dedupe(engine, SYSTEM)
    # Muhammad Ali (old 9271 / new 9671 code) joins his existing person; Yohanis is new
    assert d2.records == 5 and d2.people == 3 and d2.new_people == 1
    ali = people.find_people(engine, SYSTEM, "muh ali")
    assert len(ali) == 1 and ali[0].registered_on == dt.date(2023, 1, 16)
    assert ali[0].district_code == "96.71.01"
    again = linking.dedupe(engine, SYSTEM)
    assert again.new_records == 0 and again.people == 3
    lk = exports.links(engine, SYSTEM)
    assert lk.height == 6  # every source row, rejected ones without a person
    assert lk.filter(pl.col("status") == "rejected")["person_id"].to_list() == [None]
    assert set(lk.columns) >= {"file", "sheet", "row", "person_id"}
    assert people.find_people(engine, SYSTEM, "9671015505")[0].name == "Mama Yoku"
    assert people.find_people(engine, SYSTEM, "mama", region_prefix="96.71.06")
    assert not people.find_people(engine, SYSTEM, "mama", region_prefix="96.71.01")


def test_export_formats(engine, remu: Path, tmp_path: Path) -> None:
    imports.import_files(engine, SYSTEM, [remu], "Pasar Remu")
    linking.dedupe(engine, SYSTEM)
    for fmt in ("csv", "xlsx", "parquet"):
        out = people_files.export_people(engine, SYSTEM, fmt, tmp_path / f"people.{fmt}")
        assert out.rows == 2 and Path(out.path).stat().st_size > 0
    back = pl.read_parquet(tmp_path / "people.parquet")
    assert set(back["nik"].to_list()) == {"9271010101800001", "9671015505900004"}
    with pytest.raises(JaringError):
        people_files.export_people(engine, SYSTEM, "pdf", tmp_path / "x.pdf")


def test_review_decisions_are_remembered(engine, tmp_path: Path) -> None:
    lists = write_lists(tmp_path / "lists", 400, seed=7)
    for source, paths in lists.files.items():
        imports.import_files(engine, SYSTEM, paths, source, listed_on=lists.listed_on[source])
    # a strict match threshold fills the review queue
    from jaring.registry.dedupe import Thresholds

    d = linking.dedupe(engine, SYSTEM, thresholds=Thresholds(match=0.999999999, review=0.5))
    queue = review.review_list(engine, SYSTEM, limit=1000)
    assert d.review == len(queue) > 1
    item = queue[0]
    assert item.explain["name_norm"]["level"] and "weight" in item.explain["name_norm"]
    acc = decisions.review_decide(engine, OPS, item.pair, True, reason="same KTP photo")
    assert acc.status == "accepted"
    rej = decisions.review_decide(engine, OPS, queue[1].pair, False)
    assert rej.status == "rejected"
    with pytest.raises(JaringError) as e:
        decisions.review_decide(engine, SYSTEM, item.pair, False)
    assert e.value.code == "pair_decided"
    left = item.left.row
    right = item.right.row
    lk = exports.links(engine, SYSTEM).filter(pl.col("row_id").is_in([left, right]))
    assert lk["person_id"].n_unique() == 1
    remaining = {p.pair for p in review.review_list(engine, SYSTEM)}
    assert item.pair not in remaining and queue[1].pair not in remaining
    assert len(review.review_list(engine, SYSTEM, status="accepted")) == 1


def test_demo_round_trip_quality(engine, tmp_path: Path) -> None:
    """Synthetic Kota Sorong with the truth kept aside: precision and recall >= 0.97."""
    lists = write_lists(tmp_path / "lists", 2500, seed=2024)
    for source, paths in lists.files.items():
        imports.import_files(engine, SYSTEM, paths, source, listed_on=lists.listed_on[source])
    linking.dedupe(engine, SYSTEM)
    q = pair_quality(exports.links(engine, SYSTEM), lists.truth)
    assert q["precision"] >= 0.97 and q["recall"] >= 0.97, q
    with engine.connect() as c:
        people = c.execute(text("SELECT count(*) FROM person")).scalar_one()
        bad = c.execute(
            text(
                "SELECT count(*) FROM person WHERE district_code IS NOT NULL AND district_code NOT LIKE '96.71.%'"
            )
        ).scalar_one()
    truth_people = lists.truth["person_key"].n_unique()
    assert abs(people - truth_people) / truth_people < 0.03
    assert bad == 0  # old 92.71 codes are mapped to 96.71


def test_split_row_undoes_a_merge_and_is_remembered(engine, remu: Path, tmp_path: Path) -> None:
    imports.import_files(engine, SYSTEM, [remu], "Pasar Remu", listed_on=dt.date(2023, 1, 16))
    linking.dedupe(engine, SYSTEM)
    lk = exports.links(engine, SYSTEM)
    yoku = lk.filter(pl.col("row").is_in([5, 6])).sort("row")  # the twice-typed Mama Yoku
    assert yoku["person_id"].n_unique() == 1
    former, second = yoku["person_id"][0], yoku["row_id"][1]
    out = decisions.split_row(engine, OPS, second, reason="two sisters, one KTP")
    assert out.from_person == former and out.person not in (None, former)
    assert counts(engine)["person"] == 3
    after = exports.links(engine, SYSTEM).filter(pl.col("row_id") == second)
    assert after["person_id"].to_list() == [out.person] and after["method"].to_list() == ["split"]
    with engine.connect() as c:
        split = c.execute(
            text("SELECT row_id, from_person, to_person, decided_by, reason FROM registry_split")
        ).one()
        new_person = c.execute(
            text("SELECT nik, name FROM person WHERE id = :p"), {"p": out.person}
        ).one()
    assert tuple(split) == (second, former, out.person, "ops", "two sisters, one KTP")
    assert tuple(new_person) == ("9671015505900004", "Mama Yoku")
    # the row is alone now; a rejected (unlinked) row cannot be split
    with pytest.raises(JaringError) as e:
        decisions.split_row(engine, SYSTEM, second, reason=None)
    assert e.value.code == "split_single_row"
    rejected_row = exports.links(engine, SYSTEM).filter(pl.col("status") == "rejected")["row_id"][0]
    with pytest.raises(JaringError) as e:
        decisions.split_row(engine, SYSTEM, rejected_row, reason=None)
    assert e.value.code == "row_not_linked"
    # a later run does not join them again, even with a new row like both
    again = tmp_path / "again.csv"
    again.write_text(
        CSV.splitlines()[0] + "\n" + CSV.splitlines()[1] + "\n" + CSV.splitlines()[4] + "\n",
        encoding="utf-8",
    )
    imports.import_files(engine, SYSTEM, [again], "Pasar Remu 2", listed_on=dt.date(2024, 1, 16))
    d = linking.dedupe(engine, SYSTEM)
    assert d.new_records == 1 and d.people == 3
    owners = exports.links(engine, SYSTEM).filter(pl.col("row_id") == second)["person_id"].to_list()
    assert owners == [out.person]


def test_split_row_rejects_the_pairs_it_undoes(engine, tmp_path: Path) -> None:
    lists = write_lists(tmp_path / "lists", 400, seed=7)
    for source, paths in lists.files.items():
        imports.import_files(engine, SYSTEM, paths, source, listed_on=lists.listed_on[source])
    from jaring.registry.dedupe import Thresholds

    linking.dedupe(engine, SYSTEM, thresholds=Thresholds(match=0.999999999, review=0.5))
    item = review.review_list(engine, SYSTEM)[0]
    decisions.review_decide(engine, OPS, item.pair, True)
    right = item.right.row
    out = decisions.split_row(engine, OPS, right, reason="not the same")
    assert out.pairs_rejected >= 1
    assert item.pair not in {p.pair for p in review.review_list(engine, SYSTEM, status="accepted")}
    decided = {p.pair: p for p in review.review_list(engine, SYSTEM, status="rejected", limit=1000)}
    assert decided[item.pair].reason == "not the same"
    lk = exports.links(engine, SYSTEM).filter(pl.col("row_id").is_in([item.left.row, right]))
    assert lk["person_id"].n_unique() == 2


def test_list_regency_is_inferred_from_valid_niks(tmp_path: Path) -> None:
    """Without --region a row with no NIK is placed by the regency most valid NIKs of the
    list belong to (old codes count for the current regency: 9271 -> 96.71)."""
    from jaring.registry import intake

    codes = pl.Series("nik_district_code", ["96.71.01", "96.71.06", "91.71.01", "91.71.02", None])
    assert intake.infer_regency(codes) == "91.71"  # 2 against 2: the lowest code
    assert intake.infer_regency(codes.head(3)) == "96.71"
    assert intake.infer_regency(codes.tail(1)) is None
    from jaring.registry.columns import FIELDS

    given = {
        "nik": ["9271010101800001", "9271064101900002", None],
        "name": ["Ali", "Yoku", "Tanpa NIK"],
        "birth_date": ["01/01/1980", "01/01/1990", "02/02/1985"],
        "district": [None, None, "Sorong Timur"],
    }
    staged = pl.DataFrame(
        {f: given.get(f, [None] * 3) for f in FIELDS}, schema=dict.fromkeys(FIELDS, pl.String)
    ).with_columns(row_number=pl.Series([2, 3, 4], dtype=pl.Int32))
    on = dt.date(2024, 1, 2)
    plain, _ = intake.validate_long(staged, listed_on=on)
    inferred, _ = intake.validate_long(staged, listed_on=on, infer_region=True)
    assert plain.get_column("district_code").to_list()[2] is None
    assert inferred.get_column("district_code").to_list() == ["96.71.01", "96.71.06", "96.71.02"]
