"""Ranking ties explained in words: the same sentences on the page, in the CLI and the demo,
with Indonesian decimals and the tie-break order named."""

from __future__ import annotations

from decimal import Decimal
from types import SimpleNamespace
from typing import Any

from jaring import i18n
from jaring.award.ties import tie_break_words, tie_words


def _row(code: str, name: str, rank: int, decided_by: str | None) -> Any:
    return SimpleNamespace(
        candidate=code, name=name, rank=rank, decided_by=decided_by, total=Decimal("71.5")
    )


def test_each_separated_tie_is_said_in_words() -> None:
    rk = SimpleNamespace(
        ranking=[
            _row("96.71", "Kota Sorong", 1, None),
            _row("96.01", "Kabupaten Sorong", 2, "jury_part"),
            _row("96.02", "Kabupaten Raja Ampat", 3, "criterion:regulasi"),
            _row("96.03", "Kabupaten Tambrauw", 3, "tie"),
            _row("96.04", "Kabupaten Maybrat", 5, "total"),
        ],
        criterion_names={"regulasi": {"id": "Regulasi daerah", "en": "Regional regulation"}},
        tie_break=["total", "jury_part", "criteria_by_weight", "spread", "shared_rank"],
    )
    with i18n.using("id"):
        words = tie_words(rk, "id")  # type: ignore[arg-type]
        order = tie_break_words(rk)  # type: ignore[arg-type]
    assert set(words) == {"96.01", "96.02", "96.03"}
    assert "Kota Sorong dan Kabupaten Sorong memiliki total yang sama" in words["96.01"]
    assert "nilai dari juri" in words["96.01"]
    assert "Regulasi daerah" in words["96.02"]
    assert "berbagi peringkat 3" in words["96.03"]
    assert "(71,5)" in words["96.01"]  # Indonesian decimals
    assert order == (
        "jumlah nilai > nilai juri sendiri > kriteria, dari yang terberat > "
        "seberapa dekat nilai para juri > peringkat bersama"
    )
