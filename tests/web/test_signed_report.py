"""The coverage report a head of region signs, checked page by page as images (pypdfium2):
content covers at least 40% of every page but the last, every chart keeps its aspect ratio
within 10%, the letterhead's logo is on the cover; the XLSX holds numbers as numbers under
Indonesian headers."""

from __future__ import annotations

import io

import fastexcel
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from PIL import Image, ImageDraw
from tests.web.conftest import csrf_of

from jaring.coverage import boundaries
from jaring.coverage.signed import map_drawing

INK = 245  # a grey level below this is ink


def _logo() -> bytes:
    img = Image.new("RGB", (200, 240), "white")
    ImageDraw.Draw(img).ellipse((20, 20, 180, 220), fill="#1f5f8b")
    buf = io.BytesIO()
    img.save(buf, "PNG")
    return buf.getvalue()


def _inked_share(page: pdfium.PdfPage) -> float:
    """How much of the page the content covers: the height from its first to its last row
    of ink, over the page's height (a page that stops halfway scores about 0.5 or less)."""
    img = page.render(scale=0.5).to_pil().convert("L")
    w, h = img.size
    px = img.load()
    assert px is not None
    rows = [y for y in range(h) if any(px[x, y] < INK for x in range(0, w, 2))]
    return (rows[-1] - rows[0]) / h if rows else 0.0


def test_the_report_to_sign(browser_as) -> None:  # type: ignore[no-untyped-def]
    admin = browser_as("admin")
    token = csrf_of(admin.get("/admin/settings").text)
    r = admin.post(
        "/admin/settings/letterhead",
        data={
            "csrf_token": token,
            "region": "96.71",
            "authority": "PEMERINTAH KOTA SORONG",
            "office": "DINAS TENAGA KERJA",
            "signatory": "Nama Penanda Tangan",
            "signatory_title": "Wali Kota Sorong",
        },
        files={"logo": ("logo.png", _logo(), "image/png")},
    )
    assert r.status_code == 200, r.text
    for region, authority in (
        ("96.71", "PEMERINTAH KOTA SORONG"),
        ("96.71.02", "PEMERINTAH KOTA SORONG"),  # a distrik's report: its city's letterhead
        ("96", "JARING"),  # the province has none set: Jaring's own head
    ):
        got = admin.get(f"/api/v1/coverage/report/file?region={region}&on=2024-06-01&format=pdf")
        assert got.status_code == 200
        pdf = pdfium.PdfDocument(got.content)
        try:
            pages = [pdf[i] for i in range(len(pdf))]
            assert len(pages) >= 3
            for i, page in enumerate(pages[:-1]):
                assert _inked_share(page) >= 0.40, f"{region}: page {i + 1} is half empty"
            text = "\n".join(p.get_textpage().get_text_range() for p in pages)
            assert authority in text
            assert "Ringkasan eksekutif" in text
            assert ("Nama Penanda Tangan" in text) == (authority != "JARING")
            assert "Januari 2024" in text or "Juni 2024" in text  # whole month names
            images = 0
            for page in pages:
                for obj in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE]):
                    left, bottom, right, top = obj.get_bounds()
                    pw, ph = obj.get_px_size()
                    drawn, source = (right - left) / (top - bottom), pw / ph
                    assert abs(drawn / source - 1) <= 0.10
                    images += 1
            assert images >= 3  # the logo and the charts
        finally:
            pdf.close()


def test_the_map_keeps_its_shape() -> None:
    shapes = boundaries.children("96.71")
    d = map_drawing(shapes, {}, 500, 400)
    xs = [x for poly in d.contents[: len(shapes)] for x in poly.points[0::2]]
    ys = [y for poly in d.contents[: len(shapes)] for y in poly.points[1::2]]
    assert max(xs) <= 500 and max(ys) <= 400 and min(xs) >= 0


def test_the_workbook_holds_numbers(browser_as) -> None:  # type: ignore[no-untyped-def]
    got = browser_as("admin").get(
        "/api/v1/coverage/report/file?region=96.71&on=2024-06-01&format=xlsx"
    )
    assert got.status_code == 200
    book = fastexcel.read_excel(got.content)
    areas = book.load_sheet("Wilayah").to_polars()
    assert areas.columns == ["Kode", "Wilayah", "Peserta aktif"]
    assert areas["Peserta aktif"].dtype.is_numeric()
    trend = book.load_sheet("Tren").to_polars()
    assert trend.columns[0] == "Tanggal" and trend[trend.columns[1]].dtype.is_numeric()
