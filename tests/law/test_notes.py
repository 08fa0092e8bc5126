"""Explanation notes exist in both languages and follow the language asked for."""

from __future__ import annotations

import datetime as dt

from jaring.law import benefits, contributions
from jaring.law.amount import Amount, localize

D = dt.date


def _amounts() -> list[Amount]:
    """Amounts whose explanations carry every kind of note: the parameters' own (YAML), the
    law's sentences (early death, unchecked rule, discount not applied) and formulas."""
    return [
        benefits.jkm(D(2024, 5, 1), segment="bpu", member_since=D(2024, 4, 1)),
        benefits.jkm(D(2024, 5, 1), segment="bpu"),
        benefits.jkm(D(2024, 5, 1), segment="bpu", member_since=D(2020, 1, 1)),
        benefits.scholarship(D(2024, 5, 1), [("tk-sd", 99)], contribution_months=40),
        benefits.stmb(3_000_000, 14, D(2024, 5, 1)),
        benefits.jkk_home_care(30_000_000, D(2024, 5, 1)),
        contributions.bpu(1_000_000, D(2026, 3, 1)),
    ]


def test_every_note_has_both_languages_and_no_mixed_text() -> None:
    notes = [line for a in _amounts() for line in a.explanation if line.note_id or line.note_en]
    assert len(notes) >= 6
    for line in notes:
        assert line.note_id and line.note_en, line.parameter
        for text in (line.note_id, line.note_en):
            assert "/months" not in text and "bulan/" not in text and " / " not in text, text


def test_to_dict_picks_the_language_and_keeps_both() -> None:
    amount = benefits.jkm(D(2024, 5, 1), segment="bpu", member_since=D(2024, 4, 1))
    ids = amount.to_dict()["explanation"][0]
    ens = amount.to_dict("en")["explanation"][0]
    assert ids["note"].startswith("Meninggal sebelum 3 bulan kepesertaan")
    assert "Rp8.000.000" in ids["note"] and "belum ditemukan" in ids["note"]
    assert ens["note"].startswith("Died within 3 months of joining")
    assert "Rp8,000,000" in ens["note"] and "not sourced" in ens["note"]
    assert ids["note_id"] == ens["note_id"] and ids["note_en"] == ens["note_en"]
    # the amount is the same whatever the language
    assert amount.to_dict()["total"] == amount.to_dict("en")["total"] == amount.total


def test_localize_stored_lines_old_and_new() -> None:
    new = {"parameter": "x", "note": "id", "note_id": "id", "note_en": "en"}
    old = {"parameter": "y", "note": "stored before notes were bilingual"}
    assert localize([new, old], "en") == [{**new, "note": "en"}, old]
    assert localize([new, old], "id") == [new, old]
