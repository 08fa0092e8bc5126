"""The parameter tree: every value referenced, no gaps, loud errors (never a silent zero)."""

from __future__ import annotations

import datetime as dt
import textwrap
from pathlib import Path

import pytest

from jaring.law.parameters import CONFIDENCES, LAW_START, ParameterError, load, params

D = dt.date


def test_every_parameter_is_referenced_dated_and_starts_with_the_law() -> None:
    tree = params()
    assert len(tree.names()) >= 25
    for name in tree.names():
        p = tree.parameter(name)
        assert p.entries[0].effective_from <= LAW_START, name
        for e in p.entries:
            assert e.reference.strip(), name
            assert e.confidence in CONFIDENCES, name
            assert e.value is not None or (e.note_id and e.note_en), name


def test_entry_carries_value_date_reference_and_confidence() -> None:
    e = params().entry("pu.jp_wage_cap", D(2024, 6, 1))
    assert (e.value, e.effective_from, e.confidence) == (10_042_300, D(2024, 3, 1), "confirmed")
    assert "PP 45/2015" in e.reference
    assert params().value("bpu.jkm", D(2024, 1, 1)) == 6_800


@pytest.mark.parametrize(
    ("day", "cap"),
    [
        (D(2015, 7, 1), 7_000_000),
        (D(2016, 2, 29), 7_000_000),
        (D(2016, 3, 1), 7_335_300),
        (D(2017, 2, 28), 7_335_300),
        (D(2017, 3, 1), 7_703_500),
        (D(2018, 3, 1), 8_094_000),
        (D(2019, 2, 28), 8_094_000),
        (D(2019, 3, 1), 8_512_400),
        (D(2020, 3, 1), 8_939_700),
        (D(2021, 2, 28), 8_939_700),
        (D(2021, 3, 1), 8_754_600),
        (D(2022, 3, 1), 9_077_600),
        (D(2023, 2, 28), 9_077_600),
        (D(2023, 3, 1), 9_559_600),
        (D(2024, 2, 29), 9_559_600),
        (D(2024, 3, 1), 10_042_300),
        (D(2025, 2, 28), 10_042_300),
        (D(2025, 3, 1), 10_547_400),
        (D(2026, 2, 28), 10_547_400),
    ],
)
def test_jp_wage_cap_changes_each_march(day: dt.date, cap: int) -> None:
    assert params().value("pu.jp_wage_cap", day) == cap


@pytest.mark.parametrize("day", [D(2026, 3, 1), D(2030, 1, 1)])
def test_unsourced_jp_caps_are_errors_naming_the_parameter(day: dt.date) -> None:
    with pytest.raises(ParameterError) as e:
        params().value("pu.jp_wage_cap", day)
    assert e.value.code == "parameter_unknown"
    assert e.value.context["parameter"] == "pu.jp_wage_cap"
    assert "pu.jp_wage_cap" in e.value.message("id") and day.isoformat() in e.value.message("en")


def test_date_before_the_law_is_an_error() -> None:
    with pytest.raises(ParameterError) as e:
        params().value("bpu.jkm", D(2015, 6, 30))
    assert e.value.code == "date_before_law"
    assert e.value.context == {"parameter": "bpu.jkm", "date": "2015-06-30"}


def test_unknown_parameter_is_an_error() -> None:
    with pytest.raises(ParameterError) as e:
        params().value("bpu.nothing", D(2024, 1, 1))
    assert e.value.code == "parameter_missing"


def test_values_are_read_only() -> None:
    rates = params().value("pu.jkk_rates", D(2024, 1, 1))
    with pytest.raises(TypeError):
        rates["rendah"] = 0


GOOD = """
description: test
label: {id: uji, en: test}
unit: rupiah
values:
  2015-07-01: {value: 1, reference: "PP 1/2015", confidence: confirmed}
"""


def _tree(tmp_path: Path, text: str, name: str = "x/y.yaml") -> Path:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return tmp_path


def test_a_good_file_loads(tmp_path: Path) -> None:
    assert load(_tree(tmp_path, GOOD)).value("x.y", D(2020, 1, 1)) == 1


@pytest.mark.parametrize(
    ("text", "why"),
    [
        (GOOD.replace('reference: "PP 1/2015", ', ""), "reference"),
        (GOOD.replace('reference: "PP 1/2015"', 'reference: "  "'), "reference"),
        (GOOD.replace("confirmed", "certain"), "confidence"),
        (GOOD.replace("2015-07-01", "2016-01-01"), "gap"),
        (GOOD + '  2015-01-01: {value: 2, reference: "r", confidence: likely}\n', "order"),
        (GOOD + '  2015-07-01: {value: 2, reference: "r", confidence: likely}\n', "duplicate"),
        (GOOD.replace("value: 1,", "value: null,"), "note"),
        (GOOD.replace("value: 1,", 'value: 1, note: "English only",'), "note_one_language"),
        (GOOD.replace("value: 1,", "value: 1, note: {en: English only},"), "note_no_id"),
        (GOOD.replace("value: 1,", "value: null, note: {id: '', en: x},"), "note_empty_id"),
        (GOOD.replace("value: 1,", "value: 1.5,"), "whole"),
        (GOOD.replace("unit: rupiah", "unit: dollars"), "unit"),
        (GOOD.replace("unit: rupiah", "unit: rupiah\nrounding: bankers"), "rounding"),
        (GOOD.replace("label: {id: uji, en: test}\n", ""), "label"),
    ],
)
def test_malformed_files_are_refused_naming_the_file(tmp_path: Path, text: str, why: str) -> None:
    with pytest.raises(ParameterError) as e:
        load(_tree(tmp_path, text))
    assert e.value.code == "parameter_invalid"
    assert e.value.context["file"].endswith("x/y.yaml")


def test_a_note_is_read_in_both_languages(tmp_path: Path) -> None:
    text = GOOD.replace("value: 1,", "value: 1, note: {id: catatan uji, en: a test note},")
    entry = load(_tree(tmp_path, text)).entry("x.y", D(2020, 1, 1))
    assert (entry.note_id, entry.note_en) == ("catatan uji", "a test note")


TABLE = """
description: bands
label: {id: pita, en: bands}
unit: table
columns: [lower, base]
values:
  2015-07-01:
    reference: "PP 1/2015"
    confidence: likely
    value:
      - {lower: 0, base: 10}
      - {lower: 100, base: 110}
"""


def test_table_rows_need_every_field(tmp_path: Path) -> None:
    assert len(load(_tree(tmp_path, TABLE)).value("x.y", D(2016, 1, 1))) == 2
    with pytest.raises(ParameterError) as e:
        load(_tree(tmp_path, TABLE.replace("{lower: 100, base: 110}", "{lower: 100}")))
    assert e.value.context["row"] == 2


def test_band_edges_must_rise_from_zero(tmp_path: Path) -> None:
    with pytest.raises(ParameterError):
        load(_tree(tmp_path, TABLE.replace("lower: 100", "lower: 0")))
    with pytest.raises(ParameterError):
        load(_tree(tmp_path, TABLE.replace("lower: 0,", "lower: 5,")))


def test_mapping_keys_must_match(tmp_path: Path) -> None:
    text = GOOD.replace("unit: rupiah", "unit: mapping\nkeys: [a, b]").replace(
        "value: 1,", "value: {a: 1},"
    )
    with pytest.raises(ParameterError):
        load(_tree(tmp_path, text))


def test_in_force_lists_errors_beside_values() -> None:
    items = params().in_force(D(2026, 6, 1))
    errors = [i for i in items if isinstance(i, ParameterError)]
    assert [e.context["parameter"] for e in errors] == [
        "pu.jkp_rate",
        "pu.jp_wage_cap",
    ]
