"""The coverage report opens as PDF and XLSX and carries the figures (read back)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io

import openpyxl
import pypdf
import pytest

from jaring.access import Actor
from jaring.coverage import actions, queries, report

ON = dt.date(2024, 12, 31)
SYSTEM = Actor.system()
sqlite_only = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)


@sqlite_only
def test_pdf_is_one_page_with_the_figures(sorong) -> None:
    actions.set_denominator(sorong, SYSTEM, "96.71", 2024, 160, "BPS Sakernas Agustus 2024")
    actions.set_target(sorong, SYSTEM, "96.71", 2024, "Kemendagri", people=10)
    r = queries.coverage_report(sorong, SYSTEM, "96.71", ON)
    pdf = pypdf.PdfReader(io.BytesIO(report.coverage_pdf(r, made_on=dt.date(2025, 1, 6))))
    assert len(pdf.pages) == 1
    text = pdf.pages[0].extract_text()
    assert "Kota Sorong" in text
    assert "31 Desember 2024" in text
    assert "4 orang" in text  # covered
    assert "2,50%" in text  # 4 / 160
    assert "BPS Sakernas Agustus 2024" in text
    assert "6 Januari 2025" in text


@sqlite_only
def test_xlsx_holds_numbers_and_districts(sorong) -> None:
    r = queries.coverage_report(sorong, SYSTEM, "96.71", ON)
    wb = openpyxl.load_workbook(io.BytesIO(report.coverage_xlsx(r)))
    assert {"Ringkasan", "Wilayah", "Tren", "Kelompok", "Belanja"} <= set(wb.sheetnames)
    summary = {row[0]: row[1] for row in wb["Ringkasan"].iter_rows(values_only=True) if row[0]}
    assert summary["Peserta aktif"] in ("4 orang", 4)
    numbers = [
        row for row in wb["Ringkasan"].iter_rows(values_only=True) if row[0] == "Peserta aktif"
    ]
    assert (numbers[-1][1]) == 4
    districts = {row[1]: row[2] for row in wb["Wilayah"].iter_rows(min_row=2, values_only=True)}
    assert districts["Sorong"] == 2 and districts["Sorong Timur"] == 1
    assert sum(districts.values()) == 4
    trend = list(wb["Tren"].iter_rows(min_row=2, values_only=True))
    assert len(trend) == 12 and trend[-1][1] == 4


def test_rupiah_and_dates_in_indonesian() -> None:
    from jaring import formatting as f

    assert f.rupiah(2_200_000_000) == "Rp2.200.000.000"
    assert f.date(dt.date(2024, 2, 26)) == "26 Februari 2024"
    assert f.date(dt.date(2024, 2, 26), "en") == "26 February 2024"


@sqlite_only
def test_pdf_of_a_region_with_many_areas_stays_on_one_page(sorong) -> None:
    """A province or the nation draws a bar per child area; the chart shrinks to fit the page
    instead of failing (reportlab's LayoutError)."""
    r = queries.coverage_report(sorong, SYSTEM, "96.71", ON)
    key = next(k for k in ("by_district", "by_regency", "by_village") if getattr(r, k))
    template = getattr(r, key)[0]
    many = [dataclasses.replace(template, name=f"Distrik {i}", covered=i) for i in range(1, 80)]
    r = dataclasses.replace(r, **{key: many})
    pdf = pypdf.PdfReader(io.BytesIO(report.coverage_pdf(r, made_on=dt.date(2025, 1, 6))))
    assert len(pdf.pages) == 1
