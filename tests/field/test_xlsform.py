"""The XLSForm for ODK Collect / KoboToolbox: it converts with pyxform, and an export of its
submissions imports with every field mapped, as a list (``jaring registry import``) and as
field records (``jaring field import``, by instanceID: never twice)."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import openpyxl
import pytest
from pyxform import xls2xform
from sqlalchemy import Engine, text
from tests.field.helpers import nik

from jaring.access import Actor
from jaring.errors import JaringError
from jaring.field import actions, odk, xlsform
from jaring.registry import columns
from jaring.registry.actions import imports

ODK_HEADERS = [
    "SubmissionDate", "start", "end", "deviceid", "username", "nik", "nama", "tanggal_lahir",
    "jenis_kelamin", "alamat", "distrik", "kelurahan", "no_hp", "pekerjaan", "pasar",
    "penghasilan", "foto_ktp", "tujuan", "persetujuan", "nama_persetuju", "versi_persetujuan",
    "meta-instanceID", "KEY", "SubmitterID", "SubmitterName", "AttachmentsPresent",
    "AttachmentsExpected", "Status", "ReviewState", "DeviceID", "Edits", "FormVersion",
]  # fmt: skip


def export_rows(n: int) -> list[dict[str, str]]:
    """An ODK Central CSV export of ``n`` submissions of the form."""
    rows = []
    for i in range(1, n + 1):
        iid = f"uuid:0000000{i}-aaaa-4bbb-8ccc-00000000000{i}"
        rows.append(
            {
                "SubmissionDate": "2026-12-05T01:00:00.000Z",
                "start": "2026-12-05T09:00:00.000+09:00",
                "end": "2026-12-05T09:05:00.000+09:00",
                "deviceid": "collect:abc123",
                "username": "enumerator1",
                "nik": nik(i),
                "nama": f"Pedagang ODK {i}",
                "tanggal_lahir": "1985-03-12",
                "jenis_kelamin": "L",
                "alamat": "Jl. Pasar Remu",
                "distrik": "sorong_timur",
                "kelurahan": "klawalu",
                "no_hp": "081234567890",
                "pekerjaan": "ojek",
                "pasar": "Pangkalan Ojek Remu",
                "penghasilan": "1500000",
                "foto_ktp": "",
                "tujuan": "",
                "persetujuan": "ya",
                "nama_persetuju": f"Pedagang ODK {i}",
                "versi_persetujuan": "2026-12",
                "meta-instanceID": iid,
                "KEY": iid,
                "SubmitterID": "7",
                "SubmitterName": "enumerator1",
                "AttachmentsPresent": "0",
                "AttachmentsExpected": "1",
                "Status": "",
                "ReviewState": "",
                "DeviceID": "collect:abc123",
                "Edits": "0",
                "FormVersion": "2026120501",
            }
        )
    return rows


def write_export(path: Path, rows: list[dict[str, str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=ODK_HEADERS)
        w.writeheader()
        w.writerows(rows)
    return path


def test_the_xlsform_converts_with_pyxform(tmp_path: Path) -> None:
    path = xlsform.write("96.71", tmp_path / "form.xlsx")
    out = xls2xform.convert(xlsform=str(path), validate=False)
    xml = out.xform
    assert "jaring_lapangan_9671" in xml
    assert out.warnings == [], out.warnings
    for name in ("nik", "nama", "tanggal_lahir", "jenis_kelamin", "distrik", "kelurahan",
                 "persetujuan", "nama_persetuju", "foto_ktp"):  # fmt: skip
        assert f"/{name}" in xml
    assert "regex(., '^[0-9]{16}$')" in xml.replace("&apos;", "'")
    book = openpyxl.load_workbook(path)
    choices = list(book["choices"].iter_rows(values_only=True))
    districts = [r for r in choices if r[0] == "distrik"]
    villages = [r for r in choices if r[0] == "kelurahan"]
    assert len(districts) == 10  # Kota Sorong's distrik
    assert ("distrik", "sorong_timur", "Sorong Timur", "Sorong Timur", None) in districts
    assert all(v[4] in {d[1] for d in districts} for v in villages)


def test_a_region_that_is_not_a_regency_is_refused(tmp_path: Path) -> None:
    with pytest.raises(JaringError) as e:
        xlsform.write("99.99", tmp_path / "x.xlsx")
    assert e.value.code == "field_region_unknown"
    with pytest.raises(JaringError) as e:
        xlsform.write("96.71.01", tmp_path / "x.xlsx")
    assert e.value.code == "field_region_level"


def test_an_odk_export_imports_as_a_list_with_every_field_mapped(
    engine: Engine, tmp_path: Path
) -> None:
    mapping = columns.map_headers(ODK_HEADERS)
    assert set(mapping.values()) == {
        "nik", "name", "birth_date", "sex", "address", "village", "district", "phone",
        "occupation", "income",
    }  # fmt: skip
    path = write_export(tmp_path / "jaring_lapangan_9671.csv", export_rows(3))
    out = imports.import_files(
        engine, Actor.system(), [path], "ODK Pasar Remu", listed_on=dt.date(2026, 12, 5),
        region="96.71",
    )  # fmt: skip
    assert (out.rows, out.accepted, out.rejected) == (3, 3, 0)
    with engine.connect() as c:
        issues = c.execute(text("SELECT count(*) FROM registry_chunk WHERE issues IS NOT NULL"))
        assert issues.scalar_one() == 0  # every place resolved, nothing flagged


def test_an_odk_export_imports_as_field_records_once(engine: Engine, tmp_path: Path) -> None:
    path = write_export(tmp_path / "export.csv", export_rows(4))
    records = odk.read_export(str(path), "96.71")
    assert [r.district_code for r in records] == ["96.71.02"] * 4
    assert [r.village_code for r in records] == ["96.71.02.1001"] * 4
    assert (
        records[0].instance_id
        == records[0].client_id
        == "uuid:00000001-aaaa-4bbb-8ccc-000000000001"
    )
    first = actions.sync_many(engine, Actor.system(), records, origin="import")
    assert first.accepted == 4
    again = actions.sync_many(
        engine, Actor.system(), odk.read_export(str(path), "96.71"), origin="import"
    )
    assert again.repeated == 4 and again.accepted == 0
    with engine.connect() as c:
        assert c.execute(text("SELECT count(*) FROM field_record")).scalar_one() == 4


def test_kobo_ids_without_the_uuid_prefix() -> None:
    assert odk.instance_id({"_uuid": "abc-1"}) == "uuid:abc-1"
    assert odk.instance_id({"meta/instanceID": "uuid:abc-1"}) == "uuid:abc-1"
    assert odk.instance_id({"KEY": "uuid:abc-1/grp[1]"}) == "uuid:abc-1"
    assert odk.instance_id({"nama": "x"}) is None


def test_every_place_s_choice_name_is_found_again_by_the_registry() -> None:
    """Across Indonesia: the registry's place look-up reads a choice name back as the place's
    own name (``kampung_baru`` would not be: the look-up drops the ``Kampung`` prefix)."""
    import polars as pl

    from jaring.registry.normalise import normalise_place
    from jaring.registry.regions import regions

    places = regions().filter(pl.col("level").is_in([3, 4]))
    names = places.get_column("nama").to_list()
    checked = pl.DataFrame({"name": names, "slug": xlsform.slugs(names)}).select(
        own=normalise_place(pl.col("name")), back=normalise_place(pl.col("slug"))
    )
    assert checked.height > 90_000
    assert checked.filter(pl.col("own") != pl.col("back")).height == 0
    districts, villages = xlsform.choice_names("96.71")
    assert villages["96.71.07.1001"] == "baru"  # Kampung Baru, Distrik Sorong Kota
    assert len(set(districts.values()) | set(villages.values())) == len(districts) + len(villages)


def test_a_kobo_xlsx_export_imports_as_field_records(engine: Engine, tmp_path: Path) -> None:
    """KoboToolbox's XLSX export: ``_uuid`` without the prefix, ``meta/instanceID`` with it."""
    import polars as pl

    rows = export_rows(2)
    kobo = [
        {
            **{k: v for k, v in r.items() if k[0].islower() and "-" not in k},
            "meta/instanceID": r["KEY"],
            "_uuid": r["KEY"].removeprefix("uuid:"),
            "_id": str(i),
        }
        for i, r in enumerate(rows)
    ]
    path = tmp_path / "kobo.xlsx"
    pl.DataFrame(kobo).write_excel(path)
    records = odk.read_export(str(path), "96.71")
    assert [r.client_id for r in records] == [r["KEY"] for r in rows]
    assert records[0].nik == nik(1) and records[0].income == "1500000"
    out = actions.sync_many(engine, Actor.system(), records, origin="import")
    assert out.accepted == 2
    csv_too = odk.read_export(str(write_export(tmp_path / "odk.csv", rows)), "96.71")
    assert actions.sync_many(engine, Actor.system(), csv_too, origin="import").repeated == 2
