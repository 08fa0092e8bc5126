"""Reading lists as Pemda receive them: delimiters, encodings, title rows, sheets."""

import datetime as dt
from pathlib import Path

import polars as pl
import pytest
import xlsxwriter
from hypothesis import given, settings
from hypothesis import strategies as st

from jaring.errors import JaringError
from jaring.registry.intake import canonical, read_file, validate_rows

HEADER = ["No.", "No. KTP", "Nama Lengkap", "Tgl Lahir", "L/P", "Distrik", "Kelurahan", "No HP"]
ROWS = [
    [
        "1",
        "9271010101800001",
        "H. Muh. Ali",
        "01/01/1980",
        "L",
        "Sorong",
        "Remu Utara",
        "0812-3456-7890",
    ],
    [
        "2",
        "9.27101E+15",
        "Siti Aminah",
        "31 Desember 1980",
        "P",
        "Distrik Sorong Timur",
        "Klawalu",
        "",
    ],
    ["3", "", "Yohanis Kambu", "31/02/1980", "L", "", "", ""],
    [
        "4",
        "9671015505900004",
        "Mama Yoku",
        "15/05/1990",
        "P",
        "Sorong Manoi",
        "Klasabi",
        "812999888",
    ],
    ["5", "9671014505900005", "Martha Kambu", "15/05/1990", "Perempuan", "Atlantis", "Xanadu", ""],
]


def write_csv(path: Path, sep: str, encoding: str, title: bool) -> Path:
    lines = []
    if title:
        lines.append("DAFTAR PEDAGANG PASAR REMU 2024" + sep * (len(HEADER) - 1))
    lines.append(sep.join(HEADER))
    lines += [sep.join(r) for r in ROWS]
    lines.append(sep * (len(HEADER) - 1))  # a blank row Excel leaves behind
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode(encoding))
    return path


@pytest.mark.parametrize("sep", [",", ";", "\t", "|"])
@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252"])
@pytest.mark.parametrize("title", [True, False])
def test_csv_variants(tmp_path: Path, sep: str, encoding: str, title: bool) -> None:
    f = read_file(write_csv(tmp_path / "l.csv", sep, encoding, title))
    (sheet,) = f.sheets
    assert sheet.mapping["No. KTP"] == "nik"
    rows = canonical(sheet)
    assert rows.height == 5
    first = 3 if title else 2
    assert rows["row_number"].to_list() == list(range(first, first + 5))
    assert rows["name"].to_list()[0] == "H. Muh. Ali"


def test_windows_1252_names_survive(tmp_path: Path) -> None:
    p = tmp_path / "l.csv"
    p.write_bytes("Nama;NIK\nJosé Rumbiak;9271010101800001\n".encode("cp1252"))
    assert canonical(read_file(p).sheets[0])["name"].to_list() == ["José Rumbiak"]


def test_validation_of_a_real_looking_list(tmp_path: Path) -> None:
    rows = canonical(read_file(write_csv(tmp_path / "l.csv", ";", "utf-8", True)).sheets[0])
    v = validate_rows(rows, listed_on=dt.date(2024, 6, 1), region="96.71")
    assert v["status"].to_list() == ["accepted", "rejected", "rejected", "accepted", "accepted"]
    first = v.row(0, named=True)
    assert first["name_norm"] == "muhammad ali"
    assert first["district_code"] == "96.71.01" and first["village_code"] == "96.71.01.1001"
    assert first["phone"] == "+6281234567890"
    codes = v.select("row_number", pl.col("issues").list.eval(pl.element().struct.field("code")))
    by_row = dict(codes.iter_rows())
    assert "nik_excel_mangled" in by_row[4]
    assert set(by_row[5]) >= {"nik_missing", "birth_date_invalid"}
    assert set(by_row[7]) >= {"district_unknown", "village_unknown"}
    assert v.row(4, named=True)["district_code"] == "96.71.01"  # from the NIK


def test_birth_date_from_nik_when_typed_date_is_impossible() -> None:
    frame = pl.DataFrame(
        {
            "nik": ["9271010101800001"],
            "name": ["A B"],
            "birth_date": ["31/02/1980"],
            "row_number": [2],
        }
    )
    for c in [
        "birth_place",
        "sex",
        "address",
        "village",
        "district",
        "phone",
        "occupation",
        "income",
        "desil",
    ]:
        frame = frame.with_columns(pl.lit(None, dtype=pl.String).alias(c))
    v = validate_rows(frame, listed_on=dt.date(2024, 1, 1)).row(0, named=True)
    assert v["status"] == "accepted"
    assert v["birth_date"] == dt.date(1980, 1, 1)
    assert [i["code"] for i in v["issues"]] == ["birth_date_invalid_nik_used"]


def _xlsx(path: Path, numeric_nik: bool = False) -> Path:
    wb = xlsxwriter.Workbook(str(path))
    for name in ("Blok A", "Blok B"):
        ws = wb.add_worksheet(name)
        ws.write(0, 0, f"DATA PEDAGANG {name}")
        ws.write_row(2, 0, ["NO", "NIK", "NAMA", "TANGGAL LAHIR", "JENIS KELAMIN"])
        if numeric_nik:
            ws.write_number(3, 1, 9271010101800001)
        else:
            ws.write_string(3, 1, "9271010101800001")
        ws.write_row(3, 2, ["Ali " + name, "01-01-1980", "L"])
        ws.write_datetime(
            4, 3, dt.datetime(1990, 5, 15), wb.add_format({"num_format": "dd/mm/yyyy"})
        )
        ws.write_row(4, 0, [2, "9671015505900004", "Mama Yoku"])
    ws = wb.add_worksheet("Catatan")
    ws.write(0, 0, "catatan bebas tanpa tabel")
    wb.close()
    return path


def test_xlsx_every_sheet_and_dates(tmp_path: Path) -> None:
    f = read_file(_xlsx(tmp_path / "b.xlsx"))
    assert [s.sheet for s in f.sheets] == ["Blok A", "Blok B"]  # the notes sheet has no table
    rows = canonical(f.sheets[1])
    assert rows["row_number"].to_list() == [4, 5]
    v = validate_rows(rows, listed_on=dt.date(2024, 1, 1))
    assert v["birth_date"].to_list() == [dt.date(1980, 1, 1), dt.date(1990, 5, 15)]


def test_xlsx_chosen_sheet(tmp_path: Path) -> None:
    f = read_file(_xlsx(tmp_path / "b.xlsx"), sheet="Blok B")
    assert [s.sheet for s in f.sheets] == ["Blok B"]
    with pytest.raises(JaringError) as e:
        read_file(tmp_path / "b.xlsx", sheet="Blok C")
    assert e.value.code == "sheet_not_found"


def test_xlsx_numeric_nik_cells_are_mangled(tmp_path: Path) -> None:
    f = read_file(_xlsx(tmp_path / "b.xlsx", numeric_nik=True), sheet="Blok A")
    v = validate_rows(canonical(f.sheets[0]), listed_on=dt.date(2024, 1, 1))
    assert v["status"].to_list()[0] == "rejected"


def test_unmapped_file_refused(tmp_path: Path) -> None:
    p = tmp_path / "x.csv"
    p.write_text("Kolom A,Kolom B\n1,2\n")
    with pytest.raises(JaringError) as e:
        read_file(p)
    assert e.value.code == "columns_unmapped"
    assert "Kolom A" in e.value.message("en")


def test_missing_file_and_bad_type(tmp_path: Path) -> None:
    with pytest.raises(JaringError) as e:
        read_file(tmp_path / "nope.csv")
    assert e.value.code == "file_not_found"
    (tmp_path / "a.pdf").write_bytes(b"%PDF")
    with pytest.raises(JaringError) as e:
        read_file(tmp_path / "a.pdf")
    assert e.value.code == "file_type"


@settings(max_examples=80, deadline=None)
@given(
    st.lists(
        st.lists(
            st.one_of(st.just(""), st.text(alphabet=st.sampled_from(list('ab ,"9é')), max_size=4)),
            min_size=1,
            max_size=7,
        ),
        min_size=1,
        max_size=15,
    )
)
def test_ragged_rows_keep_every_cell(rows: list[list[str]]) -> None:
    """Rows shorter or longer than the header (first or later) are read whole: short rows
    padded with empty cells, cells beyond the header kept (named kolom_N), exactly as the
    csv module reads them. Polars used to refuse the file or cut the longer rows."""
    import csv as pycsv
    import io

    from jaring.registry import intake

    buf = io.StringIO()
    w = pycsv.writer(buf, lineterminator="\n")
    w.writerow(["NIK", "Nama", "Tgl Lahir"])
    w.writerows(rows)
    body = buf.getvalue().encode()
    sheet = intake._read_csv(body, "x.csv")
    expected = list(pycsv.reader(io.StringIO(buf.getvalue())))[1:]
    cells = [c for c in sheet.frame.columns if c != "row_number"]
    assert len(cells) == len(sheet.headers) >= 3
    got = {
        r[-1]: [v or "" for v in r[:-1]] for r in sheet.frame.select(*cells, "row_number").rows()
    }
    for i, row in enumerate(expected):
        if not any(v.strip() for v in row):
            assert i + 2 not in got  # a blank row is not a source row
            continue
        padded = (row + [""] * len(cells))[: len(cells)]
        assert got[i + 2] == padded, (i, row)
        assert not any(row[len(cells) :])  # only empty cells lie beyond the columns kept
    # as wide as the header, or as the last cell anyone filled
    filled = [max((j + 1 for j, v in enumerate(r) if v), default=0) for r in expected]
    assert len(cells) == max(3, *filled)


@pytest.mark.parametrize("bom", [b"", b"\xef\xbb\xbf"])
def test_an_unclosed_quote_refuses_the_file_naming_its_line(tmp_path: Path, bom: bytes) -> None:
    """A quoted cell never closed would swallow the rest of the file: the file is refused
    with the line where that cell begins (the title and header lines counted), from its
    bytes and from its path alike, not with the CSV reader's own error."""
    from jaring.registry import intake

    body = bom + b'DAFTAR PEDAGANG\nNIK,Nama\n9271014101800001,Ani\n9271014101800002,"Budi\n'
    path = tmp_path / "kutip.csv"
    path.write_bytes(body)
    for source in (body, path):
        with pytest.raises(JaringError) as e:
            intake._read_csv(source, "kutip.csv")
        assert e.value.code == "csv_unclosed_quote"
        assert e.value.context["row"] == 4
        assert "baris 4" in e.value.message("id") and "line 4" in e.value.message("en")
