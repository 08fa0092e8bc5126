"""The Paritrana dossier renders as PDF and XLSX with the candidate's scores (read back)."""

from __future__ import annotations

import io

import openpyxl
import pypdf
import pytest
from award_cases import score_all

from jaring.access import Actor
from jaring.award import actions, queries
from jaring.award import dossier as render

SYSTEM = Actor.system()


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_dossier_pdf_and_xlsx(edition, tmp_path) -> None:
    doc = tmp_path / "perwali.pdf"
    doc.write_bytes(b"perwali 4/2021")
    actions.add_evidence(edition, SYSTEM, 2024, "96.71", "regulasi", "perkada", file=doc)
    score_all(edition, "96.71", 4, 5)
    d = queries.dossier(edition, SYSTEM, 2024, "96.71")
    assert str(d.results.total) == "33.25"  # 11.25 + 12 + 10
    text = "".join(
        p.extract_text() for p in pypdf.PdfReader(io.BytesIO(render.dossier_pdf(d))).pages
    )
    assert "Kota Sorong" in text and "33.25" in text
    assert "bukan rubrik resmi" in text
    assert "perwali.pdf" in text
    wb = openpyxl.load_workbook(io.BytesIO(render.dossier_xlsx(d)))
    rows = list(wb["Dosir"].iter_rows(values_only=True))
    total = next(r for r in rows if r[0] == "Total")
    assert total[5] == pytest.approx(33.25)
    assert len(list(wb["Juri"].iter_rows(min_row=2))) == 9
