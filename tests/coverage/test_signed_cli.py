"""`jaring report coverage` writes the report a head of region signs, the same as the web's:
the letterhead set with `jaring report letterhead` (or Jaring's own head), the executive
summary, the map, the charts and the signature block. Checked page by page as images
(pypdfium2): content covers at least 40% of every page but the last, and every chart keeps
its aspect ratio within 10%."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytest
from PIL import Image, ImageDraw
from tests.clirun import jaring, process

both = pytest.mark.parametrize("db_url", ["sqlite", "postgresql"], indirect=True)
INK = 245  # a grey level below this is ink


def _logo(path: Path) -> Path:
    img = Image.new("RGB", (200, 240), "white")
    ImageDraw.Draw(img).ellipse((20, 20, 180, 220), fill="#1f5f8b")
    img.save(path, "PNG")
    return path


def _inked_share(page: pdfium.PdfPage) -> float:
    """The height from the page's first to its last row of ink, over the page's height."""
    img = page.render(scale=0.5).to_pil().convert("L")
    w, h = img.size
    px = img.load()
    assert px is not None
    rows = [y for y in range(h) if any(px[x, y] < INK for x in range(0, w, 2))]
    return (rows[-1] - rows[0]) / h if rows else 0.0


def _check_pages(data: bytes) -> str:
    """Every page but the last at least 40% covered, every image drawn in its own aspect
    (within 10%); the text of the whole document."""
    pdf = pdfium.PdfDocument(io.BytesIO(data))
    try:
        pages = [pdf[i] for i in range(len(pdf))]
        assert len(pages) >= 2
        for i, page in enumerate(pages[:-1]):
            assert _inked_share(page) >= 0.40, f"page {i + 1} is half empty"
        for page in pages:
            for obj in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE]):
                left, bottom, right, top = obj.get_bounds()
                pw, ph = obj.get_px_size()
                assert abs(((right - left) / (top - bottom)) / (pw / ph) - 1) <= 0.10
        return "\n".join(p.get_textpage().get_text_range() for p in pages)
    finally:
        pdf.close()


@both
def test_the_cli_writes_the_report_to_sign(sorong, db_url, tmp_path) -> None:
    plain = tmp_path / "tanpa-kop.pdf"
    p = jaring(
        "report", "coverage", "--region", "96.71", "--on", "2024-12-31", "--out", str(plain),
        "--db", db_url,
    )  # fmt: skip
    assert p.returncode == 0, p.stderr
    assert "jaring report letterhead" in p.stdout  # says how to set the letterhead
    text = _check_pages(plain.read_bytes())
    assert "JARING" in text and "Ringkasan eksekutif" in text

    p = jaring(
        "report", "letterhead", "--region", "96.71", "--authority", "PEMERINTAH KOTA SORONG",
        "--office", "DINAS TENAGA KERJA", "--signatory", "Nama Penanda Tangan",
        "--signatory-title", "Wali Kota Sorong", "--logo", str(_logo(tmp_path / "logo.png")),
        "--db", db_url,
    )  # fmt: skip
    assert p.returncode == 0, p.stderr
    out = tmp_path / "laporan.pdf"
    p = jaring(
        "report", "coverage", "--region", "96.71", "--on", "2024-12-31", "--out", str(out),
        "--signed-on", "2025-01-15", "--json", "--db", db_url,
    )  # fmt: skip
    assert p.returncode == 0, p.stderr
    summary = json.loads(p.stdout)
    assert summary["letterhead"] == "PEMERINTAH KOTA SORONG" and summary["covered"] == 4
    text = _check_pages(out.read_bytes())
    for words in (
        "PEMERINTAH KOTA SORONG",
        "DINAS TENAGA KERJA",
        "Ringkasan eksekutif",
        "Wali Kota Sorong",
        "Nama Penanda Tangan",
        "15 Januari 2025",  # the day by the signature, in Indonesian
    ):
        assert words in text, words
    pdf = pdfium.PdfDocument(out.read_bytes())
    try:
        logos = list(pdf[0].get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE]))
        assert logos, "the letterhead's logo is on the cover"
    finally:
        pdf.close()

    # a distrik's report carries its city's letterhead; the XLSX is unchanged
    p = jaring(
        "report", "coverage", "--region", "96.71.02", "--on", "2024-12-31",
        "--out", str(tmp_path / "distrik.pdf"), "--json", "--db", db_url,
    )  # fmt: skip
    assert p.returncode == 0, p.stderr
    assert json.loads(p.stdout)["letterhead"] == "PEMERINTAH KOTA SORONG"
    _check_pages((tmp_path / "distrik.pdf").read_bytes())


@both
def test_bad_input_is_one_line(sorong, db_url, tmp_path) -> None:
    for args, flag in (
        (("report", "coverage", "--region", "96.71", "--out", str(tmp_path / "a.pdf"),
          "--signed-on", "15-01-2025"), "--signed-on"),
        (("report", "letterhead", "--region", "96.71", "--authority", "X",
          "--logo", str(tmp_path / "none.png")), "none.png"),
        (("report", "letterhead", "--region", "96.71", "--authority", "X",
          "--logo", str(tmp_path / "a.pdf.txt")), "a.pdf.txt"),
        (("report", "letterhead", "--region", "96.71", "--authority", " "), "--authority"),
    ):  # fmt: skip
        (tmp_path / "a.pdf.txt").write_text("not an image")
        run = process if args[-1] == "15-01-2025" else jaring  # one through the real entry point
        p = run(*args, "--db", db_url)
        assert p.returncode == 2, (args, p.stderr)
        assert len(p.stderr.strip().splitlines()) == 1 and "Traceback" not in p.stderr
        assert flag in p.stderr or "logo" in p.stderr.lower(), p.stderr
    assert not (tmp_path / "a.pdf").exists()  # nothing half-written
