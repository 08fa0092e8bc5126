"""Hostile and careless files: workbooks that would exhaust memory, damaged or disguised
files, UTF-16 and mixed encodings, NUL bytes; and CSV written without formulas."""

from __future__ import annotations

import datetime as dt
import io
import re
import struct
import zipfile
from pathlib import Path

import polars as pl
import pytest
import xlsxwriter
from typer.testing import CliRunner

from jaring.cli import app, options
from jaring.errors import JaringError
from jaring.programs import bpjs_files
from jaring.registry import files, intake

HEADER = ["Nama", "NIK", "Tgl Lahir"]
ROW = ["Yohana Kambuaya", "9671011203850001", "12/03/1985"]


def workbook(path: Path, far: tuple[int, int] | None = None) -> Path:
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("Data")
    ws.write_row(0, 0, HEADER)
    ws.write_row(1, 0, ROW)
    if far is not None:
        ws.write_string(far[0], far[1], "x")
    wb.close()
    return path


def refused(path: Path, code: str) -> JaringError:
    with pytest.raises(JaringError) as e:
        intake.read_file(path)
    assert e.value.code == code, e.value.code
    return e.value


def test_one_far_cell_is_refused_not_allocated(tmp_path: Path) -> None:
    """5 KB, one cell at XFD1048576: the reader would ask for 512 GiB and abort."""
    path = workbook(tmp_path / "far.xlsx", far=(1048575, 16383))
    assert path.stat().st_size < 10_000
    e = refused(path, "sheet_too_large")
    assert e.context["cell"] == "XFD1048576" and e.context["sheet"] == "Data"


def test_a_far_cell_in_a_narrow_sheet_is_measured_precisely(tmp_path: Path) -> None:
    """A coarse bound (two-letter columns: up to ZZ) is refined before refusing: column AB at
    row 100,000 is 2.8 million cells, under the limit."""
    path = workbook(tmp_path / "narrow.xlsx", far=(99_999, 27))
    assert intake.read_file(path).sheets[0].frame.height >= 1


def test_the_bpjs_answer_reader_is_guarded_too(tmp_path: Path) -> None:
    path = workbook(tmp_path / "answer.xlsx", far=(1048575, 16383))
    with pytest.raises(JaringError) as e:
        bpjs_files.read_answer(path)
    assert e.value.code == "sheet_too_large"


def _rewrite(src: Path, dst: Path, member: str, data: bytes) -> Path:
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            zout.writestr(info.filename, data if info.filename == member else zin.read(info))
    return dst


def test_a_zip_bomb_is_refused_by_its_ratio(tmp_path: Path) -> None:
    """64 MB of shared strings in 64 KB: refused before anything is inflated."""
    base = workbook(tmp_path / "base.xlsx")
    bomb = b"<sst>" + b" " * (64 << 20) + b"</sst>"
    path = _rewrite(base, tmp_path / "bomb.xlsx", "xl/sharedStrings.xml", bomb)
    assert path.stat().st_size < 1 << 20
    refused(path, "workbook_too_large")


def test_the_inflated_total_is_limited() -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/sharedStrings.xml", b"<sst>" + bytes(range(256)) * 8192 + b"</sst>")
    with pytest.raises(JaringError) as e:
        files.check_workbook(buf.getvalue(), "x.xlsx", max_inflated=1 << 20)
    assert e.value.code == "workbook_too_large"


def _lie_about_size(data: bytes, member: str, size: int) -> bytes:
    """The zip with ``member``'s uncompressed size rewritten as ``size`` in both headers."""
    out = bytearray(data)
    name = member.encode()
    local = out.find(b"PK\x03\x04" + b"")
    while local >= 0:
        n = struct.unpack_from("<H", out, local + 26)[0]
        if bytes(out[local + 30 : local + 30 + n]) == name:
            struct.pack_into("<I", out, local + 22, size)
        local = out.find(b"PK\x03\x04", local + 4)
    central = out.find(b"PK\x01\x02")
    while central >= 0:
        n = struct.unpack_from("<H", out, central + 28)[0]
        if bytes(out[central + 46 : central + 46 + n]) == name:
            struct.pack_into("<I", out, central + 24, size)
        central = out.find(b"PK\x01\x02", central + 4)
    return bytes(out)


def test_a_member_lying_about_its_size_is_refused(tmp_path: Path) -> None:
    base = workbook(tmp_path / "base.xlsx")
    big = b"<sst>" + b"a " * (4 << 20) + b"</sst>"
    path = _rewrite(base, tmp_path / "lie.xlsx", "xl/sharedStrings.xml", big)
    lying = tmp_path / "lying.xlsx"
    lying.write_bytes(_lie_about_size(path.read_bytes(), "xl/sharedStrings.xml", 1000))
    refused(lying, "file_unreadable")


@pytest.mark.parametrize(
    "content",
    [
        b"this is not a workbook",
        b"Nama,NIK\nAli,9671011203850001\n",
        b"PK\x03\x04" + b"\x00" * 200,
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600,
    ],
    ids=["text", "csv", "broken-zip", "broken-ole"],
)
@pytest.mark.parametrize("suffix", [".xlsx", ".xls"])
def test_damaged_or_disguised_files_are_refused_clearly(
    tmp_path: Path, content: bytes, suffix: str
) -> None:
    path = tmp_path / f"list{suffix}"
    path.write_bytes(content)
    refused(path, "file_unreadable")


def test_a_truncated_workbook_is_refused(tmp_path: Path) -> None:
    data = workbook(tmp_path / "whole.xlsx").read_bytes()
    path = tmp_path / "half.xlsx"
    path.write_bytes(data[: len(data) // 2])
    refused(path, "file_unreadable")


def test_cli_refuses_in_one_line_with_exit_2(tmp_path: Path) -> None:
    path = workbook(tmp_path / "far.xlsx", far=(1048575, 16383))
    options.reset()
    db = f"sqlite:///{tmp_path / 'j.db'}"
    r = CliRunner().invoke(app, ["registry", "import", str(path), "--source", "x", "--db", db])
    assert r.exit_code == 2, r.output
    assert r.output.strip().endswith("[sheet_too_large]")
    assert len(r.output.strip().splitlines()) == 1


# --------------------------------------------------------------------------- text


CSV_TEXT = "Nama;NIK;Tgl Lahir\nYohana Kambuaya;9671011203850001;12/03/1985\nSiti Nur'aini;9671031010880003;10/10/1988\nJosé Muñoz;9671022505900002;25/05/1990\n"


def names_of(path: Path) -> list[str]:
    sheet = intake.read_file(path).sheets[0]
    return intake.canonical(sheet).get_column("name").to_list()


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be", "utf-8-sig", "cp1252"])
def test_csv_in_utf16_or_windows_1252_is_decoded(tmp_path: Path, encoding: str) -> None:
    path = tmp_path / "list.csv"
    path.write_bytes(CSV_TEXT.encode(encoding))
    assert names_of(path) == ["Yohana Kambuaya", "Siti Nur'aini", "José Muñoz"]


def test_mixed_utf8_and_windows_1252_lines_both_survive(tmp_path: Path) -> None:
    head, first, second, third = CSV_TEXT.splitlines(keepends=True)
    path = tmp_path / "mixed.csv"
    path.write_bytes(
        (head + first + second).encode("utf-8")
        + third.encode("cp1252")
        + "Agustinus Rumbewas;9671020101700004;01/01/1970;Ñ\n".encode()
    )
    names = names_of(path)
    assert names[2] == "José Muñoz" and names[3] == "Agustinus Rumbewas"


def test_nul_bytes_are_removed(tmp_path: Path) -> None:
    path = tmp_path / "nul.csv"
    path.write_bytes(CSV_TEXT.replace("Yohana", "Yo\x00hana").encode())
    assert names_of(path)[0] == "Yohana Kambuaya"


def test_binary_named_csv_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "photo.csv"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 20)
    refused(path, "file_not_text")


def test_nul_in_a_workbook_cell_is_removed(tmp_path: Path) -> None:
    base = workbook(tmp_path / "base.xlsx")
    with zipfile.ZipFile(base) as z:
        sheet = z.read("xl/worksheets/sheet1.xml")
    sheet = sheet.replace(
        b'<c r="A2" t="s"><v>3</v></c>', b'<c r="A2" t="inlineStr"><is><t>Yo\x00hana</t></is></c>'
    )
    path = _rewrite(base, tmp_path / "nul.xlsx", "xl/worksheets/sheet1.xml", sheet)
    frame = intake.read_file(path).sheets[0].frame
    assert "\x00" not in "".join(str(v) for v in frame.row(0))


def test_bpjs_answer_in_utf16_is_read(tmp_path: Path) -> None:
    path = tmp_path / "answer.csv"
    path.write_bytes("NIK,KPJ,Status\n9671011203850001,24000000001,OK\n".encode("utf-16"))
    answer = bpjs_files.read_answer(path)
    assert answer.get_column("nik").to_list() == ["9671011203850001"]


# --------------------------------------------------------------------------- writing


def test_csv_cells_that_look_like_formulas_are_neutralised() -> None:
    frame = pl.DataFrame(
        {
            "name": ['=HYPERLINK("http://x","y")', "+62 812", "-1+1", "@SUM(A1)", "\tx", "Ali"],
            "amount": [-150_000, 1, 2, 3, 4, 5],
        }
    )
    text = files.write_csv(frame)
    assert text is not None
    back = pl.read_csv(io.StringIO(text), infer_schema=False)
    assert back.get_column("name").to_list()[:5] == [
        '\'=HYPERLINK("http://x","y")',
        "'+62 812",
        "'-1+1",
        "'@SUM(A1)",
        "'\tx",
    ]
    assert back.get_column("name")[5] == "Ali"
    assert back.get_column("amount")[0] == "-150000"  # a negative number stays a number


def test_names_and_addresses_like_formulas_are_flagged_at_intake(tmp_path: Path) -> None:
    path = tmp_path / "list.csv"
    path.write_text(
        "NIK;Nama;Tgl Lahir;Alamat\n"
        '9671011203850001;=HYPERLINK("http://x");12/03/1985;-\n'
        "9671031010880003;Siti;10/10/1988;@SUM(A1)\n"
        "9671022505900002;Ali;25/05/1990;Jl. Baru\n"
    )
    sheet = intake.read_file(path).sheets[0]
    rows = intake.validate_rows(intake.canonical(sheet), listed_on=dt.date(2024, 1, 1))
    flagged = [
        [(i["field"], i["code"]) for i in issues if i["code"] == "formula_like"]
        for issues in rows.get_column("issues").to_list()
    ]
    assert flagged == [[("name", "formula_like")], [("address", "formula_like")], []]
    assert rows.get_column("status").to_list() == ["accepted"] * 3  # a warning, kept as typed


def test_every_csv_export_goes_through_the_neutralising_writer() -> None:
    """No module writes CSV with Polars directly, except the store's COPY path and the
    demo's synthetic lists (which are files to import, not to open)."""
    root = Path(__file__).parents[2] / "src" / "jaring"
    allowed = {"registry/files.py", "store/bulk.py", "demo/synth.py", "demo/programs.py"}
    direct = re.compile(r"(?<!files)\.write_csv\(")
    offenders = [
        str(p.relative_to(root))
        for p in root.rglob("*.py")
        if direct.search(p.read_text()) and str(p.relative_to(root)) not in allowed
    ]
    assert offenders == []
