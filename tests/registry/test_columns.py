"""Header synonyms map to canonical fields; unmappable files are refused with what was found
and what is needed."""

import pytest

from jaring.errors import JaringError
from jaring.registry.columns import SYNONYMS, field_of, header_score, map_headers

ALL = [(field, syn) for field, syns in SYNONYMS.items() for syn in syns]


@pytest.mark.parametrize(("field", "header"), ALL)
def test_every_synonym_maps(field: str, header: str) -> None:
    assert field_of(header) == field
    assert field_of(header.upper()) == field
    assert field_of(f"  {header.lower()}  ") == field


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("NIK", "nik"),
        ("No. KTP", "nik"),
        ("no_ktp", "nik"),
        ("Nama Lengkap", "name"),
        ("NAMA", "name"),
        ("Tgl Lahir", "birth_date"),
        ("Tanggal Lahir", "birth_date"),
        ("L/P", "sex"),
        ("Jenis Kelamin", "sex"),
        ("Alamat", "address"),
        ("Kelurahan", "village"),
        ("Desa", "village"),
        ("Distrik", "district"),
        ("Kecamatan", "district"),
        ("No HP", "phone"),
        ("Pekerjaan", "occupation"),
        ("Penghasilan", "income"),
        ("Desil", "desil"),
        ("desil_kesejahteraan", "desil"),
    ],
)
def test_issue_headers(header: str, field: str) -> None:
    assert field_of(header) == field


def test_first_column_wins_and_unknown_ignored() -> None:
    m = map_headers(["No", "NIK", "Nama", "No. KTP", "Pangkalan"])
    assert m == {"NIK": "nik", "Nama": "name"}


def test_refusal_lists_found_and_needed() -> None:
    with pytest.raises(JaringError) as e:
        map_headers(["Kolom A", "Alamat"], where="x.csv")
    assert e.value.code == "columns_unmapped"
    assert "Kolom A" in e.value.message("id") and "Alamat" in e.value.message("id")
    assert "NIK" in e.value.message("en") and "name" in e.value.message("en")
    assert e.value.context["found"] == ["Kolom A", "Alamat"]


def test_name_alone_is_not_enough() -> None:
    with pytest.raises(JaringError):
        map_headers(["Nama", "Alamat"])
    assert map_headers(["Nama", "Tgl Lahir"]) == {"Nama": "name", "Tgl Lahir": "birth_date"}


def test_header_score_finds_header_row() -> None:
    assert header_score(["DAFTAR PEDAGANG PASAR REMU", "", ""]) == 0
    assert header_score(["No", "NIK", "Nama", "Tgl Lahir"]) == 3
